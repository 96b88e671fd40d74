// reach.cpp — the capture's walk: from the frames and globals through every typed
// pointer, to the heap blocks the image must carry, refusing what it cannot carry.
#include "reach.h"
#include "plain_union.h"
#include "config.h"
#include "convert.h"
#include "diag.h"
#include "heap.h"
#include "layout.h"
#include "options.h"
#include "byte_records.h"
#include "placements.h"
#include "sentinels.h"
#include "state.h"
#include "streams.h"
#include "hm/targets.h"

#include <algorithm>
#include <sys/auxv.h>
#include <cstdio>
#include <cstring>
#include <map>
#include <unistd.h>
#include <functional>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace hm {

namespace {

enum class Kind { Global, Stack, Heap, Landmark };

struct Object {
  std::uintptr_t addr;
  std::size_t size;
  Kind kind;
  std::size_t index; // into globals / stack slots / blocks / landmarks
};

struct Mapping {
  std::uintptr_t start, end;
  std::uint64_t fileOffset;
  std::string name;
  bool executable;
};

// Where a value being scanned lives, for messages and for referrers.
struct Where {
  // "variable 'p' (struct node *) of main at a.c:4": made only for a message.
  std::function<std::string()> what;
  const hm_type *type;       // the whole object's type, for the path in messages
  Referrer ref;              // base: frame/var, or the object's sender address
  std::uint64_t origin = 0;  // where the element of |type| being scanned starts
  const hm_type *elemType = nullptr; // its type, when not |type| (a flexible array's)
};

bool isCharLike(const hm_type *t) {
  return t->kind == HM_K_CHAR || ((t->kind == HM_K_SINT || t->kind == HM_K_UINT) &&
                                  t->size == 1);
}

class Walker {
public:
  explicit Walker(const std::vector<Frame> &frames) : frames(frames) {}

  Reach run() {
    buildMap();
    for (std::size_t f = 0; f < frames.size(); ++f)
      for (const Frame::Slot &s : frames[f].slots) {
        const hm_var &v = frames[f].func->vars[s.var];
        const Frame &fr = frames[f];
        Where w{[&v, &fr, &s] {
                  return fmt::format("variable '{}' ({}) of {} at {}", v.name,
                                     s.type->name, fr.func->key, v.where);
                },
                s.type, {static_cast<std::int32_t>(f), s.var, 0}};
        scan(s.type, s.data(frames[f]), w, 0);
      }
    for (const hm_global *gp : programGlobals()) {
        const hm_global &g = *gp;
        if (g.constant)
          continue; // the receiver has its own
        Where w{[&g] {
                  return fmt::format("global '{}' ({}) at {}", g.key, g.type->name, g.where);
                },
                g.type, {-1, 0, reinterpret_cast<std::uintptr_t>(g.addr)}};
        scan(g.type, static_cast<const unsigned char *>(g.addr), w, 0);
      }
    do {
      while (!work.empty()) {
        const std::uint32_t b = work.back();
        work.pop_back();
        scanBlock(b);
      }
    } while (typePointerWords());
    // A block only a pointer to a struct this unit never defines reaches (zlib's
    // z_stream.state outside deflate.c): nothing says what it holds, and as
    // bytes its pointers would be neither followed nor translated.
    for (const auto &[b, why] : opaque)
      if (!elems[b] && !segments.count(b) && !heap[b].site)
        throw TransientError(why);
    for (const PlaceLater &a : placeLater)
      checkPlaceLater(a);
    for (const auto &[b, t] : shortStructs)
      if (!elems[b] && !segments.count(b) && (!destinationKeeps(t) || holdsPointers(t)))
        throw TransientError(fmt::format(
            "a heap block of {} bytes holds a {} sized to its text, smaller than a {} (its "
            "last member '{}' is a short char array): hmcc cannot convert it for {} yet",
            heap[b].size, t->name, t->name, t->fields[t->nfields - 1].name,
            destinationTriple().empty() ? "other targets (none was named: HM_MIGRATE_FOR)"
                                        : destinationTriple()));
    for (const TextOrStruct &a : textOrStruct)
      checkTextOrStruct(a);
    // A pointer that typed a block, left in bytes no object covers, is in
    // raw bytes too: said as the cause it is.
    checkTypingPlaces();
    copied = bytesOfSnapshot();
    for (const Placement &r : copied)
      longestCopy = std::max<std::uint64_t>(longestCopy, r.size);
    for (std::size_t b = 0; b < heap.size(); ++b)
      if (flags[b] & kReached) {
        checkRawBytes(b);
        checkShortText(b);
        checkUnknownBytes(b);
      }
    checkTypingOrder();
    checkBytesOf();
    // The image lists blocks by address: the receiver then needs no sort (nor a
    // second table) to find the block a pointer points into.
    for (std::size_t b = 0; b < heap.size(); ++b)
      if (flags[b] & kReached)
        order.push_back(static_cast<std::uint32_t>(b));
    for (auto &[b, segs] : segments) {
      finishCounts(b, segs);
      elems[b] = nullptr;
    }
    for (const RawPointee &a : rawPointees)
      checkRawPointee(a);
    Reach out;
    out.blocks = std::move(heap);
    out.elems = std::move(elems);
    out.refs = std::move(refs);
    out.order = std::move(order);
    out.landmarks = std::move(landmarks);
    // A block scanned again (typed better) records its unions again.
    std::sort(unions.begin(), unions.end());
    for (std::size_t i = 1; i < unions.size(); ++i)
      if (!(unions[i - 1] < unions[i]) && unions[i - 1].member != unions[i].member)
        fail("a union at the same place was read as two members, as the block holding it "
             "was typed again; hmcc cannot tell which it holds");
    unions.erase(std::unique(unions.begin(), unions.end(),
                             [](const UnionChoiceRecord &a, const UnionChoiceRecord &b) {
                               return !(a < b) && !(b < a);
                             }),
                 unions.end());
    out.unions = std::move(unions);
    std::sort(befores.begin(), befores.end());
    befores.erase(std::unique(befores.begin(), befores.end(),
                              [](const ElementsBeforeRecord &a, const ElementsBeforeRecord &b) {
                                return !(a < b) && !(b < a);
                              }),
                  befores.end());
    out.befores = std::move(befores);
    std::sort(dead.begin(), dead.end());
    dead.erase(std::unique(dead.begin(), dead.end()), dead.end());
    out.dead = std::move(dead);
    std::sort(ends.begin(), ends.end());
    ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
    out.ends = std::move(ends);
    out.segments = std::move(segments);
    out.byteOrderBound = std::move(byteOrderBound);
    out.layoutBound = std::move(layoutBound);
    out.copiesBound = copiesBound;
    out.byteBoundScalars = std::move(byteBoundScalars);
    return out;
  }

private:
  const std::vector<Frame> &frames;
  std::vector<Object> objects;     // all but the heap blocks, by address
  // Per heap block, kept small (a million small blocks have a few dozen bytes
  // each): where it is, what it holds, the pointer that said so, flags.
  std::vector<HeapBlock> heap;
  std::vector<const hm_type *> elems;
  std::vector<Referrer> refs;      // made when a first block is typed by a pointer
  std::vector<std::uint8_t> flags;
  // kByChar: a char pointer points into the block (its bytes may be text).
  enum : std::uint8_t { kReached = 1, kFromStart = 2, kByChar = 4 };
  std::vector<std::uint32_t> order, work;
  std::vector<Landmark> landmarks;
  std::vector<UnionChoiceRecord> unions;
  std::vector<ElementsBeforeRecord> befores;
  std::vector<std::uint64_t> dead;
  std::size_t sentinelsRead = 0; // by plausible(): numbers kept in pointers
  // By plausible(): pointers to a struct in a block nothing else types, which
  // the reading alone would type, and byte pointers into heap blocks (text).
  struct Guess {
    std::uint32_t block;
    std::uint64_t into;
    const hm_type *type;
  };
  std::vector<Guess> guessesRead;
  std::size_t textRead = 0;
  std::size_t misfitsRead = 0; // pointers to structs that cannot be where they point
  bool readingContents = false; // in contentsPlausible(): one level only
  // A union read as text where another member read the same bytes, as
  // plausibly, as pointers to a struct in blocks nothing else typed: right
  // only if something else types them, or their bytes stay as they are.
  struct TextOrStruct {
    Guess guess;
    std::string what;
    std::uint64_t off;
    std::string unionName, textMember, structMember;
  };
  std::vector<TextOrStruct> textOrStruct;
  std::vector<std::uint64_t> ends;
  std::unordered_map<std::uint32_t, std::vector<Segment>> segments;
  std::vector<std::pair<std::uint32_t, std::string>> opaque; // blocks, and why
  // Objects calls placed inside blocks not reached yet: by block, [first, last)
  // of |placed|. They type the block with the first pointer that reaches it.
  std::vector<Placement> placed;
  std::unordered_map<std::uint32_t, std::pair<std::size_t, std::size_t>> placedIn;
  std::unordered_set<std::uint32_t> rawBound; // integers read at two widths: bytes
  // Pointers placed by what their block holds once that is known: to objects
  // that cannot be where they point, and byte pointers into blocks of several
  // objects.
  struct PlaceLater {
    std::uint32_t block;
    std::uint64_t into;
    std::string what;
    std::uint64_t off;
    bool bytes; // a byte pointer: it may point inside a scalar
  };
  std::vector<PlaceLater> placeLater;
  struct RawPointee {
    std::uint32_t block;
    std::uint64_t into;
    std::string what;
    std::uint64_t off;
    const hm_type *type;
  };
  std::vector<RawPointee> rawPointees; // pointers to structs that did not fit
  // Types a pointer into char memory has bound the image by (once is enough).
  std::unordered_set<const hm_type *> boundByPointers;
  std::vector<std::size_t> placedOutside;       // placements in no heap block
  std::vector<std::uint64_t> pointedOutside; // what pointers to globals and locals point
                                             // to, while there are such placements
  std::vector<std::pair<std::uint32_t, const hm_type *>> shortStructs; // block, its struct
  std::string byteOrderBound;                 // the first such, for the message
  std::string layoutBound;                    // bytes of no known type, or ""
  std::vector<Placement> copied; // typed bytes copies put in char memory, by address
  std::uint64_t longestCopy = 0;
  bool copiesBound = false;                   // by checkBytesOf
  std::vector<Reach::ByteBound> byteBoundScalars;
  std::vector<const hm_global *> globals;
  std::vector<std::pair<const Frame *, const Frame::Slot *>> stack;
  std::unordered_map<const hm_type *, bool> holds;
  std::unordered_map<const hm_type *, std::string> unsupported; // "": supported
  std::vector<Mapping> maps;
  bool mapsRead = false;
  mutable std::size_t nearBlock = 0; // the heap block found last: where find() starts
  const unsigned char *end = nullptr; // the end of the heap block being scanned
  std::uint32_t unionLevel = 0;       // chosen unions around the value being scanned
  bool guessedCharPointer = false;    // a union's char * chosen over a void * reading alike

  void buildMap() {
    heap = heapSnapshot();
    if (heap.size() >= UINT32_MAX)
      fail("the heap has {} blocks, more than an image can hold", heap.size());
    elems.assign(heap.size(), nullptr);
    flags.assign(heap.size(), 0);
    for (const hm_global *g : programGlobals()) {
      objects.push_back({reinterpret_cast<std::uintptr_t>(g->addr), g->type->size,
                         Kind::Global, globals.size()});
      globals.push_back(g);
    }
    for (const Frame &f : frames)
      for (const Frame::Slot &s : f.slots)
        if (s.addr) {
          objects.push_back({reinterpret_cast<std::uintptr_t>(s.addr), s.type->size,
                             Kind::Stack, stack.size()});
          stack.push_back({&f, &s});
        }
    placed = placementsSnapshot();
    for (std::size_t i = 0; i < placed.size(); ++i) {
      if (!inHeapBlock(placed[i].addr)) { // in memory that is no block (a static arena)
        if (placed[i].site->type && placed[i].site->type->size)
          placedOutside.push_back(i);
        continue;
      }
      const std::size_t b = heapBlockBefore(placed[i].addr);
      auto [it, fresh] = placedIn.try_emplace(static_cast<std::uint32_t>(b), i, i + 1);
      if (!fresh)
        it->second.second = i + 1;
    }
    landmarks = localLandmarks();
    for (std::size_t i = 0; i < landmarks.size(); ++i)
      objects.push_back({reinterpret_cast<std::uintptr_t>(landmarks[i].addr),
                         landmarks[i].size, Kind::Landmark, i});
    std::sort(objects.begin(), objects.end(), [](const Object &a, const Object &b) {
      return a.addr != b.addr ? a.addr < b.addr : a.size > b.size;
    });
  }

  // The object holding |v|, or else one ending at |v|. Heap blocks are looked up
  // in |heap| (sorted by address, never overlapping), the rest in |objects|.
  std::optional<Object> find(std::uintptr_t v) const {
    const Object *other = findObject(objects, v);
    if (other && v < other->addr + other->size)
      return *other;
    const std::size_t b = heapBlockBefore(v);
    if (b < heap.size()) {
      const auto start = reinterpret_cast<std::uintptr_t>(heap[b].addr);
      if (v < start + heap[b].size || (v == start + heap[b].size && !other)) {
        nearBlock = b;
        return Object{start, heap[b].size, Kind::Heap, b};
      }
    }
    if (other)
      return *other;
    return std::nullopt;
  }

  bool inHeapBlock(std::uintptr_t at) const {
    const std::size_t b = heapBlockBefore(at);
    return b < heap.size() && at - reinterpret_cast<std::uintptr_t>(heap[b].addr) < heap[b].size;
  }
  // Where the first object after |at| starts (UINT64_MAX: none does).
  std::uint64_t nextObjectAfter(std::uintptr_t at) const {
    std::uint64_t next = UINT64_MAX;
    const auto o = std::upper_bound(objects.begin(), objects.end(), at,
                                    [](std::uintptr_t v, const Object &x) { return v < x.addr; });
    if (o != objects.end())
      next = o->addr;
    const std::size_t b = heapBlockBefore(at);
    if (const std::size_t n = b < heap.size() ? b + 1 : 0; n < heap.size())
      next = std::min<std::uint64_t>(next, reinterpret_cast<std::uintptr_t>(heap[n].addr));
    return next;
  }

