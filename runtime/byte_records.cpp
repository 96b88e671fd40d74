// byte_records.cpp — where copies put the bytes of typed values in char memory.
#include "byte_records.h"
#include "layout.h"
#include "config.h"

#include <algorithm>
#include <dlfcn.h>
#include <iterator>
#include <map>
#include <mutex>
#include <pthread.h>
#include <unordered_map>

extern "C" {
int hm_rt_byte_records = 0; // hidden (hm/abi.h): instrumented copies read it directly
HM_EXPORT int *const hm_rt_shared_byte_records = &hm_rt_byte_records; // shared libraries
}

namespace hm {
namespace {

// Values that may hold an address, by where each run of them starts and their
// type (the bytes of a pointer and of a long copied over its start are both
// there): the capture reads each value to see whether it is an address.
struct Run {
  const hm_alloc_site *site;
  std::size_t size;
};
using Runs = std::map<std::pair<std::uintptr_t, const hm_type *>, Run>;
// Values that cannot, per type: disjoint ranges [begin, end) that hold some.
// The capture needs to know only that their numbers are somewhere in memory
// that travels as bytes; where each one starts does not matter.
struct Range {
  std::uintptr_t end;
  const hm_alloc_site *site;
};
using Ranges = std::map<std::uintptr_t, Range>;

struct Records {
  Runs runs;
  std::size_t longestRun = 0; // how far back a run may start and still reach a place
  std::map<const hm_type *, Ranges> ranges;
  std::size_t size() const {
    std::size_t n = runs.size();
    for (const auto &[type, rs] : ranges)
      n += rs.size();
    return n;
  }
};
// Heap blocks' records go with their block; static and stack memory's stay, so
// that free need not look at them. Their nodes come from operator new, which
// libhmrt serves untracked.
Records &heapRecords() {
  static auto *r = new Records;
  return *r;
}
Records &fixedRecords() {
  static auto *r = new Records;
  return *r;
}
std::mutex gMutex;
// Bumped when heap records go or move: what a thread remembers may be gone.
std::atomic<std::uint64_t> gGeneration{0};
std::size_t gCounted = 0; // heap records in detail::gPlacementCount (under gMutex)

// Ranges this close merge, and a range that a copy extends is taken this much
// further: a buffer filled in order (a serializer, a bit writer that stores 8
// bytes and moves on by fewer) or at scattered places (a hashed arena) becomes
// one range that later copies find without the lock. What a range covers
// beyond the copies can only bind an image to the sender's byte order where
// nothing needed it: a refusal, never a wrong value.
constexpr std::uintptr_t kReach = 256;

std::uintptr_t plus(std::uintptr_t a, std::uintptr_t b) {
  return a + b < a ? UINTPTR_MAX : a + b;
}

// Whether |addr| is in this thread's stack or in a loaded file's segments.
bool fixedMemory(std::uintptr_t addr) {
  thread_local std::uintptr_t low = 0, high = 0;
  if (!high) {
    pthread_attr_t attr;
    void *base = nullptr;
    std::size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstack(&attr, &base, &size);
      pthread_attr_destroy(&attr);
    }
    low = reinterpret_cast<std::uintptr_t>(base);
    high = low + size;
    if (!high)
      high = 1;
  }
  if (addr >= low && addr < high)
    return true;
  Dl_info info;
  return dladdr(reinterpret_cast<void *>(addr), &info) != 0;
}

// Under gMutex.
bool holdsAddressesKnown(const hm_type *t) {
  static auto *known = new std::unordered_map<const hm_type *, bool>;
  if (!t)
    return false;
  auto [it, fresh] = known->try_emplace(t, false);
  if (fresh)
    it->second = holdsPointers(t);
  return it->second;
}

// What a thread recorded last, two per set of types (a serializer writes
// several types in turn; a type may go to two buffers in turn): a copy inside
// one needs no lock. |run| is set for runs, whose values must start a whole
// number of values from |begin|.
struct Seen {
  std::uintptr_t begin = 0, end = 0;
  const hm_type *type = nullptr;
  std::uint64_t generation = 0;
  std::size_t unit = 1;
  Run *run = nullptr;
};
constexpr unsigned kSets = 8;
thread_local Seen tSeen[kSets][2];

Seen *setOf(const hm_type *t) {
  const auto h = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(t) >> 3);
  return tSeen[(h * 0x9E3779B1u) >> 29];
}

