// destination_check.cpp — what the receiver would refuse, decided here when the
// destination is named, by the layouts it will have there. It converts a union
// that names no active member and holds no pointer as any of its members when
// they all convert alike, copies it between identical layouts, and otherwise
// as all its members at once, refused where they disagree; a long whose value
// does not fit its narrower long is refused too.
#include "destination_check.h"
#include "config.h"
#include "diag.h"
#include "heap.h"
#include "layout.h"
#include "plain_union.h"
#include "state.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace hm {
namespace {

struct Leaf {
  unsigned kind;
  std::uint64_t size, offset;
  bool operator==(const Leaf &o) const {
    return kind == o.kind && size == o.size && offset == o.offset;
  }
};

class Checker {
public:
  Checker(const std::string &dest, const std::vector<UnionChoiceRecord> &choices)
      : dest(dest), choices(choices), there(targetModel(dest)),
        sameOrder(there.bigEndian == targetModel(HM_TARGET_TRIPLE).bigEndian) {}

  // Whether some value of |t| may hold such a union.
  bool risky(const hm_type *t, int depth = 0) {
    if (!t || depth > 32)
      return false;
    auto [it, fresh] = riskyCache.try_emplace(t, false);
    if (!fresh)
      return it->second;
    if (t->flags & HM_F_MACHINE_STATE)
      return false; // a jmp_buf: the receiver keeps its own
    bool r = false;
    switch (t->kind) {
    case HM_K_SINT:
    case HM_K_UINT:
      r = scalarSizeOn(t, there) < t->size;
      break;
    case HM_K_ARRAY:
      r = risky(t->elem, depth + 1);
      break;
    case HM_K_UNION:
      r = (!holdsPointers(t) && !alike(t)) ||
          std::any_of(t->fields, t->fields + t->nfields,
                      [&](const hm_field &f) { return risky(f.type, depth + 1); });
      break;
    case HM_K_STRUCT:
      r = std::any_of(t->fields, t->fields + t->nfields,
                      [&](const hm_field &f) { return risky(f.type, depth + 1); });
      break;
    default:
      break;
    }
    riskyCache[t] = r;
    return r;
  }

  void check(const hm_type *t, const unsigned char *p, const std::string &what,
             int depth = 0) {
    if (depth > 32 || !risky(t))
      return;
    switch (t->kind) {
    case HM_K_SINT:
    case HM_K_UINT: {
      const std::uint64_t bits = 8 * scalarSizeOn(t, there);
      std::int64_t v = 0;
      std::memcpy(&v, p, std::min<std::size_t>(t->size, sizeof v));
      if (!fitsWidth(t->kind, static_cast<std::uint64_t>(v), static_cast<unsigned>(8 * t->size),
                     static_cast<unsigned>(bits)))
        fail("{} holds {} ({}, {} bytes here), which does not fit in {} bytes on {}", what,
             t->kind == HM_K_SINT ? fmt::format("{}", v)
                                  : fmt::format("{}", static_cast<std::uint64_t>(v)),
             t->name, t->size, bits / 8, dest);
      return;
    }
    case HM_K_ARRAY:
      for (std::uint64_t i = 0; i < t->count; ++i)
        check(t->elem, p + i * t->elem->size, what, depth + 1);
      return;
    case HM_K_STRUCT:
      for (unsigned i = 0; i < t->nfields; ++i) {
        const hm_field &f = taggedField(t, i);
        if (f.bit_width)
          continue;
        if (f.tag_field < 0) {
          check(f.type, p + f.offset, what, depth + 1);
          continue;
        }
        // A tagged union: the member its tag selects, or for a value the code
        // never named (HM_TAG_OTHERS), or one whose member the capture found
        // implausible and chose by value instead, the rule of untagged unions.
        if (chosen(p + f.offset)) {
          check(f.type, p + f.offset, what, depth + 1);
          continue;
        }
        const unsigned k = tagEntry(f, readTag(t->fields[f.tag_field], p));
        if (k == f.ntags)
          continue; // the capture refuses it
        if (f.tag_members[k] == HM_TAG_OTHERS)
          check(f.type, p + f.offset, what, depth + 1);
        else
          check(f.type->fields[f.tag_members[k]].type,
                p + f.offset + f.type->fields[f.tag_members[k]].offset, what, depth + 1);
      }
      return;
    case HM_K_UNION:
      if (holdsPointers(t) || copied(t))
        return; // the capture chose a member for it, or it is copied
      if (uniform(t)) { // each member converts it alike, if it fits
        for (unsigned i = 0; i < t->nfields; ++i)
          check(t->fields[i].type, p + t->fields[i].offset, what, depth + 1);
        return;
      }
      if (const std::string why = plainMembersDisagree(t, p, there); !why.empty())
        fail("{} holds a {} that names no active member and holds no pointer, and "
             "converts differently between {} and {}: {} (name its tag with "
             "HM_UNION_TAG)",
             what, t->name, HM_TARGET_TRIPLE, dest, why);
      return;
    default:
      return;
    }
  }

private:
  std::string dest;
  const std::vector<UnionChoiceRecord> &choices; // the capture's, sorted