  static constexpr std::size_t kNoSegment = ~std::size_t(0);
  // The heap block |at| lies in (heap.size(): none) and, when the block holds
  // several objects, the segment that covers it (kNoSegment: none does).
  std::pair<std::size_t, std::size_t> placeOf(std::uint64_t at) const {
    const std::size_t h = heapBlockBefore(static_cast<std::uintptr_t>(at));
    if (h >= heap.size() ||
        at >= reinterpret_cast<std::uintptr_t>(heap[h].addr) + heap[h].size)
      return {heap.size(), kNoSegment};
    const std::uint64_t into = at - reinterpret_cast<std::uintptr_t>(heap[h].addr);
    if (auto it = segments.find(static_cast<std::uint32_t>(h)); it != segments.end()) {
      const std::vector<Segment> &segs = it->second;
      for (std::size_t k = 0; k < segs.size(); ++k)
        if (into >= segs[k].offset && into < segs[k].offset + segmentBytes(h, segs, k))
          return {h, k};
    }
    return {h, kNoSegment};
  }

  // A receiver types a block or segment by the pointer that typed it here, read
  // as its own build types the place that pointer is in: a site, a frame's
  // variable, a global, or a heap object the image types. A segment cut short
  // by an object another pointer typed later can leave that pointer in bytes no
  // object covers (a Lua node array cut where a GCObject starts, typed by a
  // stale Value inside the array): refused here, not by every receiver once
  // this process had gone.
  void checkTypingPlaces() {
    const auto typedAt = [&](std::uint64_t at) {
      const auto [h, k] = placeOf(at);
      if (h >= heap.size())
        return true; // a global, a frame's variable: typed by the receiver's build
      if (segments.count(static_cast<std::uint32_t>(h)))
        return k != kNoSegment;
      return (flags[h] & kReached) && (heap[h].site || elems[h]);
    };
    const auto check = [&](std::size_t b, const Referrer &ref, bool site) {
      if (site || ref.placedBy() || (ref.set() && (ref.frame != -1 || typedAt(ref.at))))
        return;
      throw TransientError(fmt::format(
          "a heap block of {} bytes ({}) is typed by a pointer {}: a receiver could not "
          "type it",
          heap[b].size, elems[b] ? elems[b]->name : "objects of several types",
          ref.set() ? "in bytes that hold no object the image types" : "no longer known"));
    };
    for (std::size_t b = 0; b < heap.size(); ++b) {
      if (!(flags[b] & kReached))
        continue;
      if (auto it = segments.find(static_cast<std::uint32_t>(b)); it != segments.end()) {
        for (const Segment &sg : it->second)
          check(b, sg.ref, sg.site);
      } else if (elems[b] && !heap[b].site && elems[b] != pointerWordType()) {
        check(b, refs.empty() ? Referrer{} : refs[b], false);
      }
    }
  }

  // A receiver types a block or segment that a pointer in memory typed once
  // it has typed what holds that pointer: those holders must not go round in
  // a circle, or it could type none of them first (and would refuse the image
  // once this process had gone). Each has at most one holder: a walk.
  void checkTypingOrder() {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> segNodes; // (block, index)
    std::unordered_map<std::uint32_t, std::uint32_t> firstSeg;     // block -> node
    for (const auto &[b, segs] : segments) {
      firstSeg[b] = static_cast<std::uint32_t>(heap.size() + segNodes.size());
      for (std::size_t k = 0; k < segs.size(); ++k)
        segNodes.push_back({b, static_cast<std::uint32_t>(k)});
    }
    const std::size_t none = heap.size() + segNodes.size();
    const auto typedByMemory = [&](std::size_t b) {
      return (flags[b] & kReached) && !heap[b].site && elems[b] && !refs.empty() &&
             refs[b].frame == -1 && !segments.count(static_cast<std::uint32_t>(b));
    };
    const auto holderOf = [&](std::uint64_t at) -> std::size_t {
      const auto [h, k] = placeOf(at);
      if (h >= heap.size())
        return none;
      if (auto it = segments.find(static_cast<std::uint32_t>(h)); it != segments.end()) {
        if (k == kNoSegment)
          return none;
        const Segment &sg = it->second[k];
        return sg.site || sg.ref.frame != -1 ? none : firstSeg[static_cast<std::uint32_t>(h)] + k;
      }
      return typedByMemory(h) ? h : none;
    };
    const auto next = [&](std::size_t n) -> std::size_t {
      if (n < heap.size())
        return typedByMemory(n) ? holderOf(refs[n].at) : none;
      const auto [b, k] = segNodes[n - heap.size()];
      const Segment &sg = segments[b][k];
      return sg.site || sg.ref.frame != -1 ? none : holderOf(sg.ref.at);
    };
    std::vector<std::uint32_t> walk(none, 0); // the walk that visited a node
    for (std::size_t start = 0; start < none; ++start) {
      const auto id = static_cast<std::uint32_t>(start + 1);
      for (std::size_t n = start; n != none && !walk[n]; n = next(n)) {
        walk[n] = id;
        const std::size_t m = next(n);
        if (m != none && walk[m] == id) {
          const std::size_t b = m < heap.size() ? m : segNodes[m - heap.size()].first;
          throw TransientError(fmt::format(
              "a heap block of {} bytes ({}) is typed by a pointer in memory whose own type "
              "a pointer in it told: a receiver could type neither first",
              heap[b].size, elems[b] ? elems[b]->name : "objects of several types"));
        }
      }
    }
  }

  // Whether the pointer at |ref| lies in block |b|, or in a block or object
  // whose type a pointer in |b| told, and so on: typing |b| by it would make
  // a receiver need each before the other.
  bool typedThrough(const Referrer &ref, std::size_t b) const {
    std::vector<std::uint64_t> todo;
    if (ref.frame == -1)
      todo.push_back(ref.at);
    std::unordered_set<std::size_t> seen;
    while (!todo.empty()) {
      if (seen.size() > 256)
        return true; // a long chain: keep the first witness rather than walk it all
      const std::uint64_t at = todo.back();
      todo.pop_back();
      const std::size_t h = heapBlockBefore(static_cast<std::uintptr_t>(at));
      if (h >= heap.size() ||
          at >= reinterpret_cast<std::uintptr_t>(heap[h].addr) + heap[h].size)
        continue;
      if (h == b)
        return true;
      if (!seen.insert(h).second || heap[h].site)
        continue;
      if (!refs.empty() && elems[h] && refs[h].frame == -1)
        todo.push_back(refs[h].at);
      if (auto it = segments.find(static_cast<std::uint32_t>(h)); it != segments.end())
        for (const Segment &sg : it->second)
          if (sg.ref.frame == -1)
            todo.push_back(sg.ref.at);
    }
    return false;
  }

  // The last heap block starting at or before |v|, or heap.size() if none.
  std::size_t heapBlockBefore(std::uintptr_t v) const {
    return lastStartingBy(heap, v, nearBlock, [](const HeapBlock &b) {
      return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(b.addr));
    });
  }