void remember(const Seen &s) {
  Seen *set = setOf(s.type);
  if (set[0].type == s.type && set[0].begin >= s.begin && set[0].end <= s.end) {
    set[0] = s; // the same memory, grown
    return;
  }
  set[1] = set[0];
  set[0] = s;
}

// The run a copy continues (the same type, a whole number of values after its
// start, looked for among the few records just before), or a new one. Runs are
// never cut by a later copy: the bytes of the earlier one may still be there (a
// field patched inside a struct's bytes).
Seen noteRun(Runs &runs, std::uintptr_t addr, std::size_t size, const hm_alloc_site *site,
             std::size_t unit) {
  Seen *set = setOf(site->type);
  for (Seen *s = set; s != set + 2; ++s)
    if (s->run && s->type == site->type && s->generation == gGeneration.load() &&
        addr >= s->begin && addr <= s->end && (addr - s->begin) % unit == 0) {
      s->run->size = std::max(s->run->size, addr + size - s->begin);
      s->end = s->begin + s->run->size;
      return *s;
    }
  auto it = runs.upper_bound({addr, reinterpret_cast<const hm_type *>(UINTPTR_MAX)});
  for (int back = 0; back < 4 && it != runs.begin(); ++back) {
    --it;
    const std::uintptr_t start = it->first.first;
    if (it->first.second == site->type && (addr - start) % unit == 0 &&
        start + it->second.size >= addr) {
      it->second.size = std::max(it->second.size, addr + size - start);
      return {start, start + it->second.size, site->type, 0, unit, &it->second};
    }
  }
  Run &run = runs[{addr, site->type}];
  if (!run.site)
    run = Run{site, 0};
  run.size = std::max(run.size, size);
  return {addr, addr + run.size, site->type, 0, unit, &run};
}

// Adds [begin, end) to |rs|, merged with the ranges within |gap| of it; the
// range it is part of now.
std::pair<std::uintptr_t, std::uintptr_t> addRange(Ranges &rs, std::uintptr_t begin,
                                                   std::uintptr_t end,
                                                   const hm_alloc_site *site,
                                                   std::uintptr_t gap) {
  auto it = rs.upper_bound(begin);
  if (it != rs.begin() && plus(std::prev(it)->second.end, gap) >= begin) {
    --it;
    begin = it->first;
    site = it->second.site;
  }
  while (it != rs.end() && it->first <= plus(end, gap)) {
    end = std::max(end, it->second.end);
    it = rs.erase(it);
  }
  rs.emplace_hint(it, begin, Range{end, site});
  return {begin, end};
}

Seen noteRange(Ranges &rs, std::uintptr_t addr, std::size_t size, const hm_alloc_site *site) {
  std::uintptr_t end = plus(addr, size);
  if (auto it = rs.upper_bound(addr); it != rs.begin()) {
    const auto &[begin, range] = *std::prev(it);
    if (range.end >= end)
      return {begin, range.end, site->type};
    if (plus(range.end, kReach) >= addr)
      end = plus(end, kReach); // a buffer being filled
  }
  const auto [begin, last] = addRange(rs, addr, end, site, kReach);
  return {begin, last, site->type};
}

// Ranges lose [from, to); whether any did.
bool cutRanges(Ranges &rs, std::uintptr_t from, std::uintptr_t to) {
  bool any = false;
  if (auto it = rs.lower_bound(from); it != rs.begin()) {
    Range &before = std::prev(it)->second;
    if (before.end > from) {
      if (before.end > to)
        rs.emplace_hint(it, to, Range{before.end, before.site});
      before.end = from;
      any = true;
    }
  }
  for (auto it = rs.lower_bound(from); it != rs.end() && it->first < to; any = true) {
    const Range r = it->second;
    it = rs.erase(it);
    if (r.end > to)
      it = rs.emplace_hint(it, to, r);
  }
  return any;
}

