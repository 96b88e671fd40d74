// convert.cpp — receiver makes right: the sender's bytes and layout into this target's.
//
// Each (sender type, receiver type) pair compiles once into a plan: a flat list of
// copies and conversions at fixed offsets, with repeats for arrays. Layouts that
// agree become one copy.
#include "config.h"
#include "convert.h"
#include "diag.h"
#include "layout.h"
#include "long_double.h"
#include "sentinels.h"
#include "state.h"
#include "translate.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <memory>

namespace hm {

namespace {

enum class OpKind {
  Copy, Zero, Int, Bool, Float, LongDouble, BitField, BitSet, Repeat, Union, Merge, Pointer,
  Fail
};

struct Plan;

struct Op {
  OpKind kind = OpKind::Copy;
  std::uint64_t src = 0, dst = 0;     // offsets from the element's start
  std::uint64_t ssize = 0, dsize = 0; // bytes
  bool ssigned = false, dsigned = false;
  std::uint64_t sbit = 0, dbit = 0;   // bit-fields
  std::uint32_t swidth = 0, dwidth = 0;
  unsigned smant = 0, dmant = 0;      // long double
  std::uint64_t count = 0, sstride = 0, dstride = 0; // repeat
  std::shared_ptr<Plan> sub;
  // Tagged union: the tag (an integer field of the enclosing record) selects a plan.
  std::uint64_t tagSrc = 0, tagSize = 0;
  std::uint64_t unionSrc = 0; // a tagged union's own offset: a choice recorded there wins
  bool tagSigned = false;
  std::vector<std::int64_t> tagValues;
  std::vector<std::uint64_t> tagMasks; // beside tagValues: the tag's bits they test
  std::vector<std::shared_ptr<Plan>> members; // by tag entry
  std::shared_ptr<Plan> others;       // the values no entry lists (HM_TAG_OTHERS)
  // Merge: members[k] converts member memberNames[k] into dsize bytes of its own.
  std::vector<std::string> memberNames;
  // An untagged union whose member the image says per value (UnionChoiceRecord):
  // members[m] for a pointer member m (null for the others), |others| for none.
  bool byChoice = false;
  bool copyFirst = false;             // the same layout both sides: its bytes first
  std::string path;                   // ".field" within the element
  std::string sname, dname;           // type names for messages
  std::string error;                  // Fail: why
  const hm_type *pointee = nullptr;   // Pointer: what it points to here
};

struct Plan {
  std::vector<Op> ops;
};

// A conversion failure inside a value: where, and what.
struct ConvertError {
  std::string path, detail;
};

struct Leaf {
  std::uint64_t offset, size;
  unsigned cls;
  bool operator==(const Leaf &o) const {
    return offset == o.offset && size == o.size && cls == o.cls;
  }
};

} // namespace

class Converter::Impl {
public:
  Impl(const Image &image) : image(image), local(localDataModel()) {
    for (std::size_t i = 1; i < image.unions.size(); ++i)
      if (!(image.unions[i - 1] < image.unions[i]))
        fail("image is malformed: its union choices are not in order");
    // Every field and member lies inside its record: the plans add offsets
    // along a path, and none of those sums may wrap around.
    for (const TypeRecord &t : image.types)
      for (const FieldRecord &f : t.fields)
        if (f.offset > t.size || f.bit_offset / 8 > t.size)
          fail("image is malformed: field {} of {} lies outside it", f.name, t.name);
  }

  const Image &image;
  const DataModel &local;
  std::map<std::pair<std::int64_t, const hm_type *>, std::shared_ptr<Plan>> plans;
  bool rounded = false;
  unsigned roundedFrom = 0, roundedTo = 0;
  Translator *translator = nullptr;
  bool mayDefer = false;
  // Where the value being converted was in the sender (Converter::place).
  std::int32_t placeFrame = -1;
  std::uint32_t placeVar = 0;
  std::uint64_t placeBase = 0;
  const unsigned char *placeStart = nullptr;
  std::uint32_t unionLevel = 0; // chosen unions being converted around this one

  // The image's choice for the union whose sender bytes are at |p|, or null.
  const UnionChoiceRecord *choiceAt(const unsigned char *p) const {
    if (!placeStart || p < placeStart)
      return nullptr;
    UnionChoiceRecord key;
    key.frame = placeFrame;
    key.var = placeFrame >= 0 ? placeVar : 0;
    key.at = placeBase + static_cast<std::uint64_t>(p - placeStart);
    key.level = unionLevel;
    auto it = std::lower_bound(image.unions.begin(), image.unions.end(), key);
    return it != image.unions.end() && !(key < *it) ? &*it : nullptr;
  }

  // The image's record of a pointer to elements before a block, at |p|, or null.
  const ElementsBeforeRecord *beforeAt(const unsigned char *p) const {
    if (!placeStart || p < placeStart || image.befores.empty())
      return nullptr;
    ElementsBeforeRecord key;
    key.frame = placeFrame;
    key.var = placeFrame >= 0 ? placeVar : 0;
    key.at = placeBase + static_cast<std::uint64_t>(p - placeStart);
    auto it = std::lower_bound(image.befores.begin(), image.befores.end(), key);
    return it != image.befores.end() && !(key < *it) ? &*it : nullptr;
  }

  const TypeRecord &senderType(std::int64_t index) const {
    if (index < 0 || static_cast<std::uint64_t>(index) >= image.types.size())
      fail("image is malformed: type index {} out of range", index);
    return image.types[static_cast<std::size_t>(index)];
  }

  std::shared_ptr<Plan> plan(std::int64_t s, const hm_type *r) {
    auto key = std::make_pair(s, r);
    auto it = plans.find(key);
    if (it != plans.end())
      return it->second;
    auto p = std::make_shared<Plan>();
    const TypeRecord &st = senderType(s);
    build(*p, s, r, 0, 0, "", 0, st.size);
    plans[key] = p;
    return p;
  }

  static void add(Plan &p, Op op) {
    if (op.kind == OpKind::Copy && !p.ops.empty()) {
      Op &last = p.ops.back();
      if (last.kind == OpKind::Copy && last.src + last.ssize == op.src &&
          last.dst + last.ssize == op.dst) {
        last.ssize += op.ssize;
        last.dsize = last.ssize;
        return;
      }
    }
    p.ops.push_back(std::move(op));
  }

  void failOp(Plan &p, const std::string &path, std::string why) {
    Op op;
    op.kind = OpKind::Fail;
    op.path = path;
    op.error = std::move(why);
    p.ops.push_back(std::move(op));
  }

  static bool isInt(unsigned k) { return k == HM_K_SINT || k == HM_K_UINT; }

