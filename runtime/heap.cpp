// heap.cpp — libhmrt owns malloc and friends: every block carries a 16-byte header
// with its size and element type, and has a slot in a table of live blocks that
// the capture walks.
//
// The program's executable defines malloc, so the C library's own allocations on
// the program's behalf (getline, asprintf, strdup, fopen) come here too. The
// blocks themselves come from glibc's allocator (__libc_malloc and friends).
// The header is as small as malloc's alignment allows: glibc gives a 16-byte
// request a 32-byte chunk, and a 16-byte header keeps a 24-byte node in a
// 48-byte one (a 32-byte header with list links took it to 64 and doubled the
// cache lines a pointer-chasing program touches).
#include "config.h"
#include "heap.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <sys/single_threaded.h>

extern "C" {
void *__libc_malloc(std::size_t);
void *__libc_calloc(std::size_t, std::size_t);
void *__libc_realloc(void *, std::size_t);
void *__libc_memalign(std::size_t, std::size_t);
void __libc_free(void *);
}

namespace hm {
namespace {

// The header sits right before the user's bytes; its size keeps malloc's
// alignment (16 on 64-bit targets, 8 on armhf: no stronger alignment is claimed).
struct alignas(8) Header {
  std::uint64_t size;   // user bytes; top byte: log2 of an alignment asked for
                        // beyond malloc's (then the raw pointer is before us)
  std::int32_t site;    // SiteCode: what the block holds, when its site said
  std::uint32_t slot;   // its entry in the table of live blocks
};
static_assert(sizeof(Header) == 16, "header breaks malloc alignment");

constexpr unsigned kAlignShift = 56;
constexpr std::uint64_t kSizeMask = (std::uint64_t(1) << kAlignShift) - 1;

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
  if (!site)
    return 0;
  const std::int64_t off =
      static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(site)) -
      static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(&gSiteAnchor));
  if (off != 0 && off > INT32_MIN + kFar && off <= INT32_MAX)
    return static_cast<std::int32_t>(off);
  return encodeFarSite(site);
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

// The table of live blocks: slot -> user pointer (null: a free slot). Its
// memory comes from glibc directly (this is malloc).
struct Table {
  void **blocks = nullptr;
  std::uint32_t used = 0, capacity = 0;   // slots ever used; allocated
  std::uint32_t *free = nullptr;          // free slots, a stack
  std::uint32_t nfree = 0, freeCapacity = 0;
};
Table gTable;
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

template <class T> [[gnu::noinline]] bool grow(T *&array, std::uint32_t &capacity) {
  if (capacity >= UINT32_MAX / 2)
    return false;
  const std::uint32_t n = capacity ? capacity * 2 : 1024;
  void *p = __libc_realloc(array, std::size_t(n) * sizeof(T));
  if (!p)
    return false;
  array = static_cast<T *>(p);
  capacity = n;
  return true;
}

inline Header *headerOf(void *p) { return static_cast<Header *>(p) - 1; }
inline unsigned alignLog2(const Header *h) {
  return static_cast<unsigned>(h->size >> kAlignShift);
}
inline std::size_t sizeOf(const Header *h) {
  return static_cast<std::size_t>(h->size & kSizeMask);
}

// Gives |h|'s block (user bytes at |user|) a slot; false when the table cannot grow.
inline bool link(Header *h, void *user) {
  Guard g;
  Table &t = gTable;
  std::uint32_t slot;
  if (t.nfree) {
    slot = t.free[--t.nfree];
  } else {
    if (t.used == t.capacity && !grow(t.blocks, t.capacity))
      return false;
    slot = t.used++;
  }
  t.blocks[slot] = user;
  h->slot = slot;
  return true;
}

void unlink(Header *h) {
  Guard g;
  Table &t = gTable;
  t.blocks[h->slot] = nullptr;
  if (t.nfree == t.freeCapacity && !grow(t.free, t.freeCapacity))
    return; // the slot is lost, not the block: the table only grows
  t.free[t.nfree++] = h->slot;
}

inline void *finish(Header *h, std::size_t size, const hm_alloc_site *site, void *raw) {
  h->size = size;
  h->site = encodeSite(site);
  if (!link(h, h + 1)) {
    __libc_free(raw);
    errno = ENOMEM;
    return nullptr;
  }
  return h + 1;
}

// |zeroed|: glibc's calloc, which skips clearing memory fresh from the kernel.
void *allocate(std::size_t size, const hm_alloc_site *site, bool zeroed = false) {
  if (size > SIZE_MAX - sizeof(Header) || std::uint64_t(size) > kSizeMask) {
    errno = ENOMEM;
    return nullptr;
  }
  auto *h = static_cast<Header *>(zeroed ? __libc_calloc(1, sizeof(Header) + size)
                                         : __libc_malloc(sizeof(Header) + size));
  return h ? finish(h, size, site, h) : nullptr;
}

