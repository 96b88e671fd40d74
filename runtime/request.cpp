// request.cpp — the migration signal: its handler only sets a flag, which the
// program's poll points read (a handler cannot capture: it is not at a point
// where the state has a meaning in the source).
#include "request.h"
#include "config.h"
#include "diag.h"
#include "options.h"
#include "state.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern "C" int __cxa_atexit(void (*fn)(void *), void *arg, void *dso);

namespace hm {

namespace {

std::atomic<long long> gRequestedAt{0}; // CLOCK_MONOTONIC nanoseconds
std::atomic<unsigned> gNonce{0};        // the requester's socket (hm-migrate's sigqueue)
int gSignal = 0;                        // the migration signal installed, or 0

long long monotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// When the request came: the first signal of it, not a retry's (patience
// counts from there), until it is served or refused (requestFinished).
void stampRequest() {
  long long none = 0;
  gRequestedAt.compare_exchange_strong(none, monotonicNs(), std::memory_order_relaxed);
}

extern "C" void onRequest(int, siginfo_t *info, void *) {
  // The value is an int; qemu-user hands a big-endian guest the sender's
  // pointer-wide word, whose low half holds it.
  if (info && info->si_code == SI_QUEUE)
    if (const unsigned nonce = info->si_value.sival_int
                                   ? static_cast<unsigned>(info->si_value.sival_int)
                                   : static_cast<unsigned>(reinterpret_cast<std::uintptr_t>(
                                         info->si_value.sival_ptr)))
      gNonce.store(nonce, std::memory_order_relaxed);
  stampRequest();
  raisePending(true);
}

int signalNumber(const std::string &s) {
  if (s.empty())
    return SIGUSR1;
  char *end = nullptr;
  long n = std::strtol(s.c_str(), &end, 10);
  if (*end == '\0')
    return static_cast<int>(n);
  std::string name = s.rfind("SIG", 0) == 0 ? s.substr(3) : s;
  if (name == "USR1") return SIGUSR1;
  if (name == "USR2") return SIGUSR2;
  if (name == "HUP") return SIGHUP;
  if (name == "TERM") return SIGTERM;
  if (name == "INT") return SIGINT;
  fatal("HM_MIGRATE_SIGNAL='{}' is not a signal this runtime knows", s);
}

} // namespace

void installRequestHandler() {
  static bool installed = false;
  if (installed)
    return;
  installed = true;
  const int sig = signalNumber(options().signal);
  if (sig <= 0)
    return;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = onRequest;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART | SA_SIGINFO;
  if (sigaction(sig, &sa, nullptr) == 0)
    gSignal = sig;
}

int requestSignal() { return gSignal; }

void requestFinished() {
  gRequestedAt.store(0, std::memory_order_relaxed);
  holdStderr(false);
}

void holdStderr(bool hold) {
  if (hold && gHeldStderr < 0) {
    gHeldStderr = ::fcntl(2, F_DUPFD_CLOEXEC, 3);
  } else if (!hold && gHeldStderr >= 0) {
    ::close(gHeldStderr);
    gHeldStderr = -1;
  }
}

bool requestMayWait() {
  const long long at = gRequestedAt.load(std::memory_order_relaxed);
  return at && (monotonicNs() - at) / 1e9 < options().patience_seconds;
}

// After |attempt| tries, the last of which took |attemptMs|: soon at first,
// then at most every 100 ms, and never so often that retrying takes more than
// a fifth of the program's time.
bool retryRequestLater(unsigned attempt, double attemptMs) {
  static timer_t timer;
  static bool created = false;
  if (!gSignal)
    return false;
  if (!created) {
    sigevent ev;
    std::memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = gSignal;
    if (timer_create(CLOCK_MONOTONIC, &ev, &timer) != 0)
      return false;
    created = true;
  }
  const long ms = std::max(std::min(100L, 1L << std::min(attempt, 7u)),
                           static_cast<long>(4 * attemptMs));
  itimerspec when;
  std::memset(&when, 0, sizeof when);
  when.it_value.tv_sec = ms / 1000;
  when.it_value.tv_nsec = (ms % 1000) * 1000000L;
  return timer_settime(timer, 0, &when, nullptr) == 0;
}

unsigned takeRequestNonce() { return gNonce.exchange(0, std::memory_order_relaxed); }

Destination requestedDestination() {
  // A request hm-migrate made is its own: when its requester has gone (or was
  // not who it should be), the image goes nowhere else.
  if (const unsigned nonce = gNonce.exchange(0, std::memory_order_relaxed))
    return connectRequester(nonce);
  Destination d;
  d.path = options().migrate_to;
  return d;
}

double requestLatencyMs(std::chrono::steady_clock::time_point) {
  const long long at = gRequestedAt.load(std::memory_order_relaxed);
  return at ? (monotonicNs() - at) / 1e6 : 0.0;
}

namespace {

// A run that ends with a migration asked for and none made says so: a request
// that no poll point served, or a point HM_MIGRATE_AT names that never came.
void reportUnserved(void *) {
  const Runtime &rt = runtime();
  if (rt.captured || rt.restoring_from_image)
    return;
  if (!rt.deferred.empty() && !rt.deferredWhy.empty()) {
    tellRequester(rt.deferred.channel, "REFUSED",
                  fmt::format("the program ended while it waited: {}", rt.deferredWhy));
    note("migration refused: the program ended while a requested migration waited for "
         "a poll point where this no longer held: {}", rt.deferredWhy);
    return;
  }
  if (pending() || !rt.deferred.empty()) {
    note("a requested migration was not made: the program ended before it reached "
         "a poll point where its stack could be captured");
    return;
  }
  const Options &o = options();
  // A refusal said why already.
  if ((o.migrate_to.empty() && o.checkpoint.empty()) || !o.restore.empty() ||
      rt.points_reached >= o.migrate_at_point || rt.refusals)
    return;
  if (!o.migrate_at.empty())
    note("no migration was made: HM_MIGRATE_AT={} names a migration point the program "
         "did not reach (it reached {})", o.migrate_at_point, rt.points_reached);
  else
    note("no migration was made: {} is set, but the program ended before any "
         "migrate_now() and no request came", o.migrate_to.empty() ? "HM_CHECKPOINT"
                                                                   : "HM_MIGRATE_TO");
}

// Before any constructor of the program's own (they run at priority 65535): a
// request that comes while the program starts waits for its first poll point
// instead of killing it. The report at exit is registered after the objects it
// reads exist, so it runs before they are destroyed, and not through atexit,
// whose list is the program's (libc_state.c).
__attribute__((constructor(101))) void installEarly() {
  runtime();
  installRequestHandler();
  __cxa_atexit(reportUnserved, nullptr, nullptr);
}

} // namespace

} // namespace hm

extern "C" HM_EXPORT void hm_request_migration(void) {
  hm::stampRequest();
  hm::raisePending();
}
