// small_blocks.h — libhmrt's allocator of small blocks: size classes in chunks of
// one reserved range, each block's size and site in a slot found by its address.
//
// A block of at most kMaxSmall bytes comes from its class (a multiple of 16
// bytes): the last block of the class given back, or the next one in the class's
// current chunk. Its requested size and its site go in one 8-byte slot of a table
// with a slot per 16 bytes of the range, so that entering and removing a block
// are a few instructions with no search; glibc's malloc and free and the block
// map's entry and removal cost about 80 and 140 instructions a block between
// them (bench/: an allocation-heavy simulation ran 1.5 to 1.7 times its plain
// instructions). Blocks keep glibc's density: a 24-byte node takes 32 bytes, no
// header, a 32-byte one 48, and none less than 32 on 64-bit targets. As behind
// glibc's headers, at least one byte lies between a block's end and the next
// block, so that a pointer one past a block's end (Lua's Table.lastfree) is
// never the next block's start. A class keeps the chunks it had (no
// coalescing): the memory a program
// holds is what each class held at its peak. The range and the table are
// reserved once, with no memory behind them until touched; when either cannot
// be had, or is full, blocks come from glibc as before (heap.cpp's block map).
// Not locked: heap.cpp does.
#ifndef HM_RUNTIME_SMALL_BLOCKS_H
#define HM_RUNTIME_SMALL_BLOCKS_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <sys/mman.h>

namespace hm {

class SmallBlocks {
public:
  static constexpr std::size_t kMaxSmall = 1024;

  struct Block {
    std::uintptr_t addr;
    std::uint32_t size;
    std::int32_t site;
  };

  // A block of |size| bytes (at most kMaxSmall), zeroed; null when the range
  // cannot be had or is full.
  void *allocate(std::size_t size, std::int32_t site) {
    const unsigned c = classOf(size);
    char *p;
    if (FreeBlock *f = freeList[c]) {
      freeList[c] = f->next;
      p = reinterpret_cast<char *>(f);
      // What the block held before (this allocator's link, the last owner's
      // data) is no value of the program's: a field it has not set yet reads
      // zero, not a stale address or a number too wide for a 32-bit long.
      std::memset(p, 0, size);
    } else if (end[c] - next[c] >= static_cast<std::ptrdiff_t>(bytesOf(c))) {
      p = next[c]; // never handed out: zero, from the kernel
      next[c] += bytesOf(c);
    } else if (!(p = refill(c))) {
      return nullptr;
    }
    Slot &s = slots[(reinterpret_cast<std::uintptr_t>(p) - base) >> kGranuleShift];
    s.size = static_cast<std::uint32_t>(size) + 1;
    s.site = site;
    ++live;
    return p;
  }

  // Whether |p| lies in the range blocks were handed out from.
  bool owns(const void *p) const {
    return reinterpret_cast<std::uintptr_t>(p) - base < used;
  }

  // Whether a live block starts at |p| (owns(p)): not one given back already,
  // nor an address inside one.
  bool isLive(const void *p) const {
    const std::uintptr_t off = reinterpret_cast<std::uintptr_t>(p) - base;
    return !(off & kGranuleMask) && slots[off >> kGranuleShift].size;
  }

  // Gives back the live block at |p| (isLive(p)).
  void release(void *p) {
    Slot &s = slots[(reinterpret_cast<std::uintptr_t>(p) - base) >> kGranuleShift];
    const unsigned c = classOf(s.size - 1);
    s = Slot{};
    --live;
    auto *f = static_cast<FreeBlock *>(p);
    f->next = freeList[c];
    freeList[c] = f;
  }

  // Gives back |p| when it is a live block of the range; false otherwise (and
  // nothing is done).
  bool tryRelease(void *p) {
    const std::uintptr_t off = reinterpret_cast<std::uintptr_t>(p) - base;
    if (off >= used || (off & kGranuleMask) || !slots[off >> kGranuleShift].size)
      return false;
    release(p);
    return true;
  }

