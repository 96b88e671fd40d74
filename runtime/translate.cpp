// translate.cpp — where each of the sender's objects lives now, and what its
// pointers become: same object, same logical place, new address.
#include "translate.h"
#include "numbers.h"
#include "options.h"
#include "streams.h"
#include "config.h"
#include "convert.h"
#include "diag.h"
#include "heap.h"
#include "layout.h"
#include "placements.h"
#include "state.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>
#include <unordered_set>
#include <sys/mman.h>
#include <unistd.h>

namespace hm {

namespace {

constexpr std::uint64_t kReleaseChunk = 1 << 20;

std::uintptr_t pageSize() {
  static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  return page;
}

// Gives back the image file's pages wholly inside [p, p + n): converted already.
// Whole pages only: a page shared with bytes not yet converted would come back
// from the page cache anyway, but costs a fault for nothing.
void releasePages(const unsigned char *p, std::uint64_t n) {
  const std::uintptr_t page = pageSize();
  const auto from = (reinterpret_cast<std::uintptr_t>(p) + page - 1) & ~(page - 1);
  const auto to = (reinterpret_cast<std::uintptr_t>(p) + n) & ~(page - 1);
  if (to > from)
    ::madvise(reinterpret_cast<void *>(from), to - from, MADV_DONTNEED);
}

// The image bytes behind a pass over the heap records are given back a megabyte
// at a time, so the mapping does not hold a second copy of the heap in memory.
class PagesBehind {
public:
  explicit PagesBehind(const char *start)
      : from(reinterpret_cast<const unsigned char *>(start)) {}
  void passed(const unsigned char *upTo) {
    if (upTo - from < static_cast<std::ptrdiff_t>(kReleaseChunk))
      return;
    releasePages(from, static_cast<std::uint64_t>(upTo - from));
    // Next time from the page upTo is in: it is not wholly behind us yet.
    from = reinterpret_cast<const unsigned char *>(
        reinterpret_cast<std::uintptr_t>(upTo) & ~(pageSize() - 1));
  }

private:
  const unsigned char *from;
};
// Visits 0 .. n-1, each after the one it depends on (|dependency|(k) < n: the
// one holding the pointer that types k), depth first and without recursion;
// a cycle is a malformed image (|what| names it).
template <class Dependency, class Visit>
void inDependencyOrder(std::size_t n, Dependency dependency, Visit visit, const char *what) {
  std::vector<std::uint8_t> state(n, 0); // 1: on the stack, 2: visited
  std::vector<std::size_t> stack;
  for (std::size_t k = 0; k < n; ++k) {
    if (state[k])
      continue;
    stack.push_back(k);
    state[k] = 1;
    while (!stack.empty()) {
      const std::size_t dep = dependency(stack.back());
      if (dep < n && state[dep] != 2) {
        if (state[dep] == 1)
          fail("image is malformed: {}", what);
        state[dep] = 1;
        stack.push_back(dep);
        continue;
      }
      visit(stack.back());
      state[stack.back()] = 2;
      stack.pop_back();
    }
  }
}
} // namespace

const hm_type *receiverVarType(const Image &image, const VarRecord &vr, const hm_func *fn) {
  if (!fn || vr.index >= fn->nvars)
    return nullptr;
  const hm_var &v = fn->vars[vr.index];
  if (!(v.flags & HM_V_VARIABLE_LENGTH))
    return v.type;
  const TypeRecord &t = image.types.at(vr.type);
  if (t.kind != HM_K_ARRAY)
    fail("the image's variable-length array '{}' of {} is not an array", v.name, fn->key);
  // Each element takes a byte of the image at least: its length costs no more
  // memory here than the image's bytes pay for.
  if (t.count > vr.bytes.size())
    fail("image is malformed: the variable-length array '{}' of {} has {} elements in {} "
         "bytes", v.name, fn->key, t.count, vr.bytes.size());
  return variableLengthType(v.type, t.count);
}

Translator::Translator(Image &image) : image(image) {
  const std::size_t nheap = image.heap.spans.size();
  if (nheap > UINT32_MAX || image.types.size() >= (1u << 18))
    fail("image is too large: {} heap blocks, {} types", nheap, image.types.size());
  objects.reserve(image.globals.size() + image.landmarks.size() + 16);
  auto add = [&](std::uint64_t addr, std::uint64_t size, Kind kind, std::size_t i) {
    objects.push_back({addr, size, static_cast<std::uint32_t>(i), kind});
  };
  for (std::size_t i = 0; i < image.globals.size(); ++i) {
    const GlobalRecord &g = image.globals[i];
    add(g.address, ImageType{&image, g.type}.size(), Kind::Global, i);
  }
  for (std::size_t f = 0; f < image.frames.size(); ++f)
    for (std::size_t v = 0; v < image.frames[f].vars.size(); ++v) {
      const VarRecord &vr = image.frames[f].vars[v];
      if (!vr.address)
        continue;
      add(vr.address, vr.bytes.size(), Kind::Stack, stackVars.size());
      stackVars.push_back({f, v});
    }
  for (std::size_t i = 0; i < image.landmarks.size(); ++i)
    add(image.landmarks[i].address, image.landmarks[i].size, Kind::Landmark, i);
  std::sort(objects.begin(), objects.end(), [](const Object &a, const Object &b) {
    return a.addr != b.addr ? a.addr < b.addr : a.size > b.size;
  });
  spans.swap(image.heap.spans);
  for (std::size_t i = 1; i < nheap; ++i)
    if (spans[i].address <= spans[i - 1].address ||
        spans[i].address - spans[i - 1].address < spans[i - 1].size)
      fail("image is malformed: heap block {} does not come after the block before it", i);
  checkNoOverlap();
  if (!std::is_sorted(image.dead.begin(), image.dead.end()))
    fail("image is malformed: its dead pointer values are not in order");
  if (!std::is_sorted(image.ends.begin(), image.ends.end()))
    fail("image is malformed: its one-past-the-end pointer values are not in order");
  blocks.resize(nheap, Block{{nullptr}, nullptr, 0, 0, 0, 0});
  segs.reserve(image.segments.size());
  for (std::size_t k = 0; k < image.segments.size(); ++k) {
    const SegmentRecord &s = image.segments[k];
    if (s.block >= nheap || s.type >= image.types.size() || !s.count)
      fail("image is malformed: segment {} of heap block {}", k, s.block);
    if (s.fields && (s.count != 1 || ImageType{&image, s.type}.kind() != HM_K_STRUCT ||
                     s.fields >= ImageType{&image, s.type}.nfields()))
      fail("image is malformed: segment {} of heap block {} keeps {} fields", k, s.block,
           s.fields);
    const std::uint64_t ss = ImageType{&image, s.type}.size();
    const std::uint64_t size = spans[s.block].size;
    if (!ss || s.offset >= size || (!s.fields && s.count > (size - s.offset) / ss) ||
        recordBytes(s) > size - s.offset || s.tail > size - s.offset - recordBytes(s))
      fail("image is malformed: segment {} does not fit heap block {}", k, s.block);
    if (k && image.segments[k - 1].block == s.block) {
      const SegmentRecord &p = image.segments[k - 1];
      if (p.offset + recordBytes(p) + p.tail > s.offset)
        fail("image is malformed: segments of heap block {} overlap", s.block);
    } else if (k && image.segments[k - 1].block > s.block) {
      fail("image is malformed: segments out of order at heap block {}", s.block);
    }
    segs.push_back({s.offset, s.count, s.count, 0, s.fields, s.block,
                    static_cast<std::uint32_t>(k), nullptr});
  }
}

// Objects may not overlap: a pointer into one means that one. Landmarks may
// overlap each other (the linker merges a string literal that ends another),
// and those the C library or the program places (argv, environ, which a
// program may point at its own array, stdio, streams) are not checked: their
// addresses here come from this process, not from the image.
void Translator::checkNoOverlap() const {
  auto end = [](const Object &o) {
    return o.addr + o.size < o.addr ? ~std::uint64_t(0) : o.addr + o.size;
  };
  std::uint64_t endOfObjects = 0, endOfLandmarks = 0;
  for (const Object &o : objects) {
    if (!o.size)
      continue;
    const bool landmark = o.kind == Kind::Landmark;
    const std::uint8_t kind = landmark ? image.landmarks[o.index].kind : 0;
    if (landmark && kind != kLiteral && kind != kFunction)
      continue; // argv, environ, stdio, streams: where the C library put them
    if (o.addr < endOfObjects || (!landmark && o.addr < endOfLandmarks))
      fail("image is malformed: an object at {:#x} ({} bytes) overlaps another", o.addr,
           o.size);
    std::uint64_t &endOfKind = landmark ? endOfLandmarks : endOfObjects;
    endOfKind = std::max(endOfKind, end(o));
    // The heap block that starts last before its end must end before it starts.
    auto it = std::lower_bound(spans.begin(), spans.end(), end(o),
                               [](const HeapSpan &h, std::uint64_t x) { return h.address < x; });
    if (it != spans.begin() && (--it)->address + it->size > o.addr)
      fail("image is malformed: an object at {:#x} ({} bytes) overlaps heap block {}", o.addr,
           o.size, it - spans.begin());
  }
}

std::pair<std::size_t, std::size_t> Translator::segmentsOf(std::size_t b) const {
  auto first = std::lower_bound(segs.begin(), segs.end(), b,
                                [](const Seg &s, std::size_t x) { return s.block < x; });
  auto last = first;
  while (last != segs.end() && last->block == b)
    ++last;
  return {static_cast<std::size_t>(first - segs.begin()),
          static_cast<std::size_t>(last - segs.begin())};
}

const Translator::Seg *Translator::segmentAt(std::size_t b, std::uint64_t offset) const {
  const auto [first, last] = segmentsOf(b);
  for (std::size_t k = first; k < last; ++k) {
    if (offset >= segs[k].offset && offset - segs[k].offset < bytesThere(segs[k]))
      return &segs[k];
  }
  return nullptr;
}

void Translator::typeSegment(Seg &s, const std::vector<std::int32_t> &siteOf,
                             const std::vector<const hm_alloc_site *> &sites) {
  const SegmentRecord &r = image.segments[s.record];
  if (r.site) {
    const std::int32_t site = siteOf.empty() ? -1 : siteOf[s.block];
    if (site < 0 || static_cast<std::size_t>(site) >= sites.size())
      fail("image is malformed: heap block {} has a segment of its site and no site",
           s.block);
    s.elem = sites[static_cast<std::size_t>(site)]->type;
  } else if (r.placed_site >= 0) {
    if (static_cast<std::size_t>(r.placed_site) >= sites.size())
      fail("image is malformed: segment {} names site {}", s.record, r.placed_site);
    s.placed = sites[static_cast<std::size_t>(r.placed_site)];
    s.elem = s.placed->type;
  } else if (r.has_ref) {
    s.elem = downcast(pointeeAt(r.ref_frame, r.ref_var, r.ref_at), r.type, s.header);
  }
  if (!s.elem)
    fail("cannot tell what the image's heap block {} holds at byte {} in this program",
         s.block, s.offset);
  if (s.elem->kind == HM_K_UNSUPPORTED || !s.elem->size)
    fail("the image's heap block {} holds {} at byte {}: {}", s.block, s.elem->name,
         s.offset, s.elem->why ? s.elem->why : "it has no size here");
}

std::uint64_t Translator::recordBytes(const SegmentRecord &r) const {
  const ImageType t{&image, r.type};
  if (!r.fields)
    return r.count * t.size();
  // Its leading fields: each inside the struct, or the image is malformed.
  std::uint64_t end = 0;
  for (unsigned i = 0; i < r.fields; ++i) {
    const std::uint64_t fs = t.field(i).size();
    if (t.fieldOffset(i) > t.size() || fs > t.size() - t.fieldOffset(i))
      fail("image is malformed: field {} of {} lies outside it", i, t.r().name);
    end = std::max(end, t.fieldOffset(i) + fs);
  }
  return end;
}

std::uint64_t Translator::bytesThere(const Seg &s) const {
  return recordBytes(image.segments[s.record]);
}

std::uint64_t Translator::endThere(const Seg &s) const { return s.offset + bytesThere(s); }

void Translator::layOutSegments() {
  const TargetModel there = targetModel(image.model.arch), here = targetModel(HM_TARGET_TRIPLE);
  std::uint64_t align = 0; // the pieces of the block's
  for (std::size_t k = 0; k < segs.size(); ++k) {
    Seg &s = segs[k];
    if (k == 0 || segs[k - 1].block != s.block) {
      s.here = s.offset;
      std::vector<std::uint64_t> pieces;
      for (std::size_t j = k; j < segs.size() && segs[j].block == s.block; ++j)
        if (image.segments[segs[j].record].placed_site >= 0)
          pieces.push_back(segs[j].offset);
      align = pieceAlignment(pieces);
      continue;
    }
    const Seg &p = segs[k - 1];
    // The piece before ends past its elements by its data (a string's text).
    const std::uint64_t tail = image.segments[p.record].tail;
    s.here = followingOffset(endThere(p) + tail, s.offset, endHere(p) + tail, there, here,
                             image.segments[p.record].placed_site >= 0 &&
                                     image.segments[s.record].placed_site >= 0
                                 ? align
                                 : 0);
    if (!s.here)
      fail("the image's heap block {} holds objects of several types: the {} at byte {} "
           "came {} bytes after the end of the {} before it on {}, which may be padding to "
           "any of several alignments that differ here: where it goes here cannot be told",
           s.block, s.elem->name, s.offset, s.offset - endThere(p), p.elem->name,
           image.model.arch);
  }
}

std::uint64_t Translator::rawOffsetHere(std::size_t b, std::uint64_t offset) const {
  const auto [first, last] = segmentsOf(b);
  for (std::size_t k = last; k > first; --k)
    if (segs[k - 1].offset <= offset)
      return endHere(segs[k - 1]) + (offset - std::min(offset, endThere(segs[k - 1])));
  return offset;
}

std::size_t Translator::heapBlockBefore(std::uint64_t v) const {
  nearBlock = lastStartingBy(spans, v, nearBlock, [](const HeapSpan &s) { return s.address; });
  return nearBlock;
}

std::optional<Translator::Object> Translator::find(std::uint64_t v) const {
  const Object *other = findObject(objects, v);
  if (other && v - other->addr < other->size)
    return *other;
  const std::size_t b = heapBlockBefore(v);
  if (b < spans.size() &&
      (v - spans[b].address < spans[b].size || (v - spans[b].address == spans[b].size && !other)))
    return heapObject(b);
  if (other)
    return *other;
  return std::nullopt;
}

// The type this program gives the variable or global an object is.
const hm_type *Translator::receiverType(const Object &o) const {
  switch (o.kind) {
  case Kind::Global: {
    const hm_global *g = findGlobal(image.globals[o.index].key);
    return g ? g->type : nullptr;
  }
  case Kind::Stack: {
    const StackVar &s = stackVars[o.index];
    const FrameRecord &fr = image.frames[s.frame];
    const hm_func *fn = findFunction(fr.func);
    return receiverVarType(image, fr.vars[s.record], fn);
  }
  case Kind::Heap:
    return blocks[o.index].elem;
  case Kind::Landmark:
    return nullptr;
  }
  return nullptr;
}

// The pointee type of the pointer at |at| in a frame variable or in memory.
const hm_type *Translator::pointeeAt(std::int64_t frame, std::uint32_t var,
                                     std::uint64_t at) const {
  const hm_type *rtype = nullptr;
  ImageType stype{&image, -1};
  std::uint64_t offset = at;
  if (frame >= 0) {
    if (static_cast<std::uint64_t>(frame) >= image.frames.size())
      return nullptr;
    const FrameRecord &fr = image.frames[static_cast<std::size_t>(frame)];
    const hm_func *fn = findFunction(fr.func);
    for (const VarRecord &vr : fr.vars)
      if (vr.index == var && fn && var < fn->nvars) {
        rtype = receiverVarType(image, vr, fn);
        stype.index = vr.type;
      }
  } else {
    const auto o = find(at);
    if (!o || o->kind == Kind::Landmark)
      return nullptr;
    offset = at - o->addr;
    rtype = receiverType(*o);
    if (o->kind == Kind::Global)
      stype.index = image.globals[o->index].type;
    else if (o->kind == Kind::Stack)
      stype.index = image.frames[stackVars[o->index].frame].vars[stackVars[o->index].record].type;
    else if (o->kind == Kind::Heap) {
      const Block &b = blocks[o->index];
      if (!b.elem && !segs.empty()) {
        // In a block of several objects: the segment's element holding it.
        const Seg *s = segmentAt(o->index, offset);
        if (!s || !s->elem)
          return nullptr;
        stype.index = image.segments[s->record].type;
        rtype = s->elem;
        offset = (offset - s->offset) % stype.size();
      } else if (!b.elem) {
        return nullptr;
      } else {
        stype.index = b.type;
        const std::uint64_t es = stype.size();
        const TypeRecord &sr = stype.r();
        const hm_type *famElem = nullptr;
        std::uint64_t famOffset = 0;
        const bool fam = isFam(b.elem, &famElem, &famOffset, !b.fromSite);
        if (!es || (!b.n && !fam)) // a struct with a flexible array has one even with no elements
          return nullptr;
        if (fam && b.n && !sr.fields.empty() &&
            offset >= sr.fields.back().offset) {
          // In the flexible array's elements.
          const ImageType se{&image, ImageType{&image, sr.fields.back().type}.r().elem};
          if (!se.size())
            return nullptr;
          offset = (offset - sr.fields.back().offset) % se.size();
          stype = se;
          rtype = famElem;
        } else {
          offset %= es; // the same field of any element
        }
      }
    }
  }
  if (!rtype || stype.index < 0)
    return nullptr;
  Path path;
  LocalType found{nullptr};
  UnionChoiceRecord key;
  key.frame = frame >= 0 ? static_cast<std::int32_t>(frame) : -1;
  key.var = frame >= 0 ? var : 0;
  const std::uint64_t base = frame >= 0 ? 0 : at - offset;
  if (!locatePointer(stype, offset, path, key, base) ||
      !typeAt(LocalType{rtype}, path, 0, found) || !found.t ||
      found.t->kind != HM_K_POINTER)
    return nullptr;
  return found.t->elem;
}

// locate, for the pointer that typed a block: through a union, the member the
// image's choice for it names (Lua's TString.u: hnext, not lnglen), else one
// with a pointer there. |key| names the variable (or memory), |base| is the
// sender address (or offset) of |t|'s start.
bool Translator::locatePointer(ImageType t, std::uint64_t offset, Path &path,
                               UnionChoiceRecord key, std::uint64_t base, int depth) const {
  if (depth > 64 || offset >= t.size())
    return false;
  switch (t.kind()) {
  case HM_K_POINTER:
    return offset == 0;
  case HM_K_ARRAY: {
    const std::uint64_t es = t.elem().size();
    if (!es)
      return false;
    const std::uint64_t i = offset / es;
    path.push_back(i);
    return locatePointer(t.elem(), offset - i * es, path, key, base + i * es, depth + 1);
  }
  case HM_K_STRUCT:
  case HM_K_UNION: {
    std::int64_t chosen = -1;
    if (t.kind() == HM_K_UNION) {
      key.at = base;
      auto it = std::lower_bound(image.unions.begin(), image.unions.end(), key);
      if (it != image.unions.end() && !(key < *it) && it->member >= 0)
        chosen = it->member;
    }
    for (unsigned i = 0; i < t.nfields(); ++i) {
      if (t.fieldIsBits(i) || (chosen >= 0 && i != chosen))
        continue;
      const std::uint64_t fo = t.fieldOffset(i);
      if (offset < fo || offset >= fo + t.field(i).size())
        continue;
      UnionChoiceRecord inner = key;
      if (chosen >= 0)
        ++inner.level;
      path.push_back(i);
      if (locatePointer(t.field(i), offset - fo, path, inner, base + fo, depth + 1))
        return true;
      path.pop_back();
    }
    return false;
  }
  default:
    return false;
  }
}

const hm_type *Translator::downcast(const hm_type *pointee, std::uint32_t type,
                                    const hm_type *&header) const {
  header = nullptr;
  if (!pointee || type >= image.types.size())
    return pointee;
  const std::string &name = image.types[type].name;
  if (name == pointee->name)
    return pointee;
  const hm_type *d = downcastNamed(pointee, name);
  if (!d)
    return pointee;
  header = pointee;
  return d;
}

void Translator::checkTags(const hm_type *header, const hm_type *elem,
                           const unsigned char *at, std::uint64_t n, std::uint64_t size,
                           std::size_t block) const {
  for (std::uint64_t k = 0; k < n; ++k) {
    long long value = 0;
    if (!readTag(header, at + k * elem->size, size - k * elem->size, value) ||
        !downcastAllows(header, elem, value))
      fail("the image's heap block {} holds a {} whose {} tag does not say {} in this "
           "program", block, header->name, header->name, elem->name);
  }
}

std::uint64_t Translator::blockSize(const Block &b, std::uint64_t senderSize) const {
  const hm_type *famElem = nullptr;
  std::uint64_t famOffset = 0;
  if (!b.elem && !segs.empty()) {
    // Its objects are laid out here, then the bytes after the last.
    const auto [first, last] = segmentsOf(static_cast<std::size_t>(&b - blocks.data()));
    if (first != last && segs[last - 1].elem) {
      const Seg &s = segs[last - 1];
      return endHere(s) + (senderSize - std::min(senderSize, endThere(s)));
    }
  }
  if (!b.elem)
    return senderSize;
  if (isFam(b.elem, &famElem, &famOffset, !b.fromSite)) {
    // The bytes after the whole elements come too.
    const TypeRecord &sr = ImageType{&image, static_cast<std::int64_t>(b.type)}.r();
    const std::uint64_t ses = ImageType{&image, ImageType{&image, sr.fields.back().type}.r().elem}.size();
    const std::uint64_t tailEnd = sr.fields.back().offset + b.n * ses;
    return std::max<std::uint64_t>(b.elem->size, famOffset + b.n * famElem->size +
                                                     (senderSize > tailEnd ? senderSize - tailEnd : 0));
  }
  const std::uint64_t ss = ImageType{&image, static_cast<std::int64_t>(b.type)}.size();
  // As long as the text here, and as the program's own `len + sizeof(T) - k`.
  if (const std::uint64_t text = textOffsetThere(b); text != kNoText)
    return std::max(trailingText(b.elem)->offset + (senderSize - text),
                    b.elem->size + (senderSize - ss));
  return b.n * b.elem->size + (senderSize - b.n * ss);
}

void Translator::allocateHeap() {
  // Each allocation site the image names, looked up once.
  std::vector<const hm_alloc_site *> sites(image.sites.size());
  for (std::size_t s = 0; s < sites.size(); ++s) {
    sites[s] = findAllocSite(image.sites[s]);
    if (!sites[s])
      fail("the image's heap comes from allocation site '{}', which this program does "
           "not have", image.sites[s]);
  }
  // First the types and sizes, to refuse a heap too large before anything is
  // allocated.
  std::uint64_t total = 0;
  // What a block holds, once its type is known: element count, checks, size.
  auto settle = [&](std::size_t i, std::uint64_t count, std::uint64_t tail) {
    Block &b = blocks[i];
    const std::uint64_t senderSize = spans[i].size;
    if (b.elem && b.elem->kind == HM_K_UNSUPPORTED)
      fail("the image's heap block {} holds {}: {}", i, b.elem->name, b.elem->why);
    const hm_type *famElem = nullptr;
    std::uint64_t famOffset = 0;
    const bool fam = b.elem && isFam(b.elem, &famElem, &famOffset, !b.fromSite);
    b.n = 0;
    if (b.elem && !fam) {
      const std::uint64_t ss = ImageType{&image, static_cast<std::int64_t>(b.type)}.size();
      if (!ss || count > senderSize / ss)
        fail("image is malformed: heap block {} has {} elements of {} bytes in {}", i,
             count, ss, senderSize);
      b.n = count;
    } else if (fam) {
      const TypeRecord &sr = ImageType{&image, static_cast<std::int64_t>(b.type)}.r();
      if (sr.fields.empty() || sr.fields.back().type >= image.types.size() ||
          image.types[sr.fields.back().type].kind != HM_K_ARRAY ||
          image.types[sr.fields.back().type].elem < 0 ||
          static_cast<std::uint64_t>(image.types[sr.fields.back().type].elem) >=
              image.types.size() ||
          !ImageType{&image, image.types[sr.fields.back().type].elem}.size())
        fail("image is malformed: heap block {} holds a {} that does not end in an array",
             i, sr.name);
      if (tail >= (std::uint64_t(1) << 39) || tail > senderSize)
        fail("image is malformed: heap block {} has {} flexible array elements in {} "
             "bytes", i, tail, senderSize);
      b.n = tail;
    }
    if (b.elem && b.n != (fam ? tail : count))
      fail("image is malformed: heap block {} has too many elements ({})", i,
           fam ? tail : count);
    total += blockSize(b, senderSize);
    if (sizeof(void *) == 4 && total > 0xC0000000ULL)
      fail("the image's heap ({} bytes here and counting) does not fit in the address "
           "space of {}", total, HM_TARGET_TRIPLE);
  };
  auto cannotTell = [&](std::size_t i) {
    fail("cannot tell what the image's heap block {} ({} bytes) holds in this program", i,
         spans[i].size);
  };
  // Blocks typed by a pointer in a block not typed yet when the pass meets them
  // (one later by address, or one of these): typed after the pass, each after
  // the block its pointer is in (the capture reached that one first, so the
  // chains end).
  struct Later {
    std::size_t block;
    std::uint64_t refAt, count, tail;
  };
  std::vector<Later> later; // in block order
  std::vector<std::int32_t> siteOf; // blocks with segments: their record's site
  if (!segs.empty())
    siteOf.assign(blocks.size(), -1);
  auto laterIndex = [&](std::size_t block) -> std::size_t {
    auto it = std::lower_bound(later.begin(), later.end(), block,
                               [](const Later &l, std::size_t x) { return l.block < x; });
    return it != later.end() && it->block == block ? static_cast<std::size_t>(it - later.begin())
                                                   : later.size();
  };
  {
    HeapRecordReader records(image.heap);
    PagesBehind pages(image.heap.first);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      const HeapRecord &h = records.next();
      pages.passed(records.position());
      Block &b = blocks[i];
      if (h.bytes.size() != h.size || h.size != spans[i].size)
        fail("image is malformed: heap block {} holds {} of {} bytes", i,
             h.bytes.size(), h.size);
      if (h.type >= image.types.size())
        fail("image is malformed: heap block {} has type {} of {}", i, h.type,
             image.types.size());
      // An alignment costs up to its size in memory: beyond 64 MB, only for a
      // block at least as large, whose bytes the image carries.
      if (h.align >= 40 || (h.align > 26 && (std::uint64_t(1) << h.align) > h.size))
        fail("image is malformed: heap block {} of {} bytes is aligned to 2^{} bytes", i,
             h.size, h.align);
      b.type = h.type;
      b.align = h.align;
      if (!siteOf.empty())
        siteOf[i] = h.site;
      const hm_alloc_site *site = nullptr;
      if (h.typed == HeapRecord::kPointerWords) {
        // Its words are addresses on the sender: pointers here, if they are
        // as wide (the sender checked the destination it was told).
        const ImageType t{&image, static_cast<std::int64_t>(h.type)};
        if (t.kind() != HM_K_POINTER || t.size() != sizeof(void *))
          fail("heap block {} of the image is a table of {}-byte addresses, which are {} "
               "bytes here: it cannot be converted",
               i, t.size(), sizeof(void *));
        b.elem = pointerWordType();
      } else if (h.typed) {
        if (h.site >= 0) {
          if (static_cast<std::size_t>(h.site) >= sites.size())
            fail("image is malformed: heap block {} names allocation site {} of {}", i,
                 h.site, sites.size());
          site = sites[static_cast<std::size_t>(h.site)];
          b.elem = site->type;
        } else if (h.placed_site >= 0) {
          if (static_cast<std::size_t>(h.placed_site) >= sites.size())
            fail("image is malformed: heap block {} names placing site {} of {}", i,
                 h.placed_site, sites.size());
          const hm_alloc_site *placed = sites[static_cast<std::size_t>(h.placed_site)];
          b.elem = placed->type;
          placedBlocks.emplace_back(i, placed);
        } else if (h.has_ref) {
          if (h.ref_frame < 0) {
            const auto by = find(h.ref_at);
            if (by && by->kind == Kind::Heap &&
                (by->index > i || laterIndex(by->index) < later.size() ||
                 hasSegments(by->index))) {
              later.push_back({i, h.ref_at, h.count, h.tail});
              continue;
            }
          }
          b.elem = pointeeAt(h.ref_frame, h.ref_var, h.ref_at);
          const hm_type *header = nullptr;
          b.elem = downcast(b.elem, h.type, header);
          if (header)
            blockHeaders[i] = header;
        }
        if (!b.elem)
          cannotTell(i);
      }
      b.site = site;
      b.fromSite = site != nullptr;
      settle(i, h.count, h.tail);
    }
  }
  for (const Seg &sg : segs)
    if (blocks[sg.block].elem)
      fail("image is malformed: heap block {} is typed and has segments", sg.block);
  // The blocks in |later| and the segments, each typed by a pointer in a block
  // typed already or in one of these, typed first (the capture reached that one
  // first, so the chains end): items [0, later) are blocks, the rest segments.
  const std::size_t nlater = later.size();
  auto itemHolding = [&](std::uint64_t refAt) -> std::size_t {
    const auto by = find(refAt);
    if (!by || by->kind != Kind::Heap)
      return nlater + segs.size();
    if (const std::size_t k = laterIndex(by->index); k < nlater)
      return k;
    const Seg *in = blocks[by->index].elem ? nullptr : segmentAt(by->index, refAt - by->addr);
    return in && !in->elem ? nlater + static_cast<std::size_t>(in - segs.data())
                           : nlater + segs.size();
  };
  inDependencyOrder(
      nlater + segs.size(),
      [&](std::size_t k) -> std::size_t {
        if (k < nlater)
          return itemHolding(later[k].refAt);
        const SegmentRecord &r = image.segments[segs[k - nlater].record];
        return r.site || !r.has_ref || r.ref_frame >= 0 ? nlater + segs.size()
                                                        : itemHolding(r.ref_at);
      },
      [&](std::size_t k) {
        if (k >= nlater)
          return typeSegment(segs[k - nlater], siteOf, sites);
        const Later &l = later[k];
        Block &b = blocks[l.block];
        b.elem = pointeeAt(-1, 0, l.refAt);
        const hm_type *header = nullptr;
        b.elem = downcast(b.elem, b.type, header);
        if (header)
          blockHeaders[l.block] = header;
        if (!b.elem)
          cannotTell(l.block);
        b.site = nullptr;
        b.fromSite = 0;
        settle(l.block, l.count, l.tail);
      },
      "heap blocks and objects typed by pointers in each other");
  layOutSegments();
  // In the sender's address order, which is likely the order the program made them.
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    Block &b = blocks[i];
    const std::uint64_t size = blockSize(b, spans[i].size);
    // A block of 0 bytes too: glibc gives it an address of its own, as malloc(0) did.
    b.addr = static_cast<unsigned char *>(heapAllocate(size, b.site, b.align));
    if (!b.addr)
      fail("cannot allocate heap block {} of {} bytes", i, size);
    allocated = i + 1;
  }
}

