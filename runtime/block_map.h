// block_map.h — the allocator's map from a live block's address to its size and site.
//
// On 64-bit targets a radix map: the address picks a 1 MiB region and, in it, a
// 32-byte grain, so that entering a block is a few instructions with no hashing
// and nothing ever moves (glibc's chunks are at least 32 bytes apart there). On
// 32-bit targets, where such a map would take too much of the address space, an
// open-addressing hash table. Neither locks: heap.cpp does. Their memory comes
// from glibc or the kernel directly: this is malloc.
#ifndef HM_RUNTIME_BLOCK_MAP_H
#define HM_RUNTIME_BLOCK_MAP_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <new>
#include <sys/mman.h>

extern "C" {
void *__libc_calloc(std::size_t, std::size_t);
void __libc_free(void *);
}

namespace hm {

// What the map knows of a block: its size (kBigSize: ask heap.cpp's large table)
// and its site code.
struct BlockEntry {
  std::uintptr_t addr; // 0: an empty entry
  std::uint32_t size;
  std::int32_t site;
};

// An open-addressing table keyed by address (linear probing, deletion by shifting
// back, at most 3/4 full). E has an `addr` member, 0 when the entry is empty.
template <class E> class AddressTable {
public:
  E *find(std::uintptr_t addr) const {
    if (!entries)
      return nullptr;
    for (std::size_t i = home(addr);; i = (i + 1) & mask) {
      if (entries[i].addr == addr)
        return &entries[i];
      if (entries[i].addr == 0)
        return nullptr;
    }
  }

  // A new entry for |addr| (not in the table); null when the table cannot grow.
  E *insert(std::uintptr_t addr) {
    if (full() && !grow())
      return nullptr;
    return insertRoomy(addr);
  }

  bool full() const { return count >= limit; }

  // insert() when the table is not full.
  E *insertRoomy(std::uintptr_t addr) {
    std::size_t i = home(addr);
    while (entries[i].addr != 0)
      i = (i + 1) & mask;
    ++count;
    entries[i].addr = addr;
    return &entries[i];
  }

  void erase(E *e) {
    std::size_t hole = static_cast<std::size_t>(e - entries);
    // Moves back each following entry that the hole would hide from its home.
    for (std::size_t i = (hole + 1) & mask; entries[i].addr != 0; i = (i + 1) & mask) {
      const std::size_t h = home(entries[i].addr);
      if (((i - h) & mask) >= ((i - hole) & mask)) {
        entries[hole] = entries[i];
        hole = i;
      }
    }
    entries[hole] = E{};
    --count;
  }

  template <class F> void forEach(F f) const {
    for (std::size_t i = 0; entries && i <= mask; ++i)
      if (entries[i].addr)
        f(entries[i]);
  }

  std::size_t size() const { return count; }

private:
  E *entries = nullptr;
  std::size_t mask = 0, count = 0, limit = 0; // limit: 3/4 of the capacity
  unsigned shift = 0;                         // log2 of the capacity

  std::size_t home(std::uintptr_t addr) const {
    // Fibonacci hashing: the top bits of the product depend on every bit.
    return static_cast<std::size_t>((std::uint64_t(addr) * 0x9E3779B97F4A7C15ull) >>
                                    (64 - shift));
  }

  [[gnu::noinline]] bool grow() {
    const std::size_t capacity = entries ? mask + 1 : 0;
    const std::size_t n = capacity ? capacity * 2 : 4096;
    auto *fresh = static_cast<E *>(__libc_calloc(n, sizeof(E)));
    if (!fresh)
      return false;
    E *old = entries;
    entries = fresh;
    mask = n - 1;
    limit = n / 4 * 3;
    shift = 0;
    while ((std::size_t(1) << shift) < n)
      ++shift;
    for (std::size_t i = 0; i < capacity; ++i)
      if (old[i].addr) {
        std::size_t j = home(old[i].addr);
        while (entries[j].addr != 0)
          j = (j + 1) & mask;
        entries[j] = old[i];
      }
    __libc_free(old);
    return true;
  }
};

#if UINTPTR_MAX > 0xFFFFFFFFu

// Radix map: region = address >> 20, found through a one-region cache (blocks
// come mostly from where the last one did) or a small directory; in the region,
// one 8-byte slot per 32-byte grain holds the block's size, the address's low
// five bits (to tell the block from a pointer into the same grain) and its site.
// A grain already taken (an allocator other than glibc's) sends the block to a
// hash table. The map costs 8 bytes per 32 of a densely used heap, touched only
// where blocks start; the hash table cost 21 to 43 bytes a block and moved every
// entry each time it doubled.
class BlockMap {
public:
  static constexpr std::uint32_t kBigSize = (1u << 26) - 1; // and larger: heap.cpp's

  // Enters a block when its region is the cached one and its grain is free: the
  // common malloc. False: use add().
  bool tryAdd(std::uintptr_t addr, std::uint32_t size, std::int32_t site) {
    if ((addr >> kRegionShift) != cachedKey)
      return false;
    const std::size_t i = grainOf(addr);
    Slot &s = cached->slots[i];
    if (s.word)
      return false;
    s.word = pack(addr, size);
    s.site = site;
    cached->noteUsed(i);
    return true;
  }

