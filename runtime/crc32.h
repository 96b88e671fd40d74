// crc32.h — CRC-32 (the zlib polynomial), slicing by 8: several GB/s, so that the
// image checksum is not what limits capture and restore.
#ifndef HM_RUNTIME_CRC32_H
#define HM_RUNTIME_CRC32_H

#include <cstddef>
#include <cstdint>

namespace hm {

class Crc32 {
public:
  void update(const void *data, std::size_t n);
  std::uint32_t value() const { return ~state; }

private:
  std::uint32_t state = 0xFFFFFFFFu;
};

} // namespace hm
#endif
