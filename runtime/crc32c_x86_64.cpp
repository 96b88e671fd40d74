// crc32c_x86_64.cpp — CRC-32C with SSE4.2's crc32 instruction, when the CPU has it.
#include "crc32c.h"

#if defined(__x86_64__)
#include <cstring>
#include <nmmintrin.h>

namespace hm {

namespace {
__attribute__((target("sse4.2"))) std::uint32_t
sse42(std::uint32_t c, const unsigned char *p, std::size_t n) {
  std::uint64_t c64 = c;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    c64 = _mm_crc32_u64(c64, v);
  }
  c = static_cast<std::uint32_t>(c64);
  for (; n; ++p, --n)
    c = _mm_crc32_u8(c, *p);
  return c;
}
} // namespace

Crc32cUpdate crc32cHardware() {
  return __builtin_cpu_supports("sse4.2") ? sse42 : nullptr;
}

} // namespace hm
#endif
