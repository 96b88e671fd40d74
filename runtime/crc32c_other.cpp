// crc32c_other.cpp — targets without a CRC-32C instruction hmcc uses (s390x, armhf).
#include "crc32c.h"

#if !defined(__x86_64__) && !defined(__aarch64__)
namespace hm {
Crc32cUpdate crc32cHardware() { return nullptr; }
} // namespace hm
#endif