// A piece that holds one struct and then its own data (a string's text past
// its header) whose last member is a char array: the text begins there and
// runs on through the struct's padding (mawk's STRING, `char str[2]` then two
// bytes of padding that hold its third and fourth characters), which a
// conversion by members drops. Its bytes from that member to the struct's end
// go where the member is here; the bytes after the struct follow as raw bytes.
void Translator::copyTextFromLastMember(const ImageType &there, const hm_type *here,
                                        const unsigned char *src, unsigned char *dst,
                                        std::size_t block, std::uint64_t offset) const {
  const TypeRecord &r = there.r();
  const hm_field *last = trailingText(here);
  if (!last || r.kind != HM_K_STRUCT || r.fields.empty() ||
      r.fields.back().offset > there.size())
    return;
  const FieldRecord &lastThere = r.fields.back();
  const std::uint64_t roomThere = there.size() - lastThere.offset;
  const std::uint64_t roomHere = here->size - last->offset;
  std::memcpy(dst + last->offset, src + lastThere.offset, std::min(roomThere, roomHere));
  // The text goes on after the struct: it runs on only where the rooms agree.
  if (roomThere != roomHere)
    fail("the image's heap block {} holds a {} at byte {} whose text runs on through "
         "{} bytes from its last member to its end, which has {} here",
         block, here->name, offset, roomThere, roomHere);
}

