// byte_records.h — where copies put the bytes of typed values in char memory.
#ifndef HM_RUNTIME_BYTE_RECORDS_H
#define HM_RUNTIME_BYTE_RECORDS_H

#include "placements.h"

namespace hm {

// Records that a copy put |size| bytes of values of |site|'s type at |addr|,
// through a char or void pointer. Values that may hold an address are recorded
// where each one starts (a run of them one after the other is one record);
// those that cannot, only by the range they cover, near ranges merged: the
// capture needs to know that their numbers are there, not where each is.
// Dropped with their heap block (a stack or static buffer's stay).
void noteBytesOf(std::uintptr_t addr, std::size_t size, const hm_alloc_site *site);
// A copy of |size| bytes from |from| to |to| between char or void memory: the
// records of |from|'s bytes hold for |to|'s too (those already at |to| stay).
void noteCopiedBytes(std::uintptr_t to, std::uintptr_t from, std::size_t size);
// Every such record, by address (a snapshot: taken at capture).
std::vector<Placement> bytesOfSnapshot();

namespace detail {
// Heap block [addr, addr + size) is gone, or moved (realloc): its records too.
void bytesGone(std::uintptr_t addr, std::size_t size);
void bytesMoved(std::uintptr_t from, std::size_t oldSize, std::uintptr_t to,
                std::size_t newSize);
} // namespace detail

} // namespace hm
#endif
