// reach.cpp — the capture's walk: from the frames and globals through every typed
// pointer, to the heap blocks the image must carry, refusing what it cannot carry.
#include "reach.h"
#include "config.h"
#include "convert.h"
#include "diag.h"
#include "layout.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <unistd.h>
#include <functional>
#include <unordered_map>

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
  std::string name;
};

// Where a value being scanned lives, for messages and for referrers.
struct Where {
  // "variable 'p' (struct node *) of main at a.c:4": made only for a message.
  std::function<std::string()> what;
  const hm_type *type;       // the whole object's type, for the path in messages
  Referrer ref;              // base: frame/var, or the object's sender address
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
        Where w{[&v, &fr] {
                  return fmt::format("variable '{}' ({}) of {} at {}", v.name,
                                     v.type->name, fr.func->key, v.where);
                },
                v.type, {true, static_cast<std::int64_t>(f), s.var, 0}};
        scan(v.type, frames[f].bytes.data() + s.offset, w, 0);
      }
    for (const hm_unit *u : units())
      for (unsigned i = 0; i < u->nglobals; ++i) {
        const hm_global &g = u->globals[i];
        if (g.constant)
          continue; // the receiver has its own
        Where w{[&g] {
                  return fmt::format("global '{}' ({}) at {}", g.key, g.type->name, g.where);
                },
                g.type, {true, -1, 0, reinterpret_cast<std::uintptr_t>(g.addr)}};
        scan(g.type, static_cast<const unsigned char *>(g.addr), w, 0);
      }
    while (!work.empty()) {
      std::size_t b = work.back();
      work.pop_back();
      scanBlock(b);
    }
    Reach out;
    out.blocks = std::move(blocks);
    out.order = std::move(order);
    out.landmarks = std::move(landmarks);
    return out;
  }

