// placements.cpp — the table of objects placed inside heap blocks, by address.
#include "placements.h"

#include <iterator>
#include <map>
#include <mutex>

namespace hm {
namespace detail {
std::atomic<std::size_t> gPlacementCount{0};
} // namespace detail

namespace {

// Its nodes come from operator new, which libhmrt serves untracked.
std::map<std::uintptr_t, const hm_alloc_site *> &table() {
  static auto *t = new std::map<std::uintptr_t, const hm_alloc_site *>;
  return *t;
}
std::mutex gMutex;

std::size_t extent(const hm_alloc_site *site) {
  return site->type && site->type->size ? site->type->size : 1;
}

void eraseRange(std::map<std::uintptr_t, const hm_alloc_site *> &t, std::uintptr_t from,
                std::uintptr_t to) {
  auto it = t.lower_bound(from);
  if (it != t.begin()) {
    auto before = std::prev(it);
    if (before->first + extent(before->second) > from)
      it = before;
  }
  while (it != t.end() && it->first < to)
    it = t.erase(it);
}

} // namespace

void place(std::uintptr_t addr, const hm_alloc_site *site) {
  std::lock_guard<std::mutex> lock(gMutex);
  auto &t = table();
  eraseRange(t, addr, addr + extent(site));
  t.emplace(addr, site);
  detail::gPlacementCount.store(t.size(), std::memory_order_relaxed);
}

std::vector<Placement> placementsSnapshot() {
  std::lock_guard<std::mutex> lock(gMutex);
  std::vector<Placement> out;
  out.reserve(table().size());
  for (const auto &[addr, site] : table())
    out.push_back({addr, site});
  return out;
}

namespace detail {

void forget(std::uintptr_t addr, std::size_t size) {
  std::lock_guard<std::mutex> lock(gMutex);
  auto &t = table();
  for (auto it = t.lower_bound(addr); it != t.end() && it->first < addr + size;)
    it = t.erase(it);
  gPlacementCount.store(t.size(), std::memory_order_relaxed);
}

void move(std::uintptr_t from, std::size_t oldSize, std::uintptr_t to, std::size_t newSize) {
  std::lock_guard<std::mutex> lock(gMutex);
  auto &t = table();
  std::vector<std::pair<std::uintptr_t, const hm_alloc_site *>> moved;
  for (auto it = t.lower_bound(from); it != t.end() && it->first < from + oldSize;) {
    if (it->first - from < newSize)
      moved.emplace_back(to + (it->first - from), it->second);
    it = t.erase(it);
  }
  for (const auto &[addr, site] : moved) {
    eraseRange(t, addr, addr + extent(site));
    t.emplace(addr, site);
  }
  gPlacementCount.store(t.size(), std::memory_order_relaxed);
}

} // namespace detail
} // namespace hm
