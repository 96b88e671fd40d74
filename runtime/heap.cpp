// heap.cpp — libhmrt owns malloc and friends: every live block is known with
// its size and element type, which the capture walks.
//
// The program's executable defines malloc, so the C library's own allocations on
// the program's behalf (getline, asprintf, strdup, fopen) come here too. Blocks
// of at most 1 KiB come from libhmrt's small-block allocator (small_blocks.h:
// size classes, a slot per block found by its address); larger and
// over-aligned ones from glibc's allocator (__libc_malloc and friends), exactly
// as asked for, with an entry in block_map.h's map. Neither puts a header before
// a block: a header put a 24-byte node in a 48-byte chunk instead of 32, and a
// pointer-chasing program touched half as many cache lines again.
#include "config.h"
#include "block_map.h"
#include "heap.h"
#include "numbers.h"
#include "byte_records.h"
#include "placements.h"
#include "small_blocks.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <malloc.h>
#include <unistd.h>
#include <sys/single_threaded.h>

extern "C" {
void *__libc_malloc(std::size_t);
void *__libc_calloc(std::size_t, std::size_t);
void *__libc_realloc(void *, std::size_t);
void *__libc_memalign(std::size_t, std::size_t);
void __libc_free(void *);
}

#ifdef HM_SANITIZED_HEAP
// The fuzzing build (test/fuzz): the sanitizer owns malloc, so that it sees
// every block a restore makes; libhmrt tracks blocks over it and defines no
// allocator of its own.
#define HM_LIBC(name) ::name
#else
#define HM_LIBC(name) __libc_##name
#endif

namespace hm {
namespace {

// Allocation sites are the program's constants, all in the executable: a 32-bit
// offset from one of the runtime's own reaches them. The rare one out of reach
// (never seen) goes in a small table, coded below INT32_MIN + kFar.
const char gSiteAnchor = 0;
constexpr int kFar = 64;
const hm_alloc_site *gFarSites[kFar];
std::atomic<int> gFarCount{0};

[[gnu::noinline]] std::int32_t encodeFarSite(const hm_alloc_site *site) {
  for (int i = 0; i < gFarCount.load(); ++i)
    if (gFarSites[i] == site)
      return INT32_MIN + i;
  const int i = gFarCount.fetch_add(1);
  if (i >= kFar)
    return 0; // untyped: the pointers that reach it will say
  gFarSites[i] = site;
  return INT32_MIN + i;
}

inline std::int32_t encodeSite(const hm_alloc_site *site) {
  // No site is the anchor, so no code is 0; a null site is far from it.
  const std::int64_t off =
      static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(site)) -
      static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(&gSiteAnchor));
  if (__builtin_expect(off == static_cast<std::int32_t>(off) && off > INT32_MIN + kFar, 1))
    return static_cast<std::int32_t>(off);
  return site ? encodeFarSite(site) : 0;
}

const hm_alloc_site *decodeSite(std::int32_t code) {
  if (code == 0)
    return nullptr;
  if (code < INT32_MIN + kFar)
    return gFarSites[code - INT32_MIN];
  // Unsigned arithmetic wraps to the same address on 32-bit targets.
  return reinterpret_cast<const hm_alloc_site *>(
      reinterpret_cast<std::uintptr_t>(&gSiteAnchor) +
      static_cast<std::uintptr_t>(static_cast<std::intptr_t>(code)));
}

// A block of kBigSize bytes or more, or aligned beyond malloc's alignment: its
// map entry says kBigSize, and this says the rest.
struct LargeEntry {
  std::uintptr_t addr;
  std::uint64_t size;
  unsigned alignLog2; // 0: malloc's alignment
};
constexpr std::uint32_t kLarge = BlockMap::kBigSize;

BlockMap gBlocks; // blocks from glibc: large, over-aligned, or when gSmall cannot
AddressTable<LargeEntry> gLarge;
#ifndef HM_SANITIZED_HEAP
SmallBlocks gSmall;
#endif
std::atomic_flag gLock = ATOMIC_FLAG_INIT;

// Locks only when the process has more than one thread: the common
// single-threaded program pays no atomic operation per malloc.
struct Guard {
  const bool locked = !__libc_single_threaded;
  Guard() {
    if (locked)
      while (gLock.test_and_set(std::memory_order_acquire))
        ;
  }
  ~Guard() {
    if (locked)
      gLock.clear(std::memory_order_release);
  }
};

