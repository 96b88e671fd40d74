// placements.cpp — the table of objects placed inside heap blocks, by address.
#include "placements.h"

#include <algorithm>
#include <dlfcn.h>
#include <iterator>
#include <map>
#include <mutex>
#include <pthread.h>
#include <type_traits>

namespace hm {
namespace detail {
std::atomic<std::size_t> gPlacementCount{0};
} // namespace detail

namespace {

struct Piece {
  const hm_alloc_site *site;
  std::size_t size;
};
using Table = std::map<std::uintptr_t, Piece>;

// Their nodes come from operator new, which libhmrt serves untracked.
Table &table() {
  static auto *t = new Table;
  return *t;
}
// Bytes of typed values, by address and type (the bytes of a long and of a
// short copied over its start are both there): in heap blocks (dropped with
// them), and in static or stack memory (kept: free need not look at them).
using BytesTable = std::map<std::pair<std::uintptr_t, const hm_type *>, Piece>;
BytesTable &heapBytes() {
  static auto *t = new BytesTable;
  return *t;
}
BytesTable &fixedBytes() {
  static auto *t = new BytesTable;
  return *t;
}
std::mutex gMutex;
// Bumped when a block's records go or move: a thread's last record may be gone.
std::atomic<std::uint64_t> gGeneration{0};

// Whether |addr| is in this thread's stack or in a loaded file's segments.
bool fixedMemory(std::uintptr_t addr) {
  thread_local std::uintptr_t low = 0, high = 0;
  if (!high) {
    pthread_attr_t attr;
    void *base = nullptr;
    std::size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstack(&attr, &base, &size);
      pthread_attr_destroy(&attr);
    }
    low = reinterpret_cast<std::uintptr_t>(base);
    high = low + size;
    if (!high)
      high = 1;
  }
  if (addr >= low && addr < high)
    return true;
  Dl_info info;
  return dladdr(reinterpret_cast<void *>(addr), &info) != 0;
}

std::size_t extent(const Piece &p) {
  const std::size_t type = p.site->type && p.site->type->size ? p.site->type->size : 1;
  return std::max(type, p.size);
}

void eraseRange(Table &t, std::uintptr_t from, std::uintptr_t to) {
  auto it = t.lower_bound(from);
  if (it != t.begin()) {
    auto before = std::prev(it);
    if (before->first + extent(before->second) > from)
      it = before;
  }
  while (it != t.end() && it->first < to)
    it = t.erase(it);
}

// Under gMutex: what free and realloc must look at.
void count() {
  detail::gPlacementCount.store(table().size() + heapBytes().size(), std::memory_order_relaxed);
}

std::uintptr_t addressOf(std::uintptr_t key) { return key; }
std::uintptr_t addressOf(const std::pair<std::uintptr_t, const hm_type *> &key) {
  return key.first;
}
std::pair<std::uintptr_t, const hm_type *> moveKey(std::uintptr_t from, std::uintptr_t to,
                                                   std::pair<std::uintptr_t, const hm_type *> k) {
  return {to + (k.first - from), k.second};
}
std::uintptr_t moveKey(std::uintptr_t from, std::uintptr_t to, std::uintptr_t k) {
  return to + (k - from);
}
// The first key at |addr| or after.
template <class Key> Key keyAt(std::uintptr_t addr) {
  if constexpr (std::is_same_v<Key, std::uintptr_t>)
    return addr;
  else
    return Key{addr, nullptr};
}

// Moves the records in [from, from + oldSize) to |to|, those still inside
// newSize; a moved placement replaces those it overlaps at its new place.
template <class T>
void moveIn(T &t, std::uintptr_t from, std::size_t oldSize, std::uintptr_t to,
            std::size_t newSize) {
  std::vector<std::pair<typename T::key_type, Piece>> moved;
  for (auto it = t.lower_bound(keyAt<typename T::key_type>(from)); it != t.end() &&
                                                           addressOf(it->first) < from + oldSize;) {
    if (const std::uint64_t off = addressOf(it->first) - from; off < newSize) {
      moved.emplace_back(moveKey(from, to, it->first), it->second);
      if constexpr (!std::is_same_v<T, Table>) // a run ends with its block
        moved.back().second.size = std::min<std::uint64_t>(moved.back().second.size, newSize - off);
    }
    it = t.erase(it);
  }
  for (const auto &[key, piece] : moved) {
    if constexpr (std::is_same_v<T, Table>)
      eraseRange(t, key, key + extent(piece));
    t[key] = piece;
  }
}

// The records of [addr, addr + size) go; whether there were any.
template <class T> bool eraseIn(T &t, std::uintptr_t addr, std::size_t size) {
  bool any = false;
  for (auto it = t.lower_bound(keyAt<typename T::key_type>(addr));
       it != t.end() && addressOf(it->first) < addr + size; any = true)
    it = t.erase(it);
  return any;
}

template <class T> std::vector<Placement> snapshot(const T &t) {
  std::lock_guard<std::mutex> lock(gMutex);
  std::vector<Placement> out;
  out.reserve(t.size());
  for (const auto &[key, piece] : t)
    out.push_back({addressOf(key), piece.site, piece.size});
  return out;
}

} // namespace

