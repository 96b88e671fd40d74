// crc32c_x86_64.cpp — CRC-32C with SSE4.2's crc32 instruction, when the CPU has it.
#include "crc32c.h"

#if defined(__x86_64__)
#include <cstring>
#include <nmmintrin.h>

namespace hm {

namespace {
constexpr std::size_t kStripe = 4096;

std::uint64_t load64(const unsigned char *p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

__attribute__((target("sse4.2"))) std::uint32_t
serial(std::uint32_t c, const unsigned char *p, std::size_t n) {
  std::uint64_t c64 = c;
  for (; n >= 8; p += 8, n -= 8)
    c64 = _mm_crc32_u64(c64, load64(p));
  c = static_cast<std::uint32_t>(c64);
  for (; n; ++p, --n)
    c = _mm_crc32_u8(c, *p);
  return c;
}

// Three stripes at a time, one CRC stream each, joined by shifting over the
// stripes that follow: about three times one stream's speed on long data.
__attribute__((target("sse4.2"))) std::uint32_t
sse42(std::uint32_t c, const unsigned char *p, std::size_t n) {
  if (n >= 3 * kStripe) {
    static const Crc32cZeros overStripe(serial, kStripe);
    do {
      std::uint64_t a = c, b = 0, d = 0;
      for (std::size_t i = 0; i < kStripe; i += 8) {
        a = _mm_crc32_u64(a, load64(p + i));
        b = _mm_crc32_u64(b, load64(p + kStripe + i));
        d = _mm_crc32_u64(d, load64(p + 2 * kStripe + i));
      }
      c = overStripe(overStripe(static_cast<std::uint32_t>(a)) ^ static_cast<std::uint32_t>(b)) ^
          static_cast<std::uint32_t>(d);
      p += 3 * kStripe;
      n -= 3 * kStripe;
    } while (n >= 3 * kStripe);
  }
  return serial(c, p, n);
}
} // namespace

Crc32cUpdate crc32cHardware() {
  return __builtin_cpu_supports("sse4.2") ? sse42 : nullptr;
}

} // namespace hm
#endif
