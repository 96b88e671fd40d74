// crc32c_aarch64.cpp — CRC-32C with the ARMv8 CRC instructions, when the CPU has them.
#include "crc32c.h"

#if defined(__aarch64__)
#include <arm_acle.h>
#include <cstring>
#include <sys/auxv.h>

#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

namespace hm {

namespace {
__attribute__((target("crc"))) std::uint32_t
armv8(std::uint32_t c, const unsigned char *p, std::size_t n) {
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    c = __crc32cd(c, v);
  }
  for (; n; ++p, --n)
    c = __crc32cb(c, *p);
  return c;
}
} // namespace

Crc32cUpdate crc32cHardware() {
  return (getauxval(AT_HWCAP) & HWCAP_CRC32) ? armv8 : nullptr;
}

} // namespace hm
#endif