  const Mapping *mapping(std::uintptr_t v) {
    if (!mapsRead) {
      mapsRead = true;
      if (FILE *f = std::fopen("/proc/self/maps", "r")) {
        char line[512];
        while (std::fgets(line, sizeof line, f)) {
          unsigned long long a, b, offset = 0;
          char perms[8] = {0};
          int pos = 0;
          if (std::sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &a, &b, perms, &offset, &pos) < 4)
            continue;
          std::string name = line + pos;
          while (!name.empty() && (name.back() == '\n' || name.back() == ' '))
            name.pop_back();
          maps.push_back({static_cast<std::uintptr_t>(a), static_cast<std::uintptr_t>(b),
                          offset, name, std::strchr(perms, 'x') != nullptr});
        }
        std::fclose(f);
      }
    }
    for (const Mapping &m : maps)
      if (v >= m.start && v < m.end)
        return &m;
    return nullptr;
  }

  // Memory that is mapped from a file (a library's data, the program's constants)
  // holds real objects hmcc knows nothing of; anything else is dead memory.
  // |name| says where: the file and the offset in it (for addr2line, nm).
  bool foreign(std::uintptr_t v, std::string &name) {
    const Mapping *m = mapping(v);
    if (!m || m->name.empty() || m->name[0] == '[')
      return false;
    name = fmt::format("{} at file offset {:#x}", m->name, v - m->start + m->fileOffset);
    return true;
  }

  // Whether a word that points to no object the capture knows is garbage, not a
  // pointer hmcc cannot carry: it points into glibc's free-list heads (the old
  // fd/bk words of a chunk handed out again), or into the program's own file's
  // data outside its globals and literals (libhmrt's tables, whose freed
  // copies the program's blocks may reuse). The program's objects there are
  // found before this is asked; code is not garbage (function pointers).
  bool stale(std::uintptr_t v) {
    const auto arena = mallocArena();
    if (v >= arena.first && v < arena.second)
      return true;
    const Mapping *m = mapping(v);
    const Mapping *self = mapping(reinterpret_cast<std::uintptr_t>(&reachFromRoots));
    return m && self && !m->executable && m->name == self->name;
  }

  // Where a record's value is: |off| into a frame's variable, or its sender
  // address (a union choice, a pointer before a block).
  template <class Record>
  static void locateRecord(Record &r, const Where &w, std::uint64_t off) {
    if (w.ref.frame >= 0) {
      r.frame = w.ref.frame;
      r.var = w.ref.var;
      r.at = off;
    } else {
      r.at = w.ref.at + off;
    }
  }

  // Whether |v| lies in the program's ELF header or program headers, as
  // loaded: no object of any program is there.
  bool inFileHeaders(std::uintptr_t v) {
    const Mapping *m = mapping(v);
    const auto phdr = static_cast<std::uintptr_t>(getauxval(AT_PHDR));
    const Mapping *headers = phdr ? mapping(phdr) : nullptr;
    return m && m == headers && m->fileOffset == 0 &&
           v < phdr + getauxval(AT_PHNUM) * getauxval(AT_PHENT);
  }

  bool mayHold(const hm_type *t) {
    auto it = holds.find(t);
    if (it != holds.end())
      return it->second;
    holds[t] = false; // cycles go through pointers, which hold anyway
    bool r = false;
    switch (t->kind) {
    case HM_K_POINTER:
    case HM_K_FUNCPTR:
      r = true;
      break;
    case HM_K_SINT:
    case HM_K_UINT:
      r = (t->flags & HM_F_ADDRESS_INT) != 0;
      break;
    case HM_K_ARRAY:
      r = t->count && mayHold(t->elem);
      break;
    case HM_K_STRUCT:
    case HM_K_UNION:
      for (unsigned i = 0; i < t->nfields && !r; ++i)
        r = mayHold(t->fields[i].type);
      break;
    default:
      break;
    }
    return holds[t] = r;
  }

  [[noreturn]] void refuse(const Where &w, std::uint64_t off, const std::string &why,
                           const hm_type *value = nullptr) {
    fail("{} {}", placeText(w, off, value), why);
  }
  // "variable 'p' (struct node *) of main at a.c:4, at .next": the value at
  // |off| of what |w| scans.
  std::string placeText(const Where &w, std::uint64_t off, const hm_type *value = nullptr) {
    Path path;
    std::string at;
    const hm_type *type = w.elemType ? w.elemType : w.type;
    if (off >= w.origin && locate(LocalType{type}, off - w.origin, path))
      at = fmt::format("{}{}", w.origin ? fmt::format("byte {}: ", w.origin) : "",
                       describePath(type, path, value));
    return fmt::format("{}{}{}", w.what(), at.empty() ? "" : ", at ", at);
  }

  // An unsigned value of |size| bytes in this machine's order.
  static std::uint64_t readPointer(const unsigned char *p, std::size_t size) {
    switch (size) {
    case 1: return *p;
    case 2: { std::uint16_t x; std::memcpy(&x, p, 2); return x; }
    case 4: { std::uint32_t x; std::memcpy(&x, p, 4); return x; }
    default: { std::uint64_t x; std::memcpy(&x, p, 8); return x; }
    }
  }

  void scan(const hm_type *t, const unsigned char *p, const Where &w, std::uint64_t off) {
    if (!mayHold(t) || (t->flags & HM_F_MACHINE_STATE))
      return;
    // A struct hack's block may end inside its struct: nothing is there.
    if (end && p + t->size > end && t->kind != HM_K_STRUCT && t->kind != HM_K_ARRAY)
      return;
    switch (t->kind) {
    case HM_K_POINTER:
    case HM_K_FUNCPTR:
      return pointer(t, static_cast<std::uintptr_t>(readPointer(p, sizeof(void *))), w, off);
    case HM_K_SINT:
    case HM_K_UINT:
      return addressInt(t, p, w, off);
    case HM_K_ARRAY:
      for (std::uint64_t i = 0; i < t->count; ++i)
        scan(t->elem, p + i * t->elem->size, w, off + i * t->elem->size);
      return;
    case HM_K_STRUCT:
      for (unsigned i = 0; i < t->nfields; ++i) {
        const hm_field &f = taggedField(t, i);
        if (f.bit_width)
          continue;
        if (f.tag_field >= 0 && f.type->kind == HM_K_UNION) {
          taggedUnion(t, f, p, w, off);
          continue;
        }
        scan(f.type, p + f.offset, w, off + f.offset);
      }
      return;
    case HM_K_UNION:
      return untaggedUnion(t, p, w, off);
    default:
      return;
    }
  }

  // A union that holds pointers and names no active member (Lua's Value, a
  // parser's YYSTYPE): the sender decides by its bytes, and the image records
  // the decision. A pointer member whose value points to an object the capture
  // knows (a function of the program, for a function pointer) is the one; else
  // no member is a pointer, and the receiver converts it as its other members.
  // The one risk: an integer that equals the address of a live object.
  void untaggedUnion(const hm_type *t, const unsigned char *p, const Where &w,
                     std::uint64_t off) {
    // All zero bits read the same whatever the active member is.
    if (std::all_of(p, p + t->size, [](unsigned char b) { return b == 0; }))
      return;
    UnionChoiceRecord c;
    locateRecord(c, w, off);
    // Each member read as if it were the active one: it is plausible when every
    // pointer in it is null or points to an object the capture knows; the one
    // with the most such pointers wins (Lua's CallInfo.u: a Lua frame's saved
    // pc points into code, a C frame's continuation to a function).
    // With no pointer to a known object in any, a member that holds pointers is
    // still the one when it alone reads the bytes plausibly and no member
    // without pointers could read them (Lua's UpVal.u: a closed upvalue's
    // number, against the open one's list links).
    long best = -1;
    std::size_t fewest = 0, bestText = 0, bestMisfits = 0;
    bool plain = false, tie = false, bytePointersTie = false;
    std::vector<Guess> bestGuesses, textOver; // the chosen reading's; those a text one left
    unsigned structMember = 0;
    for (unsigned m = 0; m < t->nfields; ++m) {
      const hm_field &f = t->fields[m];
      if (f.bit_width)
        continue;
      if (!mayHold(f.type)) {
        plain = true;
        continue;
      }
      // Ties go to the member that reads fewer numbers kept in pointers (a
      // small int under a pointer member reads as one: SIG_IGN's 1); such a
      // tie cannot tell SIG_IGN from an int 1 (numbersTie).
      std::size_t known = 0;
      sentinelsRead = 0;
      textRead = 0;
      misfitsRead = 0;
      guessesRead.clear();
      if (!plausible(f.type, p + f.offset, known, 0))
        continue;
      const auto chosen = static_cast<std::uint32_t>(c.member);
      // A `void *` and a `char *` that read the value alike: which is meant
      // cannot be told, so the char pointer says nothing of text.
      if (static_cast<long>(known) > best)
        bytePointersTie = false;
      else if (static_cast<long>(known) == best && c.member >= 0 &&
               isBytePointer(t->fields[chosen].type) && isBytePointer(f.type) &&
               !t->fields[chosen].type->elem != !f.type->elem)
        bytePointersTie = true;
      const auto take = [&] {
        c.member = static_cast<std::int32_t>(m);
        bestText = textRead;
        bestMisfits = misfitsRead;
        bestGuesses = guessesRead;
        textOver.clear();
      };
      if (static_cast<long>(known) > best) {
        best = static_cast<long>(known);
        fewest = sentinelsRead;
        tie = false;
        take();
      } else if (static_cast<long>(known) == best && sentinelsRead != fewest) {
        tie = true;
        if (sentinelsRead < fewest) {
          fewest = sentinelsRead;
          take();
        }
      } else if (static_cast<long>(known) == best && misfitsRead != bestMisfits) {
        // A struct with pointers that cannot be where its pointer points (a
        // `char *` to 8 bytes of text, read as a `struct node *`).
        if (misfitsRead < bestMisfits)
          take();
      } else if (static_cast<long>(known) == best) {
        // A char pointer and a pointer to a struct read the same bytes alike
        // (an AST node's `char *s` and `struct node *kids[2]`): as text,
        // unless something else says the struct is there; read as the
        // struct, the text would convert as its fields.
        if (!bestGuesses.empty() && guessesRead.empty() && textRead) {
          textOver = std::move(bestGuesses);
          structMember = chosen;
          c.member = static_cast<std::int32_t>(m);
          bestText = textRead;
          bestMisfits = misfitsRead;
          bestGuesses.clear();
        } else if (bestGuesses.empty() && bestText && !guessesRead.empty() &&
                   textOver.empty()) {
          textOver = guessesRead;
          structMember = m;
        }
      }
    }
    guessesRead.clear();
    if (c.member >= 0 && !textOver.empty())
      for (const Guess &g : textOver)
        textOrStruct.push_back({g, w.what(), off, t->name,
                                t->fields[static_cast<unsigned>(c.member)].name,
                                t->fields[structMember].name});
    if (best == 0 && plain)
      c.member = -1;
    else if (tie)
      numbersTie(t, w, off);
    if (c.member < 0)
      plainMembersConvert(t, p, w, off);
    c.level = unionLevel;
    if (c.member >= 0) {
      const hm_field &f = t->fields[static_cast<unsigned>(c.member)];
      ++unionLevel;
      const bool wasGuessed = guessedCharPointer;
      guessedCharPointer = bytePointersTie;
      struct Leave {
        std::uint32_t &level;
        bool &guessed;
        bool was;
        ~Leave() {
          --level;
          guessed = was;
        }
      } leave{unionLevel, guessedCharPointer, wasGuessed};
      scan(f.type, p + f.offset, w, off + f.offset);
    } else {
      // No member's pointers all point to known objects: a word that points
      // into a library's memory is a pointer hmcc cannot carry, not a number.
      std::string lib;
      const auto v = static_cast<std::uintptr_t>(readPointer(p, sizeof(void *)));
      // Not so for stale bytes (Lua's CallInfo.u of a C frame, a nil Value),
      // nor for a word into the program's ELF headers, where no object lies
      // (mawk's INST on s390x: an int op beside the stale half of a pointer).
      if (t->size >= sizeof(void *) && v && !find(v) && !stale(v) && !inFileHeaders(v) &&
          foreign(v, lib))
        refuse(w, off, fmt::format("is a {} whose bytes point into memory hmcc does not "
                                   "manage ({})", t->name, lib));
    }
    unions.push_back(c);
  }

  // Whether the destination named keeps |t|'s bytes as they are here (its
  // layout and byte order); not when none is named.
  static bool destinationKeeps(const hm_type *t) {
    const std::string &dest = destinationTriple();
    if (dest.empty() || dest == HM_TARGET_TRIPLE)
      return !dest.empty();
    const TargetModel there = targetModel(dest);
    return there.bigEndian == targetModel(HM_TARGET_TRIPLE).bigEndian && sameLayoutOn(t, there);
  }

  // Two members of an untagged union read its bytes as plausibly, one with a
  // number kept in a pointer where the other has other values (`fn = SIG_IGN`
  // or `int code = 1`): they write the same bytes only where the union keeps
  // its layout and byte order; elsewhere which is meant cannot be told.
  void numbersTie(const hm_type *t, const Where &w, std::uint64_t off) {
    const std::string &dest = destinationTriple();
    if (destinationKeeps(t))
      return;
    refuse(w, off, fmt::format("is a {} whose members read its bytes alike but one as a "
                               "number kept in a pointer (SIG_IGN, (void *)-1), another as "
                               "other values: which is meant cannot be told, and they "
                               "convert differently on {} (name its tag with HM_UNION_TAG)",
                               t->name, dest.empty() ? "other targets" : dest));
  }

  // A union value that holds no pointer converts as all its members without
  // pointers at once: the receiver can when they write no bit differently
  // there (plain_union.cpp), or when the layout stays (same byte order and
  // scalars, no long double of another format). Checked here for the destination named, which would
  // otherwise refuse the image once this process has gone (a bison YYSTYPE's
  // `char` and `int`: 1 reads so only in the same byte order).
  void plainMembersConvert(const hm_type *t, const unsigned char *p, const Where &w,
                           std::uint64_t off) {
    const std::string &dest = destinationTriple();
    if (dest.empty() || dest == HM_TARGET_TRIPLE)
      return;
    if (destinationKeeps(t) && !holdsLongDouble(t))
      return; // the receiver copies it
    const TargetModel there = targetModel(dest);
    const std::string why = plainMembersDisagree(t, p, there);
    if (!why.empty())
      refuse(w, off, fmt::format("is a {} that holds no pointer here, names no active "
                                 "member, and converts differently on {}: {} (name its "
                                 "tag with HM_UNION_TAG)",
                                 t->name, dest, why));
  }

  // Whether every pointer of |t| at |p| is null or points to an object this
  // capture knows (a function of the program, for a function pointer); |known|
  // counts those that do. Nested unions decide for themselves when scanned.
  bool plausible(const hm_type *t, const unsigned char *p, std::size_t &known, int depth) {
    if (depth > 16 || !mayHold(t))
      return true;
    switch (t->kind) {
    case HM_K_POINTER:
    case HM_K_FUNCPTR: {
      const auto v = static_cast<std::uintptr_t>(readPointer(p, sizeof(void *)));
      if (!v)
        return true;
      if (isSentinel(v, sizeof(void *))) {
        ++sentinelsRead; // plausible, but less than a reading without numbers
        return true;
      }
      const auto o = find(v);
      const bool function = o && o->kind == Kind::Landmark &&
                            landmarks[o->index].kind == kFunction;
      // A `void *` may hold a function's address (mawk's INST.ptr holds its
      // builtins): at its entry, as a function pointer would.
      if (!o || (t->kind == HM_K_FUNCPTR || (function && !t->elem) ? !function || v != o->addr
                                                                    : function))
        return false;
      // Text, argv's strings, a stream: no struct is there (Lua's light
      // userdata argv, read as its Value's GCObject *).
      if (o->kind == Kind::Landmark && t->kind == HM_K_POINTER && t->elem &&
          !landmarkHolds(landmarks[o->index].kind, landmarks[o->index].key, t->elem))
        return false;
      // libhmrt's own variable (HM_MIGRATE_TO): no receiver has it, and the
      // program's words that read so are stale (a Lua empty slot's bits).
      if (o->kind == Kind::Landmark && isRuntimeVariable(landmarks[o->index]))
        return false;
      // A heap object whose header tag says it is another struct; an object
      // that holds pointers at an address not aligned for them; a place the
      // block's type has no such object at.
      if (o->kind == Kind::Heap && t->kind == HM_K_POINTER && usable(t->elem)) {
        if (tagContradicts(t->elem, reinterpret_cast<const unsigned char *>(v),
                           o->addr + o->size - v) ||
            (mayHold(t->elem) && v % alignof(void *) != 0))
          return false;
        Path path;
        if (elems[o->index] && !locateInBlock(o->index, v - o->addr, path))
          return false;
        if (!isCharLike(t->elem) && contradictsObjects(o->index, v - o->addr, t->elem))
          return false;
        // A struct with pointers that does not fit there, or whose pointers
        // read as no address, in a block nothing types (a `char *` to text,
        // read as a `struct node *`): a worse reading than one without, not
        // an impossible one (a dangling pointer is still a pointer).
        const auto b = static_cast<std::uint32_t>(o->index);
        const bool untyped = !heap[b].site && !elems[b] && !segments.count(b);
        const std::uint64_t room = o->addr + o->size - v;
        if (!fitsFrom(t->elem, room)) {
          if (holdsPointers(t->elem))
            ++misfitsRead;
        } else if (untyped && holdsPointers(t->elem) &&
                   !contentsPlausible(t->elem, reinterpret_cast<const unsigned char *>(v), room)) {
          // Its own pointers point nowhere (bc's YYSTYPE: a name read as its
          // `arg_list *`, whose `next` is "_number"): no guess that a text
          // reading could be mistaken for; which member is first decides, as
          // a fresh struct's pointers may be garbage too.
        } else if (untyped) { // read so, it alone would say what the block holds
          guessesRead.push_back({b, v - o->addr, t->elem});
        }
      } else if (o->kind == Kind::Heap && t->kind == HM_K_POINTER && t->elem &&
                 isCharLike(t->elem)) {
        ++textRead;
      }
      ++known;
      return true;
    }
    case HM_K_UNION: {
      // A nested union (TValue's Value): as its most plausible member, and
      // of those, the one reading the fewest numbers kept in pointers (a
      // Lua integer 3 under Value's `gc` is no evidence: `i` reads it too).
      std::size_t best = 0, fewestHere = 0;
      bool any = false;
      const std::size_t before = sentinelsRead, textBefore = textRead, misfitsBefore = misfitsRead;
      const std::size_t guessedBefore = guessesRead.size();
      std::vector<Guess> bestGuesses;
      std::size_t bestText = 0, bestMisfits = 0;
      for (unsigned m = 0; m < t->nfields; ++m) {
        std::size_t k = 0;
        sentinelsRead = 0;
        textRead = 0;
        misfitsRead = 0;
        guessesRead.resize(guessedBefore);
        if (!t->fields[m].bit_width &&
            plausible(t->fields[m].type, p + t->fields[m].offset, k, depth + 1) &&
            (!any || k > best ||
             (k == best && (sentinelsRead < fewestHere ||
                            (sentinelsRead == fewestHere && misfitsRead < bestMisfits))))) {
          any = true;
          best = k;
          fewestHere = sentinelsRead;
          bestText = textRead;
          bestMisfits = misfitsRead;
          bestGuesses.assign(guessesRead.begin() + static_cast<std::ptrdiff_t>(guessedBefore),
                             guessesRead.end());
        }
      }
      sentinelsRead = before + fewestHere;
      textRead = textBefore + bestText;
      misfitsRead = misfitsBefore + bestMisfits;
      guessesRead.resize(guessedBefore);
      guessesRead.insert(guessesRead.end(), bestGuesses.begin(), bestGuesses.end());
      known += best;
      return any;
    }
    case HM_K_ARRAY:
      for (std::uint64_t i = 0; i < t->count && i < 64; ++i)
        if (!plausible(t->elem, p + i * t->elem->size, known, depth + 1))
          return false;
      return true;
    case HM_K_STRUCT:
      for (unsigned i = 0; i < t->nfields; ++i)
        if (!t->fields[i].bit_width &&
            !plausible(t->fields[i].type, p + t->fields[i].offset, known, depth + 1))
          return false;
      return true;
    default:
      return true;
    }
  }

  void taggedUnion(const hm_type *record, const hm_field &f, const unsigned char *p,
                   const Where &w, std::uint64_t off) {
    const hm_field &tag = record->fields[f.tag_field];
    const std::int64_t value = readTag(tag, p);
    const unsigned k = tagEntry(f, value);
    if (k == f.ntags)
      return refuse(w, off + f.offset,
                    fmt::format("its tag '{}' is {}, which names no member of {}", tag.name,
                                value, f.type->name));
    if (f.tag_members[k] == HM_TAG_OTHERS) // a value nobody named: as an untagged union
      return scan(f.type, p + f.offset, w, off + f.offset);
    const hm_field &m = f.type->fields[f.tag_members[k]];
    // A tag read off the code (its table has an HM_TAG_OTHERS entry) may be
    // garbage in a dead object (a spare CallInfo past L->ci, never set): when
    // the member it names holds pointers to no object, the value goes by the
    // rule of untagged unions, and the image records the choice.
    std::size_t known = 0;
    const bool implausible = f.tag_members[f.ntags - 1] == HM_TAG_OTHERS && mayHold(m.type) &&
                             !plausible(m.type, p + f.offset + m.offset, known, 0);
    guessesRead.clear();
    if (implausible)
      return untaggedUnion(f.type, p + f.offset, w, off + f.offset);
    scan(m.type, p + f.offset + m.offset, w, off + f.offset + m.offset);
  }

  void addressInt(const hm_type *t, const unsigned char *p, const Where &w,
                  std::uint64_t off) {
    std::uint64_t v = readPointer(p, t->size);
    if (v == 0)
      return;
    if (const auto o = find(static_cast<std::uintptr_t>(v)))
      refuse(w, off, fmt::format("holds the address of {} in an integer ({}); hmcc "
                                 "cannot translate addresses kept in integers",
                                 describe(*o), t->name));
  }

  std::string describe(const Object &o) const {
    switch (o.kind) {
    case Kind::Global:
      return fmt::format("global '{}'", globals[o.index]->key);
    case Kind::Stack: {
      const auto &[f, s] = stack[o.index];
      return fmt::format("variable '{}' of {}", f->func->vars[s->var].name, f->func->key);
    }
    case Kind::Heap: {
      const hm_type *elem = elems[o.index];
      return fmt::format("a heap block of {} bytes{}", heap[o.index].size,
                         elem ? fmt::format(" ({})", elem->name) : "");
    }
    case Kind::Landmark:
      return fmt::format("'{}'", landmarks[o.index].key);
    }
    return "?";
  }

  void pointer(const hm_type *t, std::uintptr_t v, const Where &w, std::uint64_t off) {
    if (v == 0 || isSentinel(v, sizeof(void *)))
      return; // null, or a number kept in a pointer (SIG_IGN): it travels as is
    std::string lib;
    const auto o = find(v);
    if (t->kind == HM_K_FUNCPTR) {
      if (o && o->kind == Kind::Landmark && landmarks[o->index].kind == kFunction &&
          v == o->addr)
        return;
      // Into a function, or into code no instrumented unit took the address of:
      // a function pointer hmcc cannot carry. To data (a heap block, a global,
      // a literal): no code is there, and the value is stale (SQLite's Mem.xDel
      // once the Mem no longer owns its text), as one to no object is.
      const bool code = o ? o->kind == Kind::Landmark && landmarks[o->index].kind == kFunction
                          : !stale(v) && foreign(v, lib);
      if (code)
        refuse(w, off, fmt::format("points to a function hmcc does not know ({}); "
                                   "function pointers may point to the program's own "
                                   "functions and those whose address an instrumented "
                                   "unit takes",
                                   o ? fmt::format("{} bytes into '{}'", v - o->addr,
                                                   landmarks[o->index].key)
                                     : lib));
      dead.push_back(v); // dead memory: restored as a null pointer
      return;
    }
    // One element before a heap block's start (`empty = base - 1`): no object
    // holds it, or one that a T at it would overrun (a block's header lies
    // between); not one past the end of the block before (`end = a + n`), nor
    // the start of an object. It is that block's, counted back.
    if (const hm_type *e = t->elem; usable(e) && e->size && v + e->size > v)
      if (const auto next = find(v + e->size);
          next && next->kind == Kind::Heap && next->addr == v + e->size &&
          (!o || (v > o->addr && v < o->addr + o->size && v + e->size > o->addr + o->size))) {
        ElementsBeforeRecord r;
        locateRecord(r, w, off);
        r.bytes = e->size;
        r.count = 1;
        befores.push_back(r);
        placeObjects(next->index);
        return heapPointer(e, next->index, 0, w, off);
      }
    if (!o) {
      if (!stale(v) && foreign(v, lib))
        refuse(w, off, fmt::format("points into memory hmcc does not manage ({}); "
                                   "hmcc translates pointers to the heap, globals, "
                                   "locals, string literals, argv and stdio", lib));
      dead.push_back(v); // dead: freed, or never set; restored as a null pointer
      return;
    }
    const std::uint64_t into = v - o->addr;
    // One past the end of an object, and in no other: said in the image, for
    // a receiver cannot tell it from a pointer to an object left out of it
    // (globals and locals may lie end to end).
    if (o->size && into == o->size)
      ends.push_back(v);
    // A stream libhmrt did not see opened (popen, tmpfile, fmemopen):
    // glibc's structure, whose descriptor and links mean nothing elsewhere.
    if (o->kind != Kind::Landmark && t->elem &&
        (std::strcmp(t->elem->name, "FILE") == 0 ||
         std::strcmp(t->elem->name, "struct _IO_FILE") == 0))
      refuse(w, off, "points to a stream libhmrt did not see opened with fopen (popen, "
                     "tmpfile, fmemopen, open_memstream): it cannot be opened again "
                     "elsewhere");
    switch (o->kind) {
    case Kind::Heap:
      placeObjects(o->index);
      return heapPointer(t->elem, o->index, into, w, off);
    case Kind::Global:
      return checkPlace(globals[o->index]->type, into, w, off, *o, t->elem);
    case Kind::Stack:
      return checkPlace(stack[o->index].second->type, into, w, off, *o, t->elem);
    case Kind::Landmark: {
      const Landmark &l = landmarks[o->index];
      if ((l.kind == kStdio || l.kind == kFunction || l.kind == kStream) && into != 0)
        refuse(w, off, fmt::format("points inside {}", describe(*o)));
      if (l.kind == kStream && !l.key.empty() && l.key[0] == '!')
        refuse(w, off, fmt::format("is {}", l.key.substr(1)));
      if (isRuntimeVariable(l))
        refuse(w, off, fmt::format("points into {}, libhmrt's own variable, which a "
                                   "receiver need not have (or has with another value)",
                                   describe(*o)));
      // What the receiver would refuse, once this process had gone.
      if (t->elem && !landmarkHolds(l.kind, l.key, t->elem))
        refuse(w, off, fmt::format("points into {}, which holds no {}", describe(*o),
                                   t->elem->name));
      return;
    }
    }
  }

  void checkPlace(const hm_type *type, std::uint64_t into, const Where &w,
                  std::uint64_t off, const Object &o, const hm_type *pointee) {
    Path path;
    std::uint64_t inner = 0;
    // A byte pointer may point inside a scalar: the receiver places it where the
    // scalar keeps its bytes (same size and byte order), and refuses elsewhere.
    if (pointee && isCharLike(pointee) ? !locateByte(LocalType{type}, into, path, inner)
                                       : !locate(LocalType{type}, into, path))
      refuse(w, off, fmt::format("points {} bytes into {} ({}), into padding or the "
                                 "middle of a scalar; hmcc cannot place it in "
                                 "another layout",
                                 into, describe(o), type->name));
    if (inner)
      byteInsideScalar(w, off, inner, scalarAt(type, path));
    // A typed pointer into a global's or a local's char memory: a T's bytes
    // are there, as a copy would have put them (`struct node *n = (void *)(pool
    // + top)` then `n->value = v`), and travel as bytes. Not a union's member
    // (the union may hold text there), nor a T that does not fit (a `&key`
    // of a `static char key`).
    if (pointee && pointee->size && !isCharLike(pointee) && !unionLevel &&
        into + pointee->size <= o.size && !boundByPointers.count(pointee))
      if (const hm_type *there = scalarAt(type, path);
          there && isCharLike(there) && !startsA(type, path, pointee) &&
          !(into == 0 && endsWithA(o.addr, pointee)))
        if (checkValuesInBytes(
                static_cast<std::uintptr_t>(o.addr + into), pointee->size, pointee, false,
                [&] { return fmt::format("that {} points to", placeText(w, off)); }, true))
          boundByPointers.insert(pointee);
    if (!placedOutside.empty())
      pointedOutside.push_back(o.addr + into);
  }
  // A `void *` or a pointer to char.
  static bool isBytePointer(const hm_type *t) {
    return t->kind == HM_K_POINTER && (!t->elem || isCharLike(t->elem));
  }
  // Whether a global or a local of |pointee|s ends at |at| (`end = a + n` one
  // past an int array, where a char array begins): the pointer is its end.
  bool endsWithA(std::uintptr_t at, const hm_type *pointee) const {
    const std::optional<Object> before = find(at - 1);
    if (!before || before->addr + before->size != at ||
        (before->kind != Kind::Global && before->kind != Kind::Stack))
      return false;
    const hm_type *t = before->kind == Kind::Global ? globals[before->index]->type
                                                    : stack[before->index].second->type;
    while (t->kind == HM_K_ARRAY && t->elem)
      t = t->elem;
    return t == pointee || std::strcmp(t->name, pointee->name) == 0;
  }
  // Whether |path| in |t| goes through a |pointee| that starts where it ends
  // (a struct whose first member is a char array: the pointer points to it).
  static bool startsA(const hm_type *t, const Path &path, const hm_type *pointee) {
    for (std::size_t k = 0;; ++k) {
      if (sameType(t, pointee)) {
        bool first = true;
        for (std::size_t j = k; j < path.size(); ++j)
          first &= path[j] == 0;
        if (first)
          return true;
      }
      if (k == path.size())
        return false;
      if (t->kind == HM_K_ARRAY && t->elem)
        t = t->elem;
      else if ((t->kind == HM_K_STRUCT || t->kind == HM_K_UNION) && path[k] < t->nfields)
        t = t->fields[path[k]].type;
      else
        return false;
    }
  }

  // The objects calls placed in block |b|, as pointers to them would say, before
  // the first pointer that reaches it: they say what no pointer type may.
  // Whether an object the block is known to hold at |into| (placed there, or
  // typed by a pointer) is not a |pointee| nor the start of one: a union's
  // pointer member that reads so is not the active one (a parser's stale
  // YYSTYPE `cp` into a pool piece handed out again as another struct, when a
  // `void *` member reads it too).
  bool contradictsObjects(std::size_t b, std::uint64_t into, const hm_type *pointee,
                          bool placedOnly = false) {
    const auto differs = [&](const hm_type *there, std::uint64_t rel) {
      return !holdsAt(there, rel % there->size, pointee, 0) &&
             !(rel == 0 && startsWith(pointee, there, 0));
    };
    if (auto it = segments.find(static_cast<std::uint32_t>(b)); it != segments.end()) {
      const std::vector<Segment> &segs = it->second;
      auto after = std::upper_bound(segs.begin(), segs.end(), into,
                                    [](std::uint64_t x, const Segment &s) { return x < s.offset; });
      if (after != segs.begin()) {
        const std::size_t k = static_cast<std::size_t>(after - segs.begin()) - 1;
        const Segment &s = segs[k];
        const std::uint64_t rel = into - s.offset;
        const bool inPrefix = !s.fields || rel < prefixEnd(s.type, s.fields);
        if (inPrefix && rel / s.type->size < std::min(s.known, segmentCount(b, segs, k)) &&
            (!placedOnly || s.ref.frame == Referrer::kPlaced) && differs(s.type, rel))
          return true;
      }
    }
    if (auto it = placedIn.find(static_cast<std::uint32_t>(b)); it != placedIn.end()) {
      const std::uintptr_t at = reinterpret_cast<std::uintptr_t>(heap[b].addr) + into;
      for (std::size_t i = it->second.first; i < it->second.second; ++i) {
        const hm_type *there = placed[i].site->type;
        if (usable(there) && at >= placed[i].addr && at < placed[i].addr + there->size &&
            differs(there, at - placed[i].addr))
          return true;
      }
    }
    return false;
  }

  // Whether what block |b| is known to hold at |into| (its elements, the
  // struct and its flexible array, a segment) has no |t| there: not a member
  // nor a struct that begins with |t|'s fields (a header's object).
  bool typedOtherwise(std::size_t b, std::uint64_t into, const hm_type *t) {
    const HeapBlock &blk = heap[b];
    const auto [there, rel] =
        objectAt(b, into, elems[b] ? elems[b] : blk.site ? blk.site->type : nullptr);
    if (!usable(there))
      return false;
    return !holdsAt(there, rel, t, 0) &&
           !(rel == 0 && (startsWith(t, there, 0) || startsWith(there, t, 0) ||
                          beginsWithHeader(there, t)));
  }

  void placeObjects(std::size_t b) {
    const auto it = placedIn.find(static_cast<std::uint32_t>(b));
    if (it == placedIn.end())
      return;
    const auto [first, last] = it->second;
    placedIn.erase(it);
    for (std::size_t i = first; i < last; ++i) {
      const hm_alloc_site *site = placed[i].site;
      if (!usable(site->type))
        continue;
      const std::uint64_t into = placed[i].addr - reinterpret_cast<std::uintptr_t>(heap[b].addr);
      Where w{[site, into] { return fmt::format("the {} placed at byte {} ({})",
                                                site->type->name, into, site->key); },
              site->type,
              {Referrer::kPlaced, 0, reinterpret_cast<std::uintptr_t>(site)}};
      const HeapBlock &blk = heap[b];
      // The elements the piece holds: one T then raw bytes (a string's header
      // and its text), or as many as its size holds; unknown without a size.
      const hm_type *famElem = nullptr;
      std::uint64_t famOffset = 0;
      const bool fam = isFam(site->type, &famElem, &famOffset, /*hack=*/true);
      // A struct ending in a flexible array (or a struct hack's [1]) is shaped
      // by that array, as a block it types is.
      const std::uint64_t most = fam ? ~std::uint64_t(0)
                                 : (site->flags & HM_SITE_ONE) ? 1
                                 : placed[i].size ? std::max<std::uint64_t>(
                                                        placed[i].size / site->type->size, 1)
                                                  : ~std::uint64_t(0);
      const std::uint64_t elementsBytes =
          most == ~std::uint64_t(0) ? 0 : most * site->type->size;
      const std::uint64_t tail = placed[i].size > elementsBytes && elementsBytes
                                     ? placed[i].size - elementsBytes
                                     : 0;
      const auto here = static_cast<std::uint32_t>(b);
      if ((into > 0 || most != ~std::uint64_t(0)) && !blk.site && !elems[b] &&
          !segments.count(here) && into + site->type->size <= blk.size) {
        // After something else (a header), or a piece of known size: an object
        // of its own, not an element of an array from the block's start, as a
        // pointer there could be.
        flags[b] |= kReached;
        Segment s{into, 0, site->type, w.ref, false, 1};
        s.most = most;
        s.tail = tail;
        segments[here].push_back(s);
        work.push_back(here);
      } else {
        heapPointer(site->type, b, into, w, 0);
        if (auto it = segments.find(here); it != segments.end())
          for (Segment &s : it->second)
            if (s.offset == into && s.type == site->type) {
              s.most = std::min(s.most, most);
              s.tail = tail;
            }
      }
    }
  }

  void heapPointer(const hm_type *pointee, std::size_t b, std::uint64_t into, const Where &w,
                   std::uint64_t off) {
    const HeapBlock &blk = heap[b];
    // A header whose tag, the program's code says, names the object's struct
    // (Lua's GCObject and its tt): the pointer says that struct is there.
    const hm_type *header = pointee;
    const hm_type *d = nullptr;
    if (pointee && into < blk.size)
      if ((d = downcastOf(pointee, static_cast<const unsigned char *>(blk.addr) + into,
                          blk.size - into)))
        pointee = d;
    Referrer here = w.ref;
    if (here.frame < 0)
      here.at += off; // sender address of the pointer
    else
      here.at = off;
    const bool atStart = into == 0;
    // A byte pointer may point inside a scalar (bzip2's, SQLite's, bc's into
    // memory handed out again): placed once what the block holds is known, as a
    // later pointer may type it. A `void *` is one too (an untagged union's,
    // Lua's dead table key into a reused string's hash).
    const bool bytePointer = !pointee || isCharLike(pointee);
    if (pointee && isCharLike(pointee) && !guessedCharPointer)
      flags[b] |= kByChar;
    if (bytePointer && into <= blk.size)
      placeLater.push_back({static_cast<std::uint32_t>(b), into, w.what(), off, true});
    // An object of another type the program's allocator last placed there
    // (mawk's end_code_p, a CODEBLOCK * into a zmalloc piece given back and
    // handed out again as a STRING) says the pointer is stale: like one to an
    // object that does not fit, it tells nothing of what the block holds.
    const bool stalePlaced = usable(pointee) && !isCharLike(pointee) &&
                             w.ref.frame != Referrer::kPlaced &&
                             contradictsObjects(b, into, pointee, /*placedOnly=*/true);
    // A header whose tag is none the code casts by, into memory typed as
    // something else there (Lua's dead table key: a GCObject * to memory
    // handed out again as a node array, whose tag byte is a value's type
    // there): no object of the program starts there. As a type it would cut
    // the array it points into short. Not when nothing else types the block:
    // a header may be the whole type of some objects.
    const bool staleTag = !d && usable(header) && into < blk.size &&
                          w.ref.frame != Referrer::kPlaced &&
                          tagNamesNone(header, static_cast<const unsigned char *>(blk.addr) + into,
                                       blk.size - into) &&
                          typedOtherwise(b, into, header);
    if (usable(pointee) && into < blk.size &&
        (stalePlaced || staleTag || !fitsFrom(pointee, blk.size - into))) {
      // No object of its type fits where it points: it says nothing of what the
      // block holds (a dangling pointer to a freed object whose memory was
      // handed out again, as bc's `last` file node). It is carried as an
      // address, placed by what the block holds, once that is known.
      if (!(flags[b] & kReached)) {
        flags[b] |= kReached;
        if (blk.site)
          elems[b] = blk.site->type;
        work.push_back(static_cast<std::uint32_t>(b));
      }
      if (into != 0)
        placeLater.push_back({static_cast<std::uint32_t>(b), into, w.what(), off, false});
      // Unless something else types the block, the receiver has raw bytes
      // there, which it refuses to read as a T that holds pointers (the type
      // the pointer declares, as it reads it).
      if (usable(header) && holdsPointers(header) && w.ref.frame != Referrer::kPlaced)
        rawPointees.push_back({static_cast<std::uint32_t>(b), into, w.what(), off, header});
      // A struct that ends in a short text, in a block sized to the text
      // (`offsetof(STRING, str) + len + 1`, smaller than a STRING): its
      // numbers would travel as bytes, unless something else types it (right
      // only where the layout stays; its pointers never: the receiver refuses).
      if (into == 0 && !stalePlaced && !staleTag && !blk.site && endsInShortText(pointee) &&
          blk.size >= trailingText(pointee)->offset)
        shortStructs.push_back({static_cast<std::uint32_t>(b), pointee});
      return;
    }
    if (pointee && pointee->kind == HM_K_UNSUPPORTED && !pointee->size && !blk.site &&
        !elems[b] && !(flags[b] & kReached))
      opaque.emplace_back(static_cast<std::uint32_t>(b),
                          fmt::format("{}{} points to a heap block of {} bytes through a "
                                      "pointer to {}, which its unit does not define, and "
                                      "no frame or typed pointer says what the block holds",
                                      w.what(), off ? fmt::format(" (at byte {})", off) : "",
                                      blk.size, pointee->name));
    if (segments.count(static_cast<std::uint32_t>(b))) {
      if (usable(pointee))
        witness(b, into, pointee, here, w, off);
      return;
    }
    // A block of integers another pointer reads as integers of another width
    // (bzip2's arr1 as UInt32 and its mtfv as UInt16 over the same bytes, one
    // phase after the other): no type says which width holds now. Its bytes
    // are right wherever the byte order is the sender's: it travels as bytes.
    const auto integer = [](const hm_type *x) {
      return x && (x->kind == HM_K_SINT || x->kind == HM_K_UINT) &&
             !(x->flags & HM_F_ADDRESS_INT) && x->size > 1;
    };
    if (integer(pointee) && !isCharLike(pointee)) {
      const bool bound = rawBound.count(static_cast<std::uint32_t>(b)) != 0;
      // What the block holds: what reached it first, or, before anything has,
      // what its allocation site says (the pointer of the other width may be
      // dead, and left out of the image).
      const hm_type *held = elems[b] ? elems[b]
                            : blk.site && !(flags[b] & kReached) ? blk.site->type
                                                                : nullptr;
      if (bound || (held && integer(held) && held->size != pointee->size &&
                    !(blk.site && (blk.site->flags & HM_SITE_ONE)))) {
        if (!bound) {
          rawBound.insert(static_cast<std::uint32_t>(b));
          if (byteOrderBound.empty())
            byteOrderBound = fmt::format("{}{} reads a heap block of {} bytes of {} as {}",
                                         w.what(), off ? fmt::format(" (at byte {})", off) : "",
                                         blk.size, held->name, pointee->name);
          bytesOf(held, byteOrderBound);
          bytesOf(pointee, byteOrderBound);
          elems[b] = nullptr;
          flags[b] |= kReached;
        }
        return;
      }
    } else if (rawBound.count(static_cast<std::uint32_t>(b)) && usable(pointee) &&
               mayHold(pointee)) {
      refuse(w, off, fmt::format("points into a heap block of {} bytes read as integers "
                                 "of two widths, as a {}, which holds pointers",
                                 blk.size, pointee->name));
    }
    // The first typed pointer into an untyped block, not to an element of an
    // array of its type from the start: what is before it is something else (an
    // allocator's header, Lua's extra space), and the block holds several objects.
    const bool interior = !blk.site && !elems[b] && usable(pointee) &&
                          into % pointee->size != 0 && into < blk.size;
    if (interior) {
      flags[b] |= kReached;
      checkUsable(pointee, w, off);
      if (into + pointee->size > blk.size)
        refuse(w, off, fmt::format("points {} bytes into a heap block of {} bytes, to a {} "
                                   "of {} bytes that does not fit there",
                                   into, blk.size, pointee->name, pointee->size));
      segments[static_cast<std::uint32_t>(b)].push_back({into, 0, pointee, here, false, 1});
      work.push_back(static_cast<std::uint32_t>(b));
      return;
    }
    if (!(flags[b] & kReached)) {
      flags[b] |= kReached;
      if (blk.site) {
        elems[b] = blk.site->type;
      } else if (usable(pointee)) {
        typeBy(b, pointee, here, atStart);
      }
      checkUsable(elems[b], w, off);
      work.push_back(static_cast<std::uint32_t>(b));
    } else if (!blk.site && usable(pointee) && pointee != elems[b] &&
               (!elems[b] || (atStart && !(flags[b] & kFromStart)) ||
                (atStart && pointee->size > elems[b]->size)) &&
               !typedThrough(here, b)) {
      // A better witness of what the block holds: a typed pointer after raw
      // bytes, a pointer to the start after an interior one, or the larger of
      // two types at the start (a struct that begins with another); not one in
      // memory whose own type this block told (the receiver could type
      // neither first).
      typeBy(b, pointee, here, atStart);
      checkUsable(elems[b], w, off);
      work.push_back(static_cast<std::uint32_t>(b));
    }
    const hm_type *elem = elems[b];
    if (elem && !bytePointer && !isCharLike(elem)) {
      Path path;
      if (!locateInBlock(b, into, path))
        refuse(w, off, fmt::format("points {} bytes into a heap block of {} ({}), into "
                                   "padding or the middle of a scalar",
                                   into, elem->name, blk.size));
      // A typed pointer says what lives where it points. Where the block's type
      // has something else there, the block holds objects of several types (a
      // pool, an allocator's header before the object): from here on it is
      // typed by segments, each object by the pointers to it.
      const BlockShape shape = shapeOf(elem, blk);
      const std::uint64_t typedEnd = shape.count * elem->size;
      if (usable(pointee) && !shape.famElem &&
          ((into < typedEnd && !holdsAt(elem, into % elem->size, pointee, 0)) ||
           (into >= typedEnd && into < blk.size))) {
        Segment first{0, 0, elem, refs.empty() ? Referrer{} : refs[b], blk.site != nullptr,
                      blk.site ? shape.count : 1};
        segments[static_cast<std::uint32_t>(b)].push_back(first);
        elems[b] = nullptr;
        witness(b, into, pointee, here, w, off);
      }
    }
  }

  // The bytes of block |b| that travel as they are: all of an untyped block,
  // what its elements leave after them, what its segments do not cover.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> rawRanges(std::size_t b) const {
    const HeapBlock &blk = heap[b];
    std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
    if (auto it = segments.find(static_cast<std::uint32_t>(b)); it != segments.end()) {
      std::uint64_t at = 0;
      for (std::size_t k = 0; k < it->second.size(); ++k) {
        const Segment &s = it->second[k];
        if (s.offset > at)
          out.push_back({at, s.offset});
        at = std::max(at, s.offset + segmentBytes(b, it->second, k));
      }
      if (at < blk.size)
        out.push_back({at, blk.size});
      return out;
    }
    const hm_type *elem = elems[b];
    if (!elem) {
      out.push_back({0, blk.size});
      return out;
    }
    const BlockShape shape = shapeOf(elem, blk);
    const std::uint64_t end = shape.famElem ? shape.famOffset + shape.tail * shape.famElem->size
                                            : shape.count * elem->size;
    if (end < blk.size)
      out.push_back({end, blk.size});
    return out;
  }

  // Bytes that travel as they are must hold no pointer hmcc knows the target of
  // (the address of a function of the program, of a heap block, of a global):
  // it would arrive untranslated. Such a word means the block's type is not
  // what hmcc took it for (Lua's userdata after its header: a luaL_Stream's
  // FILE * and close function), or that a pointer hides in untyped memory.
  // The one risk: an integer equal to such an address (a refusal, never a
  // wrong result).
  void checkRawBytes(std::size_t b) {
    const HeapBlock &blk = heap[b];
    const auto *bytes = static_cast<const unsigned char *>(blk.addr);
    for (const auto &[from, to] : rawRanges(b)) {
      const std::uint64_t first = (from + sizeof(void *) - 1) / sizeof(void *) * sizeof(void *);
      for (std::uint64_t at = first; at + sizeof(void *) <= to; at += sizeof(void *)) {
        std::uintptr_t v;
        std::memcpy(&v, bytes + at, sizeof v);
        if (v < 4096)
          continue;
        // Into another object as well as at its start: a pointer to an element
        // or into text, kept where hmcc sees bytes, is as wrong untranslated.
        // Not where that refuses what is no pointer: into the block itself (a
        // pool's stale free-list links: mawk's zmalloc), in a block whose types
        // say it holds integers, or on a 32-bit target, where any word of
        // compressed data has a chance in a few hundred to fall inside the heap.
        const auto o = find(v);
        if (!o || v >= o->addr + std::max<std::uint64_t>(o->size, 1))
          continue;
        if (v != o->addr && (sizeof(void *) < 8 || rawBound.count(static_cast<std::uint32_t>(b)) ||
                             (o->kind == Kind::Heap && o->index == b)))
          continue;
        // A request waits for a later poll point: a frame there may say what the
        // block is (bzip2's EState, reached through a void * in between).
        throw TransientError(fmt::format(
            "a heap block of {} bytes{} holds at byte {}, in bytes hmcc carries as they "
            "are, {}: it would arrive untranslated (what the block holds there is not "
            "what hmcc took it for)",
            blk.size, elems[b] ? fmt::format(" ({})", elems[b]->name) : "", at,
            v == o->addr ? fmt::format("the address of {}", describe(*o))
                         : fmt::format("an address {} bytes into {}", v - o->addr,
                                       describe(*o))));
      }
    }
  }

  // A block that nothing types (no allocation site, placement, table of
  // addresses, typed pointer that fits or char pointer: only void pointers
  // reach it, a generic container's elements copied in from a `const void *`)
  // travels as its bytes, which are right only where values are laid out as
  // here: byte order and sizes bind the image (a vector of doubles arrived
  // byte-swapped, exit 0). Zero bytes read alike everywhere; bytes a recorded
  // copy put there are checked as its type's (checkBytesOf).
  void checkUnknownBytes(std::size_t b) {
    const HeapBlock &blk = heap[b];
    const auto here = static_cast<std::uint32_t>(b);
    if (elems[b] || blk.site || (flags[b] & kByChar) || segments.count(here) ||
        rawBound.count(here) || !layoutBound.empty())
      return;
    const auto begin = reinterpret_cast<std::uintptr_t>(blk.addr);
    const std::uintptr_t end = begin + blk.size;
    auto r = std::lower_bound(copied.begin(), copied.end(),
                              begin > longestCopy ? begin - longestCopy : 0,
                              [](const Placement &p, std::uintptr_t a) { return p.addr < a; });
    std::uintptr_t at = begin;
    while (at < end) {
      // The recorded copies from here on that cover |at|: skip to their end.
      std::uintptr_t covered = at;
      for (; r != copied.end() && r->addr <= covered; ++r)
        covered = std::max<std::uintptr_t>(covered, r->addr + r->size);
      if (covered > at) {
        at = covered;
        continue;
      }
      if (*reinterpret_cast<const unsigned char *>(at) != 0)
        break;
      ++at;
    }
    if (at >= end)
      return;
    std::string by = "no pointer";
    for (const PlaceLater &p : placeLater)
      if (p.block == here) {
        by = p.what;
        break;
      }
    layoutBound = fmt::format("a heap block of {} bytes that nothing types (reached by {}) "
                              "holds bytes of no type hmcc knows (byte {} is not zero)",
                              blk.size, by, at - begin);
    if (byteOrderBound.empty())
      byteOrderBound = layoutBound;
  }

  // Blocks only untyped pointers reach (mawk's array table behind its
  // `void *ptr`) whose every word is null or the address of an object the
  // capture knows: tables of pointers, whatever struct of pointers the program
  // reads them as. Typed as void *[] and scanned, for a destination whose
  // pointers are as wide (named: HM_MIGRATE_FOR), where any such struct has
  // this layout and a null word is null in either byte order. The one risk is
  // the untagged unions': an integer equal to a live address. Whether any was.
  bool typePointerWords() {
    const std::string &dest = destinationTriple();
    if (dest.empty() || targetModel(dest).pointerSize != sizeof(void *))
      return false;
    bool any = false;
    for (std::size_t b = 0; b < heap.size(); ++b) {
      const HeapBlock &blk = heap[b];
      if (!(flags[b] & kReached) || elems[b] || blk.site || blk.size < sizeof(void *) ||
          blk.size % sizeof(void *) || segments.count(static_cast<std::uint32_t>(b)) ||
          rawBound.count(static_cast<std::uint32_t>(b)))
        continue;
      const auto *bytes = static_cast<const unsigned char *>(blk.addr);
      bool addresses = false, words = true;
      for (std::uint64_t at = 0; words && at < blk.size; at += sizeof(void *)) {
        std::uintptr_t v;
        std::memcpy(&v, bytes + at, sizeof v);
        if (v == 0) // a sentinel is no address: it would make `int a = 1` a pointer
          continue;
        const auto o = find(v);
        // libhmrt's own variable is no address of the program's (plausible()).
        words = o.has_value() &&
                !(o->kind == Kind::Landmark && isRuntimeVariable(landmarks[o->index]));
        addresses = true;
      }
      if (!words || !addresses)
        continue;
      elems[b] = pointerWordType();
      work.push_back(static_cast<std::uint32_t>(b));
      any = true;
    }
    return any;
  }

  // A byte pointer to byte |inner| of a scalar: the receiver finds that byte
  // only where the scalar's bytes are in the same order (the image says so).
  void byteInsideScalar(const Where &w, std::uint64_t off, std::uint64_t inner,
                        const hm_type *scalar) {
    byteInsideScalar(w.what(), off, inner, scalar);
  }
  void byteInsideScalar(const std::string &what, std::uint64_t off, std::uint64_t inner,
                        const hm_type *scalar) {
    const std::string at = fmt::format("{}{} points to byte {} of a scalar ({})", what,
                                       off ? fmt::format(" (at byte {})", off) : "", inner,
                                       scalar ? scalar->name : "?");
    if (!scalar)
      fail("{}: hmcc cannot place it in another layout", at);
    // The bytes of an address have no counterpart in another address map: such
    // a pointer is stale (a free-listed struct's dangling pointer into memory
    // handed out again, as bc's), or meaningless elsewhere. The receiver makes
    // it null, as it does a dead pointer.
    if (scalar->kind == HM_K_POINTER || scalar->kind == HM_K_FUNCPTR)
      return;
    if (byteOrderBound.empty())
      byteOrderBound = at;
    bytesOf(scalar, at, isIntegerKind(scalar->kind) ? inner : Reach::ByteBound::kWhole);
  }
  // A scalar whose bytes the image holds in the sender's layout (up to |byte|,
  // or all of them), and why.
  void bytesOf(const hm_type *scalar, const std::string &why,
               std::uint64_t byte = Reach::ByteBound::kWhole) {
    for (Reach::ByteBound &b : byteBoundScalars)
      if (b.scalar == scalar) {
        if (b.byte != Reach::ByteBound::kWhole && (byte == Reach::ByteBound::kWhole ||
                                                   byte > b.byte)) {
          b.byte = byte;
          b.why = why;
        }
        return;
      }
    byteBoundScalars.push_back({scalar, byte, why});
  }
  // Copies of typed values into char memory (memcpy(buf, &d, sizeof d), the
  // program's serializers and generic containers): where the image carries that
  // memory as bytes, its numbers are right only where they keep their size and
  // byte order, and an address in it is right nowhere else. A run of copies
  // may span objects (two globals side by side): each value is looked at where
  // it is.
  void checkBytesOf() {
    for (const Placement &r : copied)
      if (r.site->type)
        checkValuesInBytes(r.addr, r.size, r.site->type, true, [&] {
          return fmt::format("copied there ({})", r.site->key);
        });
    // Objects a call placed in a static arena (`(struct node *)pool_alloc(sizeof
    // (struct node))` out of a char array): in no block, they travel as its bytes.
    // Only where a pointer points into one at the capture (an iterator in an
    // array counts): an arena reset, or a frame gone, leaves placements behind.
    std::sort(pointedOutside.begin(), pointedOutside.end());
    for (const std::size_t i : placedOutside) {
      const Placement &p = placed[i];
      const std::uint64_t extent = std::max<std::uint64_t>(p.size, p.site->type->size);
      if (auto it = std::lower_bound(pointedOutside.begin(), pointedOutside.end(), p.addr);
          it != pointedOutside.end() && *it < p.addr + extent)
        checkValuesInBytes(
            p.addr, extent, p.site->type, true,
            [&] { return fmt::format("placed there ({})", p.site->key); }, true);
    }
  }
  // The values of type |t| in [addr, addr + size), put there as |how| says (by
  // a copy the runtime |recorded|, or by a pointer). Whether that settles the
  // type: it holds no address, and all its numbers bound the image.
  template <class How>
  bool checkValuesInBytes(std::uintptr_t addr, std::uint64_t size, const hm_type *t,
                          bool recorded, const How &how, bool exact = false) {
    const bool addresses = holdsPointers(t); // whether |t| has scalars that may hold one
    // Values that may hold an address were recorded where each one starts (so
    // are those a pointer or a placement says): each scalar is looked at where
    // it lies (part of a value may lie in typed memory). Others, by the range
    // they cover (byte_records.cpp): any of its bytes the image carries as a
    // byte binds each number of the type.
    exact |= addresses;
    const std::uint64_t unit = t->size ? t->size : 1;
    const std::uint64_t end = addr + std::max<std::uint64_t>(size, 1);
    std::uint64_t first = end; // the first byte carried as a byte
    std::string why;           // made when needed: its first byte and how it came there
    const auto because = [&]() -> const std::string & {
      if (why.empty()) {
        const unsigned char *bytes = nullptr;
        std::uint64_t into = 0, room = 0;
        std::string where;
        carriedAsBytes(static_cast<std::uintptr_t>(first), bytes, into, room, &where);
        why = fmt::format("{} holds at byte {} the bytes of a value of type {} {}", where,
                          into, t->name, how());
      }
      return why;
    };
    const auto bind = [&](const hm_type *scalar) {
      if (scalar->kind == HM_K_POINTER || scalar->kind == HM_K_FUNCPTR || isCharLike(scalar) ||
          scalar->kind == HM_K_BOOL)
        return;
      if ((scalar->kind == HM_K_LDOUBLE || scalar->kind == HM_K_UNSUPPORTED) &&
          destinationTriple() != HM_TARGET_TRIPLE)
        fail("{}: the bytes of a {} have their format only on {}, and the destination is {}",
             because(), scalar->name, HM_TARGET_TRIPLE,
             destinationTriple().empty() ? "not named (HM_MIGRATE_FOR)" : destinationTriple());
      copiesBound |= recorded; // the receiver cannot record them again
      if (byteOrderBound.empty())
        byteOrderBound = because();
      if (scalar->kind != HM_K_UNSUPPORTED && !boundBy(scalar))
        bytesOf(scalar, because());
    };
    if (!exact) {
      for (std::uint64_t at = addr, skip = 1; at < end; at += skip) {
        const unsigned char *bytes = nullptr;
        std::uint64_t into = 0, room = 0;
        if (carriedAsBytes(static_cast<std::uintptr_t>(at), bytes, into, room, nullptr, &skip)) {
          first = at;
          forEachScalar(t, 0, [&](const hm_type *scalar, std::uint64_t) { bind(scalar); });
          return true;
        }
      }
      return false;
    }
    bool whole = true; // every scalar travels as bytes
    for (std::uint64_t at = addr; at < end; at += unit)
      forEachScalar(t, 0, [&](const hm_type *scalar, std::uint64_t off) {
        const unsigned char *bytes = nullptr; // the scalar's bytes as the image has them
        std::uint64_t into = 0, room = 0;      // its offset in its object, the bytes after
        if (at + off >= end ||
            !carriedAsBytes(static_cast<std::uintptr_t>(at + off), bytes, into, room, nullptr)) {
          whole = false;
          return;
        }
        first = std::min(first, at + off);
        if (!holdsPointers(scalar))
          return bind(scalar);
        std::uintptr_t v = 0;
        if (sizeof v <= room)
          std::memcpy(&v, bytes, sizeof v);
        // Only the address of an object the capture knows: the bytes may be
        // text by now, or a union's other member.
        if (v && find(v))
          fail("{}: an address kept as bytes is right in no other process; hmcc cannot "
               "translate it",
               because());
      });
    return whole && !addresses;
  }
  bool boundBy(const hm_type *scalar) const {
    for (const Reach::ByteBound &b : byteBoundScalars)
      if (b.scalar == scalar && b.byte == Reach::ByteBound::kWhole)
        return true;
    return false;
  }
  // Whether the image carries the byte at |at| as a byte (a char element of a
  // global, a live local or a reached heap block, or a block's untyped bytes),
  // not as part of a typed value or not at all; then the bytes the image has
  // from there, its offset in its object, how many follow, and, asked, the
  // object for messages.
  bool carriedAsBytes(std::uintptr_t at, const unsigned char *&bytes, std::uint64_t &into,
                      std::uint64_t &room, std::string *where,
                      std::uint64_t *notFrom = nullptr) const {
    std::uint64_t unused = 0;
    std::uint64_t &skip = notFrom ? *notFrom : unused; // bytes from |at| not carried so
    skip = 1;
    const std::optional<Object> o = find(at);
    if (!o || at >= o->addr + o->size) {
      skip = std::max<std::uint64_t>(nextObjectAfter(at) - at, 1); // no object: up to one
      return false;
    }
    skip = o->addr + o->size - at;
    into = at - o->addr;
    room = o->size - into;
    bytes = reinterpret_cast<const unsigned char *>(at);
    const hm_type *held = nullptr; // null: raw bytes
    std::uint64_t rel = into;
    if (o->kind == Kind::Heap) {
      if (!(flags[o->index] & kReached))
        return false;
      std::tie(held, rel) = objectAt(o->index, into, elems[o->index]);
      if (where)
        *where = fmt::format("a heap block of {} bytes", o->size);
    } else if (o->kind == Kind::Global && !globals[o->index]->constant) {
      held = globals[o->index]->type;
      if (where)
        *where = fmt::format("global '{}'", globals[o->index]->key);
    } else if (o->kind == Kind::Stack) {
      // Its frame's bytes as saved: the stack itself may be reused by now.
      const auto &[frame, slot] = stack[o->index];
      held = slot->type;
      bytes = slot->data(*frame) + into;
      if (where)
        *where = fmt::format("variable '{}' of {}", frame->func->vars[slot->var].name,
                             frame->func->key);
    } else {
      return false;
    }
    if (!held)
      return true;
    Path path;
    std::uint64_t inner = 0;
    const hm_type *scalar =
        locateByte(LocalType{held}, rel, path, inner) ? scalarAt(held, path) : nullptr;
    skip = std::min<std::uint64_t>(scalar && scalar->size > inner ? scalar->size - inner : 1,
                                   o->addr + o->size - at);
    return scalar && isCharLike(scalar); // else it travels as what it holds there
  }
  // Calls |f| with each scalar inside |t| and its offset from |at|.
  template <class F> static void forEachScalar(const hm_type *t, std::uint64_t at, F &&f) {
    if (t->kind == HM_K_ARRAY) {
      for (std::uint64_t i = 0; i < t->count && t->elem->size; ++i)
        forEachScalar(t->elem, at + i * t->elem->size, f);
    } else if (t->kind == HM_K_STRUCT || t->kind == HM_K_UNION) {
      for (unsigned i = 0; i < t->nfields; ++i)
        forEachScalar(t->fields[i].type, at + t->fields[i].offset, f);
    } else {
      f(t, at);
    }
  }
  // The scalar a byte path ends in.
  static const hm_type *scalarAt(const hm_type *t, const Path &path) {
    LocalType found{nullptr};
    return typeAt(LocalType{t}, path, 0, found) ? found.t : nullptr;
  }

  // The extent of segment |k| of block |b|: up to the next one, or the block's end.
  std::uint64_t segmentEnd(std::size_t b, const std::vector<Segment> &segs,
                           std::size_t k) const {
    return k + 1 < segs.size() ? segs[k + 1].offset : heap[b].size;
  }
  std::uint64_t segmentCount(std::size_t b, const std::vector<Segment> &segs,
                             std::size_t k) const {
    const Segment &s = segs[k];
    if (s.fields)
      return s.offset + prefixEnd(s.type, s.fields) <= segmentEnd(b, segs, k) ? 1 : 0;
    const std::uint64_t n =
        std::min((segmentEnd(b, segs, k) - s.offset) / s.type->size, s.most);
    return s.site && oneElement(heap[b]) ? std::min<std::uint64_t>(n, 1) : n;
  }
  // The bytes segment |k| covers: its elements, or its struct's leading fields.
  std::uint64_t segmentBytes(std::size_t b, const std::vector<Segment> &segs,
                             std::size_t k) const {
    const Segment &s = segs[k];
    return s.fields ? segmentCount(b, segs, k) * prefixEnd(s.type, s.fields)
                    : segmentCount(b, segs, k) * s.type->size;
  }
  // The bytes of segment |k|'s piece after its elements that travel with it (a
  // string's text past its header): a placed piece's, all of whose elements
  // are there, up to the next object.
  std::uint64_t segmentTail(std::size_t b, const std::vector<Segment> &segs,
                            std::size_t k) const {
    const Segment &s = segs[k];
    const std::uint64_t count = segmentCount(b, segs, k);
    const std::uint64_t end = s.offset + count * s.type->size;
    const std::uint64_t next = segmentEnd(b, segs, k);
    return s.tail && count == s.most && !s.fields && end <= next ? std::min(s.tail, next - end)
                                                                   : 0;
  }
  // An array up to the next object, less its trailing zero elements no pointer
  // points into: they travel as bytes, and on a receiver where its elements
  // are larger the next object keeps its place (a pool's fixed slots).
  void finishCounts(std::size_t b, std::vector<Segment> &segs) const {
    const auto *bytes = static_cast<const unsigned char *>(heap[b].addr);
    for (std::size_t k = 0; k < segs.size(); ++k) {
      Segment &s = segs[k];
      s.count = segmentCount(b, segs, k);
      s.tail = segmentTail(b, segs, k);
      while (s.count > std::max<std::uint64_t>(s.known, 1) && !s.fields && !s.site &&
             s.most == ~std::uint64_t(0)) {
        const unsigned char *last = bytes + s.offset + (s.count - 1) * s.type->size;
        if (!std::all_of(last, last + s.type->size, [](unsigned char c) { return c == 0; }))
          break;
        --s.count;
      }
    }
  }

  // A typed pointer to |pointee| at |into| of block |b|, which holds several
  // objects: the segment there holds one (an element, or a member of one), or
  // a new segment starts at an element boundary or in bytes no segment types.
  // What starts inside another object's element has no place: refused.
  void witness(std::size_t b, std::uint64_t into, const hm_type *pointee,
               const Referrer &here, const Where &w, std::uint64_t off) {
    if (into >= heap[b].size)
      return; // one past the end
    std::vector<Segment> &segs = segments[static_cast<std::uint32_t>(b)];
    auto after = std::upper_bound(segs.begin(), segs.end(), into,
                                  [](std::uint64_t x, const Segment &s) { return x < s.offset; });
    if (after != segs.begin()) {
      const std::size_t k = static_cast<std::size_t>(after - segs.begin()) - 1;
      Segment &s = segs[k];
      const std::uint64_t rel = into - s.offset, n = segmentCount(b, segs, k);
      const std::uint64_t element = rel / s.type->size;
      const bool inPrefix = !s.fields || rel < prefixEnd(s.type, s.fields);
      if (inPrefix && element < n && holdsAt(s.type, rel % s.type->size, pointee, 0)) {
        s.known = std::max(s.known, element + 1);
        return;
      }
      // A larger object that starts with the segment's (a struct whose first
      // member it is): the segment holds that one.
      if (rel == 0 && !s.site && s.known <= 1 && startsWith(pointee, s.type, 0) &&
          s.offset + pointee->size <= segmentEnd(b, segs, k)) {
        s.type = pointee;
        s.ref = here;
        work.push_back(static_cast<std::uint32_t>(b));
        return;
      }
      // Inside the one struct some pointer points to, past its leading fields:
      // the struct is only those, and this object starts in the room of the
      // rest (a header struct whose short form the program lays out).
      if (inPrefix && element == 0 && s.known <= 1 && !s.site && !s.fields && rel > 0)
        if (const unsigned j = leadingFieldsThere(s.type, rel)) {
          s.fields = j;
          s.known = 1;
        }
      // Inside an element some pointer points to, or the site laid out: the
      // objects overlap. Past those, the array ends where this object starts.
      if (inPrefix && !s.fields && element < n && element < s.known)
        refuse(w, off, fmt::format("points {} bytes into a heap block of {} bytes, into "
                                   "the {} there, as a {}: the block's objects overlap",
                                   into, heap[b].size, s.type->name, pointee->name));
    }
    checkUsable(pointee, w, off);
    // The segments it covers are its members (a struct whose member another
    // pointer typed first); one it only overlaps is another object.
    auto end = after;
    unsigned fields = 0; // the leading fields of it that are there, when not all
    while (end != segs.end() && end->offset < into + pointee->size) {
      if (!holdsAt(pointee, end->offset - into, end->type, 0)) {
        if ((fields = leadingFieldsThere(pointee, end->offset - into)))
          break;
        refuse(w, off, fmt::format("points {} bytes into a heap block of {} bytes, to a "
                                   "{} that overlaps the {} at byte {}: the block's "
                                   "objects overlap",
                                   into, heap[b].size, pointee->name, end->type->name,
                                   end->offset));
      }
      ++end;
    }
    const std::uint64_t bytes = fields ? prefixEnd(pointee, fields) : pointee->size;
    if (into + bytes > (end == segs.end() ? heap[b].size : end->offset))
      refuse(w, off, fmt::format("points {} bytes into a heap block of {} bytes, to a {} "
                                 "of {} bytes that does not fit there",
                                 into, heap[b].size, pointee->name, bytes));
    after = segs.erase(after, end);
    segs.insert(after, Segment{into, 0, pointee, here, false, 1, fields});
    work.push_back(static_cast<std::uint32_t>(b));
  }

  // How many leading fields of struct |t| are there when another object starts
  // at its byte |rel|, or 0 when that is an overlap: a struct the program
  // names in offsetof() must begin with those fields and have its next one at
  // |rel| (Lua's Udata0 beside Udata: a userdata without user values ends at
  // its metatable, and its bytes start at Udata0's bindata).
  static unsigned leadingFieldsThere(const hm_type *t, std::uint64_t rel) {
    const unsigned j = fieldsBefore(t, rel);
    if (!j)
      return 0;
    for (const hm_unit *u : units())
      for (unsigned i = 0; i < u->nlayouts; ++i) {
        const hm_type *l = u->layouts[i];
        if (l->kind == HM_K_STRUCT && l->nfields > j && l->fields[j].offset == rel &&
            sameLeadingFields(t, l, j))
          return j;
      }
    return 0;
  }

  // Two descriptors of one type: units have their own.
  static bool sameType(const hm_type *a, const hm_type *b) {
    return a == b || (a->kind == b->kind && a->size == b->size &&
                      (a->kind == HM_K_POINTER || a->kind == HM_K_FUNCPTR ||
                       std::strcmp(a->name, b->name) == 0 ||
                       ((a->kind == HM_K_SINT || a->kind == HM_K_UINT) &&
                        (b->kind == HM_K_SINT || b->kind == HM_K_UINT))));
  }
  // Whether an object of type |t| may start with one of |p| (its first member,
  // recursively).
  static bool startsWith(const hm_type *t, const hm_type *p, int depth) {
    for (; t && depth < 32; ++depth) {
      if (sameType(t, p))
        return true;
      if (t->kind == HM_K_ARRAY && t->count)
        t = t->elem;
      else if ((t->kind == HM_K_STRUCT || t->kind == HM_K_UNION) && t->nfields &&
               t->fields[0].offset == 0 && !t->fields[0].bit_width)
        t = t->fields[0].type;
      else
        return false;
    }
    return false;
  }
  // Whether struct |p|'s fields are a leading part of struct |t|'s, at the same
  // offsets (C's common initial sequence: Lua's GCObject header and its objects).
  static bool commonInitial(const hm_type *t, const hm_type *p) {
    return p->nfields && sameLeadingFields(t, p, p->nfields);
  }
  // Whether structs |t| and |p| both begin with the same |n| fields.
  static bool sameLeadingFields(const hm_type *t, const hm_type *p, unsigned n) {
    if (t->kind != HM_K_STRUCT || p->kind != HM_K_STRUCT || n > p->nfields ||
        n > t->nfields)
      return false;
    for (unsigned i = 0; i < n; ++i) {
      const hm_field &a = t->fields[i], &b = p->fields[i];
      if (a.offset != b.offset || a.bit_width != b.bit_width ||
          a.bit_offset != b.bit_offset || !sameType(a.type, b.type))
        return false;
    }
    return true;
  }
  // Whether |t| holds an object of type |p| at byte |at| (or one of which it is
  // the start, or whose leading fields are all of |p|'s).
  static bool holdsAt(const hm_type *t, std::uint64_t at, const hm_type *p, int depth) {
    if (depth > 32)
      return false;
    if (at == 0 && (startsWith(t, p, 0) || commonInitial(t, p)))
      return true;
    switch (t->kind) {
    case HM_K_ARRAY:
      return t->elem && t->elem->size && at < t->size &&
             holdsAt(t->elem, at % t->elem->size, p, depth + 1);
    case HM_K_STRUCT:
    case HM_K_UNION:
      for (unsigned i = 0; i < t->nfields; ++i) {
        const hm_field &f = t->fields[i];
        if (!f.bit_width && at >= f.offset && at < f.offset + f.type->size &&
            holdsAt(f.type, at - f.offset, p, depth + 1))
          return true;
      }
      return false;
    default:
      return false;
    }
  }

  // Block |b| holds |t|, as the pointer |ref| says.
  void typeBy(std::size_t b, const hm_type *t, const Referrer &ref, bool atStart) {
    elems[b] = t;
    if (refs.empty())
      refs.resize(heap.size());
    refs[b] = ref;
    flags[b] = static_cast<std::uint8_t>(atStart ? flags[b] | kFromStart
                                                 : flags[b] & ~kFromStart);
  }

  // Whether an object of |t| can be in |room| bytes: a struct ending in an
  // array of at most one element (a flexible array, the struct hack) needs
  // only the bytes before that array.
  static bool fitsFrom(const hm_type *t, std::uint64_t room) {
    const hm_type *famElem = nullptr;
    std::uint64_t famOffset = 0;
    return t->size <= room || (isFam(t, &famElem, &famOffset, true) && famOffset <= room);
  }

  // Where a pointer that types nothing points in its block: the receiver
  // places it by the block's own layout, so it must be the start of something
  // there (a byte pointer: any byte of a scalar), or in bytes that travel as
  // they are.
  // The object block |b| holds at |into| (a segment's; else one of its
  // elements of |elem|, or the struct's flexible array's) and |into|'s offset
  // in it; null in bytes that travel as they are.
  std::pair<const hm_type *, std::uint64_t> objectAt(std::size_t b, std::uint64_t into,
                                                     const hm_type *elem) const {
    if (auto it = segments.find(static_cast<std::uint32_t>(b)); it != segments.end()) {
      const std::vector<Segment> &segs = it->second;
      std::pair<const hm_type *, std::uint64_t> found{nullptr, 0};
      for (std::size_t k = 0; k < segs.size(); ++k)
        if (into >= segs[k].offset && into < segs[k].offset + segmentBytes(b, segs, k))
          found = {segs[k].type, (into - segs[k].offset) % segs[k].type->size};
      return found;
    }
    if (!elem)
      return {nullptr, 0};
    const BlockShape shape = shapeOf(elem, heap[b]);
    if (shape.famElem && into >= shape.famOffset)
      return {shape.famElem, (into - shape.famOffset) % shape.famElem->size};
    if (into < shape.count * elem->size)
      return {elem, into % elem->size};
    return {nullptr, 0};
  }

  // A block typed as one struct then bytes, whose last member is a char array:
  // a short text no site laid out (endsInShortText) moves as one run from
  // that member; else (a site's `sizeof(STRING) + len`, a longer array then
  // bytes) the bytes after the struct stay after it, and the text in the
  // padding moves only where that padding is as long. A block no site laid
  // out that holds a whole number of structs ending in a short text, or more
  // than one of them that hold pointers, may be that many or one and its
  // text: its pointers tell (pointersSay), else they read alike only
  // where the struct keeps its layout and byte order.
  void checkShortText(std::size_t b) {
    const hm_type *t = elems[b];
    const HeapBlock &blk = heap[b];
    if (!t || !t->size || segments.count(static_cast<std::uint32_t>(b)) || !trailingText(t) ||
        blk.size < t->size)
      return;
    const std::string what = fmt::format("a heap block of {} bytes", blk.size);
    const std::uint64_t n = blk.size / t->size;
    const std::string either =
        fmt::format("{} holds {} {}s{}, or one and its text (its last member '{}' is a short "
                    "char array)",
                    what, n, t->name, blk.size % t->size ? " and bytes" : "",
                    t->fields[t->nfields - 1].name);
    if (oneAndText(b, 0)) {
      if (blk.site || !endsInShortText(t))
        checkTextRoom(t, what, 0);
      else if (n >= 2 && holdsPointers(t) && pointersSay(b) != Reading::Text)
        throw TransientError(either +
                             ": read as an array, its pointers are null or point to objects");
      return;
    }
    if (blk.site || !endsInShortText(t) || blk.size % t->size)
      return;
    switch (pointersSay(b)) {
    case Reading::Text:
      throw TransientError(either + ": read as an array, a pointer points to no object");
    case Reading::Array:
      return;
    case Reading::Unknown:
      break;
    }
    if (destinationKeeps(t))
      return;
    const std::string &dest = destinationTriple();
    throw TransientError(fmt::format(
        "{}: which cannot be told, and the two convert differently on {}", either,
        dest.empty() ? "other targets (none was named: HM_MIGRATE_FOR)" : dest));
  }

  // What the pointers of block |b|'s elements after the first say it holds,
  // read as an array of its type: text when one is no address at all (in no
  // mapping: 8 letters of text read as one; not a dangling pointer to freed
  // memory, which an array may hold) and none before it points to an object,
  // an array when all are null or point to objects (or are numbers kept in
  // pointers); else, or without pointers, nothing.
  enum class Reading { Text, Array, Unknown };
  Reading pointersSay(std::size_t b) {
    const hm_type *t = elems[b];
    const auto *bytes = static_cast<const unsigned char *>(heap[b].addr);
    Reading said = Reading::Unknown;
    bool toObject = false; // an element's pointer to an object: an array's
    // Each pointer of the value of |type| at |at|: false once text is found.
    std::function<bool(const hm_type *, const unsigned char *, int)> scan =
        [&](const hm_type *type, const unsigned char *at, int depth) {
          if (depth > 16)
            return true;
          if (type->kind == HM_K_POINTER || type->kind == HM_K_FUNCPTR) {
            std::uintptr_t v;
            std::memcpy(&v, at, sizeof v);
            if (!v || isSentinel(v, sizeof v) || find(v)) {
              toObject = toObject || (v && !isSentinel(v, sizeof v));
              if (said == Reading::Unknown)
                said = Reading::Array;
              return true;
            }
            // Dangling, or text after pointers to objects: cannot tell.
            said = mapping(v) || toObject ? Reading::Unknown : Reading::Text;
            return false;
          }
          if (type->kind == HM_K_ARRAY && type->elem && type->elem->size &&
              holdsPointers(type->elem)) {
            for (std::uint64_t i = 0; i < type->count; ++i)
              if (!scan(type->elem, at + i * type->elem->size, depth + 1))
                return false;
          } else if (type->kind == HM_K_STRUCT) {
            for (unsigned f = 0; f < type->nfields; ++f)
              if (!type->fields[f].bit_width &&
                  !scan(type->fields[f].type, at + type->fields[f].offset, depth + 1))
                return false;
          }
          return true;
        };
    for (std::uint64_t k = 1; k < heap[b].size / t->size; ++k)
      if (!scan(t, bytes + k * t->size, 0))
        break;
    return said;
  }

  // Text that runs on from struct |t|'s last char array through the padding
  // after it goes on there only where that padding is as long: checked for
  // the destination named, else for every target hmcc builds for (the
  // receiver would refuse once this process has gone).
  void checkTextRoom(const hm_type *t, const std::string &what, std::uint64_t off) {
    const hm_field *last = trailingText(t);
    const std::uint64_t roomHere = t->size - last->offset;
    for (const std::string &target : destinationTargets()) {
      if (target == HM_TARGET_TRIPLE)
        continue;
      const TargetModel there = targetModel(target);
      const std::uint64_t roomThere =
          layoutOn(t, there).first - prefixEndOn(t, t->nfields - 1, there);
      if (roomHere != roomThere)
        fail("{}{} holds a {} whose text runs on from its last member through {} bytes "
             "of padding, which are {} on {}: where the text goes on there cannot be told",
             what, off ? fmt::format(" (at byte {})", off) : "", t->name, roomHere,
             roomThere, target);
    }
  }

  // Whether the object at |into| of block |b| is one struct and then its text
  // (a segment of one with a tail, or a block of one and bytes after it): the
  // receiver moves the text in its padding, and byte pointers into it follow.
  bool oneAndText(std::size_t b, std::uint64_t into) const {
    if (auto it = segments.find(static_cast<std::uint32_t>(b)); it != segments.end()) {
      for (std::size_t k = 0; k < it->second.size(); ++k) {
        const Segment &s = it->second[k];
        if (into >= s.offset && into < s.offset + segmentBytes(b, it->second, k))
          return segmentCount(b, it->second, k) == 1 && segmentTail(b, it->second, k) > 0;
      }
      return false;
    }
    // A block of one struct alone, no site laid out, too (`offsetof(STRING,
    // str) + len + 1` bytes): its text may fill the padding.
    const hm_type *t = elems[b];
    if (!t || !trailingText(t) || heap[b].size < t->size ||
        (heap[b].size == t->size && heap[b].site))
      return false;
    const BlockShape shape = shapeOf(t, heap[b]);
    return shape.count == 1 && !shape.famElem;
  }

  // A pointer to a struct with pointers where none fits, or stale, into a
  // block nothing typed then: the receiver reads it only into a typed block or
  // into a segment (as finishCounts left it), else refuses the image. Checked
  // as the receiver will, once the counts are final.
  void checkRawPointee(const RawPointee &a) const {
    const auto b = a.block;
    bool typed = elems[b] != nullptr;
    if (auto it = segments.find(b); it != segments.end())
      for (const Segment &sg : it->second) {
        const std::uint64_t bytes =
            sg.fields ? prefixEnd(sg.type, sg.fields) : sg.count * sg.type->size;
        typed |= a.into >= sg.offset && a.into - sg.offset < bytes;
      }
    if (!typed)
      throw TransientError(fmt::format(
          "{}{} is a pointer to {} that points {} bytes into a heap block of {} bytes, where "
          "none fits or the object there is another (a dangling pointer?), and nothing "
          "types those bytes: a receiver would find raw bytes there, and would not read a "
          "{} in them",
          a.what, a.off ? fmt::format(" (at byte {})", a.off) : "", a.type->name, a.into,
          heap[b].size, a.type->name));
  }

  // Whether |t|'s pointers, read off the bytes at |p| of a block nothing types,
  // are null or point to objects: one level deep, the counts of the reading
  // around it untouched.
  bool contentsPlausible(const hm_type *t, const unsigned char *p, std::uint64_t room) {
    if (readingContents || t->size > room)
      return true; // a struct hack's last array past the block: not read
    const std::size_t sentinels = sentinelsRead, text = textRead, misfits = misfitsRead;
    const std::size_t guessed = guessesRead.size();
    readingContents = true;
    std::size_t known = 0;
    const bool ok = plausible(t, p, known, 0);
    readingContents = false;
    sentinelsRead = sentinels;
    textRead = text;
    misfitsRead = misfits;
    guessesRead.resize(guessed);
    return ok;
  }

  // A union read as text where, as plausibly, it held a pointer to a struct
  // in a block nothing else types (textOrStruct): the block's bytes are right
  // as text wherever the struct would keep them (its layout and byte order);
  // else which was meant cannot be told.
  void checkTextOrStruct(const TextOrStruct &a) {
    const Guess &g = a.guess;
    // Where the struct keeps its bytes, text and struct travel alike, but for
    // pointers to objects, which raw bytes may not hold (checkRawBytes).
    if (objectAt(g.block, g.into, elems[g.block]).first || destinationKeeps(g.type))
      return;
    throw TransientError(fmt::format(
        "{}{} is a {} whose members '{}' and '{}' read its bytes alike: the heap block of {} "
        "bytes they point to, which nothing else types, holds text or a {}, and these "
        "convert differently on {} (name its tag with HM_UNION_TAG)",
        a.what, a.off ? fmt::format(" (at byte {})", a.off) : "", a.unionName, a.textMember,
        a.structMember, heap[g.block].size, g.type->name,
        destinationTriple().empty() ? "other targets (none was named: HM_MIGRATE_FOR)"
                                    : destinationTriple()));
  }

  void checkPlaceLater(const PlaceLater &a) {
    const HeapBlock &blk = heap[a.block];
    if (a.into == blk.size) {
      // One past a block of one struct and its short text (`str + len + 1` in
      // `offsetof(T, str) + len + 1` bytes): the receiver puts it one past the
      // struct and its bytes as the program sized them, one past the text only
      // where the padding after that array is as long.
      const hm_type *t = elems[a.block];
      if (t && !blk.site && !segments.count(a.block) && endsInShortText(t) &&
          oneAndText(a.block, 0))
        checkTextRoom(t, a.what, a.off);
      return;
    }
    const auto [type, rel] = objectAt(a.block, a.into, elems[a.block]);
    if (!type)
      return; // in bytes that travel as they are
    if (a.bytes && inTrailingText(type, rel) && oneAndText(a.block, a.into)) {
      // A short text in a whole block no site laid out moves as one run.
      if (segments.count(static_cast<std::uint32_t>(a.block)) || blk.site ||
          !endsInShortText(type))
        checkTextRoom(type, a.what, a.off);
      return;
    }
    Path path;
    std::uint64_t inner = 0;
    // A stale pointer is an address, as a byte pointer is: inside a scalar, it
    // keeps its byte where the scalar keeps its bytes, the same byte order
    // (Lua's dead table key into a string handed out again, at its hash).
    if (a.bytes ? locateByte(LocalType{type}, rel, path, inner)
                : locate(LocalType{type}, rel, path) ||
                      locateByte(LocalType{type}, rel, path = Path{}, inner)) {
      if (inner)
        byteInsideScalar(a.what, a.off, inner, scalarAt(type, path));
      return;
    }
    fail("{}{} points {} bytes into a heap block of {} bytes, {}into padding or the "
         "middle of a scalar of the {} there: hmcc cannot place it in another layout",
         a.what, a.off ? fmt::format(" (at byte {})", a.off) : "", a.into, blk.size,
         a.bytes ? "" : "to an object that does not fit there (a dangling pointer?), and ",
         type->name);
  }

  static bool isRuntimeVariable(const Landmark &l) {
    return l.kind == kEnv && l.key.size() > 4 && hm::isRuntimeVariable(l.key.substr(4));
  }

  static bool usable(const hm_type *t) {
    return t && t->size > 0 && !isCharLike(t);
  }

  void checkUsable(const hm_type *elem, const Where &w, std::uint64_t off) {
    if (!elem)
      return;
    auto known = unsupported.find(elem);
    if (known == unsupported.end())
      known = unsupported.emplace(elem, unsupportedReason(elem)).first;
    const std::string &why = known->second;
    if (!why.empty())
      refuse(w, off, fmt::format("points to a heap block holding {}: {}", elem->name,
                                 why));
  }

  bool locateInBlock(std::size_t b, std::uint64_t into, Path &path) {
    const hm_type *elem = elems[b];
    const BlockShape shape = shapeOf(elem, heap[b]);
    if (into == heap[b].size) {
      path.push_back(kPathEnd);
      return true;
    }
    if (shape.famElem && into >= shape.famOffset && shape.tail) {
      std::uint64_t j = (into - shape.famOffset) / shape.famElem->size;
      path.push_back(shape.count + j);
      return locate(LocalType{shape.famElem},
                    into - shape.famOffset - j * shape.famElem->size, path);
    }
    std::uint64_t i = into / elem->size;
    if (i >= shape.count)
      return true; // the raw bytes after the elements
    path.push_back(i);
    return locate(LocalType{elem}, into - i * elem->size, path);
  }

  void scanBlock(std::size_t b) {
    const HeapBlock &blk = heap[b];
    if (auto it = segments.find(static_cast<std::uint32_t>(b)); it != segments.end()) {
      // A copy: scanning may add segments to this very block.
      const std::vector<Segment> segs = it->second;
      const auto *bytes = static_cast<const unsigned char *>(blk.addr);
      for (std::size_t k = 0; k < segs.size(); ++k) {
        const hm_type *type = segs[k].type;
        if (!mayHold(type))
          continue;
        Where w{[&blk, type] {
                  return fmt::format("a heap block of {} bytes ({}, among other objects)",
                                     blk.size, type->name);
                },
                type, {-1, 0, reinterpret_cast<std::uintptr_t>(blk.addr)}};
        // An element may hold the pointer that starts the next object (Lua's
        // lua_State its global_State, after it in one block): the count is
        // looked at again after each one.
        for (std::uint64_t i = 0;; ++i) {
          const std::vector<Segment> &now = segments[static_cast<std::uint32_t>(b)];
          auto at = std::find_if(now.begin(), now.end(), [&](const Segment &x) {
            return x.offset == segs[k].offset;
          });
          if (at == now.end() || at->type != type ||
              i >= segmentCount(b, now, static_cast<std::size_t>(at - now.begin())))
            break;
          const std::uint64_t o = segs[k].offset + i * type->size;
          w.origin = o;
          // Of a struct whose leading fields only are there, just those.
          end = at->fields ? bytes + o + prefixEnd(type, at->fields) : nullptr;
          scan(type, bytes + o, w, o);
          end = nullptr;
        }
      }
      return;
    }
    const hm_type *elem = elems[b];
    if (!elem)
      return;
    const BlockShape shape = shapeOf(elem, blk);
    if (!mayHold(elem) && !(shape.famElem && mayHold(shape.famElem)))
      return;
    const auto *bytes = static_cast<const unsigned char *>(blk.addr);
    Where w{[&blk, elem] {
              return fmt::format("a heap block of {} bytes ({})", blk.size, elem->name);
            },
            elem, {-1, 0, reinterpret_cast<std::uintptr_t>(blk.addr)}};
    end = bytes + blk.size;
    struct Unset {
      const unsigned char *&end;
      ~Unset() { end = nullptr; }
    } unset{end};
    // A struct with a flexible array: its array's elements are the tail's, and
    // those that are not whole are bytes (Lua's Udata: user values, then the
    // user's own bytes).
    if (shape.famElem)
      end = bytes + std::min<std::uint64_t>(blk.size, shape.famOffset);
    for (std::size_t i = 0; i < shape.count; ++i) {
      w.origin = i * elem->size;
      scan(elem, bytes + i * elem->size, w, i * elem->size);
    }
    end = bytes + blk.size;
    w.elemType = shape.famElem;
    if (shape.famElem)
      for (std::size_t j = 0; j < shape.tail; ++j) {
        std::uint64_t o = shape.famOffset + j * shape.famElem->size;
        w.origin = o;
        scan(shape.famElem, bytes + o, w, o);
      }
  }
};

} // namespace