void place(std::uintptr_t addr, const hm_alloc_site *site, std::size_t size) {
  std::lock_guard<std::mutex> lock(gMutex);
  auto &t = table();
  // A store of the same struct over a piece of known size (`((T *)p)->f = v`
  // after `(T *)f(n)` placed it) keeps the piece's size.
  if (!size)
    if (auto it = t.find(addr); it != t.end() && it->second.site->type == site->type)
      size = it->second.size;
  const Piece piece{site, size};
  eraseRange(t, addr, addr + extent(piece));
  t.emplace(addr, piece);
  count();
}

std::vector<Placement> placementsSnapshot() { return snapshot(table()); }

void noteBytesOf(std::uintptr_t addr, std::size_t size, const hm_alloc_site *site) {
  // A thread's last record: a loop that copies to the same place finds it
  // without the lock, one that fills a buffer in order extends it with no
  // lookup. Records go (free, realloc) only with a new generation.
  thread_local struct {
    std::uintptr_t begin = 0, end = 0;
    const hm_type *type = nullptr;
    std::uint64_t generation = 0;
    Piece *piece = nullptr;
  } last;
  const std::size_t unit = site->type && site->type->size ? site->type->size : 1;
  const auto continues = [&](std::uint64_t generation) {
    return last.piece && last.type == site->type && last.generation == generation &&
           addr >= last.begin && addr <= last.end && (addr - last.begin) % unit == 0;
  };
  if (continues(gGeneration.load(std::memory_order_acquire)) && addr + size <= last.end)
    return;
  const bool fixed = fixedMemory(addr);
  std::lock_guard<std::mutex> lock(gMutex);
  const std::uint64_t generation = gGeneration.load(std::memory_order_relaxed);
  if (continues(generation)) {
    last.piece->size = std::max(last.piece->size, addr + size - last.begin);
    last.end = last.begin + last.piece->size;
    return;
  }
  BytesTable &t = fixed ? fixedBytes() : heapBytes();
  // The run it continues: the same type, a whole number of values before it
  // (looked for among the few records just before). Records are never cut by
  // a later copy: the bytes of the earlier one may still be there (a field
  // patched inside a struct's bytes).
  auto it = t.upper_bound({addr, reinterpret_cast<const hm_type *>(UINTPTR_MAX)});
  for (int back = 0; back < 4 && it != t.begin(); ++back) {
    --it;
    const std::uintptr_t start = it->first.first;
    if (it->first.second == site->type && (addr - start) % unit == 0 &&
        start + it->second.size >= addr) {
      it->second.size = std::max(it->second.size, addr + size - start);
      last = {start, start + it->second.size, site->type, generation, &it->second};
      return;
    }
  }
  Piece &piece = t[{addr, site->type}];
  if (!piece.site)
    piece = Piece{site, 0};
  piece.size = std::max(piece.size, size);
  last = {addr, addr + piece.size, site->type, generation, &piece};
  count();
}

std::vector<Placement> bytesOfSnapshot() {
  std::vector<Placement> out = snapshot(heapBytes());
  const std::vector<Placement> fixed = snapshot(fixedBytes());
  out.insert(out.end(), fixed.begin(), fixed.end());
  std::sort(out.begin(), out.end(),
            [](const Placement &a, const Placement &b) { return a.addr < b.addr; });
  return out;
}

namespace detail {

void forget(std::uintptr_t addr, std::size_t size) {
  std::lock_guard<std::mutex> lock(gMutex);
  eraseIn(table(), addr, size);
  if (eraseIn(heapBytes(), addr, size))
    gGeneration.fetch_add(1, std::memory_order_release);
  count();
}

void move(std::uintptr_t from, std::size_t oldSize, std::uintptr_t to, std::size_t newSize) {
  std::lock_guard<std::mutex> lock(gMutex);
  moveIn(table(), from, oldSize, to, newSize);
  moveIn(heapBytes(), from, oldSize, to, newSize);
  gGeneration.fetch_add(1, std::memory_order_release);
  count();
}

} // namespace detail
} // namespace hm
