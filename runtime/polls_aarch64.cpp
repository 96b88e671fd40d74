// polls_aarch64.cpp — a poll point is a nop; armed, a b (±128 MiB).
#include "polls.h"

#if defined(__aarch64__)
#include <cstdint>
#include <cstring>

namespace hm {
void writePoll(unsigned char *site, const unsigned char *target, bool, bool armed) {
  const std::uint32_t nop = 0xd503201f;
  const auto words = static_cast<std::uint32_t>((target - site) >> 2);
  const std::uint32_t branch = 0x14000000u | (words & 0x03ffffffu);
  std::memcpy(site, armed ? &branch : &nop, 4);
}
} // namespace hm
#endif