BlockShape shapeOf(const hm_type *t, const HeapBlock &b) {
  BlockShape s;
  if (!t)
    return s;
  const std::size_t size = b.size;
  const bool one = oneElement(b);
  std::uint64_t famOffset = 0;
  const bool hack = !b.site && isFam(t, &s.famElem, &famOffset, true);
  if (hack ? size >= famOffset : isFam(t, &s.famElem, &famOffset) && size >= t->size) {
    s.count = 1;
    s.famOffset = static_cast<std::size_t>(famOffset);
    s.tail = (size - s.famOffset) / s.famElem->size;
    return s;
  }
  s.famElem = nullptr;
  s.count = t->size ? size / t->size : 0;
  if (one && s.count > 1)
    s.count = 1;
  if (!b.site && s.count > 1 && size % t->size && endsInShortText(t))
    s.count = 1; // one struct, then its text
  return s;
}

std::vector<Landmark> localLandmarks() {
  std::vector<Landmark> out;
  for (const hm_unit *u : units()) {
    for (unsigned i = 0; i < u->nliterals; ++i)
      out.push_back({kLiteral, u->literals[i].key, u->literals[i].addr, u->literals[i].size});
    for (unsigned i = 0; i < u->nfunctions; ++i)
      out.push_back({kFunction, u->functions[i].key,
                     reinterpret_cast<const void *>(u->functions[i].addr), 1});
  }
  const Runtime &rt = runtime();
  // main's third parameter and environ point into the environment's array.
  std::size_t nenv = 0;
  while (::environ && ::environ[nenv])
    ++nenv;
  if (::environ)
    out.push_back({kArgv, "environ", ::environ, (nenv + 1) * sizeof(char *)});
  if (rt.argv) {
    out.push_back({kArgv, "argv", rt.argv, (rt.argc + 1) * sizeof(char *)});
    for (std::size_t i = 0; i < rt.argStrings.size(); ++i)
      out.push_back({kArgv, fmt::format("argv[{}]", i), rt.argStrings[i], rt.argSizes[i]});
  }
  // getenv's answers point into the environment: the same name's value there.
  for (char **e = ::environ; e && *e; ++e)
    if (const char *eq = std::strchr(*e, '='))
      out.push_back({kEnv, "env:" + std::string(*e, static_cast<std::size_t>(eq - *e)), eq + 1, std::strlen(eq + 1) + 1});
  out.push_back({kStdio, "stdin", stdin, 1});
  out.push_back({kStdio, "stdout", stdout, 1});
  out.push_back({kStdio, "stderr", stderr, 1});
  for (StreamLandmark &s : openStreams())
    if (s.file != stdin && s.file != stdout && s.file != stderr)
      out.push_back({kStream, std::move(s.key), s.file, 1});
  return out;
}

Reach reachFromRoots(const std::vector<Frame> &frames) { return Walker(frames).run(); }

} // namespace hm
