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

} // namespace hm
#endif
