// sentinels.h — pointer values no object can have: numbers the program keeps in pointers.
//
// SIG_IGN (1), SIG_ERR and SQLite's SQLITE_TRANSIENT (-1), MAP_FAILED, a small
// tag like (void *)2: no object lies in the first page (Linux maps nothing
// below mmap_min_addr, 4096 at least) nor in the last page of the address
// space. Such a value travels as the number it is, sign-extended from the
// sender's width: -1 stays -1 on a receiver of another width.
#ifndef HM_RUNTIME_SENTINELS_H
#define HM_RUNTIME_SENTINELS_H

#include <cstdint>

namespace hm {

constexpr std::uint64_t kSentinelSpan = 4096;

// Whether |v|, a pointer of |size| bytes, is such a number.
inline bool isSentinel(std::uint64_t v, unsigned size) {
  if (v == 0 || size == 0 || size > 8)
    return false;
  const std::uint64_t top = size == 8 ? ~std::uint64_t(0) : (std::uint64_t(1) << (8 * size)) - 1;
  return v < kSentinelSpan || (v <= top && top - v < kSentinelSpan);
}

// The sentinel |v| of |size| bytes as a 64-bit number: the last page's values
// are small negative numbers (a receiver writes as many low bytes as it has).
inline std::uint64_t sentinelValue(std::uint64_t v, unsigned size) {
  if (v < kSentinelSpan || size >= 8)
    return v;
  return v | ~((std::uint64_t(1) << (8 * size)) - 1);
}

} // namespace hm
#endif