  // Scalar leaves of a type, through either view of it (layout.h): what a union
  // member's bytes are, for the union rule.
  template <class T>
  static bool leaves(const T &t, std::uint64_t base, std::vector<Leaf> &out, int depth) {
    if (depth > 32 || out.size() > 4096)
      return false;
    switch (t.kind()) {
    case HM_K_ARRAY:
      for (std::uint64_t i = 0; i < t.count(); ++i)
        if (!leaves(t.elem(), base + i * t.elem().size(), out, depth + 1))
          return false;
      return true;
    case HM_K_STRUCT:
      for (unsigned i = 0; i < t.nfields(); ++i)
        if (t.fieldIsBits(i) || !leaves(t.field(i), base + t.fieldOffset(i), out, depth + 1))
          return false;
      return true;
    case HM_K_UNION:
    case HM_K_UNSUPPORTED:
      return false;
    default:
      out.push_back({base, t.size(), leafClass(t.kind(), t.size())});
      return true;
    }
  }
  bool senderLeaves(std::int64_t s, std::uint64_t base, std::vector<Leaf> &out,
                    int depth) const {
    return leaves(ImageType{&image, s}, base, out, depth);
  }
  static bool receiverLeaves(const hm_type *t, std::uint64_t base,
                             std::vector<Leaf> &out, int depth) {
    return leaves(LocalType{t}, base, out, depth);
  }
  // Builds the plan converting sender type |s| at |soff| to |r| at |doff|.
  // |limit|: the sender bytes available for this element (untrusted sizes).
  void build(Plan &p, std::int64_t s, const hm_type *r, std::uint64_t soff,
             std::uint64_t doff, const std::string &path, int depth,
             std::uint64_t limit) {
    if (depth > 64)
      fail("image is malformed: types nest too deeply");
    const TypeRecord &st = senderType(s);
    if (st.size > limit || soff > limit - st.size)
      fail("image is malformed: {} does not fit its container", st.name);
    if (r->kind == HM_K_UNSUPPORTED)
      return failOp(p, path, fmt::format("{} cannot be restored: {}", r->name,
                                         r->why ? r->why : "unsupported"));
    if ((r->flags & HM_F_MACHINE_STATE) && (st.flags & HM_F_MACHINE_STATE))
      return; // left as it is here: a setjmp re-arms it
    if (st.kind != r->kind && !(isInt(st.kind) && isInt(r->kind)))
      return failOp(p, path, fmt::format("the image holds a {} where this program "
                                         "has a {}", st.name, r->name));
    if (bitSet(p, st, r, soff, doff, path))
      return;
    const bool sameOrder = image.model.big_endian == local.big_endian;
    Op op;
    op.src = soff;
    op.dst = doff;
    op.ssize = st.size;
    op.dsize = r->size;
    op.path = path;
    op.sname = st.name;
    op.dname = r->name;
    switch (r->kind) {
    case HM_K_SINT:
    case HM_K_UINT:
      if (st.size == 0 || st.size > 8 || r->size > 8)
        fail("image is malformed: {}-byte integer {}", st.size, st.name);
      op.ssigned = st.kind == HM_K_SINT;
      op.dsigned = r->kind == HM_K_SINT;
      op.kind = st.size == r->size && sameOrder && op.ssigned == op.dsigned
                    ? OpKind::Copy
                    : OpKind::Int;
      return add(p, std::move(op));
    case HM_K_CHAR:
      if (st.size != 1 || r->size != 1)
        fail("image is malformed: {}-byte char", st.size);
      return add(p, std::move(op)); // the bit pattern travels
    case HM_K_BOOL:
      if (st.size == 0 || st.size > 8)
        fail("image is malformed: {}-byte _Bool", st.size);
      op.kind = st.size == r->size && (sameOrder || st.size == 1) ? OpKind::Copy
                                                                   : OpKind::Bool;
      return add(p, std::move(op));
    case HM_K_FLOAT:
      if (st.size != r->size || (st.size != 4 && st.size != 8))
        return failOp(p, path, fmt::format("{}-byte {} on {} has no {}-byte "
                                           "counterpart here", st.size, st.name,
                                           image.model.arch, r->size));
      op.kind = sameOrder ? OpKind::Copy : OpKind::Float;
      return add(p, std::move(op));
    case HM_K_LDOUBLE:
      if (!validFloat(st.mant_dig, st.size) || !validFloat(r->mant_dig, r->size))
        fail("image is malformed: long double of {} bits in {} bytes", st.mant_dig,
             st.size);
      op.smant = st.mant_dig;
      op.dmant = r->mant_dig;
      op.kind = st.mant_dig == r->mant_dig && st.size == r->size && sameOrder
                    ? OpKind::Copy
                    : OpKind::LongDouble;
      if (op.kind == OpKind::Copy && st.mant_dig == 64)
        op.ssize = op.dsize = 10; // x87 padding bytes carry nothing
      return add(p, std::move(op));
    case HM_K_ARRAY: {
      if (st.count == 0 || r->count == 0) {
        if (st.count != r->count)
          return failOp(p, path, fmt::format("the image holds {} elements where this "
                                             "program has {}", st.count, r->count));
        return;
      }
      const TypeRecord &se = senderType(st.elem);
      if (se.size == 0 || se.size > st.size / st.count || se.size * st.count > st.size)
        fail("image is malformed: array layout of {}", st.name);
      if (st.count != r->count) {
        // A length that follows the target (char extra[sizeof(void *)]): the
        // elements both have convert; those only the image has must be zero,
        // those only this program has start at zero.
        const std::uint64_t both = std::min<std::uint64_t>(st.count, r->count);
        if (both > 4096)
          return failOp(p, path, fmt::format("the image holds {} elements where this "
                                             "program has {}", st.count, r->count));
        for (std::uint64_t k = 0; k < both; ++k)
          build(p, st.elem, r->elem, soff + k * se.size, doff + k * r->elem->size,
                path + fmt::format("[{}]", k), depth + 1, limit);
        if (st.count > both) {
          failOp(p, path, fmt::format("the image holds {} elements where this program "
                                      "has {}, and the others are not zero",
                                      st.count, r->count));
          p.ops.back().src = soff + both * se.size;
          p.ops.back().ssize = (st.count - both) * se.size;
          p.ops.back().dsigned = true; // all zero: nothing is lost
        }
        return;
      }
      auto sub = std::make_shared<Plan>();
      build(*sub, st.elem, r->elem, 0, 0, "", depth + 1, se.size);
      if (sub->ops.size() == 1 && sub->ops[0].kind == OpKind::Copy &&
          sub->ops[0].src == 0 && sub->ops[0].dst == 0 &&
          sub->ops[0].ssize == se.size && se.size == r->elem->size) {
        op.kind = OpKind::Copy;
        op.ssize = op.dsize = se.size * st.count;
        return add(p, std::move(op));
      }
      op.kind = OpKind::Repeat;
      op.count = st.count;
      op.sstride = se.size;
      op.dstride = r->elem->size;
      op.sub = std::move(sub);
      return add(p, std::move(op));
    }
    case HM_K_POINTER:
    case HM_K_FUNCPTR:
      if (st.size != image.model.pointer_size || (st.size != 4 && st.size != 8))
        fail("image is malformed: {}-byte pointer {}", st.size, st.name);
      op.kind = OpKind::Pointer;
      op.ssigned = r->kind == HM_K_FUNCPTR; // marks function pointers
      op.pointee = r->kind == HM_K_POINTER ? r->elem : nullptr;
      return add(p, std::move(op));
    case HM_K_STRUCT:
      return record(p, st, r, soff, doff, path, depth);
    case HM_K_UNION:
      return untaggedUnion(p, st, r, soff, doff, path, depth);
    default:
      fail("image is malformed: unknown kind {} of {}", st.kind, st.name);
    }
  }

