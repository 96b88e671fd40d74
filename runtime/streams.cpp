// streams.cpp — the program's FILE streams on regular files, reopened after a restore.
//
// libhmrt defines fopen, fopen64, freopen, freopen64 and fclose over glibc's own
// (found with dlsym(RTLD_NEXT)), and keeps each open stream's path and mode. At
// a capture a stream is a landmark whose key says how to open it again: its mode,
// the offset its reader or writer is at (written data flushed first), whether it
// was at end of file, and its path. The receiver opens the same path there,
// seeks, and translates pointers to the stream to the new one. A stream libhmrt
// cannot reopen (not a regular file, its path gone) is a landmark whose key says
// why: a pointer to it is refused at the migration point.
#include "config.h"
#include "diag.h"
#include "streams.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

namespace hm {

namespace {

struct Stream {
  std::string path; // absolute, as it was when opened
  std::string mode;
};

std::mutex &lock() {
  static std::mutex m;
  return m;
}
std::map<FILE *, Stream> &streams() {
  static auto *s = new std::map<FILE *, Stream>; // never destroyed: fclose runs late
  return *s;
}

template <class F> F real(const char *name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

std::string absolute(const char *path) {
  if (!path || !*path)
    return "";
  if (char *r = ::realpath(path, nullptr)) {
    std::string out = r;
    std::free(r);
    return out;
  }
  return ""; // it may not exist yet ("w"): after the open, realpath works
}

void remember(FILE *f, const char *path, const char *mode) {
  if (!f)
    return;
  std::lock_guard<std::mutex> g(lock());
  streams()[f] = Stream{absolute(path), mode ? mode : "r"};
}

void forget(FILE *f) {
  std::lock_guard<std::mutex> g(lock());
  streams().erase(f);
}

// The mode that opens the same file again without truncating it, where the
// stream was.
std::string reopenMode(const std::string &mode) {
  const bool plus = mode.find('+') != std::string::npos;
  const bool binary = mode.find('b') != std::string::npos;
  std::string out;
  switch (mode.empty() ? 'r' : mode[0]) {
  case 'w': out = "r+"; break;           // it exists now: keep what was written
  case 'a': out = plus ? "a+" : "a"; break;
  default: out = plus ? "r+" : "r"; break;
  }
  return binary ? out + "b" : out;
}

} // namespace

bool streamOwnsDescriptor(int fd) {
  std::lock_guard<std::mutex> g(lock());
  for (const auto &[f, s] : streams())
    if (::fileno(f) == fd)
      return true;
  return false;
}

std::vector<StreamLandmark> openStreams() {
  std::vector<StreamLandmark> out;
  std::lock_guard<std::mutex> g(lock());
  for (const auto &[f, s] : streams()) {
    StreamLandmark l{f, ""};
    struct stat st;
    const int fd = ::fileno(f);
    if (fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      l.key = fmt::format("!a stream on '{}' that is not a regular file (a pipe, a "
                          "socket, a device): it cannot be opened again elsewhere",
                          s.path);
    } else if (s.path.empty()) {
      l.key = "!a stream whose path libhmrt does not know";
    } else if (::fflush(f) != 0) {
      l.key = fmt::format("!a stream on '{}' whose buffered output cannot be written",
                          s.path);
    } else {
      const off_t at = ::ftello(f);
      if (at < 0)
        l.key = fmt::format("!a stream on '{}' whose offset cannot be read", s.path);
      else
        l.key = fmt::format("stream {} {} {} {} {}", reopenMode(s.mode),
                            static_cast<long long>(at), ::feof(f) ? 1 : 0, fd, s.path);
    }
    out.push_back(std::move(l));
  }
  return out;
}

FILE *reopenStream(const std::string &key, std::string &why, bool checkOnly) {
  // "stream MODE OFFSET EOF FD PATH": the image is untrusted, so every part is checked.
  char mode[8] = {0};
  long long offset = -1;
  int eof = -1, fd = -1, pos = 0;
  if (std::sscanf(key.c_str(), "stream %7s %lld %d %d %n", mode, &offset, &eof, &fd, &pos) < 4 ||
      pos <= 0 || offset < 0 || (eof != 0 && eof != 1) || fd < 0 ||
      (mode[0] != 'r' && mode[0] != 'a') || std::strspn(mode, "ra+b") != std::strlen(mode)) {
    // reopenMode never says "w": a stream opened again must not truncate the file.
    why = "the image's stream record is malformed";
    return nullptr;
  }
  const std::string path = key.substr(static_cast<std::size_t>(pos));
  if (path.empty() || path[0] != '/') {
    why = "the image's stream record names no absolute path";
    return nullptr;
  }
  // A check opens nothing an untrusted image names (a FIFO would block it, and
  // the check runs where the image came from anyone): it asks whether a
  // regular file is there, and stdin stands in for the stream, a pointer
  // nothing follows.
  if (checkOnly) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      why = fmt::format("'{}' is not a regular file here", path);
      return nullptr;
    }
    return stdin;
  }
  FILE *f = ::fopen(path.c_str(), mode); // ours: the new stream is remembered
  if (!f) {
    why = fmt::format("cannot open '{}' again (mode {}): {}", path, mode, std::strerror(errno));
    return nullptr;
  }
  // At the descriptor number it had, when that is free here (a program may keep
  // fileno's answer).
  if (const int now = ::fileno(f); now != fd && ::fcntl(fd, F_GETFD) == -1 &&
      ::dup2(now, fd) == fd) {
    f->_fileno = fd; // glibc's FILE: the descriptor it reads and writes
    ::close(now);
  }
  if (::fseeko(f, static_cast<off_t>(offset), SEEK_SET) != 0) {
    why = fmt::format("cannot seek '{}' to {}: {}", path, offset, std::strerror(errno));
    ::fclose(f);
    return nullptr;
  }
  if (eof)
    (void)std::getc(f); // at its end: the end-of-file flag is set again
  return f;
}

} // namespace hm

using namespace hm;

extern "C" {

#define HM_FOPEN(name)                                                               \
  HM_EXPORT FILE *name(const char *path, const char *mode) {                         \
    static auto next = real<FILE *(*)(const char *, const char *)>(#name);           \
    FILE *f = next ? next(path, mode) : nullptr;                                     \
    remember(f, path, mode);                                                         \
    return f;                                                                        \
  }
HM_FOPEN(fopen)
HM_FOPEN(fopen64)
#undef HM_FOPEN

#define HM_FREOPEN(name)                                                             \
  HM_EXPORT FILE *name(const char *path, const char *mode, FILE *stream) {           \
    static auto next = real<FILE *(*)(const char *, const char *, FILE *)>(#name);   \
    forget(stream);                                                                  \
    FILE *f = next ? next(path, mode, stream) : nullptr;                             \
    if (path)                                                                        \
      remember(f, path, mode);                                                       \
    return f;                                                                        \
  }
HM_FREOPEN(freopen)
HM_FREOPEN(freopen64)
#undef HM_FREOPEN

// A stream over a descriptor on a file (bzip2 opens its output with open and
// O_EXCL, then fdopen): the path is the descriptor's.
HM_EXPORT FILE *fdopen(int fd, const char *mode) {
  static auto next = real<FILE *(*)(int, const char *)>("fdopen");
  FILE *f = next ? next(fd, mode) : nullptr;
  if (f) {
    char link[64];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    remember(f, link, mode);
  }
  return f;
}

HM_EXPORT int fclose(FILE *stream) {
  static auto next = real<int (*)(FILE *)>("fclose");
  forget(stream);
  return next ? next(stream) : EOF;
}

} // extern "C"
