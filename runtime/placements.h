// placements.h — objects a call placed inside a heap block: `(T *)f(..., sizeof(T))`
// where f hands out part of a block (Lua's userdata payload after its header, a
// pool's piece) says that a T lives there, which no pointer type may tell.
#ifndef HM_RUNTIME_PLACEMENTS_H
#define HM_RUNTIME_PLACEMENTS_H

#include "hm/abi.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hm {

struct Placement {
  std::uintptr_t addr;
  const hm_alloc_site *site; // says the type, and whether one or an array
  std::size_t size;          // the piece's bytes; 0: not known
};

// Records that |site|'s object starts at |addr|, inside a block, in a piece of
// |size| bytes (0: unknown, its type's): it replaces the records the piece
// overlaps (the memory was handed out again).
void place(std::uintptr_t addr, const hm_alloc_site *site, std::size_t size);
// Every record, by address (a snapshot: taken at capture).
std::vector<Placement> placementsSnapshot();
namespace detail {
// Placements and heap byte records (byte_records.h): whether free must look.
extern std::atomic<std::size_t> gPlacementCount;
void forget(std::uintptr_t addr, std::size_t size);
void move(std::uintptr_t from, std::size_t oldSize, std::uintptr_t to, std::size_t newSize);
} // namespace detail

// Block [addr, addr + size) is gone: what was placed in it goes too.
inline void placementsGone(std::uintptr_t addr, std::size_t size) {
  if (__builtin_expect(detail::gPlacementCount.load(std::memory_order_relaxed) != 0, 0))
    detail::forget(addr, size);
}
// Block |from| moved to |to| with its bytes (realloc): its objects moved along.
inline void placementsMoved(std::uintptr_t from, std::size_t oldSize, std::uintptr_t to,
                            std::size_t newSize) {
  if (__builtin_expect(detail::gPlacementCount.load(std::memory_order_relaxed) != 0, 0))
    detail::move(from, oldSize, to, newSize);
}

} // namespace hm
#endif
