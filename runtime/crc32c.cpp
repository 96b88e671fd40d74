// crc32c.cpp — CRC-32C: the CPU's instruction when it has one, else eight
// 256-entry tables, one byte of eight per table per step.
#include "crc32c.h"

namespace hm {

namespace {
struct Tables {
  std::uint32_t t[8][256];
  Tables() {
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k)
        c = c & 1 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
      t[0][i] = c;
    }
    for (std::uint32_t i = 0; i < 256; ++i)
      for (int s = 1; s < 8; ++s)
        t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  }
};

std::uint32_t software(std::uint32_t c, const unsigned char *p, std::size_t n) {
  static const Tables tables;
  const auto &t = tables.t;
  while (n >= 8) {
    // Byte by byte assembly keeps this independent of the host's byte order.
    std::uint32_t lo = c ^ (p[0] | p[1] << 8 | p[2] << 16 | static_cast<std::uint32_t>(p[3]) << 24);
    std::uint32_t hi = p[4] | p[5] << 8 | p[6] << 16 | static_cast<std::uint32_t>(p[7]) << 24;
    c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
        t[3][hi & 0xFF] ^ t[2][(hi >> 8) & 0xFF] ^ t[1][(hi >> 16) & 0xFF] ^ t[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--)
    c = t[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
  return c;
}
} // namespace

Crc32cZeros::Crc32cZeros(Crc32cUpdate serial, std::size_t bytes) {
  // The raw CRC step is linear over GF(2): the operator is fixed by its effect
  // on the 32 one-bit states, and each table entry is the XOR of some of them.
  static const unsigned char zeros[4096] = {};
  std::uint32_t bit[32];
  for (int i = 0; i < 32; ++i) {
    std::uint32_t c = 1u << i;
    for (std::size_t left = bytes; left;) {
      const std::size_t n = left < sizeof zeros ? left : sizeof zeros;
      c = serial(c, zeros, n);
      left -= n;
    }
    bit[i] = c;
  }
  for (int k = 0; k < 4; ++k) {
    table[k][0] = 0;
    for (unsigned b = 1; b < 256; ++b)
      table[k][b] = table[k][b & (b - 1)] ^ bit[8 * k + __builtin_ctz(b)];
  }
}

void Crc32c::update(const void *data, std::size_t n) {
  static const Crc32cUpdate fn = [] {
    const Crc32cUpdate hardware = crc32cHardware();
    return hardware ? hardware : software;
  }();
  state = fn(state, static_cast<const unsigned char *>(data), n);
}

} // namespace hm
