// long_double.h — conversion between the long double formats of the targets:
// x87 80-bit extended (x86_64), IEEE binary128 (aarch64, s390x), binary64 (armhf).
#ifndef HM_RUNTIME_LONG_DOUBLE_H
#define HM_RUNTIME_LONG_DOUBLE_H

#include <cstdint>
#include <string>

namespace hm {

struct FloatFormat {
  unsigned mantDig;   // 53, 64 or 113: precision in bits, with the leading one
  unsigned size;      // storage bytes: 8 or 16 (x87: 10 used, rest padding)
  bool bigEndian;
};

enum class FloatResult { Exact, Rounded, Overflow };

// Converts one value from |from| to |to|. On overflow, |what| gets the value in
// decimal for the message.
FloatResult convertFloat(const unsigned char *src, const FloatFormat &from,
                         unsigned char *dst, const FloatFormat &to, std::string &what);

// "x87 80-bit extended", "IEEE binary128", ...
const char *formatName(unsigned mantDig);

} // namespace hm
#endif