  // glibc's bit sets (sigset_t, fd_set, cpu_set_t) are arrays of longs whose
  // length follows the width of long; what they hold is bits numbered across the
  // words, the same set on every target. Recognised by name and shape on both
  // sides, converted bit by bit.
  bool bitSet(Plan &p, const TypeRecord &st, const hm_type *r, std::uint64_t soff,
              std::uint64_t doff, const std::string &path) {
    static const char *const names[] = {"sigset_t", "__sigset_t", "fd_set", "cpu_set_t"};
    if (st.kind != HM_K_STRUCT || r->kind != HM_K_STRUCT || st.name != r->name ||
        std::none_of(std::begin(names), std::end(names),
                     [&](const char *n) { return st.name == n; }) ||
        st.fields.size() != 1 || r->nfields != 1 || st.fields[0].offset != 0 ||
        r->fields[0].offset != 0 || st.size != r->size)
      return false;
    const TypeRecord &sa = senderType(st.fields[0].type);
    const hm_type *ra = r->fields[0].type;
    if (sa.kind != HM_K_ARRAY || ra->kind != HM_K_ARRAY || !ra->elem ||
        !isInt(ra->elem->kind) || sa.size != st.size || ra->size != r->size)
      return false;
    const TypeRecord &se = senderType(sa.elem);
    const std::uint64_t dword = ra->elem->size;
    if (!isInt(se.kind) || (se.size != 4 && se.size != 8) || se.size * sa.count != sa.size ||
        (dword != 4 && dword != 8) || dword * ra->count != ra->size)
      return false;
    Op op;
    op.kind = OpKind::BitSet;
    op.src = soff;
    op.dst = doff;
    op.ssize = st.size;
    op.dsize = r->size;
    op.sstride = se.size;
    op.dstride = dword;
    op.path = path;
    add(p, std::move(op));
    return true;
  }

  static bool validFloat(unsigned mant, std::uint64_t size) {
    return (mant == 53 && size == 8) || (mant == 64 && (size == 16 || size == 12)) ||
           (mant == 113 && size == 16);
  }

  // A C library structure whose fields differ per target (struct stat: padding
  // and reserved words, a 32-bit st_ino beside the 64-bit one): its fields are
  // matched by name; those named "__..." (the library's own) may be on one side
  // only, and are left zero here.
  static bool reserved(const std::string &name) { return name.rfind("__", 0) == 0; }
  bool byName(Plan &p, const TypeRecord &st, const hm_type *r, std::uint64_t soff,
              std::uint64_t doff, const std::string &path, int depth) {
    std::vector<bool> used(st.fields.size(), false);
    std::vector<std::pair<unsigned, std::size_t>> pairs; // receiver field, sender field
    for (unsigned i = 0; i < r->nfields; ++i) {
      const hm_field &rf = taggedField(r, i);
      if (rf.tag_field >= 0 || rf.bit_width || !rf.name[0])
        return false;
      std::size_t k = 0;
      while (k < st.fields.size() && st.fields[k].name != rf.name)
        ++k;
      if (k == st.fields.size()) {
        if (reserved(rf.name))
          continue;
        return false;
      }
      used[k] = true;
      pairs.push_back({i, k});
    }
    for (std::size_t k = 0; k < st.fields.size(); ++k)
      if (!used[k] && !reserved(st.fields[k].name))
        return false;
    for (const auto &[i, k] : pairs) {
      const FieldRecord &sf = st.fields[k];
      if (sf.offset > st.size || sf.bit_width)
        fail("image is malformed: field {} of {}", sf.name, st.name);
      build(p, sf.type, r->fields[i].type, soff + sf.offset, doff + r->fields[i].offset,
            path + "." + r->fields[i].name, depth + 1, soff + st.size);
    }
    return true;
  }

  void record(Plan &p, const TypeRecord &st, const hm_type *r, std::uint64_t soff,
              std::uint64_t doff, const std::string &path, int depth) {
    bool same = st.fields.size() == r->nfields;
    for (unsigned i = 0; same && i < r->nfields; ++i)
      same = st.fields[i].name == r->fields[i].name;
    if (!same && byName(p, st, r, soff, doff, path, depth))
      return;
    if (st.fields.size() != r->nfields)
      return failOp(p, path, fmt::format("{} has {} fields in the image and {} here",
                                         r->name, st.fields.size(), r->nfields));
    for (unsigned i = 0; i < r->nfields; ++i) {
      const FieldRecord &sf = st.fields[i];
      const hm_field &rf = taggedField(r, i);
      const std::string fpath = path + "." + (rf.name[0] ? rf.name : "<anonymous>");
      if (sf.name != rf.name)
        return failOp(p, fpath, fmt::format("field '{}' of {} is '{}' in the image",
                                            rf.name, r->name, sf.name));
      if (sf.bit_width || rf.bit_width) {
        bitField(p, sf, rf, soff, doff, fpath, st.size);
        continue;
      }
      if (sf.offset > st.size)
        fail("image is malformed: field {} of {} out of bounds", sf.name, st.name);
      if (rf.tag_field >= 0) {
        taggedUnion(p, st, r, i, soff, doff, fpath, depth);
        continue;
      }
      build(p, sf.type, rf.type, soff + sf.offset, doff + rf.offset, fpath,
            depth + 1, soff + st.size);
    }
  }

  void bitField(Plan &p, const FieldRecord &sf, const hm_field &rf,
                std::uint64_t soff, std::uint64_t doff, const std::string &path,
                std::uint64_t recordSize) {
    const TypeRecord &t = senderType(sf.type);
    if (!sf.bit_width || !rf.bit_width || sf.bit_width > 64 || rf.bit_width > 64 ||
        (sf.bit_offset + sf.bit_width + 7) / 8 > recordSize)
      fail("image is malformed: bit-field {}", sf.name);
    Op op;
    op.kind = OpKind::BitField;
    op.src = soff;
    op.dst = doff;
    op.sbit = sf.bit_offset;
    op.dbit = rf.bit_offset;
    op.swidth = sf.bit_width;
    op.dwidth = rf.bit_width;
    op.ssigned = t.kind == HM_K_SINT;
    op.dsigned = rf.type->kind == HM_K_SINT;
    op.path = path;
    op.sname = t.name;
    op.dname = rf.type->name;
    p.ops.push_back(std::move(op));
  }