// Enters block |p| in the tables; false when they cannot grow.
[[gnu::noinline]] bool track(void *p, std::size_t size, std::int32_t site,
                             unsigned alignLog2 = 0) {
  Guard g;
  const auto addr = reinterpret_cast<std::uintptr_t>(p);
  const bool large = size >= kLarge || alignLog2;
  if (!gBlocks.add(addr, large ? kLarge : static_cast<std::uint32_t>(size), site))
    return false;
  if (large) {
    LargeEntry *l = gLarge.insert(addr);
    if (!l) {
      BlockEntry gone;
      gBlocks.erase(addr, gone);
      return false;
    }
    l->size = size;
    l->alignLog2 = alignLog2;
  }
  return true;
}

// What the tables knew of a block.
struct Known {
  bool found = false;
  std::size_t size = 0;
  std::int32_t site = 0;
  unsigned alignLog2 = 0;
};

// Takes block |p| out of the tables.
Known untrack(void *p) {
  Guard g;
  const auto addr = reinterpret_cast<std::uintptr_t>(p);
  BlockEntry e;
  if (!gBlocks.erase(addr, e))
    return {};
  Known k{true, e.size, e.site, 0};
  if (e.size == kLarge)
    if (LargeEntry *l = gLarge.find(addr)) {
      k.size = static_cast<std::size_t>(l->size);
      k.alignLog2 = l->alignLog2;
      gLarge.erase(l);
    }
  return k;
}

std::size_t sizeOf(const BlockEntry &e) {
  if (e.size != kLarge)
    return e.size;
  const LargeEntry *l = gLarge.find(e.addr);
  return l ? static_cast<std::size_t>(l->size) : 0;
}

inline void *tracked(void *p, std::size_t size, std::int32_t site, unsigned alignLog2 = 0) {
  // The common case, a small block in a single-threaded process whose entry
  // needs no new memory, is straight-line code; the others go through track().
  if (__builtin_expect(p && __libc_single_threaded && size < kLarge && !alignLog2 &&
                           gBlocks.tryAdd(reinterpret_cast<std::uintptr_t>(p),
                                          static_cast<std::uint32_t>(size), site),
                       1))
    return p;
  if (p && !track(p, size, site, alignLog2)) {
    HM_LIBC(free)(p);
    errno = ENOMEM;
    return nullptr;
  }
  return p;
}

// Every block reads zero until the program writes it (glibc's calloc skips
// clearing memory fresh from the kernel): what a reused block held before, a
// free list's links or its last owner's data, is no value of the program's,
// and a capture would otherwise carry it as one (bc's label groups handed out
// over freed digit strings: numbers too wide for a 32-bit long, never read).
// A program that reads memory it never wrote has no defined result anyway.
inline void *allocate(std::size_t size, std::int32_t site) {
#ifndef HM_SANITIZED_HEAP
  if (__builtin_expect(size <= SmallBlocks::kMaxSmall, 1)) {
    Guard g;
    if (void *p = gSmall.allocate(size, site))
      return p;
  }
#endif
  return tracked(HM_LIBC(calloc)(1, size), size, site);
}

// calloc's n elements of |size| bytes, zeroed.
void *allocateArray(std::size_t n, std::size_t size, std::int32_t site) {
  if (size && n > SIZE_MAX / size) {
    errno = ENOMEM;
    return nullptr;
  }
  return allocate(n * size, site);
}

// Whether glibc's chunk at |p| was mapped for it alone (its size word's
// IS_MMAPPED bit): zero already, and clearing it would commit every page of
// a large aligned buffer. Not when glibc fills fresh chunks with a byte
// (MALLOC_PERTURB_, the glibc.malloc.perturb tunable).
inline bool freshFromKernel(const void *p) {
#ifdef HM_SANITIZED_HEAP
  (void)p;
  return false;
#else
  static const bool perturbed = [] {
    const char *byte = std::getenv("MALLOC_PERTURB_");
    const char *tunables = std::getenv("GLIBC_TUNABLES");
    return (byte && std::atoi(byte) != 0) || (tunables && std::strstr(tunables, "perturb"));
  }();
  if (perturbed)
    return false;
  std::size_t sizeWord;
  std::memcpy(&sizeWord, static_cast<const char *>(p) - sizeof sizeWord, sizeof sizeWord);
  return (sizeWord & 2) != 0;
#endif
}

void *allocateAligned(std::size_t align, std::size_t size, std::int32_t site = 0) {
  if (align <= alignof(std::max_align_t)) // what malloc gives
    return allocate(size, site);
  unsigned log2 = 0;
  while ((std::size_t(1) << log2) < align && log2 < 8 * sizeof(std::size_t) - 2)
    ++log2;
  // memalign's alignment may be no power of two.
  void *p = tracked(HM_LIBC(memalign)(std::size_t(1) << log2, size), size, site, log2);
  if (p && !freshFromKernel(p))
    std::memset(p, 0, size);
  return p;
}