  // Takes out a block of the cached region smaller than kBigSize: the common
  // free. False: use erase().
  bool tryErase(std::uintptr_t addr) {
    if ((addr >> kRegionShift) != cachedKey)
      return false;
    Region *const r = cached; // read once: the stores below may alias it
    Slot &s = r->slots[grainOf(addr)];
    const std::uint32_t w = s.word;
    if (!w || (w & kTagMask) != (addr & kTagMask) || (w >> kSizeShift) == kBigSize)
      return false;
    s = Slot{};
    if (--r->live == 0)
      r->pages = 0;
    return true;
  }

  // Enters a block; false when memory for the map ran out.
  bool add(std::uintptr_t addr, std::uint32_t size, std::int32_t site) {
    Region *r = region(addr >> kRegionShift, true);
    if (!r)
      return false;
    const std::size_t i = grainOf(addr);
    Slot &s = r->slots[i];
    if (s.word) { // two blocks in one grain: not glibc's chunks
      BlockEntry *e = odd.insert(addr);
      if (!e)
        return false;
      e->size = size;
      e->site = site;
    } else {
      s.word = pack(addr, size);
      s.site = site;
      r->noteUsed(i);
    }
    return true;
  }

  bool find(std::uintptr_t addr, BlockEntry &out) {
    if (Slot *s = slot(addr)) {
      out = {addr, s->word >> kSizeShift, s->site};
      return true;
    }
    if (const BlockEntry *e = odd.size() ? odd.find(addr) : nullptr) {
      out = *e;
      return true;
    }
    return false;
  }

  bool erase(std::uintptr_t addr, BlockEntry &out) {
    Region *r = nullptr;
    if (Slot *s = slot(addr, &r)) {
      out = {addr, s->word >> kSizeShift, s->site};
      *s = Slot{};
      if (--r->live == 0)
        r->pages = 0;
      return true;
    }
    if (BlockEntry *e = odd.size() ? odd.find(addr) : nullptr) {
      out = *e;
      odd.erase(e);
      return true;
    }
    return false;
  }

  bool setSite(std::uintptr_t addr, std::int32_t site) {
    if (Slot *s = slot(addr)) {
      s->site = site;
      return true;
    }
    if (BlockEntry *e = odd.size() ? odd.find(addr) : nullptr) {
      e->site = site;
      return true;
    }
    return false;
  }

  std::size_t size() const {
    std::size_t n = odd.size();
    for (std::size_t i = 0; dir && i <= dirMask; ++i)
      n += dir[i] ? dir[i]->live : 0;
    return n;
  }

  // Every block, by increasing address unless some are in the hash table.
  template <class F> void forEach(F f) const {
    // The list of regions comes from glibc directly: our own malloc would change
    // the map while it is walked (and, with threads, wait for its own lock).
    auto **regions = static_cast<Region **>(__libc_calloc(dirCount + 1, sizeof(Region *)));
    if (!regions)
      throw std::bad_alloc();
    std::size_t n = 0;
    for (std::size_t i = 0; dir && i <= dirMask; ++i)
      if (dir[i])
        regions[n++] = dir[i];
    std::sort(regions, regions + n,
              [](const Region *a, const Region *b) { return a->key < b->key; });
    for (std::size_t k = 0; k < n; ++k) {
      const Region *r = regions[k];
      for (std::size_t page = 0; page < kPages; ++page) {
        if (!(r->pages >> page & 1))
          continue; // never written: not even read, so it stays unmapped
        for (std::size_t i = page * kSlotsPerPage; i < (page + 1) * kSlotsPerPage; ++i)
          if (const std::uint32_t w = r->slots[i].word)
            f(BlockEntry{(r->key << kRegionShift) | (i << kGrainShift) | (w & kTagMask),
                         w >> kSizeShift, r->slots[i].site});
      }
    }
    __libc_free(regions);
    odd.forEach(f);
  }

private:
  static constexpr unsigned kRegionShift = 20, kGrainShift = 5;
  static constexpr std::size_t kSlots = std::size_t(1) << (kRegionShift - kGrainShift);
  static constexpr std::uint32_t kTagMask = (1u << kGrainShift) - 1;
  static constexpr std::uint32_t kPresent = 1u << kGrainShift;
  static constexpr unsigned kSizeShift = kGrainShift + 1;
  // Slots are scanned by 4 KiB page of the region, where some were written.
  static constexpr std::size_t kSlotsPerPage = 512, kPages = kSlots / kSlotsPerPage;
  static_assert(kPages <= 64, "one bit per page of slots");

  struct Slot {
    std::uint32_t word; // size << 6 | present | address & 31; 0: free
    std::int32_t site;
  };
  struct Region {
    std::uintptr_t key;
    std::size_t live;
    std::uint64_t pages; // bit n: a block was entered in the nth page of slots
    Slot slots[kSlots];
    void noteUsed(std::size_t i) {
      ++live;
      pages |= std::uint64_t(1) << (i / kSlotsPerPage);
    }
  };

