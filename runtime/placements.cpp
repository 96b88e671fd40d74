// placements.cpp — the table of objects placed inside heap blocks, by address.
#include "placements.h"

#include "byte_records.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <mutex>

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

// Its nodes come from operator new, which libhmrt serves untracked.
Table &table() {
  static auto *t = new Table;
  return *t;
}
std::mutex gMutex;

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

std::size_t gCounted = 0; // placements in detail::gPlacementCount (under gMutex)

// Under gMutex: what free and realloc must look at.
void count() {
  detail::gPlacementCount.fetch_add(table().size() - gCounted, std::memory_order_relaxed);
  gCounted = table().size();
}

// Moves the placements in [from, from + oldSize) to |to|, those still inside
// newSize; a moved placement replaces those it overlaps at its new place.
void moveIn(Table &t, std::uintptr_t from, std::size_t oldSize, std::uintptr_t to,
            std::size_t newSize) {
  std::vector<std::pair<std::uintptr_t, Piece>> moved;
  for (auto it = t.lower_bound(from); it != t.end() && it->first < from + oldSize;) {
    if (it->first - from < newSize)
      moved.emplace_back(to + (it->first - from), it->second);
    it = t.erase(it);
  }
  for (const auto &[key, piece] : moved) {
    eraseRange(t, key, key + extent(piece));
    t[key] = piece;
  }
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

std::vector<Placement> placementsSnapshot() {
  std::lock_guard<std::mutex> lock(gMutex);
  std::vector<Placement> out;
  out.reserve(table().size());
  for (const auto &[addr, piece] : table())
    out.push_back({addr, piece.site, piece.size});
  return out;
}

namespace detail {

void forget(std::uintptr_t addr, std::size_t size) {
  {
    std::lock_guard<std::mutex> lock(gMutex);
    auto &t = table();
    for (auto it = t.lower_bound(addr); it != t.end() && it->first < addr + size;)
      it = t.erase(it);
    count();
  }
  bytesGone(addr, size);
}

void move(std::uintptr_t from, std::size_t oldSize, std::uintptr_t to, std::size_t newSize) {
  {
    std::lock_guard<std::mutex> lock(gMutex);
    moveIn(table(), from, oldSize, to, newSize);
    count();
  }
  bytesMoved(from, oldSize, to, newSize);
}

} // namespace detail
} // namespace hm