// Whether a block's going needs more than its map entry out: a restore's
// numbers or placed objects may be in it.
inline bool freeIsPlain() {
  return !__atomic_load_n(&hm_rt_numbered, __ATOMIC_RELAXED) &&
         detail::gPlacementCount.load(std::memory_order_relaxed) == 0;
}

[[gnu::noinline]] void releaseTracked(void *p) {
  if (!p)
    return;
  if (const Known k = untrack(p); k.found) {
    placementsGone(reinterpret_cast<std::uintptr_t>(p), k.size);
    numberGone(reinterpret_cast<std::uintptr_t>(p));
  }
  HM_LIBC(free)(p); // a block from before the tables (the loader's) goes back too
}

#ifndef HM_SANITIZED_HEAP
// free() of an address in the small blocks' range that starts no live block:
// glibc would stop the program too.
[[noreturn, gnu::noinline]] void badFree(const void *p) {
  char line[96];
  const int n = std::snprintf(line, sizeof line,
                              "hmcc: free(): %p is no block that is allocated\n", p);
  if (n > 0)
    (void)!::write(2, line, static_cast<std::size_t>(n));
  std::abort();
}

[[gnu::noinline]] void releaseSmallTracked(void *p) {
  std::size_t size;
  {
    Guard g;
    if (!gSmall.isLive(p))
      badFree(p);
    size = gSmall.sizeOf(p);
  }
  // Before the block goes: another thread may be given its address at once.
  placementsGone(reinterpret_cast<std::uintptr_t>(p), size);
  numberGone(reinterpret_cast<std::uintptr_t>(p));
  Guard g;
  if (!gSmall.tryRelease(p))
    badFree(p);
}
#endif

// The common case, a small block in a single-threaded process with nothing
// placed or numbered, is straight-line code with no frame.
[[gnu::always_inline]] inline void release(void *p) {
  if (!p) // before any table: a 32-bit map's search takes 0 for an empty entry
    return;
#ifndef HM_SANITIZED_HEAP
  if (__builtin_expect(gSmall.owns(p), 1)) {
    if (__builtin_expect(__libc_single_threaded && freeIsPlain() && gSmall.tryRelease(p), 1))
      return;
    releaseSmallTracked(p);
    return;
  }
#endif
  if (__builtin_expect(__libc_single_threaded && freeIsPlain() &&
                           gBlocks.tryErase(reinterpret_cast<std::uintptr_t>(p)),
                       1))
    HM_LIBC(free)(p);
  else
    releaseTracked(p);
}

} // namespace

std::vector<HeapBlock> heapSnapshot() {
  std::vector<HeapBlock> out;
  // Reserve outside the lock (reserving allocates), then fill under it.
  std::size_t n;
  {
    Guard g;
    n = gBlocks.size();
#ifndef HM_SANITIZED_HEAP
    n += gSmall.count();
#endif
  }
  out.reserve(n + 16);
  {
    Guard g;
    gBlocks.forEach([&](const BlockEntry &e) {
      if (out.size() < out.capacity())
        out.push_back({reinterpret_cast<void *>(e.addr), sizeOf(e), decodeSite(e.site)});
    });
#ifndef HM_SANITIZED_HEAP
    gSmall.forEach([&](const SmallBlocks::Block &b) {
      if (out.size() < out.capacity())
        out.push_back({reinterpret_cast<void *>(b.addr), b.size, decodeSite(b.site)});
    });
#endif
  }
  const auto byAddress = [](const HeapBlock &a, const HeapBlock &b) { return a.addr < b.addr; };
  if (!std::is_sorted(out.begin(), out.end(), byAddress)) // each table's are
    std::sort(out.begin(), out.end(), byAddress);
  return out;
}

void *heapAllocate(std::size_t size, const hm_alloc_site *site, unsigned alignLog2) {
  if (alignLog2 >= 8 * sizeof(std::size_t) - 1)
    return nullptr;
  return allocateAligned(std::size_t(1) << alignLog2, size, encodeSite(site));
}

void heapRelease(void *block) { release(block); }

unsigned heapAlignLog2(const void *block) {
  Guard g;
  const LargeEntry *l = gLarge.find(reinterpret_cast<std::uintptr_t>(block));
  return l ? l->alignLog2 : 0;
}