std::uint64_t Translator::textOffsetThere(const Block &b) const {
  const hm_type *famElem = nullptr;
  std::uint64_t famOffset = 0;
  if (!b.elem || b.fromSite || b.n != 1 || !trailingText(b.elem) ||
      isFam(b.elem, &famElem, &famOffset, true))
    return kNoText;
  const ImageType st{&image, static_cast<std::int64_t>(b.type)};
  if (st.kind() != HM_K_STRUCT || st.r().fields.empty())
    return kNoText;
  const FieldRecord &last = st.r().fields.back();
  const ImageType text{&image, last.type};
  if (text.kind() != HM_K_ARRAY || !text.hasElem() || text.elem().size() != 1 ||
      last.bit_width || last.offset > st.size())
    fail("the image's {} ends in '{}', not in an array of bytes as here", st.r().name,
         last.name);
  // A short text, as the sender's layout says (a longer array: the bytes after
  // the struct stay after it).
  return endsInShortText(st.size(), last.offset, text.count()) ? last.offset : kNoText;
}

void Translator::restoreHeapAndGlobals(Converter &converter) {
  for (const auto &[i, site] : placedBlocks)
    place(reinterpret_cast<std::uintptr_t>(blocks[i].addr), site, 0);
  HeapRecordReader records(image.heap);
  PagesBehind pages(image.heap.first);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const HeapRecord &h = records.next();
    Block &b = blocks[i];
    const unsigned char *src = h.bytes.ptr();
    converter.place(-1, 0, spans[i].address, src);
    if (!b.elem) {
      const auto [first, last] = segs.empty() ? std::pair<std::size_t, std::size_t>{0, 0}
                                              : segmentsOf(i);
      if (first == last) {
        // In chunks, giving each back as it is done: peak memory stays near one heap.
        for (std::uint64_t at = 0; at < h.size; at += kReleaseChunk) {
          const std::uint64_t n = std::min<std::uint64_t>(kReleaseChunk, h.size - at);
          std::memcpy(b.addr + at, src + at, n);
          releasePages(src + at, n);
        }
      }
      // A block that holds several objects: the raw bytes before the first, each
      // object converted where it goes here, and the bytes after each.
      if (first != last)
        std::memcpy(b.addr, src, segs[first].offset);
      for (std::size_t k = first; k < last; ++k) {
        const Seg &s = segs[k];
        const std::uint32_t stype = image.segments[s.record].type;
        const std::uint64_t ss = ImageType{&image, stype}.size();
        if (!s.count)
          fail("image is malformed: heap block {} has an empty segment", i);
        if (s.placed)
          place(reinterpret_cast<std::uintptr_t>(b.addr + s.here), s.placed, 0);
        if (s.fields) {
          // Its leading fields, each where it is here: the rest is not there.
          const ImageType st{&image, stype};
          if (s.elem->kind != HM_K_STRUCT || s.fields >= s.elem->nfields)
            fail("the image's heap block {} holds the first {} fields of a {} at byte {}, "
                 "which has no more here", i, s.fields, s.elem->name, s.offset);
          for (unsigned f = 0; f < s.fields; ++f) {
            const hm_field &rf = s.elem->fields[f];
            if (st.r().fields[f].name != rf.name)
              fail("the image's heap block {} holds the first {} fields of a {} at byte {}; "
                   "its field {} is '{}' there and '{}' here", i, s.fields, s.elem->name,
                   s.offset, f, st.r().fields[f].name, rf.name);
            if (rf.bit_width || st.fieldIsBits(f))
              fail("the image's heap block {} holds the first {} fields of a {} at byte "
                   "{}, one of them a bit-field", i, s.fields, s.elem->name, s.offset);
            converter.convertBytes(static_cast<std::uint32_t>(st.field(f).index),
                                   src + s.offset + st.fieldOffset(f), st.field(f).size(),
                                   rf.type, b.addr + s.here + rf.offset, this, "heap block",
                                   fmt::format("{}@{}", i, s.offset), rf.name);
          }
        } else {
          converter.convertElements(stype, src + s.offset, ss, s.count, s.elem,
                                    b.addr + s.here, s.elem->size, this, "heap block",
                                    fmt::format("{}@{}", i, s.offset));
          if (image.segments[s.record].tail && s.count == 1)
            copyTextFromLastMember(ImageType{&image, stype}, s.elem, src + s.offset,
                                   b.addr + s.here, i, s.offset);
        }
        if (s.header)
          checkTags(s.header, s.elem, b.addr + s.here, s.count,
                    blockSize(b, h.size) - s.here, i);
        const std::uint64_t rawEnd = k + 1 < last ? segs[k + 1].offset : h.size;
        const std::uint64_t room = k + 1 < last ? segs[k + 1].here - endHere(s) : ~0ull;
        if (rawEnd > endThere(s)) {
          const std::uint64_t n = rawEnd - endThere(s);
          std::memcpy(b.addr + endHere(s), src + endThere(s), std::min(n, room));
          // Past the room: the padding up to the next object (a pool's rounding,
          // whatever bytes it held), never the piece's own data (its tail).
          if (room < image.segments[s.record].tail)
            fail("the image's heap block {} holds {} bytes of the {} at byte {} after it, "
                 "which do not fit before the object after it here",
                 i, image.segments[s.record].tail, s.elem->name, s.offset);
        }
      }
      pages.passed(records.position());
      continue;
    }
    const ImageType st{&image, static_cast<std::int64_t>(h.type)};
    const std::uint64_t ss = st.size();
    const hm_type *famElem = nullptr;
    std::uint64_t famOffset = 0;
    if (isFam(b.elem, &famElem, &famOffset, !b.fromSite)) {
      // One struct, then its flexible array's elements.
      const TypeRecord &sr = st.r();
      // The block may end inside the struct (the struct hack), by no more than
      // the struct is here (twice, for wider pointers, and alignment): a copy of
      // it costs what the image's bytes and this build's type pay for.
      if (sr.fields.empty() || ss > h.size + 2 * b.elem->size + 64)
        fail("image is malformed: heap block {} of {} bytes holds a {}-byte {}", i, h.size,
             ss, sr.name);
      const FieldRecord &sfam = sr.fields.back();
      const ImageType se{&image, ImageType{&image, sfam.type}.r().elem};
      {
        // The struct without its array, whose elements are the tail's (the
        // struct hack's block may even end inside the struct).
        std::vector<unsigned char> whole(src, src + std::min<std::uint64_t>(h.size, sfam.offset));
        whole.resize(ss, 0);
        converter.place(-1, 0, spans[i].address, whole.data()); // the copy is at the address
        converter.convertBytes(h.type, whole.data(), ss, b.elem, b.addr, this, "heap block",
                               fmt::format("{}", i), "");
        converter.place(-1, 0, spans[i].address, src);
      }
      for (std::uint64_t j = 0; j < b.n; ++j) {
        const std::uint64_t so = sfam.offset + j * se.size();
        if (so + se.size() > h.size)
          fail("image is malformed: heap block {} tail", i);
        converter.convertBytes(static_cast<std::uint32_t>(se.index), src + so, se.size(),
                               famElem, b.addr + famOffset + j * famElem->size,
                               this, "heap block", fmt::format("{}[{}]", i, j), "");
      }
      // After the whole elements, bytes (a part of one, the user's own).
      const std::uint64_t tailEnd = sfam.offset + b.n * se.size();
      if (h.size > tailEnd)
        std::memcpy(b.addr + famOffset + b.n * famElem->size, src + tailEnd, h.size - tailEnd);
      if (auto hd = blockHeaders.find(i); hd != blockHeaders.end())
        checkTags(hd->second, b.elem, b.addr, 1, blockSize(b, h.size), i);
      pages.passed(records.position());
      continue;
    }
    const std::uint64_t perChunk = std::max<std::uint64_t>(1, kReleaseChunk / ss);
    for (std::uint64_t at = 0; at < b.n; at += perChunk) {
      const std::uint64_t n = std::min<std::uint64_t>(perChunk, b.n - at);
      converter.convertElements(h.type, src + at * ss, ss, n, b.elem,
                                b.addr + at * b.elem->size, b.elem->size, this,
                                "heap block", std::to_string(i));
      releasePages(src + at * ss, n * ss);
    }
    const std::uint64_t rest = h.size - b.n * ss;
    if (const std::uint64_t text = textOffsetThere(b); text != kNoText) {
      // One struct and its text (as the sender's oneAndText says), which runs
      // on from its last char array: as one run from where that member is here.
      std::memcpy(b.addr + trailingText(b.elem)->offset, src + text, h.size - text);
    } else {
      if (rest)
        std::memcpy(b.addr + b.n * b.elem->size, src + b.n * ss, rest);
      // An allocation site's `sizeof(T) + len`, a longer array: the text runs on
      // through the padding, and the bytes after the struct stay after it.
      if (b.n == 1 && (rest || !b.fromSite) && trailingText(b.elem))
        copyTextFromLastMember(st, b.elem, src, b.addr, i, 0);
    }
    if (auto hd = blockHeaders.find(i); hd != blockHeaders.end())
      checkTags(hd->second, b.elem, b.addr, b.n, b.n * b.elem->size, i);
    pages.passed(records.position());
  }
  // Every global of this program is in the image, once: one left out would
  // keep the value it starts with.
  std::unordered_set<std::string_view> keys;
  for (const GlobalRecord &gr : image.globals)
    if (!keys.insert(gr.key).second)
      fail("image is malformed: it has global '{}' twice", gr.key);
  for (const hm_global *g : programGlobals())
    if (!keys.count(g->key))
      fail("the image has no value of global '{}' ({}), which this program has", g->key,
           g->where);
  for (const GlobalRecord &gr : image.globals) {
    const hm_global *g = findGlobal(gr.key);
    if (!g)
      fail("the image has a global '{}' this program does not have", gr.key);
    if (g->constant)
      continue; // the same constant here
    // Whether it is constant is this build's to say, not the image's.
    if (gr.constant)
      fail("the image carries no value of global '{}' ({}), which is not constant",
           gr.key, g->where);
    converter.place(-1, 0, gr.address, gr.bytes.ptr());
    converter.convert(gr.type, gr.bytes, g->type,
                      static_cast<unsigned char *>(g->addr), this, true, "global", gr.key,
                      fmt::format(" ({})", g->where));
  }
}

