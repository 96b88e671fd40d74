// convert.cpp — receiver makes right: sender bytes and layout into this target's.
#include "config.h"
#include "diag.h"
#include "state.h"

#include <cstring>

namespace hm {

namespace {

struct Converter {
  const Image &image;
  const DataModel &local = localDataModel();
  const std::string &what;

  const TypeRecord &senderType(std::int64_t index) const {
    if (index < 0 || static_cast<std::uint64_t>(index) >= image.types.size())
      fail("image is malformed: type index {} out of range for {}", index, what);
    return image.types[static_cast<std::size_t>(index)];
  }

  std::uint64_t readUnsigned(const unsigned char *p, std::uint64_t size) const {
    std::uint64_t v = 0;
    for (std::uint64_t i = 0; i < size; ++i) {
      std::uint64_t byte = image.model.big_endian ? p[i] : p[size - 1 - i];
      v = (v << 8) | byte;
    }
    return v;
  }
  void writeUnsigned(unsigned char *p, std::uint64_t size, std::uint64_t v) const {
    for (std::uint64_t i = 0; i < size; ++i) {
      unsigned char byte = static_cast<unsigned char>(v >> (8 * i));
      p[local.big_endian ? size - 1 - i : i] = byte;
    }
  }

  void integer(const TypeRecord &s, const unsigned char *src, const hm_type *r,
               unsigned char *dst) const {
    if (s.size == 0 || s.size > 8)
      fail("image is malformed: {}-byte integer in {}", s.size, what);
    std::uint64_t raw = readUnsigned(src, s.size);
    bool negative = false;
    std::uint64_t magnitude = raw; // the value is (negative ? -magnitude : magnitude)
    if (s.kind == HM_K_SINT && s.size < 8 && (raw >> (8 * s.size - 1)) & 1) {
      raw |= ~0ULL << (8 * s.size);  // sign-extend
    }
    if (s.kind == HM_K_SINT && (raw >> 63)) {
      negative = true;
      magnitude = ~raw + 1;
    }
    const unsigned bits = 8 * r->size;
    bool fits;
    if (r->kind == HM_K_SINT) {
      std::uint64_t limit = bits >= 64 ? (1ULL << 63) : (1ULL << (bits - 1));
      fits = negative ? magnitude <= limit : magnitude < limit;
    } else {
      fits = !negative && (bits >= 64 || magnitude < (1ULL << bits));
    }
    if (!fits) {
      std::string value = negative ? "-" + std::to_string(magnitude)
                                   : std::to_string(magnitude);
      fail("{}: value {} ({}, {} bytes on {}) does not fit in {} ({} bytes on {})",
           what, value, s.name, s.size, image.model.arch, r->name, r->size,
           local.arch);
    }
    writeUnsigned(dst, r->size, raw);
  }

  void value(std::int64_t stypeIndex, const unsigned char *src, const hm_type *r,
             unsigned char *dst) const {
    const TypeRecord &s = senderType(stypeIndex);
    if (r->kind == HM_K_UNSUPPORTED)
      fail("{}: type {} cannot be restored: {}", what, r->name, r->why);
    const bool ints = (s.kind == HM_K_SINT || s.kind == HM_K_UINT) &&
                      (r->kind == HM_K_SINT || r->kind == HM_K_UINT);
    if (s.kind != r->kind && !ints)
      fail("{}: the image holds a {} where this program has a {}", what, s.name,
           r->name);
    switch (r->kind) {
    case HM_K_SINT:
    case HM_K_UINT:
      return integer(s, src, r, dst);
    case HM_K_CHAR:
      if (s.size != 1 || r->size != 1)
        fail("image is malformed: {}-byte char in {}", s.size, what);
      *dst = *src; // the bit pattern travels, whatever char's signedness
      return;
    case HM_K_BOOL: {
      if (s.size == 0 || s.size > 8)
        fail("image is malformed: {}-byte _Bool in {}", s.size, what);
      std::memset(dst, 0, r->size);
      writeUnsigned(dst, r->size, readUnsigned(src, s.size) != 0);
      return;
    }
    case HM_K_FLOAT:
      if (s.size != r->size || (s.size != 4 && s.size != 8))
        fail("{}: {}-byte {} on {} has no {}-byte counterpart here", what, s.size,
             s.name, image.model.arch, r->size);
      for (std::uint64_t i = 0; i < s.size; ++i)
        dst[i] = image.model.big_endian == local.big_endian ? src[i]
                                                            : src[s.size - 1 - i];
      return;
    case HM_K_ARRAY: {
      if (s.count != r->count)
        fail("{}: the image holds {} elements where this program has {}", what,
             s.count, r->count);
      const TypeRecord &se = senderType(s.elem);
      if (se.size == 0 || (s.count && se.size * s.count / s.count != se.size) ||
          se.size * s.count != s.size)
        fail("image is malformed: array layout of {}", what);
      const hm_type *re = r->elem;
      if (s.count == 0)
        return;
      // Same layout and byte order: the array is a copy.
      if (se.size == re->size && se.kind == re->kind && re->kind != HM_K_ARRAY &&
          image.model.big_endian == local.big_endian && re->kind != HM_K_BOOL) {
        std::memcpy(dst, src, s.size);
        return;
      }
      for (std::uint64_t i = 0; i < s.count; ++i)
        value(s.elem, src + i * se.size, re, dst + i * re->size);
      return;
    }
    default:
      fail("{}: the image holds a value of unknown kind {}", what, s.kind);
    }
  }
};

} // namespace

void convertValue(const Image &image, std::uint32_t stype,
                  const std::vector<unsigned char> &src, const hm_type *rtype,
                  unsigned char *dst, const std::string &what) {
  Converter c{image, localDataModel(), what};
  const TypeRecord &s = c.senderType(stype);
  if (s.size != src.size())
    fail("image is malformed: {} holds {} bytes for a {}-byte {}", what,
         src.size(), s.size, s.name);
  c.value(stype, src.data(), rtype, dst);
}

std::string unsupportedReason(const hm_type *type) {
  for (; type; type = type->kind == HM_K_ARRAY ? type->elem : nullptr)
    if (type->kind == HM_K_UNSUPPORTED)
      return type->why ? type->why : "unsupported type";
  return "";
}

} // namespace hm
