// layout.h — logical places inside objects, so that a pointer survives layout changes.
//
// A byte offset into an object becomes a path of element indices and field
// numbers ("element 3, field 1, one past the end") on the side that knows the
// old layout, and a byte offset again on the side that knows the new one.
#ifndef HM_RUNTIME_LAYOUT_H
#define HM_RUNTIME_LAYOUT_H

#include "hm/abi.h"
#include "image.h"

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace hm {

constexpr std::uint64_t kPathEnd = ~std::uint64_t(0); // one past the end

// Paths are short (nesting depth) and made for every pointer a capture or a
// restore meets: inline storage keeps them off the heap.
using Path = boost::container::small_vector<std::uint64_t, 8>;

// Whether |t| is a struct ending in a flexible array member: its element type
// and offset. Both sides of a migration shape heap blocks by it. With |hack|
// (a heap block no allocation site laid out), an array of one element at the
// end is one too: the "struct hack" of code older than C99 (Lua's TString
// `char contents[1]`, its closures' `upvals[1]`), whose blocks are sized
// offsetof(T, last) + n elements, smaller or larger than the struct.
inline bool isFam(const hm_type *t, const hm_type **elem, std::uint64_t *offset,
                  bool hack = false) {
  if (t->kind != HM_K_STRUCT || !t->nfields)
    return false;
  const hm_field &last = t->fields[t->nfields - 1];
  if (last.type->kind != HM_K_ARRAY || last.type->count > (hack ? 1u : 0u) ||
      last.bit_width || !last.type->elem->size)
    return false;
  *elem = last.type->elem;
  *offset = last.offset;
  return true;
}

// The last member of struct |t| when it is an array of bytes, where a text
// that runs on past the struct begins (mawk's STRING `char str[2]`); or null.
inline const hm_field *trailingText(const hm_type *t) {
  if (t->kind != HM_K_STRUCT || !t->nfields)
    return nullptr;
  const hm_field &last = t->fields[t->nfields - 1];
  return last.type->kind == HM_K_ARRAY && last.type->elem && last.type->elem->size == 1 &&
                 !last.bit_width && last.offset <= t->size
             ? &last
             : nullptr;
}

// A struct whose last member is a short char array in its final word (mawk's
// STRING: `char str[2]`, then two bytes of padding; `long id; char tag[4]` on
// armhf, with none): a block no allocation site laid out, larger than one and
// not a whole number of them, holds one and its text, which runs on from that
// member, whatever else the struct holds. (This build's layout decides; the
// image then says one element, and the receiver reads the same rule from the
// image's layout.)
inline bool endsInShortText(std::uint64_t size, std::uint64_t lastOffset, std::uint64_t count) {
  return count >= 2 && size - lastOffset <= 8;
}
inline bool endsInShortText(const hm_type *t) {
  const hm_field *last = trailingText(t);
  return last && endsInShortText(t->size, last->offset, last->type->count);
}

// Whether byte |rel| of struct |t| is in the text that runs on from its last
// char array through the padding after it (mawk's STRING: `str + 3`).
inline bool inTrailingText(const hm_type *t, std::uint64_t rel) {
  const hm_field *last = trailingText(t);
  return last && rel >= last->offset && rel < t->size;
}

// The end of the first |fields| fields of struct |t|.
inline std::uint64_t prefixEnd(const hm_type *t, unsigned fields) {
  std::uint64_t end = 0;
  for (unsigned i = 0; i < fields && i < t->nfields; ++i)
    end = std::max<std::uint64_t>(end, t->fields[i].offset + t->fields[i].type->size);
  return end;
}
// How many leading fields of struct |t| end by byte |rel|, when some do, some
// do not, and none of them is a bit-field; else 0.
inline unsigned fieldsBefore(const hm_type *t, std::uint64_t rel) {
  if (t->kind != HM_K_STRUCT)
    return 0;
  unsigned j = 0;
  while (j < t->nfields && !t->fields[j].bit_width &&
         t->fields[j].offset + t->fields[j].type->size <= rel)
    ++j;
  return j > 0 && j < t->nfields ? j : 0;
}

// As the capture's mayHold: a pointer anywhere in |t| (an address integer too).
// The entry of a tagged union field |f| that the tag value |tag| selects (the
// first whose masked tag equals its value, or an HM_TAG_OTHERS), or f.ntags.
// The value of the tag field |tag| of the record at |record|.
// `void *`, as the runtime types a block of words that are all addresses.
const hm_type *pointerWordType();

inline std::int64_t readTag(const hm_field &tag, const unsigned char *record) {
  const unsigned char *p = record + tag.offset;
  const bool sign = tag.type->kind == HM_K_SINT;
  switch (tag.type->size) {
  case 1:
    return sign ? static_cast<signed char>(*p) : *p;
  case 2: {
    std::uint16_t x;
    std::memcpy(&x, p, 2);
    return sign ? static_cast<std::int16_t>(x) : x;
  }
  case 4: {
    std::uint32_t x;
    std::memcpy(&x, p, 4);
    return sign ? static_cast<std::int32_t>(x) : x;
  }
  default: {
    std::int64_t x;
    std::memcpy(&x, p, 8);
    return x;
  }
  }
}

inline unsigned tagEntry(const hm_field &f, std::int64_t tag) {
  unsigned i = 0;
  for (; i < f.ntags; ++i) {
    const std::uint64_t mask = f.tag_masks ? f.tag_masks[i] : ~std::uint64_t(0);
    if (f.tag_members[i] == HM_TAG_OTHERS ||
        static_cast<std::int64_t>(static_cast<std::uint64_t>(tag) & mask) == f.tag_values[i])
      break;
  }
  return i;
}

// Whether a value of |t| holds a long double, whose format differs between
// targets of one byte order and pointer width (x87 on x86_64, binary128 on
// aarch64). Pointees are not values of it.
inline bool holdsLongDouble(const hm_type *t, int depth = 0) {
  if (!t || depth > 32)
    return false;
  switch (t->kind) {
  case HM_K_LDOUBLE:
    return true;
  case HM_K_ARRAY:
    return holdsLongDouble(t->elem, depth + 1);
  case HM_K_STRUCT:
  case HM_K_UNION:
    return std::any_of(t->fields, t->fields + t->nfields, [&](const hm_field &f) {
      return holdsLongDouble(f.type, depth + 1);
    });
  default:
    return false;
  }
}

// Whether a scalar of |kind| is an integer: its value, not its bytes, travels,
// and in one byte order its low bytes stay where they are at any width.
inline bool isIntegerKind(unsigned kind) { return kind == HM_K_SINT || kind == HM_K_UINT; }

// Whether unsigned |value| of |sbits| bits, too big for |dbits| < |sbits| bits,
// reads as a small negative number (the wrap of `n-- > 0` to ULONG_MAX, a mask
// ~0UL << 3): a program with the narrower type computes the same value modulo
// its width (those operations keep low bits), so it keeps its low bits there.
inline bool wrapsToNarrower(std::uint64_t value, unsigned sbits, unsigned dbits) {
  if (dbits == 0 || dbits >= sbits || sbits > 64)
    return false;
  const std::uint64_t top = sbits == 64 ? 0 : std::uint64_t(1) << sbits; // 2^sbits mod 2^64
  return value >= top - (std::uint64_t(1) << (dbits - 1)) &&
         (sbits == 64 || value < top);
}

// Whether integer |v| of an |sbits|-bit type of |kind| (sign-extended to 64
// bits when signed) keeps its value in |dbits| bits of that kind on another
// target, as the receiver's conversion requires (else it refuses it).
inline bool fitsWidth(unsigned kind, std::uint64_t v, unsigned sbits, unsigned dbits) {
  if (dbits >= 64 || dbits >= sbits)
    return true;
  if (kind == HM_K_SINT) {
    const auto s = static_cast<std::int64_t>(v);
    return s >= -(std::int64_t(1) << (dbits - 1)) && s < (std::int64_t(1) << (dbits - 1));
  }
  return v >> dbits == 0 || wrapsToNarrower(v, sbits, dbits);
}

// Whether |t| is glibc's FILE (only pointers to it travel).
inline bool isStream(const hm_type *t) {
  return t->kind == HM_K_UNSUPPORTED &&
         (std::strcmp(t->name, "FILE") == 0 || std::strcmp(t->name, "struct _IO_FILE") == 0);
}

// Whether an object of |pointee| may be in a landmark of |kind| named |key|:
// text in strings, char pointers in argv and environ, a FILE in stdio. The
// sender reads no union's pointer member otherwise, and the receiver refuses
// one (the image may have been made by anyone).
inline bool landmarkHolds(std::uint8_t kind, const std::string &key, const hm_type *pointee) {
  while (pointee->kind == HM_K_ARRAY && pointee->elem)
    pointee = pointee->elem;
  const bool integer = pointee->kind == HM_K_SINT || pointee->kind == HM_K_UINT ||
                       pointee->kind == HM_K_CHAR || pointee->kind == HM_K_BOOL;
  switch (kind) {
  case kLiteral: // string literals, wide ones too
  case kEnv:
    return integer;
  case kArgv:
    return key == "argv" || key == "environ" ? pointee->kind == HM_K_POINTER || integer
                                             : integer;
  case kStdio:
  case kStream:
    return isStream(pointee);
  default:
    return true;
  }
}

inline bool holdsPointers(const hm_type *t, int depth = 0) {
  if (!t || depth > 64)
    return false;
  switch (t->kind) {
  case HM_K_POINTER:
  case HM_K_FUNCPTR:
    return true;
  case HM_K_ARRAY:
    return t->count && holdsPointers(t->elem, depth + 1);
  case HM_K_STRUCT:
  case HM_K_UNION:
    for (unsigned i = 0; i < t->nfields; ++i)
      if (holdsPointers(t->fields[i].type, depth + 1))
        return true;
    return false;
  default:
    return (t->flags & HM_F_ADDRESS_INT) != 0 && (t->kind == HM_K_SINT || t->kind == HM_K_UINT);
  }
}

// How a scalar's bytes convert, for telling whether a union's members convert
// alike: integers and floats of one size alike (a byte swap); single bytes are
// copied; long doubles, bools and addresses each their own way.
inline unsigned leafClass(unsigned kind, std::uint64_t size) {
  if (kind == HM_K_POINTER || kind == HM_K_FUNCPTR)
    return 5; // addresses: never a plain byte swap
  if (size == 1 && kind != HM_K_BOOL)
    return 1;
  if (kind == HM_K_LDOUBLE)
    return 3;
  if (kind == HM_K_BOOL)
    return 4;
  return 2;
}

// Views over the two ways a type is known: this program's descriptor, and the
// sender's record in an image.
struct LocalType {
  const hm_type *t;
  unsigned kind() const { return t->kind; }
  std::uint64_t size() const { return t->size; }
  std::uint64_t count() const { return t->count; }
  LocalType elem() const { return {t->elem}; }
  bool hasElem() const { return t->elem != nullptr; }
  unsigned nfields() const { return t->nfields; }
  std::uint64_t fieldOffset(unsigned i) const { return t->fields[i].offset; }
  bool fieldIsBits(unsigned i) const { return t->fields[i].bit_width != 0; }
  LocalType field(unsigned i) const { return {t->fields[i].type}; }
};

struct ImageType {
  const Image *image;
  std::int64_t index;
  const TypeRecord &r() const;
  unsigned kind() const { return r().kind; }
  std::uint64_t size() const { return r().size; }
  std::uint64_t count() const { return r().count; }
  ImageType elem() const { return {image, r().elem}; }
  bool hasElem() const { return r().elem >= 0; }
  unsigned nfields() const { return static_cast<unsigned>(r().fields.size()); }
  std::uint64_t fieldOffset(unsigned i) const { return r().fields[i].offset; }
  bool fieldIsBits(unsigned i) const { return r().fields[i].bit_width != 0; }
  ImageType field(unsigned i) const { return {image, r().fields[i].type}; }
};

// Appends the path of |offset| inside |t|; false when it falls in padding or in
// the middle of a scalar. With |inner|, an offset inside a scalar gives the
// scalar's path and the byte in it there (a char * into an unsigned).
template <class T>
bool locate(const T &t, std::uint64_t offset, Path &path, int depth = 0,
            std::uint64_t *inner = nullptr) {
  if (depth > 64)
    return false;
  if (offset == t.size()) {
    path.push_back(kPathEnd);
    return true;
  }
  if (offset > t.size())
    return false;
  switch (t.kind()) {
  case HM_K_ARRAY: {
    const std::uint64_t es = t.elem().size();
    if (es == 0)
      return false;
    const std::uint64_t i = offset / es;
    path.push_back(i);
    return locate(t.elem(), offset - i * es, path, depth + 1, inner);
  }
  case HM_K_STRUCT:
  case HM_K_UNION:
    for (unsigned i = 0; i < t.nfields(); ++i) {
      if (t.fieldIsBits(i))
        continue;
      const std::uint64_t fo = t.fieldOffset(i);
      const std::uint64_t fs = t.field(i).size();
      if (offset >= fo && offset < fo + fs) {
        path.push_back(i);
        return locate(t.field(i), offset - fo, path, depth + 1, inner);
      }
    }
    return false;
  default:
    if (inner)
      *inner = offset;
    return offset == 0 || inner;
  }
}

// locate, for a byte pointer: the byte inside a scalar it points to is |inner|.
template <class T>
bool locateByte(const T &t, std::uint64_t offset, Path &path, std::uint64_t &inner) {
  inner = 0;
  return locate(t, offset, path, 0, &inner);
}

// The byte offset of |path| (from position |pos|) inside |t|; false when the path
// does not exist in this layout.
template <class T>
bool resolve(const T &t, const Path &path, std::size_t pos, std::uint64_t &offset,
             int depth = 0) {
  if (pos == path.size()) {
    offset = 0;
    return true;
  }
  if (depth > 64)
    return false;
  const std::uint64_t step = path[pos];
  if (step == kPathEnd) {
    offset = t.size();
    return pos + 1 == path.size();
  }
  std::uint64_t inner = 0;
  switch (t.kind()) {
  case HM_K_ARRAY:
    if (step >= t.count() || !resolve(t.elem(), path, pos + 1, inner, depth + 1))
      return false;
    offset = step * t.elem().size() + inner;
    return true;
  case HM_K_STRUCT:
  case HM_K_UNION:
    if (step >= t.nfields() || !resolve(t.field(static_cast<unsigned>(step)), path,
                                        pos + 1, inner, depth + 1))
      return false;
    offset = t.fieldOffset(static_cast<unsigned>(step)) + inner;
    return true;
  default:
    return false;
  }
}

// The type found at |path| inside |t|, when the path ends at a whole value.
template <class T> bool typeAt(const T &t, const Path &path, std::size_t pos, T &out) {
  if (pos == path.size()) {
    out = t;
    return true;
  }
  const std::uint64_t step = path[pos];
  if (step == kPathEnd)
    return false;
  if (t.kind() == HM_K_ARRAY)
    return step < t.count() && typeAt(t.elem(), path, pos + 1, out);
  if (t.kind() == HM_K_STRUCT || t.kind() == HM_K_UNION)
    return step < t.nfields() && typeAt(t.field(static_cast<unsigned>(step)), path, pos + 1, out);
  return false;
}

// The object of an address-ordered list (objects with .addr and .size) that |v|
// points into or, failing that, one past the end of. Sender and receiver must
// decide alike, so both use this.
template <class Object>
const Object *findObject(const std::vector<Object> &objects, std::uint64_t v) {
  auto it = std::upper_bound(objects.begin(), objects.end(), v,
                             [](std::uint64_t x, const Object &o) { return x < o.addr; });
  const Object *end = nullptr;
  for (int back = 0; it != objects.begin() && back < 4; ++back) {
    --it;
    if (v < it->addr + it->size)
      return &*it;
    if (v == it->addr + it->size && !end)
      end = &*it;
  }
  return end;
}

// The index of the last of |items| (sorted by |start|, ascending) that starts at
// or before |v|; items.size() if none. The search gallops out from |hint|, the
// answer of the last search: pointers mostly lead to blocks allocated near the
// one that holds them (a list, a tree built in order), so a walk over a million
// blocks does not pay a full binary search per pointer.
template <class T, class Start>
std::size_t lastStartingBy(const std::vector<T> &items, std::uint64_t v, std::size_t hint,
                           Start start) {
  const std::size_t n = items.size();
  if (n == 0 || v < start(items[0]))
    return n;
  std::size_t lo, hi; // start(items[lo]) <= v < start(items[hi]); hi may be n
  const std::size_t at = hint < n ? hint : 0;
  std::size_t step = 1;
  if (start(items[at]) <= v) {
    lo = at;
    while (lo + step < n && start(items[lo + step]) <= v) {
      lo += step;
      step *= 2;
    }
    hi = std::min(lo + step, n);
  } else {
    hi = at;
    while (step < hi && start(items[hi - step]) > v) {
      hi -= step;
      step *= 2;
    }
    lo = step < hi ? hi - step : 0; // items[0] starts at or before v
  }
  while (hi - lo > 1) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (start(items[mid]) <= v)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

// "[3].next" for messages; stops where the path reaches a value of type |stop|.
std::string describePath(const hm_type *t, const Path &path,
                         const hm_type *stop = nullptr);

} // namespace hm
#endif
