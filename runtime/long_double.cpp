// long_double.cpp — decode to (sign, exponent, 128-bit significand), round, encode.
//
// Written with two 64-bit halves: armhf has no 128-bit integer type.
#include "long_double.h"

#include <cmath>
#include <cstdio>

namespace hm {

namespace {

struct U128 {
  std::uint64_t hi = 0, lo = 0;
  bool zero() const { return !hi && !lo; }
  int clz() const {
    if (hi)
      return __builtin_clzll(hi);
    return lo ? 64 + __builtin_clzll(lo) : 128;
  }
  U128 shl(int n) const {
    if (n <= 0) return *this;
    if (n >= 128) return {};
    if (n >= 64) return {lo << (n - 64), 0};
    return {(hi << n) | (lo >> (64 - n)), lo << n};
  }
  U128 shr(int n) const {
    if (n <= 0) return *this;
    if (n >= 128) return {};
    if (n >= 64) return {0, hi >> (n - 64)};
    return {hi >> n, (lo >> n) | (hi << (64 - n))};
  }
  bool bit(int n) const { return n >= 64 ? (hi >> (n - 64)) & 1 : (lo >> n) & 1; }
  // Bits below position n are not all zero.
  bool anyBelow(int n) const {
    if (n <= 0) return false;
    if (n >= 128) return !zero();
    if (n > 64) return lo || (hi & ((1ULL << (n - 64)) - 1));
    if (n == 64) return lo != 0;
    return (lo & ((1ULL << n) - 1)) != 0;
  }
  U128 add1(int n) const { // + 2^n
    U128 r = *this;
    if (n >= 64) {
      r.hi += 1ULL << (n - 64);
    } else {
      std::uint64_t old = r.lo;
      r.lo += 1ULL << n;
      if (r.lo < old)
        ++r.hi;
    }
    return r;
  }
};

enum class Class { Zero, Finite, Inf, NaN };

// value = (-1)^sign * sig * 2^(exp - 127), sig normalised with bit 127 set.
struct Value {
  bool sign = false;
  Class cls = Class::Zero;
  long exp = 0;
  U128 sig;            // NaN: payload, left-aligned below the quiet bit
};

struct Layout {
  int expBits, fracBits;   // stored fraction bits (x87: 64, explicit leading one)
  bool explicitOne;
};

Layout layoutOf(unsigned mantDig) {
  if (mantDig == 64) return {15, 64, true};
  if (mantDig == 113) return {15, 112, false};
  return {11, 52, false};
}

// Loads the format's bits into a U128, most significant first, whatever the byte order.
U128 loadBits(const unsigned char *p, const FloatFormat &f) {
  unsigned char b[16] = {0};
  const unsigned used = f.mantDig == 64 ? 10 : f.size;
  for (unsigned i = 0; i < used; ++i)
    b[i] = f.bigEndian ? p[i] : p[used - 1 - i];
  U128 v;
  for (unsigned i = 0; i < used; ++i)
    v = v.shl(8), v.lo |= b[i];
  return v;
}

void storeBits(unsigned char *p, const FloatFormat &f, U128 v) {
  const unsigned used = f.mantDig == 64 ? 10 : f.size;
  for (unsigned i = 0; i < f.size; ++i)
    p[i] = 0;
  for (unsigned i = 0; i < used; ++i) {
    unsigned char byte = static_cast<unsigned char>(v.lo & 0xff);
    v = v.shr(8);
    p[f.bigEndian ? used - 1 - i : i] = byte;
  }
}

Value decode(const unsigned char *p, const FloatFormat &f) {
  const Layout l = layoutOf(f.mantDig);
  U128 bits = loadBits(p, f);
  const int total = 1 + l.expBits + l.fracBits;
  Value v;
  v.sign = bits.bit(total - 1);
  const long expField = static_cast<long>(bits.shr(l.fracBits).lo & ((1UL << l.expBits) - 1));
  U128 frac = bits.shl(128 - l.fracBits).shr(128 - l.fracBits);
  const long bias = (1L << (l.expBits - 1)) - 1;
  const long maxExp = (1L << l.expBits) - 1;
  U128 fracNoOne = l.explicitOne ? frac.shl(65).shr(65) : frac;
  if (expField == maxExp) {
    if (fracNoOne.zero()) {
      v.cls = Class::Inf;
    } else {
      v.cls = Class::NaN;
      v.sig = fracNoOne.shl(128 - (l.explicitOne ? 63 : l.fracBits));
    }
    return v;
  }
  if (frac.zero() && (expField == 0 || l.explicitOne)) {
    v.cls = Class::Zero;
    return v;
  }
  v.cls = Class::Finite;
  U128 sig = frac;
  long e;
  if (l.explicitOne) {
    e = (expField == 0 ? 1 : expField) - bias; // value = sig * 2^(e - 63)
    e -= 63;
  } else if (expField == 0) {
    e = 1 - bias - l.fracBits;                 // subnormal: frac * 2^(1-bias-fracBits)
  } else {
    sig = sig.add1(l.fracBits);                // the hidden one
    e = expField - bias - l.fracBits;
  }
  // Normalise: sig * 2^e == (sig << s) * 2^(e - s), leading one at bit 127.
  const int s = sig.clz();
  v.sig = sig.shl(s);
  v.exp = e - s + 127;
  return v;
}

// Rounds v to the target's precision and range; returns how it went.
FloatResult encode(Value v, unsigned char *p, const FloatFormat &f) {
  const Layout l = layoutOf(f.mantDig);
  const long bias = (1L << (l.expBits - 1)) - 1;
  const long maxExp = (1L << l.expBits) - 1;
  const int prec = static_cast<int>(f.mantDig);
  const int signPos = l.expBits + l.fracBits;
  auto store = [&](long expField, U128 frac) {
    U128 bits = U128{0, static_cast<std::uint64_t>(expField)}.shl(l.fracBits);
    bits.hi |= frac.hi;
    bits.lo |= frac.lo;
    if (v.sign)
      bits = bits.add1(signPos); // the sign bit is clear: adding sets it
    storeBits(p, f, bits);
  };
  if (v.cls == Class::Zero) {
    store(0, {});
    return FloatResult::Exact;
  }
  if (v.cls == Class::Inf || v.cls == Class::NaN) {
    U128 frac;
    if (v.cls == Class::NaN) {
      // The payload's leading bits travel; the quiet bit stays set.
      const int payloadBits = l.explicitOne ? 63 : l.fracBits;
      frac = v.sig.shr(128 - payloadBits);
      if (!frac.bit(payloadBits - 1))
        frac = frac.add1(payloadBits - 1);
    }
    if (l.explicitOne)
      frac = frac.add1(63);
    store(maxExp, frac);
    return FloatResult::Exact;
  }
  // value = sig * 2^(exp - 127), sig in [2^127, 2^128): unbiased exponent is exp.
  long e = v.exp;
  const long emin = 1 - bias;
  int keep = prec;                     // significant bits the target can hold here
  if (e < emin)
    keep = prec - static_cast<int>(emin - e);
  if (keep < 0) {
    // Far below the smallest subnormal: rounds to zero.
    store(0, {});
    return FloatResult::Rounded;
  }
  // Round sig to |keep| leading bits, to nearest, ties to even.
  const int drop = 128 - keep;
  U128 kept = drop >= 128 ? U128{} : v.sig.shr(drop);
  bool inexact = v.sig.anyBelow(drop);
  if (drop > 0) {
    const bool half = v.sig.bit(drop - 1);
    const bool rest = v.sig.anyBelow(drop - 1);
    if (half && (rest || kept.bit(0)))
      kept = kept.add1(0);
  }
  if (keep == prec && kept.bit(prec)) { // carried into a new leading bit
    kept = kept.shr(1);
    ++e;
  } else if (keep < prec && kept.bit(keep)) {
    // A subnormal rounded up; it may have become the smallest normal.
    if (keep + 1 == prec) {
      e = emin;
      keep = prec;
    }
  }
  if (e > maxExp - 1 - bias)
    return FloatResult::Overflow;
  long expField;
  U128 frac;
  if (keep < prec) {
    expField = 0;           // subnormal: kept is the fraction (x87: integer bit 0)
    frac = kept;
  } else {
    expField = e + bias;
    frac = l.explicitOne ? kept : kept.shl(128 - (prec - 1)).shr(128 - (prec - 1));
  }
  store(expField, frac);
  return inexact ? FloatResult::Rounded : FloatResult::Exact;
}

std::string decimal(const Value &v) {
  if (v.cls != Class::Finite)
    return v.cls == Class::Zero ? "0" : "inf";
  const double frac = std::ldexp(static_cast<double>(v.sig.hi), -63); // [1, 2)
  const double l10 = (v.exp) * std::log10(2.0) + std::log10(frac);
  const double e10 = std::floor(l10);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%.6fe%+.0f", v.sign ? "-" : "",
                std::pow(10.0, l10 - e10), e10);
  return buf;
}

} // namespace

FloatResult convertFloat(const unsigned char *src, const FloatFormat &from,
                         unsigned char *dst, const FloatFormat &to, std::string &what) {
  Value v = decode(src, from);
  FloatResult r = encode(v, dst, to);
  if (r == FloatResult::Overflow)
    what = decimal(v);
  return r;
}

const char *formatName(unsigned mantDig) {
  switch (mantDig) {
  case 64: return "x87 80-bit extended";
  case 113: return "IEEE binary128";
  case 53: return "IEEE binary64";
  default: return "unknown format";
  }
}

} // namespace hm
