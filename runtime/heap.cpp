// heap.cpp — libhmrt owns malloc and friends: every block carries a header with its
// size and element type, on a list the capture walks.
//
// The program's executable defines malloc, so the C library's own allocations on
// the program's behalf (getline, asprintf, strdup, fopen) come here too. The
// blocks themselves come from glibc's allocator (__libc_malloc and friends).
#include "config.h"
#include "heap.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>

extern "C" {
void *__libc_malloc(std::size_t);
void *__libc_calloc(std::size_t, std::size_t);
void *__libc_realloc(void *, std::size_t);
void *__libc_memalign(std::size_t, std::size_t);
void __libc_free(void *);
}

namespace hm {
namespace {

// The header sits right before the user's bytes; its size keeps malloc's alignment.
struct alignas(2 * sizeof(void *)) Header {
  std::size_t size;       // user bytes; top bit: over-aligned, raw pointer before us
  const hm_alloc_site *site;
  Header *prev, *next;
};
static_assert(sizeof(Header) % alignof(std::max_align_t) == 0 ||
                  sizeof(Header) % 8 == 0,
              "header breaks malloc alignment");

constexpr std::size_t kAligned = ~(~std::size_t(0) >> 1);

Header gList = {0, nullptr, &gList, &gList}; // circular, with gList as sentinel
std::atomic_flag gLock = ATOMIC_FLAG_INIT;

struct Guard {
  Guard() {
    while (gLock.test_and_set(std::memory_order_acquire))
      ;
  }
  ~Guard() { gLock.clear(std::memory_order_release); }
};

inline Header *headerOf(void *p) { return static_cast<Header *>(p) - 1; }
inline std::size_t sizeOf(const Header *h) { return h->size & ~kAligned; }

void link(Header *h) {
  Guard g;
  h->prev = &gList;
  h->next = gList.next;
  gList.next->prev = h;
  gList.next = h;
}

void unlink(Header *h) {
  Guard g;
  h->prev->next = h->next;
  h->next->prev = h->prev;
}

void *finish(Header *h, std::size_t size, const hm_alloc_site *site) {
  h->size = size;
  h->site = site;
  link(h);
  return h + 1;
}

void *allocate(std::size_t size, const hm_alloc_site *site) {
  if (size > SIZE_MAX - sizeof(Header)) {
    errno = ENOMEM;
    return nullptr;
  }
  auto *h = static_cast<Header *>(__libc_malloc(sizeof(Header) + size));
  return h ? finish(h, size, site) : nullptr;
}

void *allocateAligned(std::size_t align, std::size_t size) {
  if (align <= alignof(Header))
    return allocate(size, nullptr);
  // Room for the header and the raw pointer before it, then round up.
  const std::size_t extra = sizeof(Header) + sizeof(void *) + align;
  if (size > SIZE_MAX - extra) {
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
  finish(h, size, nullptr);
  h->size |= kAligned;
  return reinterpret_cast<void *>(user);
}

void release(void *p) {
  if (!p)
    return;
  Header *h = headerOf(p);
  unlink(h);
  if (h->size & kAligned)
    __libc_free(reinterpret_cast<void **>(h)[-1]);
  else
    __libc_free(h);
}

} // namespace

std::vector<HeapBlock> heapSnapshot() {
  std::vector<HeapBlock> out;
  // Count, reserve outside the lock (reserving allocates), then fill under it.
  std::size_t n = 0;
  {
    Guard g;
    for (Header *h = gList.next; h != &gList; h = h->next)
      ++n;
  }
  out.reserve(n + 16);
  {
    Guard g;
    for (Header *h = gList.next; h != &gList && out.size() < out.capacity(); h = h->next)
      out.push_back({h + 1, sizeOf(h), h->site});
  }
  std::sort(out.begin(), out.end(),
            [](const HeapBlock &a, const HeapBlock &b) { return a.addr < b.addr; });
  return out;
}

void *heapAllocate(std::size_t size, const hm_alloc_site *site) {
  return allocate(size, site);
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
  void *p = allocate(n * size, nullptr);
  if (p)
    std::memset(p, 0, n * size);
  return p;
}

HM_EXPORT void *realloc(void *p, std::size_t size) {
  if (!p)
    return allocate(size, nullptr);
  if (size == 0) {
    release(p);
    return nullptr;
  }
  Header *h = headerOf(p);
  const hm_alloc_site *site = h->site;
  if (h->size & kAligned) {
    void *q = allocate(size, site);
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
  unlink(h);
  auto *moved = static_cast<Header *>(__libc_realloc(h, sizeof(Header) + size));
  if (!moved) {
    link(h); // the old block is still there
    return nullptr;
  }
  return finish(moved, size, site);
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
    headerOf(p)->site = site;
  return p;
}

} // extern "C"