std::pair<std::uintptr_t, std::uintptr_t> mallocArena() {
  static const std::pair<std::uintptr_t, std::uintptr_t> range = [] {
    // A chunk too large for the tcache and the fast bins, kept from merging
    // with its neighbours (and the top chunk) by chunks in use on both sides,
    // goes to the unsorted bin when freed: its second word (bk) then points to
    // that bin's head, inside main_arena, whatever else the bin holds (its
    // first word may point to another free chunk). The arena's size: about
    // 2200 bytes on 64-bit targets, 1100 on 32-bit ones.
    void *before = __libc_malloc(0x20);
    void *probe = __libc_malloc(0x500);
    void *guard = __libc_malloc(0x20);
    if (!before || !probe || !guard) {
      __libc_free(before);
      __libc_free(probe);
      __libc_free(guard);
      return std::pair<std::uintptr_t, std::uintptr_t>{0, 0};
    }
    __libc_free(probe);
    std::uintptr_t head = 0;
    std::memcpy(&head, static_cast<char *>(probe) + sizeof(void *), sizeof head);
    __libc_free(guard);
    __libc_free(before);
    const std::uintptr_t word = sizeof(void *);
    if (!head)
      return std::pair<std::uintptr_t, std::uintptr_t>{0, 0};
    return std::pair<std::uintptr_t, std::uintptr_t>{head - 32 * word, head + 300 * word};
  }();
  return range;
}

} // namespace hm

using namespace hm;

#ifndef HM_SANITIZED_HEAP
// The runtime's own C++ objects are not the program's heap: they come from glibc
// directly, with no entry in the block map (a capture's bookkeeping would
// otherwise pay for entries in, and be listed by, the map it walks). A block the
// program frees with free() that came from here, or the reverse, still works:
// free() of an unknown block skips the map.
void *operator new(std::size_t size) {
  for (;;) {
    if (void *p = HM_LIBC(malloc)(size ? size : 1))
      return p;
    const std::new_handler handler = std::get_new_handler();
    if (!handler)
      throw std::bad_alloc();
    handler();
  }
}
void operator delete(void *p) noexcept { HM_LIBC(free)(p); }
void operator delete(void *p, std::size_t) noexcept { HM_LIBC(free)(p); }
#endif

#ifndef HM_SANITIZED_HEAP
namespace {
// realloc of a small block: in place within its class, else moved.
void *reallocSmall(void *p, std::size_t size) {
  std::size_t old;
  std::int32_t site;
  bool inPlace = false;
  {
    Guard g;
    if (!gSmall.isLive(p))
      badFree(p);
    old = gSmall.sizeOf(p);
    site = gSmall.siteOf(p);
    if (size && gSmall.fitsInPlace(p, size)) {
      gSmall.resize(p, size);
      if (size > old) // as a new block's: zero until written
        std::memset(static_cast<char *>(p) + old, 0, size - old);
      inPlace = true;
    }
  }
  const auto from = reinterpret_cast<std::uintptr_t>(p);
  if (inPlace) {
    placementsMoved(from, old, from, size);
    return p;
  }
  if (size == 0) {
    release(p);
    return nullptr;
  }
  void *q = allocate(size, site);
  if (!q)
    return nullptr;
  std::memcpy(q, p, std::min(old, size));
  placementsMoved(from, old, reinterpret_cast<std::uintptr_t>(q), size);
  numberGone(from); // another object now, as it would be in a process that never moved
  Guard g;
  gSmall.release(p);
  return q;
}
} // namespace
#endif

