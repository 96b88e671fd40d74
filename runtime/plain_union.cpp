// plain_union.cpp — a union value without pointers, converted as all its members
// at once on a named destination: which bits each member writes there, and
// whether two write one differently.
#include "plain_union.h"
#include "config.h"
#include "diag.h"
#include "layout.h"

#include <algorithm>
#include <vector>

namespace hm {
namespace {

constexpr bool kBigHere = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

enum class Foreseen { kBytes, kNot, kRefused };

// The bytes one member writes on the destination, as its receiver's plan
// would (convert.cpp): integers converted to their size there, floats and
// single bytes moved as they are; an integer that does not fit is refused
// there. Anything else (long double, bit-fields, a nested union) is not
// foreseen.
class MemberBits {
public:
  MemberBits(const TargetModel &there, std::uint64_t size)
      : bytes(size), written(size), there(there), here(targetModel(HM_TARGET_TRIPLE)) {}

  Foreseen value(const hm_type *t, const unsigned char *p, std::uint64_t at, int depth) {
    if (!t || depth > 16)
      return Foreseen::kNot;
    switch (t->kind) {
    case HM_K_ARRAY: {
      const std::uint64_t stride = layoutOn(t->elem, there).first;
      if (!t->elem || !t->elem->size || t->count > bytes.size())
        return Foreseen::kNot;
      for (std::uint64_t i = 0; i < t->count; ++i)
        if (const Foreseen f = value(t->elem, p + i * t->elem->size, at + i * stride,
                                     depth + 1);
            f != Foreseen::kBytes)
          return f;
      return Foreseen::kBytes;
    }
    case HM_K_STRUCT: {
      // Laid out again there as layoutOn does, which must be how it is here
      // (not a packed struct's).
      std::uint64_t end = 0, endHere = 0;
      for (unsigned i = 0; i < t->nfields; ++i) {
        const hm_field &f = t->fields[i];
        if (f.bit_width)
          return Foreseen::kNot;
        const auto [size, align] = layoutOn(f.type, there);
        const auto [sizeHere, alignHere] = layoutOn(f.type, here);
        const std::uint64_t offset = (end + align - 1) / align * align;
        const std::uint64_t offsetHere = (endHere + alignHere - 1) / alignHere * alignHere;
        if (offsetHere != f.offset)
          return Foreseen::kNot;
        if (const Foreseen v = value(f.type, p + f.offset, at + offset, depth + 1);
            v != Foreseen::kBytes)
          return v;
        end = offset + size;
        endHere = offsetHere + sizeHere;
      }
      return Foreseen::kBytes;
    }
    case HM_K_SINT:
    case HM_K_UINT:
    case HM_K_BOOL:
    case HM_K_CHAR:
      return integer(t, p, at);
    case HM_K_FLOAT: {
      if (scalarSizeOn(t, there) != t->size || at + t->size > bytes.size())
        return Foreseen::kNot;
      for (std::uint64_t i = 0; i < t->size; ++i)
        put(at + i, p[there.bigEndian == kBigHere ? i : t->size - 1 - i]);
      return Foreseen::kBytes;
    }
    default:
      return Foreseen::kNot;
    }
  }

  std::vector<unsigned char> bytes, written; // written: whole bytes only

private:
  const TargetModel &there;
  const TargetModel here;

  void put(std::uint64_t at, unsigned char b) {
    bytes[at] = b;
    written[at] = 0xff;
  }

  Foreseen integer(const hm_type *t, const unsigned char *p, std::uint64_t at) {
    const std::uint64_t size = t->size, dsize = scalarSizeOn(t, there);
    if (!size || size > 8 || !dsize || dsize > 8 || at + dsize > bytes.size())
      return Foreseen::kNot;
    std::uint64_t v = 0;
    for (std::uint64_t i = 0; i < size; ++i)
      v = v << 8 | p[kBigHere ? i : size - 1 - i];
    if (t->kind == HM_K_CHAR && size == 1) {
      put(at, p[0]); // its bit pattern travels
      return Foreseen::kBytes;
    }
    if (t->kind == HM_K_BOOL)
      v = v != 0;
    if (t->kind == HM_K_SINT && size < 8 && (v >> (8 * size - 1) & 1))
      v |= ~std::uint64_t(0) << (8 * size);
    if (!fitsWidth(t->kind, v, static_cast<unsigned>(8 * size),
                   static_cast<unsigned>(8 * dsize)))
      return Foreseen::kRefused; // the receiver refuses it as this member
    for (std::uint64_t i = 0; i < dsize; ++i)
      put(at + (there.bigEndian ? dsize - 1 - i : i), static_cast<unsigned char>(v >> (8 * i)));
    return Foreseen::kBytes;
  }
};

} // namespace

bool sameLayoutOn(const hm_type *t, const TargetModel &there, int depth) {
  if (!t || depth > 32)
    return false;
  switch (t->kind) {
  case HM_K_ARRAY:
    return sameLayoutOn(t->elem, there, depth + 1);
  case HM_K_STRUCT:
  case HM_K_UNION: {
    // layoutOn's estimate, which must be this record's real layout here (not a
    // packed one's, nor one whose bit-fields it cannot lay out), and the same
    // there: records of scalars of the same sizes and alignments.
    // A union's bit-field member starts at its first bit in either.
    std::uint64_t end = 0;
    for (unsigned i = 0; i < t->nfields; ++i) {
      const hm_field &f = t->fields[i];
      if (f.bit_width && (t->kind == HM_K_STRUCT || f.bit_offset))
        return false;
      if (!sameLayoutOn(f.type, there, depth + 1))
        return false;
      if (t->kind == HM_K_UNION)
        continue;
      const auto [size, align] = layoutOn(f.type, there);
      const std::uint64_t offset = (end + align - 1) / align * align;
      if (offset != f.offset)
        return false;
      end = offset + size;
    }
    return layoutOn(t, there).first == t->size;
  }
  default:
    return scalarSizeOn(t, there) == t->size;
  }
}

std::string plainMembersDisagree(const hm_type *u, const unsigned char *p,
                                 const TargetModel &there) {
  if (std::all_of(p, p + u->size, [](unsigned char b) { return b == 0; }))
    return ""; // zero bits are zero in every member
  const std::uint64_t size = layoutOn(u, there).first;
  std::vector<unsigned char> value(size), written(size);
  std::vector<unsigned> writer(size);
  std::vector<unsigned> plain;
  for (unsigned m = 0; m < u->nfields; ++m)
    if (u->fields[m].bit_width || !holdsPointers(u->fields[m].type))
      plain.push_back(m);
  for (const unsigned m : plain) {
    const hm_field &f = u->fields[m];
    MemberBits bits(there, size);
    const Foreseen how =
        f.bit_width ? Foreseen::kNot : bits.value(f.type, p + f.offset, 0, 0);
    if (how == Foreseen::kRefused)
      return fmt::format("read as its member '{}', it does not fit there", f.name);
    if (how == Foreseen::kNot)
      return fmt::format("read as its member '{}', its bytes convert in a way the "
                         "sender does not foresee",
                         f.name);
    for (std::uint64_t i = 0; i < size; ++i) {
      if (bits.written[i] & written[i] & (value[i] ^ bits.bytes[i]))
        return fmt::format("its members '{}' and '{}' read its bytes as different values "
                           "there",
                           u->fields[writer[i]].name, f.name);
      if (bits.written[i] && !written[i])
        writer[i] = m;
      value[i] |= bits.bytes[i];
      written[i] |= bits.written[i];
    }
  }
  return "";
}

} // namespace hm