  // Whether the capture chose the member of the union in memory at |p| by value.
  bool chosen(const unsigned char *p) const {
    UnionChoiceRecord key;
    key.at = reinterpret_cast<std::uintptr_t>(p);
    key.level = 0;
    auto it = std::lower_bound(choices.begin(), choices.end(), key);
    return it != choices.end() && it->frame == -1 && it->at == key.at;
  }
  TargetModel there;
  bool sameOrder;
  std::unordered_map<const hm_type *, bool> riskyCache, uniformCache, copiedCache;

  // The scalars of |t| from |at|, as laid out here (|m| null) or on |m|.
  void leaves(const hm_type *t, const TargetModel *m, std::uint64_t at,
              std::vector<Leaf> &out, int depth) {
    if (!t || depth > 32 || out.size() > 256)
      return;
    switch (t->kind) {
    case HM_K_ARRAY: {
      const std::uint64_t es = m ? layoutOn(t->elem, *m).first : t->elem->size;
      for (std::uint64_t i = 0; i < std::min<std::uint64_t>(t->count, 64); ++i)
        leaves(t->elem, m, at + i * es, out, depth + 1);
      return;
    }
    case HM_K_STRUCT:
    case HM_K_UNION: {
      std::uint64_t size = 0;
      for (unsigned i = 0; i < t->nfields; ++i) {
        const hm_field &f = t->fields[i];
        if (f.bit_width) {
          out.push_back({1000, f.bit_width, f.bit_offset});
          continue;
        }
        std::uint64_t off = f.offset;
        if (m && t->kind == HM_K_STRUCT) {
          const auto [fs, fa] = layoutOn(f.type, *m);
          off = (size + fa - 1) / fa * fa;
          size = off + fs;
        } else if (m) {
          off = 0;
        }
        leaves(f.type, m, at + off, out, depth + 1);
      }
      return;
    }
    default:
      const std::uint64_t size = m ? scalarSizeOn(t, *m) : t->size;
      out.push_back({leafClass(t->kind, size), size, at});
    }
  }

  // As the receiver's rule: every member reads its bytes alike on each side
  // (then each converts the value, and must fit), or every member keeps its
  // layout and the byte order is the same (then it is copied).
  bool alike(const hm_type *u) { return uniform(u) || copied(u); }
  bool uniform(const hm_type *u) {
    shape(u);
    return uniformCache[u];
  }
  bool copied(const hm_type *u) {
    shape(u);
    return copiedCache[u];
  }
  void shape(const hm_type *u) {
    if (uniformCache.count(u))
      return;
    std::vector<std::vector<Leaf>> here, away;
    for (unsigned i = 0; i < u->nfields; ++i) {
      here.emplace_back();
      away.emplace_back();
      leaves(u->fields[i].type, nullptr, 0, here.back(), 0);
      leaves(u->fields[i].type, &there, 0, away.back(), 0);
    }
    // A bit-field member's value is its bits, which its type's leaves do not say.
    const bool bits = std::any_of(u->fields, u->fields + u->nfields,
                                  [](const hm_field &f) { return f.bit_width != 0; });
    copiedCache[u] = sameOrder && sameLayoutOn(u, there) &&
                     (!holdsLongDouble(u) || dest == HM_TARGET_TRIPLE);
    uniformCache[u] =
        !bits && !here.empty() &&
        std::all_of(here.begin(), here.end(), [&](auto &l) { return l == here[0]; }) &&
        std::all_of(away.begin(), away.end(), [&](auto &l) { return l == away[0]; });
  }
};

} // namespace

void checkForDestination(const std::vector<Frame> &frames, const Reach &reach,
                         const std::string &dest) {
  if (dest.empty() || dest == HM_TARGET_TRIPLE)
    return;
  Checker c(dest, reach.unions);
  for (const Frame &f : frames)
    for (const Frame::Slot &s : f.slots)
      if (c.risky(s.type))
        c.check(s.type, s.data(f),
                fmt::format("variable '{}' of {}", f.func->vars[s.var].name, f.func->key));
  for (const hm_global *g : programGlobals())
    if (!g->constant && c.risky(g->type))
      c.check(g->type, static_cast<const unsigned char *>(g->addr),
              fmt::format("global '{}'", g->key));
  for (const std::uint32_t b : reach.order) {
    const HeapBlock &blk = reach.blocks[b];
    const auto *bytes = static_cast<const unsigned char *>(blk.addr);
    const std::string what = fmt::format("a heap block of {} bytes", blk.size);
    if (const hm_type *elem = reach.elems[b]) {
      if (!c.risky(elem))
        continue;
      const BlockShape shape = shapeOf(elem, blk);
      for (std::size_t i = 0; i < shape.count; ++i)
        c.check(elem, bytes + i * elem->size, what);
    } else if (auto it = reach.segments.find(b); it != reach.segments.end()) {
      for (const Segment &s : it->second)
        if (!s.fields && c.risky(s.type))
          for (std::uint64_t i = 0; i < s.count; ++i)
            c.check(s.type, bytes + s.offset + i * s.type->size, what);
    }
  }
}

} // namespace hm