// The 64 KiB granules that hold records, hashed into a bit table (never
// cleared): a copy between char buffers none of whose granules is marked
// carries no record and needs no lock.
constexpr unsigned kPageBits = 1u << 16;
std::atomic<std::uint64_t> gPages[kPageBits / 64];
unsigned pageBit(std::uintptr_t granule) {
  return static_cast<unsigned>((static_cast<std::uint64_t>(granule) * 0x9E3779B97F4A7C15ull) >> 48);
}
// Calls |f| with the bit of each granule of [begin, end) until it returns true.
template <class F> bool anyGranule(std::uintptr_t begin, std::uintptr_t end, F f) {
  for (std::uintptr_t g = begin >> 16; g <= (end - 1) >> 16 && end > begin; ++g) {
    if (f(pageBit(g)))
      return true;
    if (g == UINTPTR_MAX >> 16)
      break;
  }
  return false;
}
void markPages(std::uintptr_t begin, std::uintptr_t end) {
  anyGranule(begin, end, [](unsigned bit) {
    gPages[bit / 64].fetch_or(std::uint64_t(1) << (bit % 64), std::memory_order_relaxed);
    return false;
  });
}
bool pagesMarked(std::uintptr_t begin, std::uintptr_t end) {
  return anyGranule(begin, end, [](unsigned bit) {
    return (gPages[bit / 64].load(std::memory_order_relaxed) & (std::uint64_t(1) << (bit % 64))) !=
           0;
  });
}

// Under gMutex: heap records are what free and realloc must look at.
void count() {
  const std::size_t now = heapRecords().size();
  detail::gPlacementCount.fetch_add(now - gCounted, std::memory_order_relaxed);
  gCounted = now;
}

[[gnu::noinline]] void noteBytesLocked(std::uintptr_t addr, std::size_t size,
                                       const hm_alloc_site *site) {
  const bool fixed = fixedMemory(addr);
  std::lock_guard<std::mutex> lock(gMutex);
  Records &r = fixed ? fixedRecords() : heapRecords();
  Seen now = holdsAddressesKnown(site->type)
                 ? noteRun(r.runs, addr, size, site,
                           site->type->size ? site->type->size : 1)
                 : noteRange(r.ranges[site->type], addr, size, site);
  if (now.run)
    r.longestRun = std::max(r.longestRun, now.run->size);
  // What this copy added (a range may have been taken kReach further; what
  // merged with it was marked before, and a gap between is shorter than a granule).
  markPages(addr, plus(plus(addr, size), now.run ? 0 : kReach));
  now.generation = gGeneration.load(std::memory_order_relaxed);
  remember(now);
  __atomic_store_n(&hm_rt_byte_records, 1, __ATOMIC_RELAXED);
  if (!fixed)
    count();
}

} // namespace

void noteBytesOf(std::uintptr_t addr, std::size_t size, const hm_alloc_site *site) {
  const hm_type *type = site->type;
  const std::uint64_t generation = gGeneration.load(std::memory_order_acquire);
  const auto inside = [&](const Seen &s) {
    return s.type == type && addr >= s.begin && plus(addr, size) <= s.end && s.end &&
           s.generation == generation && (!s.run || (addr - s.begin) % s.unit == 0);
  };
  const Seen *set = setOf(type);
  if (!inside(set[0]) && !inside(set[1]))
    noteBytesLocked(addr, size, site);
}