void Translator::bind(std::size_t frame, std::uint32_t var, void *addr) {
  for (StackVar &s : stackVars)
    if (s.frame == frame && image.frames[frame].vars[s.record].index == var)
      s.bound = addr;
}

void Translator::numberObjects() const {
  std::vector<std::uint64_t> heapNumbers(spans.size()), globalNumbers(image.globals.size()),
      landmarkNumbers(image.landmarks.size());
  for (std::size_t i = 0; i < spans.size(); ++i)
    heapNumbers[i] = spans[i].address;
  for (std::size_t i = 0; i < image.globals.size(); ++i)
    globalNumbers[i] = image.globals[i].address;
  for (std::size_t i = 0; i < image.landmarks.size(); ++i)
    landmarkNumbers[i] = image.landmarks[i].address;
  // A sender that was restored itself passes on the numbers it was given.
  for (const NumberRecord &n : image.numbers) {
    std::vector<std::uint64_t> *into = n.kind == NumberRecord::kHeap     ? &heapNumbers
                                       : n.kind == NumberRecord::kGlobal ? &globalNumbers
                                       : n.kind == NumberRecord::kLandmark ? &landmarkNumbers
                                                                            : nullptr;
    if (!into || n.index >= into->size())
      fail("image is malformed: number of object {} of kind {}", n.index, n.kind);
    (*into)[n.index] = n.number;
  }
  std::vector<Numbered> numbered;
  auto add = [&](std::uintptr_t here, std::uint64_t size, std::uint64_t number) {
    if (here && here != number)
      numbered.push_back({here, static_cast<std::size_t>(size), number});
  };
  for (std::size_t i = 0; i < blocks.size() && i < spans.size(); ++i)
    add(reinterpret_cast<std::uintptr_t>(blocks[i].addr), blockSize(blocks[i], spans[i].size),
        heapNumbers[i]);
  for (std::size_t i = 0; i < image.globals.size(); ++i)
    if (const hm_global *g = findGlobal(image.globals[i].key))
      add(reinterpret_cast<std::uintptr_t>(g->addr), g->type->size, globalNumbers[i]);
  for (std::size_t i = 0; i < image.landmarks.size(); ++i) {
    const LandmarkRecord &l = image.landmarks[i];
    if (l.kind != kFunction && l.kind != kLiteral)
      continue;
    try {
      add(static_cast<std::uintptr_t>(landmarkAddress(l)), std::max<std::uint64_t>(l.size, 1),
          landmarkNumbers[i]);
    } catch (const std::exception &) {
      // Not in this program: no pointer can reach it here either.
    }
  }
  setNumbers(std::move(numbered));
}

