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
constexpr std::size_t kStripe = 4096;

std::uint64_t load64(const unsigned char *p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

__attribute__((target("crc"))) std::uint32_t
serial(std::uint32_t c, const unsigned char *p, std::size_t n) {
  for (; n >= 8; p += 8, n -= 8)
    c = __crc32cd(c, load64(p));
  for (; n; ++p, --n)
    c = __crc32cb(c, *p);
  return c;
}

// Three stripes at a time, as on x86-64 (crc32c_x86_64.cpp).
__attribute__((target("crc"))) std::uint32_t
armv8(std::uint32_t c, const unsigned char *p, std::size_t n) {
  if (n >= 3 * kStripe) {
    static const Crc32cZeros overStripe(serial, kStripe);
    do {
      std::uint32_t a = c, b = 0, d = 0;
      for (std::size_t i = 0; i < kStripe; i += 8) {
        a = __crc32cd(a, load64(p + i));
        b = __crc32cd(b, load64(p + kStripe + i));
        d = __crc32cd(d, load64(p + 2 * kStripe + i));
      }
      c = overStripe(overStripe(a) ^ b) ^ d;
      p += 3 * kStripe;
      n -= 3 * kStripe;
    } while (n >= 3 * kStripe);
  }
  return serial(c, p, n);
}
} // namespace

Crc32cUpdate crc32cHardware() {
  return (getauxval(AT_HWCAP) & HWCAP_CRC32) ? armv8 : nullptr;
}

} // namespace hm
#endif
