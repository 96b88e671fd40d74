// numbers.cpp — the numbers a restored process gives addresses it turns into integers.
#include "numbers.h"
#include "config.h"

#include "hm/abi.h"

#include <algorithm>
#include <mutex>

extern "C" {
int hm_rt_numbered = 0; // hidden (hm/abi.h): instrumented code reads it directly
HM_EXPORT int *const hm_rt_shared_numbered = &hm_rt_numbered; // for shared libraries
}

namespace hm {

namespace {

struct Table {
  std::mutex lock;
  std::vector<Numbered> objects; // by begin; they do not overlap
};
// Never destroyed: free() reaches it from exit handlers after static destructors.
Table &table() {
  static Table *t = new Table;
  return *t;
}

} // namespace

void setNumbers(std::vector<Numbered> objects) {
  std::sort(objects.begin(), objects.end(),
            [](const Numbered &a, const Numbered &b) { return a.begin < b.begin; });
  Table &t = table();
  std::lock_guard<std::mutex> hold(t.lock);
  t.objects = std::move(objects);
  __atomic_store_n(&hm_rt_numbered, t.objects.empty() ? 0 : 1, __ATOMIC_RELEASE);
}

std::uint64_t numberOf(std::uintptr_t a) {
  if (!__atomic_load_n(&hm_rt_numbered, __ATOMIC_ACQUIRE))
    return a;
  Table &t = table();
  std::lock_guard<std::mutex> hold(t.lock);
  auto it = std::upper_bound(t.objects.begin(), t.objects.end(), a,
                             [](std::uintptr_t x, const Numbered &n) { return x < n.begin; });
  if (it == t.objects.begin())
    return a;
  --it;
  // One past the end belongs to the object: `p + n` at a loop's end.
  if (a - it->begin > it->size)
    return a;
  return it->number + (a - it->begin);
}

void numberGone(std::uintptr_t begin) {
  if (!__atomic_load_n(&hm_rt_numbered, __ATOMIC_RELAXED))
    return;
  Table &t = table();
  std::lock_guard<std::mutex> hold(t.lock);
  auto it = std::lower_bound(t.objects.begin(), t.objects.end(), begin,
                             [](const Numbered &n, std::uintptr_t x) { return n.begin < x; });
  // Emptied, not erased: a program that frees a million restored blocks would
  // move the table a million times.
  if (it != t.objects.end() && it->begin == begin) {
    it->size = 0;
    it->number = begin;
  }
}

} // namespace hm

extern "C" HM_EXPORT std::uintptr_t hm_rt_renumber(const volatile void *p) {
  return static_cast<std::uintptr_t>(
      hm::numberOf(reinterpret_cast<std::uintptr_t>(const_cast<const void *>(p))));
}
