// data_model.cpp — data models: this target's, as the image records it, and a
// named destination's, from its triple.
#include "config.h"
#include "state.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace hm {

namespace {
bool startsWith(const std::string &s, const char *prefix) {
  return s.rfind(prefix, 0) == 0;
}
bool endsWith(const std::string &s, const char *suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}
} // namespace

TargetModel targetModel(const std::string &triple) {
  TargetModel m;
  m.bigEndian = startsWith(triple, "s390") || startsWith(triple, "sparc") ||
                startsWith(triple, "mips-") || startsWith(triple, "mips64-") ||
                startsWith(triple, "ppc-") ||
                (startsWith(triple, "powerpc") && !startsWith(triple, "powerpc64le"));
  const bool lp64 = (startsWith(triple, "x86_64") && !endsWith(triple, "x32")) ||
                    (startsWith(triple, "aarch64") && !endsWith(triple, "_ilp32")) ||
                    startsWith(triple, "s390x") || startsWith(triple, "powerpc64") ||
                    startsWith(triple, "riscv64") || startsWith(triple, "sparc64") ||
                    startsWith(triple, "mips64") || startsWith(triple, "loongarch64");
  m.pointerSize = m.longSize = lp64 ? 8 : 4;
  // 80-bit x87 in 16 bytes (x86_64), in 12 (i386); binary128 elsewhere on
  // 64-bit Linux; a double on 32-bit ARM.
  m.longDoubleSize = startsWith(triple, "arm") ? 8 : lp64 ? 16 : 12;
  // s390x's binary128 long double is aligned to 8.
  m.longDoubleAlign = startsWith(triple, "s390") || startsWith(triple, "arm") ? 8
                      : lp64                                                   ? 16
                                                                               : 4;
  return m;
}

std::uint64_t followingOffset(std::uint64_t end, std::uint64_t start, std::uint64_t endTo,
                              const TargetModel &from, const TargetModel &to,
                              std::uint64_t pieceAlign) {
  if (start < end)
    return 0;
  const auto up = [](std::uint64_t x, std::uint64_t n) { return (x + n - 1) / n * n; };
  if (pieceAlign && up(end, pieceAlign) == start)
    return up(endTo, pieceAlign);
  // The alignments a program may pad to: constants, then those of types (a
  // union of a pointer, a long and a double, as Lua's and SQLite's). Not
  // max_align_t's or long double's: with them a block laid out on s390x or
  // armhf (8) could never go to x86_64 or aarch64 (16), and padding to them
  // between objects is rare; a program that does is placed by the others.
  const auto alignments = [](const TargetModel &m) {
    return std::array<std::uint64_t, 8>{1, 2, 4, 8, 16, m.pointerSize, m.longSize, 8};
  };
  const auto a = alignments(from), b = alignments(to);
  std::uint64_t there = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (up(end, a[k]) != start)
      continue;
    const std::uint64_t candidate = up(endTo, b[k]);
    if (there && candidate != there)
      return pieceAlign && endTo <= start ? start : 0;
    there = candidate;
  }
  if (there)
    return there;
  // Not padding: slots of a fixed size (a pool's), at their offsets.
  return endTo <= start ? start : 0;
}

// `long` and `unsigned long`, and the C library's typedefs that are one on some
// target (size_t): hm-instrument flags them (HM_F_LONG). Not int64_t, which is
// long long where long is narrower.
static bool isLong(const hm_type *t) {
  return (t->kind == HM_K_SINT || t->kind == HM_K_UINT) && (t->flags & HM_F_LONG);
}

std::uint64_t scalarSizeOn(const hm_type *t, const TargetModel &m) {
  switch (t->kind) {
  case HM_K_POINTER:
  case HM_K_FUNCPTR:
    return m.pointerSize;
  case HM_K_LDOUBLE:
    return m.longDoubleSize;
  default:
    return isLong(t) ? m.longSize : t->size;
  }
}

std::pair<std::uint64_t, std::uint64_t> layoutOn(const hm_type *t, const TargetModel &m,
                                                 int depth) {
  if (!t || depth > 32)
    return {0, 1};
  switch (t->kind) {
  case HM_K_ARRAY: {
    const auto [es, ea] = layoutOn(t->elem, m, depth + 1);
    return {es * t->count, ea};
  }
  case HM_K_STRUCT:
  case HM_K_UNION: {
    std::uint64_t size = 0, align = 1;
    for (unsigned i = 0; i < t->nfields; ++i) {
      const hm_field &f = t->fields[i];
      if (f.bit_width) {
        size = std::max<std::uint64_t>(size, (f.bit_offset + f.bit_width + 7) / 8);
        continue;
      }
      const auto [fs, fa] = layoutOn(f.type, m, depth + 1);
      align = std::max(align, fa);
      size = t->kind == HM_K_UNION ? std::max(size, fs) : (size + fa - 1) / fa * fa + fs;
    }
    return {(size + align - 1) / align * align, align};
  }
  default: {
    const std::uint64_t size = scalarSizeOn(t, m);
    if (t->kind == HM_K_LDOUBLE)
      return {size, m.longDoubleAlign};
    return {size, size ? std::min<std::uint64_t>(size, 16) : 1};
  }
  }
}

std::uint64_t prefixEndOn(const hm_type *t, unsigned fields, const TargetModel &m) {
  std::uint64_t size = 0;
  for (unsigned i = 0; i < fields && i < t->nfields; ++i) {
    const auto [fs, fa] = layoutOn(t->fields[i].type, m, 1);
    size = (size + fa - 1) / fa * fa + fs;
  }
  return size;
}

const DataModel &localDataModel() {
  static const DataModel model = [] {
    DataModel m;
    m.arch = HM_TARGET_TRIPLE;
    m.big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
    m.pointer_size = sizeof(void *);
    m.long_size = sizeof(long);
    return m;
  }();
  return model;
}

} // namespace hm

extern "C" HM_EXPORT const char *hm_arch(void) { return HM_TARGET_TRIPLE; }