void *allocateAligned(std::size_t align, std::size_t size,
                      const hm_alloc_site *site = nullptr, bool zeroed = false) {
  if (align <= alignof(std::max_align_t)) // what malloc gives, header included
    return allocate(size, site, zeroed);
  unsigned log2 = 0;
  while ((std::size_t(1) << log2) < align && log2 < 8 * sizeof(std::size_t) - 2)
    ++log2;
  align = std::size_t(1) << log2; // memalign's alignment may be no power of two
  // Room for the header and the raw pointer before it, then round up.
  const std::size_t extra = sizeof(Header) + sizeof(void *) + align;
  if (size > SIZE_MAX - extra || std::uint64_t(size) > kSizeMask) {
    errno = ENOMEM;
    return nullptr;
  }
  char *raw = static_cast<char *>(__libc_malloc(size + extra));
  if (!raw)
    return nullptr;
  std::uintptr_t user = reinterpret_cast<std::uintptr_t>(raw) + sizeof(Header) +
                        sizeof(void *);
  user = (user + align - 1) & ~(std::uintptr_t(align) - 1);
  Header *h = headerOf(reinterpret_cast<void *>(user));
  reinterpret_cast<void **>(h)[-1] = raw;
  if (!finish(h, size, site, raw))
    return nullptr;
  h->size |= std::uint64_t(log2) << kAlignShift;
  if (zeroed)
    std::memset(reinterpret_cast<void *>(user), 0, size);
  return reinterpret_cast<void *>(user);
}

void release(void *p) {
  if (!p)
    return;
  Header *h = headerOf(p);
  unlink(h);
  if (alignLog2(h))
    __libc_free(reinterpret_cast<void **>(h)[-1]);
  else
    __libc_free(h);
}

} // namespace

std::vector<HeapBlock> heapSnapshot() {
  std::vector<HeapBlock> out;
  // Reserve outside the lock (reserving allocates), then fill under it.
  std::size_t n;
  {
    Guard g;
    n = gTable.used - gTable.nfree;
  }
  out.reserve(n + 16);
  {
    Guard g;
    for (std::uint32_t i = 0; i < gTable.used && out.size() < out.capacity(); ++i)
      if (void *p = gTable.blocks[i]) {
        const Header *h = headerOf(p);
        out.push_back({p, sizeOf(h), decodeSite(h->site)});
      }
  }
  std::sort(out.begin(), out.end(),
            [](const HeapBlock &a, const HeapBlock &b) { return a.addr < b.addr; });
  return out;
}

void *heapAllocate(std::size_t size, const hm_alloc_site *site, unsigned alignLog2) {
  if (alignLog2 >= 8 * sizeof(std::size_t) - 1)
    return nullptr;
  return allocateAligned(std::size_t(1) << alignLog2, size, site, true);
}

unsigned heapAlignLog2(const void *block) {
  return alignLog2(headerOf(const_cast<void *>(block)));
}

} // namespace hm

using namespace hm;

extern "C" {

HM_EXPORT void *malloc(std::size_t size) { return allocate(size, nullptr); }

HM_EXPORT void free(void *p) { release(p); }

HM_EXPORT void *calloc(std::size_t n, std::size_t size) {
  if (size && n > SIZE_MAX / size) {
    errno = ENOMEM;
    return nullptr;
  }
  return allocate(n * size, nullptr, true);
}

HM_EXPORT void *realloc(void *p, std::size_t size) {
  if (!p)
    return allocate(size, nullptr);
  if (size == 0) {
    release(p);
    return nullptr;
  }
  Header *h = headerOf(p);
  if (alignLog2(h)) {
    void *q = allocate(size, decodeSite(h->site));
    if (!q)
      return nullptr;
    std::memcpy(q, p, std::min(size, sizeOf(h)));
    release(p);
    return q;
  }
  if (size > SIZE_MAX - sizeof(Header)) {
    errno = ENOMEM;
    return nullptr;
  }
  // The block keeps its slot and its site; only its address may change.
  auto *moved = static_cast<Header *>(__libc_realloc(h, sizeof(Header) + size));
  if (!moved)
    return nullptr; // the old block is still there, still in the table
  moved->size = size;
  {
    Guard g;
    gTable.blocks[moved->slot] = moved + 1;
  }
  return moved + 1;
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

HM_EXPORT std::size_t malloc_usable_size(void *p) { return p ? sizeOf(headerOf(p)) : 0; }

// Typed allocation: hm-instrument wraps allocation sites that say what they hold.
HM_EXPORT void *hm_rt_typed(void *p, const hm_alloc_site *site) {
  if (p)
    headerOf(p)->site = encodeSite(site);
  return p;
}

} // extern "C"
