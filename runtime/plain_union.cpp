// plain_union.cpp — a union value without pointers, converted as all its members
// at once on a named destination: which bits each member writes there, and
// whether two write one differently.
#include "plain_union.h"
#include "config.h"
#include "diag.h"
#include "layout.h"

#include <vector>

namespace hm {
namespace {

constexpr bool kBigHere = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;

// The bytes one member writes on the destination, as its receiver's plan
// would (convert.cpp): integers converted to their size there, floats and
// single bytes moved as they are. Anything else (long double, bit-fields,
// a nested union) is not foreseen, and counts as a disagreement.
class MemberBits {
public:
  MemberBits(const TargetModel &there, std::uint64_t size)
      : bytes(size), written(size), there(there) {}

  bool value(const hm_type *t, const unsigned char *p, std::uint64_t at, int depth) {
    if (!t || depth > 16)
      return false;
    switch (t->kind) {
    case HM_K_ARRAY: {
      const std::uint64_t stride = layoutOn(t->elem, there).first;
      if (!t->elem || !t->elem->size || t->count > bytes.size())
        return false;
      for (std::uint64_t i = 0; i < t->count; ++i)
        if (!value(t->elem, p + i * t->elem->size, at + i * stride, depth + 1))
          return false;
      return true;
    }
    case HM_K_STRUCT: {
      std::uint64_t end = 0; // as layoutOn lays the record out there
      for (unsigned i = 0; i < t->nfields; ++i) {
        const hm_field &f = t->fields[i];
        if (f.bit_width)
          return false;
        const auto [size, align] = layoutOn(f.type, there);
        const std::uint64_t offset = (end + align - 1) / align * align;
        if (!value(f.type, p + f.offset, at + offset, depth + 1))
          return false;
        end = offset + size;
      }
      return true;
    }
    case HM_K_SINT:
    case HM_K_UINT:
    case HM_K_BOOL:
    case HM_K_CHAR:
      return integer(t, p, at);
    case HM_K_FLOAT: {
      if (scalarSizeOn(t, there) != t->size || at + t->size > bytes.size())
        return false;
      for (std::uint64_t i = 0; i < t->size; ++i)
        put(at + i, p[there.bigEndian == kBigHere ? i : t->size - 1 - i]);
      return true;
    }
    default:
      return false;
    }
  }

  std::vector<unsigned char> bytes, written; // written: whole bytes only

private:
  const TargetModel &there;

  void put(std::uint64_t at, unsigned char b) {
    bytes[at] = b;
    written[at] = 0xff;
  }

  bool integer(const hm_type *t, const unsigned char *p, std::uint64_t at) {
    const std::uint64_t size = t->size, dsize = scalarSizeOn(t, there);
    if (!size || size > 8 || !dsize || dsize > 8 || at + dsize > bytes.size())
      return false;
    std::uint64_t v = 0;
    for (std::uint64_t i = 0; i < size; ++i)
      v = v << 8 | p[kBigHere ? i : size - 1 - i];
    if (t->kind == HM_K_CHAR && size == 1) {
      put(at, p[0]); // its bit pattern travels
      return true;
    }
    if (t->kind == HM_K_BOOL)
      v = v != 0;
    const unsigned bits = static_cast<unsigned>(8 * dsize);
    if (t->kind == HM_K_SINT) {
      if (size < 8 && (v >> (8 * size - 1) & 1))
        v |= ~std::uint64_t(0) << (8 * size);
      const auto s = static_cast<std::int64_t>(v);
      if (bits < 64 && (s < -(std::int64_t(1) << (bits - 1)) ||
                        s >= (std::int64_t(1) << (bits - 1))))
        return false; // the receiver refuses it as this member
    } else if (bits < 64 && v >> bits &&
               !wrapsToNarrower(v, static_cast<unsigned>(8 * size), bits)) {
      return false;
    }
    for (std::uint64_t i = 0; i < dsize; ++i)
      put(at + (there.bigEndian ? dsize - 1 - i : i), static_cast<unsigned char>(v >> (8 * i)));
    return true;
  }
};

} // namespace

std::string plainMembersDisagree(const hm_type *u, const unsigned char *p,
                                 const TargetModel &there) {
  const std::uint64_t size = layoutOn(u, there).first;
  std::vector<unsigned char> value(size), written(size);
  std::vector<unsigned> writer(size);
  for (unsigned m = 0; m < u->nfields; ++m) {
    const hm_field &f = u->fields[m];
    if (!f.bit_width && holdsPointers(f.type))
      continue;
    MemberBits bits(there, size);
    if (f.bit_width || !bits.value(f.type, p + f.offset, 0, 0))
      return fmt::format("read as its member '{}', it does not convert to bytes the "
                         "other members would read", f.name);
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