std::uint64_t Translator::landmarkSizeHere(const LandmarkRecord &l, std::uint64_t address) {
  switch (l.kind) {
  case kLiteral:
    if (const hm_literal *lit = findLiteral(l.key))
      return lit->size;
    return 0;
  case kEnv:
    return std::strlen(reinterpret_cast<const char *>(static_cast<std::uintptr_t>(address))) + 1;
  case kArgv: // a string of argv (its array was handled before), as long as it came
    return l.size; // landmarkAddress took it only at its size here
  default:
    return 0; // a function, a stream: pointers to it, never into it
  }
}

std::uint64_t Translator::landmarkAddress(const LandmarkRecord &l) const {
  switch (l.kind) {
  case kLiteral:
    if (const hm_literal *lit = findLiteral(l.key))
      return reinterpret_cast<std::uintptr_t>(lit->addr);
    break;
  case kFunction:
    if (const hm_function *fn = findFunctionAddress(l.key))
      return reinterpret_cast<std::uintptr_t>(fn->addr);
    break;
  case kArgv: {
    const Runtime &rt = runtime();
    if (l.key == "argv" && rt.argv)
      return reinterpret_cast<std::uintptr_t>(rt.argv);
    if (l.key == "environ" && ::environ)
      return reinterpret_cast<std::uintptr_t>(::environ);
    int i = -1;
    if (std::sscanf(l.key.c_str(), "argv[%d]", &i) == 1 && i >= 0 &&
        static_cast<std::size_t>(i) < rt.argStrings.size() && l.size == rt.argSizes[i])
      return reinterpret_cast<std::uintptr_t>(rt.argStrings[i]);
    fail("a pointer points into {}, which this process does not have: restore with "
         "the same arguments", l.key);
  }
  case kEnv:
    if (const char *v = std::getenv(l.key.c_str() + 4))
      return reinterpret_cast<std::uintptr_t>(v);
    fail("a pointer points to the environment variable {}, which this process does "
         "not have", l.key.substr(4));
  case kStdio:
    if (l.key == "stdin") return reinterpret_cast<std::uintptr_t>(stdin);
    if (l.key == "stdout") return reinterpret_cast<std::uintptr_t>(stdout);
    if (l.key == "stderr") return reinterpret_cast<std::uintptr_t>(stderr);
    break;
  case kStream: {
    // Opened once, whatever number of pointers point to it.
    auto it = reopened.find(l.key);
    if (it == reopened.end()) {
      std::string why;
      FILE *f = reopenStream(l.key, why, options().checkOnly);
      if (!f)
        fail("a pointer points to a stream: {}", why);
      it = reopened.emplace(l.key, f).first;
    }
    return reinterpret_cast<std::uintptr_t>(it->second);
  }
  }
  fail("a pointer points to '{}', which this program does not have", l.key);
}