  void taggedUnion(Plan &p, const TypeRecord &st, const hm_type *r, unsigned i,
                   std::uint64_t soff, std::uint64_t doff, const std::string &path,
                   int depth) {
    const FieldRecord &sf = st.fields[i];
    const hm_field &rf = taggedField(r, i);
    if (sf.tag_field != rf.tag_field || sf.tag_field < 0 ||
        static_cast<std::size_t>(sf.tag_field) >= st.fields.size() ||
        sf.tag_values.size() != sf.tag_members.size() ||
        (!sf.tag_masks.empty() && sf.tag_masks.size() != sf.tag_values.size()))
      fail("image is malformed: union tag of {}", sf.name);
    // Which member a tag value selects is this build's to say: the image's
    // table must be the same as its own.
    bool sameTable = sf.tag_values.size() == rf.ntags;
    for (unsigned k = 0; sameTable && k < rf.ntags; ++k)
      sameTable = sf.tag_values[k] == rf.tag_values[k] &&
                  sf.tag_members[k] == rf.tag_members[k] &&
                  (sf.tag_masks.empty() ? ~std::uint64_t(0) : sf.tag_masks[k]) ==
                      (rf.tag_masks ? rf.tag_masks[k] : ~std::uint64_t(0));
    if (!sameTable)
      fail("the image's tag table of union {} is not this program's", sf.name);
    const FieldRecord &tag = st.fields[static_cast<std::size_t>(sf.tag_field)];
    const TypeRecord &tt = senderType(tag.type);
    const TypeRecord &ut = senderType(sf.type);
    // The tag and the union lie inside the record (build() does not see the
    // union itself: its members' plans are bounded by where it ends).
    if (!isInt(tt.kind) || tt.size > 8 || tag.bit_width || ut.kind != HM_K_UNION ||
        tag.offset + tt.size > st.size || ut.size > st.size || sf.offset > st.size - ut.size)
      fail("image is malformed: union tag of {}", sf.name);
    Op op;
    op.kind = OpKind::Union;
    op.tagSrc = soff + tag.offset;
    op.unionSrc = soff + sf.offset;
    op.tagSize = tt.size;
    op.tagSigned = tt.kind == HM_K_SINT;
    op.path = path;
    op.sname = ut.name;
    op.dname = rf.type->name;
    op.error = tag.name;
    for (std::size_t k = 0; k < sf.tag_values.size(); ++k) {
      const std::uint32_t m = sf.tag_members[k];
      if (m == HM_TAG_OTHERS && !op.others) {
        op.others = std::make_shared<Plan>();
        untaggedUnion(*op.others, ut, rf.type, soff + sf.offset, doff + rf.offset,
                      path, depth + 1);
        continue;
      }
      if (m >= ut.fields.size() || m >= rf.type->nfields)
        fail("image is malformed: union member {} of {}", m, ut.name);
      const FieldRecord &sm = ut.fields[m];
      const hm_field &rm = rf.type->fields[m];
      auto member = std::make_shared<Plan>();
      build(*member, sm.type, rm.type, soff + sf.offset + sm.offset,
            doff + rf.offset + rm.offset, path + "." + rm.name, depth + 1,
            soff + sf.offset + ut.size);
      op.tagValues.push_back(sf.tag_values[k]);
      op.tagMasks.push_back(sf.tag_masks.empty() ? ~std::uint64_t(0) : sf.tag_masks[k]);
      op.members.push_back(std::move(member));
    }
    p.ops.push_back(std::move(op));
  }

  // A union that holds pointers and names no active member (Lua's Value and
  // CallInfo.u, a parser's YYSTYPE): which member each value holds, the sender
  // read off its bytes and the image says; the receiver checks that the member
  // holds pointers in its own type. False when the union holds none here.
  bool chosenUnion(Plan &p, const TypeRecord &st, const hm_type *r, std::uint64_t soff,
                   std::uint64_t doff, const std::string &path, int depth) {
    bool pointers = false;
    for (unsigned m = 0; m < r->nfields; ++m)
      pointers |= holdsPointers(r->fields[m].type);
    if (!pointers)
      return false;
    Op op;
    op.kind = OpKind::Union;
    op.byChoice = true;
    op.src = soff;
    op.dst = doff;
    op.ssize = st.size;
    // Between identical layouts the bytes the chosen member does not cover come
    // too (C leaves them unspecified; a program that keeps other data there,
    // as Lua's userdata after its user values, finds them again).
    op.copyFirst = image.model.big_endian == local.big_endian && st.size == r->size &&
                   sameLayout(st, r, depth);
    op.path = path;
    op.sname = st.name;
    op.dname = r->name;
    std::vector<unsigned> plain; // the members that are no pointer
    for (unsigned m = 0; m < r->nfields; ++m) {
      const FieldRecord &sm = st.fields[m];
      const hm_field &rm = r->fields[m];
      if (sm.name != rm.name) {
        failOp(p, path, fmt::format("{} has member '{}' in the image where this program "
                                    "has '{}'", r->name, sm.name, rm.name));
        return true;
      }
      if (!holdsPointers(rm.type)) {
        plain.push_back(m);
        op.members.push_back(nullptr);
        continue;
      }
      auto member = std::make_shared<Plan>();
      build(*member, sm.type, rm.type, soff + sm.offset, doff + rm.offset,
            path + "." + rm.name, depth + 1, soff + st.size);
      op.members.push_back(std::move(member));
    }
    // No pointer: as its other members, when they all read their bytes alike on
    // each side (one such member: TString's size_t lnglen beside its hnext).
    op.others = std::make_shared<Plan>();
    std::vector<Leaf> s0, r0;
    bool uniform = !plain.empty() &&
                   std::none_of(plain.begin(), plain.end(),
                                [&](unsigned m) { return isBitField(st, r, m); }) &&
                   senderLeaves(st.fields[plain[0]].type, 0, s0, depth) &&
                   receiverLeaves(r->fields[plain[0]].type, 0, r0, depth);
    // ... and keep their layout: else each converts the value (a long beside
    // an unsigned long going to armhf: 2^31 fits the one, not the other).
    uniform = uniform && s0 == r0;
    for (std::size_t k = 1; k < plain.size() && uniform; ++k) {
      std::vector<Leaf> sm, rm;
      uniform = senderLeaves(st.fields[plain[k]].type, 0, sm, depth) &&
                receiverLeaves(r->fields[plain[k]].type, 0, rm, depth) && sm == s0 &&
                rm == r0;
    }
    if (plain.empty()) {
      // Every member holds pointers, and the sender found none whose pointers
      // all point to objects it carries: the value is dead (a stale CallInfo.u
      // Lua keeps for reuse), and is zero here, as a dead pointer is null.
      Op zero;
      zero.kind = OpKind::Zero;
      zero.dst = doff;
      zero.dsize = r->size;
      zero.path = path;
      add(*op.others, std::move(zero));
    } else if (uniform) {
      build(*op.others, st.fields[plain[0]].type, r->fields[plain[0]].type, soff, doff,
            path + "." + r->fields[plain[0]].name, depth + 1, soff + st.size);
    } else if (image.model.big_endian == local.big_endian && st.size == r->size &&
               sameLayout(st, r, depth)) {
      Op copy;
      copy.src = soff;
      copy.dst = doff;
      copy.ssize = copy.dsize = st.size;
      copy.path = path;
      add(*op.others, std::move(copy));
    } else {
      merged(*op.others, st, r, plain, soff, doff, path, depth);
    }
    p.ops.push_back(std::move(op));
    return true;
  }

