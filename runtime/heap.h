// heap.h — the program's heap blocks, as the runtime's allocator tracks them.
#ifndef HM_RUNTIME_HEAP_H
#define HM_RUNTIME_HEAP_H

#include "hm/abi.h"

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace hm {

// One live block: where it is, how big, and what it holds when its site said so.
struct HeapBlock {
  void *addr;
  std::size_t size;
  const hm_alloc_site *site; // null when the allocation site did not say
};

// Every live block, sorted by address (a snapshot: taken at capture).
std::vector<HeapBlock> heapSnapshot();
// Allocates a block of |size| zero bytes, tracked like malloc's, typed by |site|,
// aligned to 2^|alignLog2| bytes at least.
void *heapAllocate(std::size_t size, const hm_alloc_site *site, unsigned alignLog2 = 0);
// Gives back a block heapAllocate made (or the program's malloc did).
void heapRelease(void *block);
// The alignment a live block was asked for beyond malloc's (log2), or 0.
unsigned heapAlignLog2(const void *block);
// Where glibc keeps the heads of its free lists (main_arena), [first, second):
// a chunk given back and handed out again still holds pointers there (its old
// fd/bk words), which are garbage, not pointers the program keeps. {0, 0} when
// it cannot tell.
std::pair<std::uintptr_t, std::uintptr_t> mallocArena();

} // namespace hm
#endif