  std::size_t sizeOf(const void *p) const {
    return slots[(reinterpret_cast<std::uintptr_t>(p) - base) >> kGranuleShift].size - 1;
  }
  std::int32_t siteOf(const void *p) const {
    return slots[(reinterpret_cast<std::uintptr_t>(p) - base) >> kGranuleShift].site;
  }
  void setSite(const void *p, std::int32_t site) {
    slots[(reinterpret_cast<std::uintptr_t>(p) - base) >> kGranuleShift].site = site;
  }
  // Whether a block of |size| bytes fits where the block at |p| is (its class).
  bool fitsInPlace(const void *p, std::size_t size) const {
    return size <= kMaxSmall && classOf(size) == classOf(sizeOf(p));
  }
  void resize(const void *p, std::size_t size) {
    slots[(reinterpret_cast<std::uintptr_t>(p) - base) >> kGranuleShift].size =
        static_cast<std::uint32_t>(size) + 1;
  }

  // Every live block, by increasing address.
  template <class F> void forEach(F f) const {
    const std::size_t n = used >> kGranuleShift;
    for (std::size_t i = 0; i < n; ++i)
      if (slots[i].size)
        f(Block{base + (i << kGranuleShift), slots[i].size - 1, slots[i].site});
  }

  std::size_t count() const { return live; }

private:
  static constexpr unsigned kGranuleShift = 4;
  static constexpr std::uintptr_t kGranuleMask = (1u << kGranuleShift) - 1;
  static constexpr unsigned kClasses = (kMaxSmall >> kGranuleShift) + 1; // 16 .. 1040 bytes
  static constexpr std::size_t kChunk = std::size_t(64) << 10;
#if UINTPTR_MAX > 0xFFFFFFFFu
  static constexpr std::size_t kRange = std::size_t(16) << 30;
#else
  static constexpr std::size_t kRange = std::size_t(256) << 20;
#endif

  struct Slot {
    std::uint32_t size; // the requested size + 1; 0: no block starts here
    std::int32_t site;
  };
  struct FreeBlock {
    FreeBlock *next;
  };

  std::uintptr_t base = 0;
  std::size_t used = 0; // bytes of the range handed to classes
  std::size_t live = 0;
  bool unavailable = false;
  Slot *slots = nullptr;
  FreeBlock *freeList[kClasses + 1] = {};
  char *next[kClasses + 1] = {};
  char *end[kClasses + 1] = {};

  // The granules of |size| bytes and one more byte; on 64-bit targets at least
  // 32 bytes, glibc's smallest chunk there: a freed 16-byte node is handed out
  // again for an int, as glibc does (bc's `last` then points into it).
  static constexpr unsigned kMinClass = sizeof(void *) == 8 ? 2 : 1;
  static unsigned classOf(std::size_t size) {
    const auto c = static_cast<unsigned>(size >> kGranuleShift) + 1;
    return c < kMinClass ? kMinClass : c;
  }
  static std::size_t bytesOf(unsigned c) { return std::size_t(c) << kGranuleShift; }
  // A new chunk for class |c|; its first block, entered by allocate().
  [[gnu::noinline]] char *refill(unsigned c) {
    if (!base && !reserve())
      return nullptr;
    if (kRange - used < kChunk)
      return nullptr;
    char *chunk = reinterpret_cast<char *>(base + used);
    used += kChunk;
    next[c] = chunk + bytesOf(c);
    end[c] = chunk + kChunk;
    return chunk;
  }

  bool reserve() {
    if (unavailable)
      return false;
    unavailable = true;
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    void *range = ::mmap(nullptr, kRange, PROT_READ | PROT_WRITE, flags, -1, 0);
    if (range == MAP_FAILED)
      return false;
    void *table = ::mmap(nullptr, kRange >> kGranuleShift << 3, PROT_READ | PROT_WRITE, flags,
                         -1, 0);
    if (table == MAP_FAILED) {
      ::munmap(range, kRange);
      return false;
    }
    base = reinterpret_cast<std::uintptr_t>(range);
    slots = static_cast<Slot *>(table);
    unavailable = false;
    return true;
  }
};

} // namespace hm
#endif