// The receiver offset of sender offset |offset| inside |o|.
std::uint64_t Translator::mapOffset(const Object &o, std::uint64_t offset) const {
  auto mapIn = [&](ImageType st, const hm_type *rt, std::uint64_t off) -> std::uint64_t {
    if (off == 0 && rt)
      return 0; // the start of a value is the start of it in any layout
    Path p;
    std::uint64_t r = 0, inner = 0;
    if (rt && locate(st, off, p) && resolve(LocalType{rt}, p, 0, r))
      return r;
    // Into the text that runs on from a struct's last char array through its
    // padding: as far into it here, where the padding is as long.
    if (rt && trailingText(rt) && st.kind() == HM_K_STRUCT && !st.r().fields.empty()) {
      const std::uint64_t lastThere = st.r().fields.back().offset;
      const hm_field *last = trailingText(rt);
      if (off >= lastThere && off < st.size() &&
          st.size() - lastThere == rt->size - last->offset)
        return last->offset + (off - lastThere);
    }
    // A byte inside a scalar (a char * into an unsigned array, as bzip2 and
    // SQLite keep): the same byte of the same scalar where the byte order is
    // the same here and the scalar still has that byte (an integer that fits
    // keeps its low bytes when its width changes: its conversion checks that);
    // in the other byte order its bytes have moved.
    p.clear();
    ImageType ss{&image, -1};
    LocalType rs{nullptr};
    if (rt && locateByte(st, off, p, inner) && inner && resolve(LocalType{rt}, p, 0, r) &&
        typeAt(st, p, 0, ss) && typeAt(LocalType{rt}, p, 0, rs) && rs.t) {
      // Inside an address: stale, or meaningless here (the sender says so too).
      if (ss.kind() == HM_K_POINTER || ss.kind() == HM_K_FUNCPTR)
        return kNowhere;
      if ((ss.size() == rs.size() || (isIntegerKind(ss.kind()) && isIntegerKind(rs.kind()))) &&
          inner < rs.size() && rs.kind() != HM_K_POINTER &&
          image.model.big_endian == localDataModel().big_endian)
        return r + inner;
    }
    fail("a pointer into {} at offset {} has no place in this program's layout{}",
         st.r().name, off,
         inner ? fmt::format(" (byte {} of a scalar, whose bytes are in another order or "
                             "width here)", inner)
               : "");
  };
  // An element's offset, then the offset inside it (kNowhere stays so).
  auto after = [](std::uint64_t base, std::uint64_t inside) {
    return inside == kNowhere ? kNowhere : base + inside;
  };
  switch (o.kind) {
  case Kind::Global:
    return mapIn(ImageType{&image, image.globals[o.index].type}, receiverType(o), offset);
  case Kind::Stack: {
    const StackVar &s = stackVars[o.index];
    return mapIn(ImageType{&image, image.frames[s.frame].vars[s.record].type},
                 receiverType(o), offset);
  }
  case Kind::Heap: {
    const Block &b = blocks[o.index];
    if (!b.elem && offset != o.size && !segs.empty())
      if (const Seg *s = segmentAt(o.index, offset)) {
        const ImageType st{&image, image.segments[s->record].type};
        const std::uint64_t rel = offset - s->offset, k = rel / st.size();
        return after(s->here + k * s->elem->size, mapIn(st, s->elem, rel - k * st.size()));
      }
    if (!b.elem && offset != o.size && hasSegments(o.index))
      return rawOffsetHere(o.index, offset);
    if (const std::uint64_t text = textOffsetThere(b); text != kNoText && offset >= text) {
      // Into its text; one past the block's end, as the program sized it (`c +
      // 1` of a block of one, `len + sizeof(T) - k`).
      if (offset != o.size)
        return trailingText(b.elem)->offset + (offset - text);
      return b.elem->size + (o.size - ImageType{&image, static_cast<std::int64_t>(b.type)}.size());
    }
    if (!b.elem || offset == o.size)
      return offset == o.size ? blockSize(b, o.size) : offset;
    const ImageType st{&image, static_cast<std::int64_t>(b.type)};
    const std::uint64_t ss = st.size();
    const hm_type *famElem = nullptr;
    std::uint64_t famOffset = 0;
    if (isFam(b.elem, &famElem, &famOffset, !b.fromSite)) {
      const FieldRecord &sfam = st.r().fields.back();
      if (offset >= sfam.offset && b.n) {
        const ImageType se{&image, ImageType{&image, sfam.type}.r().elem};
        const std::uint64_t j = (offset - sfam.offset) / se.size();
        return after(famOffset + j * famElem->size,
                     mapIn(se, famElem, offset - sfam.offset - j * se.size()));
      }
      return mapIn(st, b.elem, offset);
    }
    const std::uint64_t k = offset / ss;
    if (k >= b.n)
      return b.n * b.elem->size + (offset - b.n * ss);
    return after(k * b.elem->size, mapIn(st, b.elem, offset - k * ss));
  }
  case Kind::Landmark:
    return offset;
  }
  return offset;
}

