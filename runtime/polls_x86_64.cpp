// polls_x86_64.cpp — a poll point is a 5-byte nop; armed, a jmp rel32.
#include "polls.h"

#if defined(__x86_64__)
#include <cstdint>
#include <cstring>

namespace hm {
void writePoll(unsigned char *site, const unsigned char *target, bool, bool armed) {
  static const unsigned char nop5[5] = {0x0f, 0x1f, 0x44, 0x00, 0x00};
  unsigned char code[5] = {0xe9};
  const auto rel = static_cast<std::int32_t>(target - (site + 5));
  std::memcpy(code + 1, &rel, 4);
  std::memcpy(site, armed ? code : nop5, 5);
}
} // namespace hm
#endif