  // A union value that holds no pointer, whose members convert differently:
  // converted as each of |members| at once. Where they write the same bits
  // alike (all zero, an int beside a float of its size across byte orders, a
  // char beside a small int in the same order) the value reads right whichever
  // member the program meant; where they write a bit differently it cannot be
  // told, and the value is refused.
  void merged(Plan &p, const TypeRecord &st, const hm_type *r,
              const std::vector<unsigned> &members, std::uint64_t soff, std::uint64_t doff,
              const std::string &path, int depth) {
    Op op;
    op.kind = OpKind::Merge;
    op.src = soff;
    op.ssize = st.size;
    op.dst = doff;
    op.dsize = r->size;
    op.path = path;
    op.dname = r->name;
    if (members.size() > 255)
      return failOp(p, path, fmt::format("{} has {} members: more than a union without "
                                         "a tag can be converted by", r->name,
                                         members.size()));
    for (const unsigned m : members) {
      auto member = std::make_shared<Plan>();
      if (isBitField(st, r, m))
        bitField(*member, st.fields[m], r->fields[m], soff, 0,
                 path + "." + r->fields[m].name, st.size);
      else
        build(*member, st.fields[m].type, r->fields[m].type, soff + st.fields[m].offset,
              r->fields[m].offset, path + "." + r->fields[m].name, depth + 1,
              soff + st.size);
      op.members.push_back(std::move(member));
      op.memberNames.push_back(r->fields[m].name);
    }
    p.ops.push_back(std::move(op));
  }

  void untaggedUnion(Plan &p, const TypeRecord &st, const hm_type *r,
                     std::uint64_t soff, std::uint64_t doff, const std::string &path,
                     int depth) {
    if (st.fields.size() != r->nfields || st.fields.empty())
      return failOp(p, path, fmt::format("{} has {} members in the image and {} here",
                                         r->name, st.fields.size(), r->nfields));
    if (chosenUnion(p, st, r, soff, doff, path, depth))
      return;
    // The rule: a union converts when all its members convert their bytes alike
    // and keep their layout; between identical layouts it is a copy.
    std::vector<Leaf> s0, r0;
    bool uniform = senderLeaves(st.fields[0].type, 0, s0, depth) &&
                   receiverLeaves(r->fields[0].type, 0, r0, depth) && s0 == r0 &&
                   st.size == r->size;
    for (unsigned m = 0; m < r->nfields; ++m)
      uniform = uniform && !isBitField(st, r, m);
    for (unsigned m = 1; m < r->nfields && uniform; ++m) {
      std::vector<Leaf> sm, rm;
      uniform = senderLeaves(st.fields[m].type, 0, sm, depth) &&
                receiverLeaves(r->fields[m].type, 0, rm, depth) && sm == s0 &&
                rm == r0;
    }
    // A copy where the layout stays, and a long double's format too.
    const bool identical = image.model.big_endian == local.big_endian &&
                           st.size == r->size && sameLayout(st, r, depth);
    if (identical) {
      Op op;
      op.src = soff;
      op.dst = doff;
      op.ssize = op.dsize = st.size;
      op.path = path;
      return add(p, std::move(op));
    }
    if (uniform)
      return build(p, st.fields[0].type, r->fields[0].type, soff, doff,
                   path + "." + r->fields[0].name, depth + 1, soff + st.size);
    std::vector<unsigned> all(r->nfields);
    for (unsigned m = 0; m < r->nfields; ++m)
      all[m] = m;
    merged(p, st, r, all, soff, doff, path, depth);
  }

  // Whether member |m| of a union is a bit-field on either side: its bits, not
  // its type's bytes, are its value.
  static bool isBitField(const TypeRecord &st, const hm_type *r, unsigned m) {
    return st.fields[m].bit_width || r->fields[m].bit_width;
  }

  // Every member laid out the same, scalar by scalar, on both sides.
  bool sameLayout(const TypeRecord &st, const hm_type *r, int depth) const {
    for (unsigned m = 0; m < r->nfields; ++m) {
      std::vector<Leaf> sl, rl;
      if (!senderLeaves(st.fields[m].type, st.fields[m].offset, sl, depth) ||
          !receiverLeaves(r->fields[m].type, r->fields[m].offset, rl, depth) ||
          sl != rl)
        return false;
      for (const Leaf &l : sl)
        if (l.cls == 3) // long double formats differ between targets
          return localDataModel().arch == image.model.arch;
    }
    return true;
  }

  // Running a plan.
  std::uint64_t readInt(const unsigned char *p, std::uint64_t size, bool big) const {
    std::uint64_t v = 0;
    for (std::uint64_t i = 0; i < size; ++i)
      v = (v << 8) | (big ? p[i] : p[size - 1 - i]);
    return v;
  }
  void writeInt(unsigned char *p, std::uint64_t size, std::uint64_t v) const {
    for (std::uint64_t i = 0; i < size; ++i)
      p[local.big_endian ? size - 1 - i : i] = static_cast<unsigned char>(v >> (8 * i));
  }
  // Sign-extends a |bits|-wide value; returns (negative, magnitude).
  static std::uint64_t signExtend(std::uint64_t raw, unsigned bits) {
    if (bits < 64 && (raw >> (bits - 1)) & 1)
      raw |= ~0ULL << bits;
    return raw;
  }
  void checkFits(const Op &op, std::uint64_t raw, bool negative, unsigned bits,
                 bool dsigned) const {
    std::uint64_t magnitude = negative ? ~raw + 1 : raw;
    bool fits;
    if (dsigned) {
      std::uint64_t limit = bits >= 64 ? (1ULL << 63) : (1ULL << (bits - 1));
      fits = negative ? magnitude <= limit : magnitude < limit;
    } else {
      fits = !negative && (bits >= 64 || magnitude < (1ULL << bits) ||
                           (!op.ssigned && wrapsToNarrower(raw, sourceBits(op), bits)));
    }
    if (!fits) {
      std::string value = (negative ? "-" : "") + std::to_string(magnitude);
      throw ConvertError{
          op.path, fmt::format("value {} ({}, {} on {}) does not fit in {} ({} on {})",
                               value, op.sname, describeWidth(op.ssize, op.swidth),
                               image.model.arch, op.dname,
                               describeWidth(op.dsize, op.dwidth), local.arch)};
    }
  }
  static unsigned sourceBits(const Op &op) {
    return op.swidth ? op.swidth : static_cast<unsigned>(8 * op.ssize);
  }
  static std::string describeWidth(std::uint64_t bytes, unsigned bits) {
    return bits ? fmt::format("{}-bit field", bits) : fmt::format("{} bytes", bytes);
  }