private:
  const std::vector<Frame> &frames;
  std::vector<Object> objects;
  std::vector<ReachedBlock> blocks;  // parallel to heap
  std::vector<char> reached;
  std::vector<std::size_t> order, work;
  std::vector<Landmark> landmarks;
  std::vector<const hm_global *> globals;
  std::vector<std::pair<const Frame *, const Frame::Slot *>> stack;
  std::unordered_map<const hm_type *, bool> holds;
  std::unordered_map<const hm_type *, std::string> unsupported; // "": supported
  std::vector<Mapping> maps;
  bool mapsRead = false;

  void buildMap() {
    std::vector<HeapBlock> heap = heapSnapshot();
    objects.reserve(heap.size() + 64);
    blocks.resize(heap.size());
    reached.assign(heap.size(), 0);
    for (std::size_t i = 0; i < heap.size(); ++i) {
      blocks[i].addr = static_cast<const unsigned char *>(heap[i].addr);
      blocks[i].size = heap[i].size;
      blocks[i].site = heap[i].site;
      objects.push_back({reinterpret_cast<std::uintptr_t>(heap[i].addr), heap[i].size,
                         Kind::Heap, i});
    }
    for (const hm_unit *u : units())
      for (unsigned i = 0; i < u->nglobals; ++i) {
        objects.push_back({reinterpret_cast<std::uintptr_t>(u->globals[i].addr),
                           u->globals[i].type->size, Kind::Global, globals.size()});
        globals.push_back(&u->globals[i]);
      }
    for (const Frame &f : frames)
      for (const Frame::Slot &s : f.slots)
        if (s.addr) {
          objects.push_back({reinterpret_cast<std::uintptr_t>(s.addr),
                             f.func->vars[s.var].type->size, Kind::Stack, stack.size()});
          stack.push_back({&f, &s});
        }
    landmarks = localLandmarks();
    for (std::size_t i = 0; i < landmarks.size(); ++i)
      objects.push_back({reinterpret_cast<std::uintptr_t>(landmarks[i].addr),
                         landmarks[i].size, Kind::Landmark, i});
    // The heap blocks come first, sorted by address (heapSnapshot): sort the rest
    // and merge.
    const auto order = [](const Object &a, const Object &b) {
      return a.addr != b.addr ? a.addr < b.addr : a.size > b.size;
    };
    const auto rest = objects.begin() + static_cast<std::ptrdiff_t>(heap.size());
    std::sort(rest, objects.end(), order);
    std::inplace_merge(objects.begin(), rest, objects.end(), order);
  }

  const Object *find(std::uintptr_t v) const { return findObject(objects, v); }

  const Mapping *mapping(std::uintptr_t v) {
    if (!mapsRead) {
      mapsRead = true;
      if (FILE *f = std::fopen("/proc/self/maps", "r")) {
        char line[512];
        while (std::fgets(line, sizeof line, f)) {
          unsigned long long a, b;
          char perms[8] = {0};
          int pos = 0;
          if (std::sscanf(line, "%llx-%llx %7s %*s %*s %*s %n", &a, &b, perms, &pos) < 3)
            continue;
          std::string name = line + pos;
          while (!name.empty() && (name.back() == '\n' || name.back() == ' '))
            name.pop_back();
          maps.push_back({static_cast<std::uintptr_t>(a), static_cast<std::uintptr_t>(b),
                          name});
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
  bool foreign(std::uintptr_t v, std::string &name) {
    const Mapping *m = mapping(v);
    if (!m || m->name.empty() || m->name[0] == '[')
      return false;
    name = m->name;
    return true;
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
    Path path;
    std::string at;
    if (locate(LocalType{w.type}, off, path))
      at = describePath(w.type, path, value);
    fail("{}{}{} {}", w.what(), at.empty() ? "" : ", at ", at, why);
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
    if (!mayHold(t))
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
        const hm_field &f = t->fields[i];
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
      // All zero bits read the same whatever the active member is.
      if (std::all_of(p, p + t->size, [](unsigned char b) { return b == 0; }))
        return;
      refuse(w, off,
             fmt::format("is a {} that holds pointers and names no active member; "
                         "name it with HM_UNION_TAG", t->name),
             t);
    default:
      return;
    }
  }

  void taggedUnion(const hm_type *record, const hm_field &f, const unsigned char *p,
                   const Where &w, std::uint64_t off) {
    const hm_field &tag = record->fields[f.tag_field];
    std::int64_t value = 0;
    const unsigned char *tp = p + tag.offset;
    switch (tag.type->size) {
    case 1: value = tag.type->kind == HM_K_SINT ? *reinterpret_cast<const signed char *>(tp) : *tp; break;
    case 2: { std::int16_t x; std::memcpy(&x, tp, 2); value = tag.type->kind == HM_K_SINT ? x : static_cast<std::uint16_t>(x); break; }
    case 4: { std::int32_t x; std::memcpy(&x, tp, 4); value = tag.type->kind == HM_K_SINT ? x : static_cast<std::uint32_t>(x); break; }
    default: std::memcpy(&value, tp, 8);
    }
    for (unsigned k = 0; k < f.ntags; ++k)
      if (f.tag_values[k] == value) {
        const hm_field &m = f.type->fields[f.tag_members[k]];
        scan(m.type, p + f.offset + m.offset, w, off + f.offset + m.offset);
        return;
      }
    // An unlisted tag: the receiver refuses it; nothing to scan here.
  }

  void addressInt(const hm_type *t, const unsigned char *p, const Where &w,
                  std::uint64_t off) {
    std::uint64_t v = readPointer(p, t->size);
    if (v == 0)
      return;
    if (const Object *o = find(static_cast<std::uintptr_t>(v)))
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
      const ReachedBlock &b = blocks[o.index];
      return fmt::format("a heap block of {} bytes{}", b.size,
                         b.elem ? fmt::format(" ({})", b.elem->name) : "");
    }
    case Kind::Landmark:
      return fmt::format("'{}'", landmarks[o.index].key);
    }
    return "?";
  }

  void pointer(const hm_type *t, std::uintptr_t v, const Where &w, std::uint64_t off) {
    if (v == 0)
      return;
    std::string lib;
    const Object *o = find(v);
    if (t->kind == HM_K_FUNCPTR) {
      if (o && o->kind == Kind::Landmark && landmarks[o->index].kind == kFunction &&
          v == o->addr)
        return;
      if (foreign(v, lib) || o)
        refuse(w, off, fmt::format("points to a function hmcc does not know ({}); "
                                   "function pointers may point to the program's own "
                                   "functions and those whose address an instrumented "
                                   "unit takes", lib.empty() ? "?" : lib));
      return; // dead memory: restored as a null pointer
    }
    if (!o) {
      if (foreign(v, lib))
        refuse(w, off, fmt::format("points into memory hmcc does not manage ({}); "
                                   "hmcc translates pointers to the heap, globals, "
                                   "locals, string literals, argv and stdio", lib));
      return; // dead: freed, or never set; restored as a null pointer
    }
    const std::uint64_t into = v - o->addr;
    switch (o->kind) {
    case Kind::Heap:
      return heapPointer(t, o->index, into, w, off);
    case Kind::Global:
      return checkPlace(globals[o->index]->type, into, w, off, *o);
    case Kind::Stack:
      return checkPlace(stack[o->index].first->func->vars[stack[o->index].second->var].type,
                        into, w, off, *o);
    case Kind::Landmark: {
      const Landmark &l = landmarks[o->index];
      if ((l.kind == kStdio || l.kind == kFunction) && into != 0)
        refuse(w, off, fmt::format("points inside {}", describe(*o)));
      return;
    }
    }
  }

  void checkPlace(const hm_type *type, std::uint64_t into, const Where &w,
                  std::uint64_t off, const Object &o) {
    Path path;
    if (!locate(LocalType{type}, into, path))
      refuse(w, off, fmt::format("points {} bytes into {} ({}), into padding or the "
                                 "middle of a scalar; hmcc cannot place it in "
                                 "another layout",
                                 into, describe(o), type->name));
  }

  void heapPointer(const hm_type *t, std::size_t b, std::uint64_t into, const Where &w,
                   std::uint64_t off) {
    ReachedBlock &blk = blocks[b];
    const hm_type *pointee = t->elem;
    Referrer here = w.ref;
    if (here.frame < 0)
      here.at += off; // sender address of the pointer
    else
      here.at = off;
    const bool atStart = into == 0;
    if (!reached[b]) {
      reached[b] = 1;
      order.push_back(b);
      if (blk.site) {
        shapeBlock(blk, blk.site->type);
      } else if (usable(pointee)) {
        shapeBlock(blk, pointee);
        blk.ref = here;
        blk.fromStart = atStart;
      }
      checkUsable(blk, w, off);
      work.push_back(b);
    } else if (!blk.site && usable(pointee) && pointee != blk.elem &&
               (!blk.elem || (atStart && !blk.fromStart) ||
                (atStart && pointee->size > blk.elem->size))) {
      // A better witness of what the block holds: a typed pointer after raw
      // bytes, a pointer to the start after an interior one, or the larger of
      // two types at the start (a struct that begins with another).
      shapeBlock(blk, pointee);
      blk.ref = here;
      blk.fromStart = atStart;
      checkUsable(blk, w, off);
      work.push_back(b);
    }
    if (blk.elem && !isCharLike(pointee ? pointee : blk.elem)) {
      Path path;
      if (!locateInBlock(blk, into, path))
        refuse(w, off, fmt::format("points {} bytes into a heap block of {} ({}), into "
                                   "padding or the middle of a scalar",
                                   into, blk.elem->name, blk.size));
    }
  }

  static bool usable(const hm_type *t) {
    return t && t->size > 0 && !isCharLike(t);
  }

  void checkUsable(const ReachedBlock &blk, const Where &w, std::uint64_t off) {
    if (!blk.elem)
      return;
    auto known = unsupported.find(blk.elem);
    if (known == unsupported.end())
      known = unsupported.emplace(blk.elem, unsupportedReason(blk.elem)).first;
    const std::string &why = known->second;
    if (!why.empty())
      refuse(w, off, fmt::format("points to a heap block holding {}: {}", blk.elem->name,
                                 why));
  }

  bool locateInBlock(const ReachedBlock &blk, std::uint64_t into, Path &path) {
    if (into == blk.size) {
      path.push_back(kPathEnd);
      return true;
    }
    if (blk.famElem && into >= blk.famOffset && blk.tail) {
      std::uint64_t j = (into - blk.famOffset) / blk.famElem->size;
      path.push_back(blk.count + j);
      return locate(LocalType{blk.famElem}, into - blk.famOffset - j * blk.famElem->size,
                    path);
    }
    std::uint64_t i = into / blk.elem->size;
    if (i >= blk.count)
      return true; // the raw bytes after the elements
    path.push_back(i);
    return locate(LocalType{blk.elem}, into - i * blk.elem->size, path);
  }

  void scanBlock(std::size_t b) {
    const ReachedBlock &blk = blocks[b];
    if (!blk.elem || (!mayHold(blk.elem) && !(blk.famElem && mayHold(blk.famElem))))
      return;
    Where w{[&blk] {
              return fmt::format("a heap block of {} bytes ({})", blk.size, blk.elem->name);
            },
            blk.elem, {true, -1, 0, reinterpret_cast<std::uintptr_t>(blk.addr)}};
    for (std::size_t i = 0; i < blk.count; ++i)
      scan(blk.elem, blk.addr + i * blk.elem->size, w, i * blk.elem->size);
    if (blk.famElem)
      for (std::size_t j = 0; j < blk.tail; ++j) {
        std::uint64_t o = blk.famOffset + j * blk.famElem->size;
        scan(blk.famElem, blk.addr + o, w, o);
      }
  }
};

} // namespace