namespace {
// Whether a value of |type| starts at offset 0 of |t|: t itself, its first
// element, its first field, and so on down.
bool startsWith(const hm_type *t, const std::string &name) {
  for (int depth = 0; t && depth < 32; ++depth) {
    if (name == t->name)
      return true;
    if (t->kind == HM_K_ARRAY)
      t = t->elem;
    else if ((t->kind == HM_K_STRUCT || t->kind == HM_K_UNION) && t->nfields)
      t = t->fields[0].type;
    else
      return false;
  }
  return false;
}

// The type of the last element of |t|: what a pointer one past its end steps over.
const hm_type *lastElement(const hm_type *t) {
  while (t && t->kind == HM_K_ARRAY && t->elem)
    t = t->elem;
  return t;
}
} // namespace

Translator::Object Translator::disambiguate(const Object &next, std::uint64_t v,
                                           const hm_type *pointee) const {
  if (!pointee || next.addr != v || next.kind == Kind::Landmark)
    return next;
  auto endsHere = [&](const Object &o) {
    if (o.kind == Kind::Landmark || !o.size || o.addr + o.size != v)
      return false;
    const hm_type *before = lastElement(receiverType(o));
    return before && pointee->name == std::string(before->name) &&
           !startsWith(receiverType(next), pointee->name);
  };
  // Objects do not overlap: one that ends at v sits right before v, among the
  // heap blocks or among the others (a few zero-sized ones may come between).
  if (v > 0) {
    const std::size_t b = next.kind == Kind::Heap ? next.index - std::size_t(1)
                                                  : heapBlockBefore(v - 1);
    if (b < spans.size() && endsHere(heapObject(b)))
      return heapObject(b); // one past the end of the block before
  }
  auto it = std::lower_bound(objects.begin(), objects.end(), v,
                             [](const Object &o, std::uint64_t x) { return o.addr < x; });
  for (int steps = 0; it != objects.begin() && steps < 8; ++steps) {
    const Object &o = *--it;
    if (o.size && o.addr + o.size < v)
      break;
    if (endsHere(o))
      return o; // one past the end of the object before
  }
  return next;
}