  bool readBit(const unsigned char *base, std::uint64_t i, bool big) const {
    unsigned char byte = base[i / 8];
    return big ? (byte >> (7 - i % 8)) & 1 : (byte >> (i % 8)) & 1;
  }
  void writeBit(unsigned char *base, std::uint64_t i, bool v) const {
    const unsigned shift = local.big_endian ? 7 - i % 8 : i % 8;
    if (v)
      base[i / 8] |= static_cast<unsigned char>(1u << shift);
    else
      base[i / 8] &= static_cast<unsigned char>(~(1u << shift));
  }

  void runChosen(const Op &op, const unsigned char *src, unsigned char *dst) {
    if (op.copyFirst)
      std::memcpy(dst + op.dst, src + op.src, op.ssize);
    const UnionChoiceRecord *c = choiceAt(src + op.src);
    if (!c) {
      if (std::all_of(src + op.src, src + op.src + op.ssize,
                      [](unsigned char b) { return b == 0; }))
        return; // zero bits are zero in every member
      throw ConvertError{op.path, fmt::format("the image does not say which member of "
                                              "{} this value holds", op.dname)};
    }
    if (c->member == UnionChoiceRecord::kNoPointer)
      return run(*op.others, src, dst);
    if (c->member < 0 || static_cast<std::size_t>(c->member) >= op.members.size() ||
        !op.members[static_cast<std::size_t>(c->member)])
      throw ConvertError{op.path, fmt::format("the image says member {} of {}, which "
                                              "holds no pointer here", c->member,
                                              op.dname)};
    ++unionLevel;
    struct Leave {
      std::uint32_t &level;
      ~Leave() { --level; }
    } leave{unionLevel};
    run(*op.members[static_cast<std::size_t>(c->member)], src, dst);
  }

  // Each member converts into bytes of its own, twice (over zero bits and over
  // one bits): the bits that come out the same both times are the ones it
  // writes. No two members may write one bit differently.
  void runMerged(const Op &op, const unsigned char *src, unsigned char *dst) {
    if (std::all_of(src + op.src, src + op.src + op.ssize,
                    [](unsigned char b) { return b == 0; })) {
      std::memset(dst + op.dst, 0, op.dsize); // zero bits are zero in every member
      return;
    }
    constexpr std::uint64_t kSmall = 32; // a YYSTYPE, a number-or-bits union
    unsigned char small[5 * kSmall] = {};
    std::vector<unsigned char> large;
    unsigned char *value = small;
    if (op.dsize > kSmall) {
      large.resize(5 * op.dsize);
      value = large.data();
    }
    unsigned char *written = value + op.dsize, *zeros = written + op.dsize,
                  *ones = zeros + op.dsize, *writer = ones + op.dsize;
    for (std::size_t k = 0; k < op.members.size(); ++k) {
      std::memset(zeros, 0, op.dsize);
      std::memset(ones, 0xff, op.dsize);
      run(*op.members[k], src, zeros);
      run(*op.members[k], src, ones);
      for (std::uint64_t i = 0; i < op.dsize; ++i) {
        const auto mine = static_cast<unsigned char>(~(zeros[i] ^ ones[i]));
        if (mine & written[i] & (value[i] ^ zeros[i]))
          throw ConvertError{op.path, fmt::format(
              "{} names no active member and holds no pointer, and this value converts "
              "differently as its member '{}' and as '{}' between {} and {}: which one it "
              "holds cannot be told (name its tag with HM_UNION_TAG)",
              op.dname, op.memberNames[writer[i]], op.memberNames[k], image.model.arch,
              local.arch)};
        if (mine & ~written[i])
          writer[i] = static_cast<unsigned char>(k);
        value[i] = static_cast<unsigned char>(value[i] | (zeros[i] & mine));
        written[i] = static_cast<unsigned char>(written[i] | mine);
      }
    }
    for (std::uint64_t i = 0; i < op.dsize; ++i)
      dst[op.dst + i] = static_cast<unsigned char>((dst[op.dst + i] & ~written[i]) | value[i]);
  }

