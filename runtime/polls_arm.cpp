// polls_arm.cpp — a poll point is a nop (A32) or nop.w (Thumb-2); armed, a b or
// b.w to the label. Instructions are little-endian, Thumb-2 in two halfwords.
#include "polls.h"

#if defined(__arm__)
#include <cstdint>
#include <cstring>

namespace hm {
void writePoll(unsigned char *site, const unsigned char *target, bool thumb, bool armed) {
  if (!thumb) {
    const std::uint32_t nop = 0xe320f000;
    const auto words = static_cast<std::uint32_t>((target - (site + 8)) >> 2);
    const std::uint32_t branch = 0xea000000u | (words & 0x00ffffffu);
    std::memcpy(site, armed ? &branch : &nop, 4);
    return;
  }
  std::uint16_t code[2] = {0xf3af, 0x8000}; // nop.w
  if (armed) { // b.w, encoding T4: S:I1:I2:imm10:imm11:0 from the pc (site + 4)
    const auto off = static_cast<std::uint32_t>(target - (site + 4));
    const std::uint32_t s = (off >> 24) & 1, i1 = (off >> 23) & 1, i2 = (off >> 22) & 1;
    const std::uint32_t j1 = (~i1 ^ s) & 1, j2 = (~i2 ^ s) & 1;
    code[0] = static_cast<std::uint16_t>(0xf000 | (s << 10) | ((off >> 12) & 0x3ff));
    code[1] = static_cast<std::uint16_t>(0x9000 | (j1 << 13) | (j2 << 11) | ((off >> 1) & 0x7ff));
  }
  std::memcpy(site, code, 4);
}
} // namespace hm
#endif