std::uint64_t Translator::translate(std::uint64_t value, bool function,
                                    unsigned char *dst, bool mayDefer,
                                    const hm_type *pointee) {
  auto foundDead = [&] {
    return std::binary_search(image.dead.begin(), image.dead.end(), value);
  };
  // A function pointer the sender found stale (to data: no code is there) is
  // null, though a data pointer may point to that object.
  if (function && foundDead())
    return 0;
  auto o = find(value);
  if (!o) {
    if (!function && foundDead())
      return 0; // the sender found it dead: freed, or never set
    fail("a {} pointer holds {:#x}, which is in no object the image carries, and the "
         "sender did not find it dead (an object is missing from the image, or the "
         "value was changed)", function ? "function" : "data", value);
  }
  // (A function pointer must be a function's entry: checked below.)
  if (!function && o->size && value == o->addr + o->size &&
      !std::binary_search(image.ends.begin(), image.ends.end(), value))
    fail("a data pointer holds {:#x}, one past the end of an object and at the start of "
         "none the image carries, and the sender did not find it one past an end (an "
         "object is missing from the image, or the value was changed)",
         value);
  *o = disambiguate(*o, value, pointee);
  const std::uint64_t offset = value - o->addr;
  // A FILE * points to a stream: stdio's or one the program opened (the
  // sender refuses any other), never into the program's own memory.
  if (pointee && isStream(pointee) &&
      (o->kind != Kind::Landmark || (image.landmarks[o->index].kind != kStdio &&
                                     image.landmarks[o->index].kind != kStream)))
    fail("a FILE pointer holds {:#x}, which is no stream", value);
  if (o->kind == Kind::Landmark) {
    const LandmarkRecord &l = image.landmarks[o->index];
    // A `void *` may hold a function's entry (POSIX's dlsym, mawk's INST.ptr).
    const bool voidToEntry = !function && !pointee && l.kind == kFunction && offset == 0;
    if ((l.kind == kFunction) != function && l.kind != kStdio && !voidToEntry)
      fail("a {} pointer points to '{}'", function ? "function" : "data", l.key);
    // A function is only ever entered at its entry: an image may name it, not
    // say where in it to jump.
    if (l.kind == kFunction && offset != 0)
      fail("a function pointer points {} bytes into '{}', not to its entry", offset, l.key);
    // What may live there, whatever the image says: text in strings, char
    // pointers in argv and environ, a FILE in stdio. A pointer to anything else
    // would have the program read text as its fields (checked here, not by
    // the sender: the image may have been made by anyone).
    if (pointee && !landmarkHolds(l.kind, l.key, pointee))
      fail("a pointer to {} points into '{}', which holds no such thing", pointee->name,
           l.key);
    if (l.kind == kArgv && (l.key == "argv" || l.key == "environ")) {
      // An element of an array of pointers: the same element in this process's.
      const std::uint64_t width = image.model.pointer_size;
      std::uint64_t elements = runtime().argc;
      if (l.key == "environ")
        for (elements = 0; ::environ && ::environ[elements];)
          ++elements;
      if (!width || offset % width || offset / width > elements)
        fail("a pointer points {} bytes into {}, between its elements or past its end",
             offset, l.key);
      return landmarkAddress(l) + offset / width * sizeof(char *);
    }
    // The image says how large a landmark is; what counts is its size here.
    const std::uint64_t address = landmarkAddress(l);
    if (offset > landmarkSizeHere(l, address))
      fail("a pointer points {} bytes into '{}', past its end in this process", offset, l.key);
    return address + offset;
  }
  if (function)
    fail("a function pointer points into data");
  const std::uint64_t mapped = mapOffset(*o, offset);
  if (mapped == kNowhere)
    return 0;
  switch (o->kind) {
  case Kind::Global: {
    const hm_global *g = findGlobal(image.globals[o->index].key);
    if (!g)
      fail("a pointer points to global '{}', which this program does not have",
           image.globals[o->index].key);
    return reinterpret_cast<std::uintptr_t>(g->addr) + mapped;
  }
  case Kind::Heap: {
    // Values that hold pointers live in typed memory: in raw bytes their
    // pointers would keep the sender's addresses (the image left out the
    // segment that typed them).
    const Block &b = blocks[o->index];
    if (pointee && holdsPointers(pointee) && !b.elem && offset != o->size &&
        !segmentAt(o->index, offset))
      fail("a pointer to {} points {} bytes into heap block {}, where the image has raw "
           "bytes", pointee->name, offset, o->index);
    return reinterpret_cast<std::uintptr_t>(b.addr) + mapped;
  }
  case Kind::Stack: {
    const StackVar &s = stackVars[o->index];
    if (s.bound)
      return reinterpret_cast<std::uintptr_t>(s.bound) + mapped;
    if (!mayDefer)
      fail("a pointer held in a register points to a local of a deeper frame");
    fixups.push_back({dst, o->index, mapped});
    return 0;
  }
  default:
    return 0;
  }
}

void Translator::discardHeap() {
  for (std::size_t i = 0; i < allocated; ++i)
    heapRelease(blocks[i].addr);
  allocated = 0;
  blocks.clear();
  spans.clear();
}

void Translator::finish() {
  for (const Fixup &f : fixups) {
    const StackVar &s = stackVars[f.stackVar];
    if (!s.bound)
      fail("a pointer points to a local of a frame that was not restored");
    std::uintptr_t p = reinterpret_cast<std::uintptr_t>(s.bound) + f.offset;
    std::memcpy(f.dst, &p, sizeof p);
  }
  fixups.clear();
}

} // namespace hm