  void run(const Plan &plan, const unsigned char *src, unsigned char *dst) {
    const bool big = image.model.big_endian;
    for (const Op &op : plan.ops) {
      switch (op.kind) {
      case OpKind::Copy:
        std::memcpy(dst + op.dst, src + op.src, op.ssize);
        break;
      case OpKind::Zero:
        std::memset(dst + op.dst, 0, op.dsize);
        break;
      case OpKind::Int: {
        std::uint64_t raw = readInt(src + op.src, op.ssize, big);
        bool negative = false;
        if (op.ssigned) {
          raw = signExtend(raw, static_cast<unsigned>(8 * op.ssize));
          negative = raw >> 63;
        }
        checkFits(op, raw, negative, static_cast<unsigned>(8 * op.dsize), op.dsigned);
        writeInt(dst + op.dst, op.dsize, raw);
        break;
      }
      case OpKind::Bool:
        writeInt(dst + op.dst, op.dsize, readInt(src + op.src, op.ssize, big) != 0);
        break;
      case OpKind::BitSet: {
        std::memset(dst + op.dst, 0, op.dsize);
        const std::uint64_t swords = op.ssize / op.sstride, dbits = 8 * op.dstride;
        for (std::uint64_t w = 0; w < swords; ++w) {
          const std::uint64_t word = readInt(src + op.src + w * op.sstride, op.sstride, big);
          for (unsigned b = 0; b < 8 * op.sstride; ++b)
            if (word >> b & 1) {
              const std::uint64_t bit = w * 8 * op.sstride + b;
              unsigned char *q = dst + op.dst + bit / dbits * op.dstride;
              writeInt(q, op.dstride,
                       readInt(q, op.dstride, local.big_endian) | 1ULL << (bit % dbits));
            }
        }
        break;
      }
      case OpKind::Float:
        for (std::uint64_t i = 0; i < op.ssize; ++i)
          dst[op.dst + i] = src[op.src + op.ssize - 1 - i];
        break;
      case OpKind::LongDouble: {
        std::string value;
        FloatResult r = convertFloat(
            src + op.src, {op.smant, static_cast<unsigned>(op.ssize), big != 0},
            dst + op.dst, {op.dmant, static_cast<unsigned>(op.dsize), local.big_endian != 0},
            value);
        if (r == FloatResult::Overflow)
          throw ConvertError{op.path,
                             fmt::format("value {} (long double, {} on {}) overflows "
                                         "long double ({} on {})",
                                         value, formatName(op.smant), image.model.arch,
                                         formatName(op.dmant), local.arch)};
        if (r == FloatResult::Rounded && !rounded) {
          rounded = true;
          roundedFrom = op.smant;
          roundedTo = op.dmant;
        }
        break;
      }
      case OpKind::BitField: {
        std::uint64_t raw = 0;
        for (std::uint32_t j = 0; j < op.swidth; ++j) {
          // Value bits, most significant first, in the sender's allocation order.
          std::uint64_t at = big ? op.sbit + j : op.sbit + (op.swidth - 1 - j);
          raw = (raw << 1) | readBit(src + op.src, at, big);
        }
        bool negative = false;
        if (op.ssigned) {
          raw = signExtend(raw, op.swidth);
          negative = raw >> 63;
        }
        checkFits(op, raw, negative, op.dwidth, op.dsigned);
        for (std::uint32_t j = 0; j < op.dwidth; ++j) {
          bool v = (raw >> (op.dwidth - 1 - j)) & 1;
          std::uint64_t at = local.big_endian ? op.dbit + j : op.dbit + (op.dwidth - 1 - j);
          writeBit(dst + op.dst, at, v);
        }
        break;
      }
      case OpKind::Repeat:
        for (std::uint64_t i = 0; i < op.count; ++i) {
          try {
            run(*op.sub, src + op.src + i * op.sstride, dst + op.dst + i * op.dstride);
          } catch (ConvertError &e) {
            e.path = op.path + "[" + std::to_string(i) + "]" + e.path;
            throw;
          }
        }
        break;
      case OpKind::Union: {
        if (op.byChoice) {
          runChosen(op, src, dst);
          break;
        }
        // The sender found the member the tag names implausible (a dead
        // object's garbage tag) and chose by value, as for an untagged union.
        if (op.others && choiceAt(src + op.unionSrc)) {
          run(*op.others, src, dst);
          break;
        }
        std::uint64_t raw = readInt(src + op.tagSrc, op.tagSize, big);
        std::int64_t tag = op.tagSigned
                               ? static_cast<std::int64_t>(
                                     signExtend(raw, static_cast<unsigned>(8 * op.tagSize)))
                               : static_cast<std::int64_t>(raw);
        std::size_t k = 0;
        while (k < op.tagValues.size() &&
               static_cast<std::int64_t>(static_cast<std::uint64_t>(tag) & op.tagMasks[k]) !=
                   op.tagValues[k])
          ++k;
        if (k < op.tagValues.size())
          run(*op.members[k], src, dst);
        else if (op.others)
          run(*op.others, src, dst);
        else
          throw ConvertError{op.path, fmt::format("tag '{}' = {} names no member of {}",
                                                  op.error, tag, op.dname)};
        break;
      }
      case OpKind::Merge:
        runMerged(op, src, dst);
        break;
      case OpKind::Pointer: {
        const std::uint64_t value = readInt(src + op.src, op.ssize, big);
        std::uint64_t mapped = 0;
        if (isSentinel(value, op.ssize)) {
          mapped = sentinelValue(value, op.ssize); // a number, not an address
        } else if (value) {
          if (!translator)
            throw ConvertError{op.path, "a pointer where no address map is known"};
          try {
            if (const ElementsBeforeRecord *b = beforeAt(src + op.src)) {
              // Elements before a block: as many of this build's before it here.
              if (op.ssigned || !op.pointee || !op.pointee->size || b->count != 1 ||
                  value + b->bytes < value)
                throw ConvertError{op.path, "image is malformed: a pointer before a block "
                                            "that is not a data pointer one element back"};
              mapped = translator->translate(value + b->bytes, false, dst + op.dst, false,
                                             op.pointee);
              if (!mapped)
                throw ConvertError{op.path, "a pointer before a block the image lacks"};
              mapped -= b->count * op.pointee->size;
            } else {
              mapped = translator->translate(value, op.ssigned, dst + op.dst, mayDefer,
                                             op.pointee);
            }
          } catch (const Error &e) {
            throw ConvertError{op.path, e.what()};
          }
        }
        writeInt(dst + op.dst, op.dsize, mapped);
        break;
      }
      case OpKind::Fail:
        if (op.dsigned && std::all_of(src + op.src, src + op.src + op.ssize,
                                      [](unsigned char b) { return b == 0; }))
          break;
        throw ConvertError{op.path, op.error};
      }
    }
  }
};

static bool holdsMachineState(const hm_type *t, int depth) {
  if (t->flags & HM_F_MACHINE_STATE)
    return true;
  if (depth > 32)
    return false;
  if (t->kind == HM_K_ARRAY)
    return t->elem && t->count && holdsMachineState(t->elem, depth + 1);
  if (t->kind == HM_K_STRUCT)
    for (unsigned i = 0; i < t->nfields; ++i)
      if (!t->fields[i].bit_width && holdsMachineState(t->fields[i].type, depth + 1))
        return true;
  return false;
}

static void fillButMachineState(unsigned char *dst, const unsigned char *src,
                                const hm_type *t, int depth) {
  auto fill = [&](std::uint64_t from, std::uint64_t to) {
    if (to > from) {
      if (src)
        std::memcpy(dst + from, src + from, to - from);
      else
        std::memset(dst + from, 0, to - from);
    }
  };
  if (t->flags & HM_F_MACHINE_STATE)
    return;
  if (!holdsMachineState(t, depth))
    return fill(0, t->size);
  if (t->kind == HM_K_ARRAY) {
    for (std::uint64_t i = 0; i < t->count; ++i)
      fillButMachineState(dst + i * t->elem->size, src ? src + i * t->elem->size : nullptr,
                          t->elem, depth + 1);
    return;
  }
  std::uint64_t at = 0; // a struct: around the fields that hold it, padding too
  for (unsigned i = 0; i < t->nfields; ++i) {
    const hm_field &f = t->fields[i];
    if (f.bit_width || !holdsMachineState(f.type, depth + 1))
      continue;
    fill(at, f.offset);
    fillButMachineState(dst + f.offset, src ? src + f.offset : nullptr, f.type, depth + 1);
    at = f.offset + f.type->size;
  }
  fill(at, t->size);
}

void fillButMachineState(unsigned char *dst, const unsigned char *src, const hm_type *t) {
  fillButMachineState(dst, src, t, 0);
}

Converter::Converter(const Image &image) : impl(std::make_unique<Impl>(image)) {}
Converter::~Converter() = default;

void Converter::convert(std::uint32_t stype, const Bytes &src,
                        const hm_type *rtype, unsigned char *dst,
                        Translator *translator, bool mayDefer, const std::string &label,
                        const std::string &name, const std::string &context) {
  impl->mayDefer = mayDefer;
  run(stype, src.ptr(), src.size(), rtype, dst, translator, label, name, context);
}

void Converter::convertBytes(std::uint32_t stype, const unsigned char *src,
                             std::uint64_t size, const hm_type *rtype,
                             unsigned char *dst, Translator *translator,
                             const std::string &label, const std::string &name,
                             const std::string &context) {
  impl->mayDefer = true;
  run(stype, src, size, rtype, dst, translator, label, name, context);
}

void Converter::run(std::uint32_t stype, const unsigned char *src, std::uint64_t size,
                    const hm_type *rtype, unsigned char *dst, Translator *translator,
                    const std::string &label, const std::string &name,
                    const std::string &context) {
  const TypeRecord &s = impl->senderType(stype);
  if (s.size != size)
    fail("image is malformed: {} '{}'{} holds {} bytes for a {}-byte {}", label, name,
         context, size, s.size, s.name);
  std::shared_ptr<Plan> plan;
  try {
    plan = impl->plan(stype, rtype);
  } catch (const Error &e) {
    fail("{} '{}'{}: {}", label, name, context, e.what());
  }
  impl->translator = translator;
  fillButMachineState(dst, nullptr, rtype);
  try {
    impl->run(*plan, src, dst);
  } catch (const ConvertError &e) {
    fail("{} '{}{}'{}: {}", label, name, e.path, context, e.detail);
  }
}

namespace {
template <class T, T (*Swap)(T)>
void swapEach(const unsigned char *src, std::uint64_t count, unsigned char *dst) {
  for (std::uint64_t k = 0; k < count; ++k) {
    T v;
    std::memcpy(&v, src + k * sizeof(T), sizeof(T));
    v = Swap(v);
    std::memcpy(dst + k * sizeof(T), &v, sizeof(T));
  }
}
std::uint16_t swap16(std::uint16_t v) { return __builtin_bswap16(v); }
std::uint32_t swap32(std::uint32_t v) { return __builtin_bswap32(v); }
std::uint64_t swap64(std::uint64_t v) { return __builtin_bswap64(v); }

// Elements that are one scalar whose value cannot change, only its byte order (a
// double[] or an int[] from s390x): one tight loop, a byte-swap instruction per
// element, instead of the general plan. False when |op| is not such a scalar.
bool swapRun(const Op &op, const unsigned char *src, std::uint64_t sstride,
             std::uint64_t count, unsigned char *dst, std::uint64_t dstride,
             bool otherOrder) {
  if (op.src != 0 || op.dst != 0 || op.ssize != sstride || sstride != dstride ||
      op.dsize != op.ssize)
    return false;
  const bool sameInt = op.kind == OpKind::Int && op.ssigned == op.dsigned;
  if (!sameInt && op.kind != OpKind::Float)
    return false;
  if (!otherOrder) {
    std::memcpy(dst, src, count * sstride);
    return true;
  }
  switch (sstride) {
  case 2: swapEach<std::uint16_t, swap16>(src, count, dst); return true;
  case 4: swapEach<std::uint32_t, swap32>(src, count, dst); return true;
  case 8: swapEach<std::uint64_t, swap64>(src, count, dst); return true;
  default: return false;
  }
}
} // namespace

void Converter::convertElements(std::uint32_t stype, const unsigned char *src,
                                std::uint64_t sstride, std::uint64_t count,
                                const hm_type *rtype, unsigned char *dst,
                                std::uint64_t dstride, Translator *translator,
                                const std::string &label, const std::string &name) {
  if (count == 0)
    return;
  const TypeRecord &s = impl->senderType(stype);
  if (s.size != sstride || rtype->size != dstride)
    fail("image is malformed: {} '{}' has {}-byte elements of a {}-byte {}", label,
         name, sstride, s.size, s.name);
  std::shared_ptr<Plan> plan;
  try {
    plan = impl->plan(stype, rtype);
  } catch (const Error &e) {
    fail("{} '{}': {}", label, name, e.what());
  }
  impl->translator = translator;
  impl->mayDefer = true;
  const auto &ops = plan->ops;
  if (ops.size() == 1 && ops[0].kind == OpKind::Copy && ops[0].src == 0 &&
      ops[0].dst == 0 && ops[0].ssize == sstride && sstride == dstride) {
    std::memcpy(dst, src, count * sstride); // same layout: one copy
    return;
  }
  if (ops.size() == 1 && swapRun(ops[0], src, sstride, count, dst, dstride,
                                 impl->image.model.big_endian != impl->local.big_endian))
    return;
  // Same layout size and byte order: start from the sender's bytes, so that what
  // a wrong element type leaves out (padding that held data) is not lost here;
  // the plan then writes every value over them. Otherwise, from zero.
  if (sstride == dstride && impl->image.model.big_endian == impl->local.big_endian)
    std::memcpy(dst, src, count * dstride);
  else
    std::memset(dst, 0, count * dstride);
  for (std::uint64_t k = 0; k < count; ++k) {
    try {
      impl->run(*plan, src + k * sstride, dst + k * dstride);
    } catch (const ConvertError &e) {
      fail("{} '{}[{}]{}': {}", label, name, k, e.path, e.detail);
    }
  }
}

void Converter::place(std::int32_t frame, std::uint32_t var, std::uint64_t base,
                      const unsigned char *start) {
  impl->placeFrame = frame;
  impl->placeVar = var;
  impl->placeBase = base;
  impl->placeStart = start;
}

std::string Converter::notes() const {
  if (!impl->rounded)
    return "";
  return fmt::format("long double values were rounded from {} ({}) to {} ({})",
                     formatName(impl->roundedFrom), impl->image.model.arch,
                     formatName(impl->roundedTo), localDataModel().arch);
}

std::string unsupportedReason(const hm_type *type) {
  std::vector<const hm_type *> seen;
  std::function<std::string(const hm_type *)> walk = [&](const hm_type *t) -> std::string {
    for (const hm_type *s : seen)
      if (s == t)
        return "";
    seen.push_back(t);
    if (t->kind == HM_K_UNSUPPORTED)
      return t->why ? t->why : "unsupported type";
    if (t->kind == HM_K_ARRAY)
      return walk(t->elem);
    for (unsigned i = 0; i < t->nfields; ++i) {
      std::string why = walk(t->fields[i].type);
      if (!why.empty())
        return t->kind == HM_K_UNION && !t->fields[i].name[0]
                   ? why
                   : fmt::format("{} (field '{}')", why, t->fields[i].name);
    }
    return "";
  };
  return walk(type);
}

} // namespace hm