  Region *cached = nullptr;
  std::uintptr_t cachedKey = UINTPTR_MAX; // no region has it
  Region **dir = nullptr;                 // open addressing by key
  std::size_t dirMask = 0, dirCount = 0;
  AddressTable<BlockEntry> odd;

  static std::size_t grainOf(std::uintptr_t addr) {
    return (addr >> kGrainShift) & (kSlots - 1);
  }
  static std::uint32_t pack(std::uintptr_t addr, std::uint32_t size) {
    return size << kSizeShift | kPresent | (static_cast<std::uint32_t>(addr) & kTagMask);
  }
  static std::size_t homeOf(std::uintptr_t key, std::size_t mask) {
    return static_cast<std::size_t>((std::uint64_t(key) * 0x9E3779B97F4A7C15ull) >> 32) & mask;
  }

  // The slot of the block that starts at |addr|, or null; |in|: its region.
  Slot *slot(std::uintptr_t addr, Region **in = nullptr) {
    Region *r = region(addr >> kRegionShift, false);
    if (in)
      *in = r;
    if (!r)
      return nullptr;
    Slot &s = r->slots[grainOf(addr)];
    if (!s.word || (s.word & kTagMask) != (addr & kTagMask))
      return nullptr;
    return &s;
  }

  // The region of |key|, made when |create|; it becomes the cached one.
  Region *region(std::uintptr_t key, bool create) {
    if (key == cachedKey)
      return cached;
    Region *r = nullptr;
    std::size_t i = 0;
    if (dir)
      for (i = homeOf(key, dirMask); dir[i]; i = (i + 1) & dirMask)
        if (dir[i]->key == key) {
          r = dir[i];
          break;
        }
    if (!r) {
      if (!create)
        return nullptr;
      r = makeRegion(key);
      if (!r)
        return nullptr;
    }
    cached = r;
    cachedKey = key;
    return r;
  }

  [[gnu::noinline]] Region *makeRegion(std::uintptr_t key) {
    if ((dirCount + 1) * 2 > (dir ? dirMask + 1 : 0) && !growDirectory())
      return nullptr;
    // Fresh pages from the kernel: zero, and resident only where touched.
    void *m = ::mmap(nullptr, sizeof(Region), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
      return nullptr;
    auto *r = static_cast<Region *>(m);
    r->key = key;
    std::size_t i = homeOf(key, dirMask);
    while (dir[i])
      i = (i + 1) & dirMask;
    dir[i] = r;
    ++dirCount;
    return r;
  }

  bool growDirectory() {
    const std::size_t n = dir ? (dirMask + 1) * 2 : 64;
    auto **fresh = static_cast<Region **>(__libc_calloc(n, sizeof(Region *)));
    if (!fresh)
      return false;
    for (std::size_t i = 0; dir && i <= dirMask; ++i)
      if (dir[i]) {
        std::size_t j = homeOf(dir[i]->key, n - 1);
        while (fresh[j])
          j = (j + 1) & (n - 1);
        fresh[j] = dir[i];
      }
    __libc_free(dir);
    dir = fresh;
    dirMask = n - 1;
    return true;
  }
};

#else

// 32-bit targets: the hash table alone.
class BlockMap {
public:
  static constexpr std::uint32_t kBigSize = UINT32_MAX; // and larger: heap.cpp's

  bool tryAdd(std::uintptr_t addr, std::uint32_t size, std::int32_t site) {
    if (table.full())
      return false;
    fill(table.insertRoomy(addr), size, site);
    return true;
  }
  bool add(std::uintptr_t addr, std::uint32_t size, std::int32_t site) {
    BlockEntry *e = table.insert(addr);
    if (!e)
      return false;
    fill(e, size, site);
    return true;
  }
  bool find(std::uintptr_t addr, BlockEntry &out) {
    const BlockEntry *e = table.find(addr);
    if (e)
      out = *e;
    return e != nullptr;
  }
  bool erase(std::uintptr_t addr, BlockEntry &out) {
    BlockEntry *e = table.find(addr);
    if (!e)
      return false;
    out = *e;
    table.erase(e);
    return true;
  }
  bool tryErase(std::uintptr_t addr) {
    BlockEntry *e = addr ? table.find(addr) : nullptr; // 0 marks an empty entry
    if (!e || e->size == kBigSize)
      return false;
    table.erase(e);
    return true;
  }
  bool setSite(std::uintptr_t addr, std::int32_t site) {
    BlockEntry *e = table.find(addr);
    if (e)
      e->site = site;
    return e != nullptr;
  }
  std::size_t size() const { return table.size(); }
  template <class F> void forEach(F f) const { table.forEach(f); }

private:
  AddressTable<BlockEntry> table;
  static void fill(BlockEntry *e, std::uint32_t size, std::int32_t site) {
    e->size = size;
    e->site = site;
  }
};

#endif

} // namespace hm
#endif
