// crc32c.h — CRC-32C (Castagnoli), the image checksum: with the CPU's CRC
// instruction where there is one (x86-64 SSE4.2, AArch64 CRC), several GB/s
// without, so that the checksum is not what limits capture and restore.
#ifndef HM_RUNTIME_CRC32C_H
#define HM_RUNTIME_CRC32C_H

#include <cstddef>
#include <cstdint>

namespace hm {

class Crc32c {
public:
  void update(const void *data, std::size_t n);
  std::uint32_t value() const { return ~state; }

private:
  std::uint32_t state = 0xFFFFFFFFu;
};

// Platform code (crc32c_<arch>.cpp): the CPU's instruction when it has it,
// null otherwise. Takes and returns the running (inverted) state.
using Crc32cUpdate = std::uint32_t (*)(std::uint32_t, const unsigned char *, std::size_t);
Crc32cUpdate crc32cHardware();

// Appending |bytes| zero bytes to a running CRC, as four table lookups: what lets
// the platform code run three independent CRC streams over three stretches of
// data (the instruction's latency, not its throughput, limits one stream) and
// join them. Built from |serial| itself, so the tables match the instruction.
class Crc32cZeros {
public:
  Crc32cZeros(Crc32cUpdate serial, std::size_t bytes);
  std::uint32_t operator()(std::uint32_t c) const {
    return table[0][c & 0xFF] ^ table[1][(c >> 8) & 0xFF] ^ table[2][(c >> 16) & 0xFF] ^
           table[3][c >> 24];
  }

private:
  std::uint32_t table[4][256];
};

} // namespace hm
#endif