void shapeBlock(ReachedBlock &b, const hm_type *t) {
  b.elem = t;
  b.famElem = nullptr;
  b.tail = 0;
  if (t->kind == HM_K_STRUCT && t->nfields) {
    const hm_field &last = t->fields[t->nfields - 1];
    if (last.type->kind == HM_K_ARRAY && last.type->count == 0 && last.type->elem->size &&
        b.size >= t->size) {
      b.count = 1;
      b.famElem = last.type->elem;
      b.famOffset = last.offset;
      b.tail = (b.size - last.offset) / last.type->elem->size;
      return;
    }
  }
  b.count = t->size ? b.size / t->size : 0;
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
  if (rt.argv) {
    out.push_back({kArgv, "argv", rt.argv, (rt.argc + 1) * sizeof(char *)});
    for (int i = 0; i < rt.argc; ++i)
      out.push_back({kArgv, fmt::format("argv[{}]", i), rt.argv[i],
                     std::strlen(rt.argv[i]) + 1});
  }
  // getenv's answers point into the environment: the same name's value there.
  for (char **e = ::environ; e && *e; ++e)
    if (const char *eq = std::strchr(*e, '='))
      out.push_back({kEnv, "env:" + std::string(*e, static_cast<std::size_t>(eq - *e)), eq + 1, std::strlen(eq + 1) + 1});
  out.push_back({kStdio, "stdin", stdin, 1});
  out.push_back({kStdio, "stdout", stdout, 1});
  out.push_back({kStdio, "stderr", stderr, 1});
  return out;
}

Reach reachFromRoots(const std::vector<Frame> &frames) { return Walker(frames).run(); }

} // namespace hm