void noteCopiedBytes(std::uintptr_t to, std::uintptr_t from, std::size_t size) {
  struct Copied {
    std::uintptr_t at;
    std::size_t size;
    const hm_alloc_site *site;
  };
  const std::uintptr_t end = plus(from, size);
  if (!pagesMarked(from, end))
    return;
  std::vector<Copied> copied; // not thread_local: copies run in atexit handlers too
  // The part of [begin, last) in the copy, from its first value that starts
  // there (values |unit| apart from |begin|).
  const auto take = [&](std::uintptr_t begin, std::uintptr_t last, std::size_t unit,
                        const hm_alloc_site *site) {
    const std::uintptr_t first =
        begin >= from ? begin : begin + (from - begin + unit - 1) / unit * unit;
    last = std::min(last, end);
    if (first >= from && first < last)
      copied.push_back({to + (first - from), last - first, site});
  };
  {
    std::lock_guard<std::mutex> lock(gMutex);
    for (Records *r : {&heapRecords(), &fixedRecords()}) {
      // Runs from the first that may reach into the copy to its end.
      auto it = r->runs.lower_bound({from, nullptr});
      while (it != r->runs.begin() && from - std::prev(it)->first.first < r->longestRun)
        --it;
      for (; it != r->runs.end() && it->first.first < end; ++it) {
        const hm_type *t = it->first.second;
        take(it->first.first, it->first.first + it->second.size, t && t->size ? t->size : 1,
             it->second.site);
      }
      for (auto &[type, rs] : r->ranges) {
        auto range = rs.upper_bound(from);
        if (range != rs.begin())
          --range;
        for (; range != rs.end() && range->first < end; ++range)
          take(std::max(range->first, from), range->second.end, 1, range->second.site);
      }
    }
  }
  for (const Copied &c : copied)
    noteBytesOf(c.at, c.size, c.site);
}

std::vector<Placement> bytesOfSnapshot() {
  std::lock_guard<std::mutex> lock(gMutex);
  std::vector<Placement> out;
  for (const Records *r : {&heapRecords(), &fixedRecords()}) {
    for (const auto &[key, run] : r->runs)
      out.push_back({key.first, run.site, run.size});
    for (const auto &[type, rs] : r->ranges)
      for (const auto &[begin, range] : rs)
        out.push_back({begin, range.site, range.end - begin});
  }
  std::sort(out.begin(), out.end(),
            [](const Placement &a, const Placement &b) { return a.addr < b.addr; });
  return out;
}

namespace detail {

void bytesGone(std::uintptr_t addr, std::size_t size) {
  if (!size)
    return;
  std::lock_guard<std::mutex> lock(gMutex);
  Records &r = heapRecords();
  bool any = false;
  for (auto it = r.runs.lower_bound({addr, nullptr});
       it != r.runs.end() && it->first.first < addr + size; any = true)
    it = r.runs.erase(it);
  for (auto &[type, rs] : r.ranges)
    any |= cutRanges(rs, addr, addr + size);
  if (any) {
    gGeneration.fetch_add(1, std::memory_order_release);
    count();
  }
}

void bytesMoved(std::uintptr_t from, std::size_t oldSize, std::uintptr_t to,
                std::size_t newSize) {
  std::lock_guard<std::mutex> lock(gMutex);
  Records &r = heapRecords();
  const std::uintptr_t kept = from + std::min(oldSize, newSize); // what moves
  std::vector<std::pair<std::pair<std::uintptr_t, const hm_type *>, Run>> runs;
  for (auto it = r.runs.lower_bound({from, nullptr});
       it != r.runs.end() && it->first.first < from + oldSize;) {
    if (it->first.first < kept) // a run ends with its block
      runs.push_back({{to + (it->first.first - from), it->first.second},
                      Run{it->second.site, std::min<std::size_t>(it->second.size,
                                                                 kept - it->first.first)}});
    it = r.runs.erase(it);
  }
  for (const auto &[key, run] : runs) {
    r.runs[key] = run;
    markPages(key.first, key.first + run.size);
  }
  for (auto &[type, rs] : r.ranges) {
    std::vector<std::pair<std::uintptr_t, Range>> moved;
    auto it = rs.upper_bound(from);
    if (it != rs.begin())
      --it;
    for (; it != rs.end() && it->first < kept; ++it)
      if (it->second.end > from && std::max(it->first, from) < std::min(it->second.end, kept))
        moved.push_back({std::max(it->first, from),
                         Range{std::min(it->second.end, kept), it->second.site}});
    cutRanges(rs, from, from + oldSize);
    for (const auto &[begin, range] : moved) {
      addRange(rs, to + (begin - from), to + (range.end - from), range.site, 0);
      markPages(to + (begin - from), to + (range.end - from));
    }
  }
  gGeneration.fetch_add(1, std::memory_order_release);
  count();
}

} // namespace detail
} // namespace hm
