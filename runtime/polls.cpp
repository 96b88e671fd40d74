// polls.cpp — arming and disarming the poll points listed in section hm_polls.
#include "polls.h"
#include "state.h"

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

// One entry per poll point, written by HM_POLL: the no-op and the label it jumps
// to when armed, each relative to the field holding it. The linker defines the
// bounds; a program without poll points has no section, and the bounds are null.
struct PollEntry {
  std::int32_t site;   // + 1 on Thumb-2 code
  std::int32_t target;
};
extern "C" const PollEntry __start_hm_polls[] __attribute__((weak, visibility("hidden")));
extern "C" const PollEntry __stop_hm_polls[] __attribute__((weak, visibility("hidden")));

namespace hm {

namespace {

bool gArmed = false;

// On armhf the low bit of |site| marks Thumb-2 code (its instructions are at even
// addresses); elsewhere instructions may start anywhere.
#if defined(__arm__)
constexpr std::int32_t kThumbBit = 1;
#else
constexpr std::int32_t kThumbBit = 0;
#endif

unsigned char *siteOf(const PollEntry &e) {
  return const_cast<unsigned char *>(reinterpret_cast<const unsigned char *>(&e.site)) +
         (e.site & ~kThumbBit);
}
const unsigned char *targetOf(const PollEntry &e) {
  return reinterpret_cast<const unsigned char *>(&e.target) + e.target;
}

// The pages holding poll points, writable while they change. Only system calls
// and arithmetic: this runs in the signal handler.
bool setWritable(std::uintptr_t lo, std::uintptr_t hi, bool writable) {
  static long page = 0;
  if (!page)
    page = ::sysconf(_SC_PAGESIZE);
  lo &= ~static_cast<std::uintptr_t>(page - 1);
  const int prot = PROT_READ | PROT_EXEC | (writable ? PROT_WRITE : 0);
  return ::mprotect(reinterpret_cast<void *>(lo), hi - lo, prot) == 0;
}

void complain(const char *what) {
  // write(2), not stdio: the handler may have interrupted stdio.
  const char head[] = "hmcc: cannot ";
  const char tail[] = " the poll points (mprotect refused); a request waits for a "
                      "function's entry or migrate_now()\n";
  [[maybe_unused]] ssize_t r = ::write(2, head, sizeof head - 1);
  r = ::write(2, what, std::strlen(what));
  r = ::write(2, tail, sizeof tail - 1);
}

// The bytes that hold poll points: false when there are none.
bool pollRange(std::uintptr_t &lo, std::uintptr_t &hi) {
  const PollEntry *begin = __start_hm_polls, *end = __stop_hm_polls;
  if (begin == end || !begin)
    return false;
  lo = UINTPTR_MAX, hi = 0;
  for (const PollEntry *e = begin; e != end; ++e) {
    const auto at = reinterpret_cast<std::uintptr_t>(siteOf(*e));
    lo = at < lo ? at : lo;
    hi = at + 8 > hi ? at + 8 : hi;
  }
  return true;
}

void patchAll(bool armed) {
  const PollEntry *begin = __start_hm_polls, *end = __stop_hm_polls;
  std::uintptr_t lo, hi;
  if (!pollRange(lo, hi))
    return;
  if (!setWritable(lo, hi, true)) {
    complain(armed ? "arm" : "disarm");
    return;
  }
  for (const PollEntry *e = begin; e != end; ++e)
    writePoll(siteOf(*e), targetOf(*e), e->site & kThumbBit, armed);
  __builtin___clear_cache(reinterpret_cast<char *>(lo), reinterpret_cast<char *>(hi));
  setWritable(lo, hi, false);
  gArmed = armed;
}

} // namespace

bool pollsPatchable() {
  static const bool patchable = [] {
    std::uintptr_t lo, hi;
    return !pollRange(lo, hi) || (setWritable(lo, hi, true) && setWritable(lo, hi, false));
  }();
  return patchable;
}

void syncPolls(bool inSignalHandler) {
  const auto wanted = [] {
    return (__atomic_load_n(&hm_rt_mode, __ATOMIC_SEQ_CST) &
            (HM_MODE_PENDING | HM_MODE_RESTORE)) != 0;
  };
  if (inSignalHandler) {
    if (!gArmed)
      patchAll(true);
    return;
  }
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  if (wanted() != gArmed)
    patchAll(wanted());
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

} // namespace hm