extern "C" {

#ifndef HM_SANITIZED_HEAP
HM_EXPORT void *malloc(std::size_t size) { return allocate(size, 0); }

HM_EXPORT void free(void *p) { release(p); }

HM_EXPORT void *calloc(std::size_t n, std::size_t size) { return allocateArray(n, size, 0); }

HM_EXPORT void *realloc(void *p, std::size_t size) {
  if (!p)
    return allocate(size, 0);
  if (gSmall.owns(p))
    return reallocSmall(p, size);
  if (size == 0) {
    release(p);
    return nullptr;
  }
  // The block keeps its site; its address may change (and an over-aligned
  // block's alignment goes, as with glibc's realloc). It leaves the tables
  // first: once glibc has freed it, another thread may be given its address.
  const Known old = untrack(p);
  void *q = HM_LIBC(realloc)(p, size);
  if (!q) {
    if (old.found) // the block is still there, as it was
      track(p, old.size, old.site, old.alignLog2);
    return nullptr;
  }
  if (old.found && size > old.size) // as a new block's: zero until written
    std::memset(static_cast<char *>(q) + old.size, 0, size - old.size);
  if (old.found)
    placementsMoved(reinterpret_cast<std::uintptr_t>(p), old.size,
                    reinterpret_cast<std::uintptr_t>(q), size);
  if (q != p) // another object now, as it would be in a process that never moved
    numberGone(reinterpret_cast<std::uintptr_t>(p));
  return tracked(q, size, old.site);
}

HM_EXPORT void *reallocarray(void *p, std::size_t n, std::size_t size) {
  if (size && n > SIZE_MAX / size) {
    errno = ENOMEM;
    return nullptr;
  }
  return realloc(p, n * size);
}

HM_EXPORT void *memalign(std::size_t align, std::size_t size) {
  return allocateAligned(align, size);
}

HM_EXPORT void *aligned_alloc(std::size_t align, std::size_t size) {
  return allocateAligned(align, size);
}

HM_EXPORT int posix_memalign(void **out, std::size_t align, std::size_t size) {
  if (align % sizeof(void *) || (align & (align - 1)))
    return EINVAL;
  void *p = allocateAligned(align, size);
  if (!p)
    return ENOMEM;
  *out = p;
  return 0;
}

HM_EXPORT void *valloc(std::size_t size) { return allocateAligned(4096, size); }

HM_EXPORT void *pvalloc(std::size_t size) {
  return allocateAligned(4096, (size + 4095) & ~std::size_t(4095));
}

HM_EXPORT std::size_t malloc_usable_size(void *p) {
  if (!p)
    return 0;
  Guard g;
  if (gSmall.owns(p))
    return gSmall.isLive(p) ? gSmall.sizeOf(p) : 0;
  BlockEntry e;
  return gBlocks.find(reinterpret_cast<std::uintptr_t>(p), e) ? sizeOf(e) : 0;
}
#endif

// Typed allocation: hm-instrument wraps allocation sites that say what they hold.
HM_EXPORT void *hm_rt_typed(void *p, const hm_alloc_site *site) {
  if (!p)
    return p;
  Guard g;
#ifndef HM_SANITIZED_HEAP
  if (gSmall.owns(p)) {
    if (gSmall.isLive(p))
      gSmall.setSite(p, encodeSite(site));
    return p;
  }
#endif
  gBlocks.setSite(reinterpret_cast<std::uintptr_t>(p), encodeSite(site));
  return p;
}

// What a call that hands out memory returned, converted to T * with sizeof(T)
// among its arguments: a T lives there. Not the block's type: a pool's first
// object is not what the whole pool holds.
// The size the last call that hands out memory was asked for, and its site: a
// call made while the arguments of another (a nested allocator) takes it over,
// and the outer placement then spans only its type.
namespace {
thread_local const hm_alloc_site *tKeptSite;
thread_local std::size_t tKeptSize;
} // namespace

HM_EXPORT std::size_t hm_rt_keep_size(std::size_t n, const hm_alloc_site *site) {
  tKeptSite = site;
  tKeptSize = n;
  return n;
}

HM_EXPORT void *hm_rt_place(void *p, const hm_alloc_site *site) {
  const std::size_t size = tKeptSite == site ? tKeptSize : 0;
  tKeptSite = nullptr;
  if (p)
    place(reinterpret_cast<std::uintptr_t>(p), site, size);
  return p;
}

HM_EXPORT void *hm_rt_bytes_of(void *p, const hm_alloc_site *site) {
  if (p)
    noteBytesOf(reinterpret_cast<std::uintptr_t>(p),
                site->type && site->type->size ? site->type->size : 1, site);
  return p;
}

HM_EXPORT void *hm_rt_copy_bytes(void *to, const void *from, std::size_t n,
                                 const hm_alloc_site *site) {
  std::memmove(to, from, n);
  if (n)
    noteBytesOf(reinterpret_cast<std::uintptr_t>(to), n, site);
  return to;
}

HM_EXPORT void *hm_rt_copy_records(void *to, const void *from, std::size_t n) {
  std::memmove(to, from, n);
  if (n)
    noteCopiedBytes(reinterpret_cast<std::uintptr_t>(to), reinterpret_cast<std::uintptr_t>(from),
                    n);
  return to;
}

HM_EXPORT void *hm_rt_malloc(std::size_t size, const hm_alloc_site *site) {
  return allocate(size, encodeSite(site));
}

HM_EXPORT void *hm_rt_calloc(std::size_t n, std::size_t size, const hm_alloc_site *site) {
  return allocateArray(n, size, encodeSite(site));
}

} // extern "C"
