// waiting_input.cpp — C library input calls that may wait for input (fgets,
// getchar, read, scanf, ...), as instrumented functions make them: a migration
// request that comes while the program waits is served there, before anything
// is read, so a program blocked on its terminal or a quiet pipe can move. The
// call is a migration point; the restore makes it again, and it waits anew.
#include "config.h"
#include "state.h"

#include <cerrno>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <poll.h>
#include <unistd.h>

extern "C" int __isoc99_vfscanf(FILE *stream, const char *format, va_list ap);

namespace hm {
namespace {

// Until |stream| (or descriptor |fd|) has input, serving requests: true when a
// capture started (the caller unwinds, its value unused), false when the call
// may be made. A restore that ends here goes on waiting, as the program did.
bool awaitInput(FILE *stream, int fd) {
  for (;;) {
    if (currentMode() == HM_MODE_RESTORE || pending()) {
      hm_rt_poll();
      if (currentMode() == HM_MODE_CAPTURE)
        return true;
      continue;
    }
    if (currentMode() == HM_MODE_CAPTURE)
      return true;
    bool inHand = false;
    const int from = stream ? inputDescriptor(stream, inHand) : fd;
    if (inHand || from < 0)
      return false;
    // The request signal is let in only while ppoll waits: one that comes
    // before is seen as pending, not slept through.
    sigset_t block, old;
    sigemptyset(&block);
    if (const int sig = requestSignal())
      sigaddset(&block, sig);
    ::sigprocmask(SIG_BLOCK, &block, &old);
    if (pending()) {
      ::sigprocmask(SIG_SETMASK, &old, nullptr);
      continue;
    }
    pollfd p{from, POLLIN, 0};
    const int ready = ::ppoll(&p, 1, nullptr, &old);
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    // Readable, at its end or failed: the call says which. Another signal
    // came before the call, as it could have: the call is made.
    if (ready != 0 && !pending())
      return false;
  }
}

FILE *asStream(void *stream) { return static_cast<FILE *>(stream); }

// The common case, in a few instructions: nothing asked of the runtime, and
// the stream's buffer holds input (a read from it cannot wait).
inline bool inHand(FILE *f) {
#if defined(__GLIBC__)
  return __builtin_expect(__atomic_load_n(&hm_rt_mode, __ATOMIC_RELAXED) == HM_MODE_RUN, 1) &&
         f->_IO_read_ptr < f->_IO_read_end;
#else
  (void)f;
  return false;
#endif
}

// Whether the caller must unwind instead of reading (awaitInput), past the
// fast path.
inline bool mustUnwind(FILE *f) { return !inHand(f) && awaitInput(f, -1); }

} // namespace
} // namespace hm

using namespace hm;

extern "C" {

HM_EXPORT char *hm_rt_fgets(char *s, int n, void *stream) {
  return mustUnwind(asStream(stream)) ? nullptr : std::fgets(s, n, asStream(stream));
}

HM_EXPORT int hm_rt_fgetc(void *stream) {
  return mustUnwind(asStream(stream)) ? EOF : std::fgetc(asStream(stream));
}

HM_EXPORT int hm_rt_getc(void *stream) {
  return mustUnwind(asStream(stream)) ? EOF : getc(asStream(stream));
}

HM_EXPORT int hm_rt_getchar(void) { return mustUnwind(stdin) ? EOF : getchar(); }

HM_EXPORT size_t hm_rt_fread(void *p, size_t size, size_t n, void *stream) {
  return mustUnwind(asStream(stream)) ? 0 : std::fread(p, size, n, asStream(stream));
}

HM_EXPORT ssize_t hm_rt_getline(char **line, size_t *n, void *stream) {
  return mustUnwind(asStream(stream)) ? -1 : ::getline(line, n, asStream(stream));
}

HM_EXPORT ssize_t hm_rt_getdelim(char **line, size_t *n, int delim, void *stream) {
  return mustUnwind(asStream(stream)) ? -1 : ::getdelim(line, n, delim, asStream(stream));
}

HM_EXPORT ssize_t hm_rt_read(int fd, void *buffer, size_t n) {
  return awaitInput(nullptr, fd) ? -1 : ::read(fd, buffer, n);
}

// ISO C's scanf (a C program's, unless it asked for GNU's): %a is a float.
HM_EXPORT int hm_rt_scanf(const char *format, ...) {
  if (mustUnwind(stdin))
    return EOF;
  va_list ap;
  va_start(ap, format);
  const int r = __isoc99_vfscanf(stdin, format, ap);
  va_end(ap);
  return r;
}

HM_EXPORT int hm_rt_fscanf(void *stream, const char *format, ...) {
  if (mustUnwind(asStream(stream)))
    return EOF;
  va_list ap;
  va_start(ap, format);
  const int r = __isoc99_vfscanf(asStream(stream), format, ap);
  va_end(ap);
  return r;
}

} // extern "C"
