// descriptors.cpp — the program's descriptors on files, opened again at their numbers.
//
// libhmrt defines open, openat, creat (and their 64-bit and fortified names),
// dup, dup2, dup3 and close over glibc's, and keeps each descriptor's absolute
// path and flags. At a capture each one still open on a regular file or a
// device is recorded with its offset; the receiver opens the same path with the
// same access at the same number and seeks, so an `int fd` the program keeps
// (zlib's gz_state.fd) goes on working. A descriptor on a pipe or a socket
// cannot be opened again elsewhere: the migration is refused at its point.
#include "config.h"
#include "descriptors.h"
#include "diag.h"
#include "options.h"
#include "streams.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

namespace hm {

namespace {

struct Descriptor {
  std::string path;
  int flags;
  dev_t dev;
  ino_t ino;
};

std::mutex &lock() {
  static std::mutex m;
  return m;
}
std::map<int, Descriptor> &table() {
  static auto *t = new std::map<int, Descriptor>; // never destroyed: close runs late
  return *t;
}

template <class F> F real(const char *name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

// The file |fd| is open on, by its absolute path ("" if unknown).
std::string pathOfDescriptor(int fd) {
  char link[64];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  std::string where;
  if (char *r = ::realpath(link, nullptr)) {
    where = r;
    std::free(r);
  }
  return where;
}

void remember(int fd, int dirfd, const char *path, int flags) {
  if (fd < 0 || !path)
    return;
  (void)dirfd; // the path is read back from /proc/self/fd, relative or not
  struct stat st;
  if (::fstat(fd, &st) != 0)
    return;
  // The file it is now, whatever the path was relative to.
  const std::string where = pathOfDescriptor(fd);
  std::lock_guard<std::mutex> g(lock());
  table()[fd] = Descriptor{where, flags, st.st_dev, st.st_ino};
}

void copy(int from, int to) {
  std::lock_guard<std::mutex> g(lock());
  auto it = table().find(from);
  if (it == table().end())
    table().erase(to);
  else
    table()[to] = it->second;
}

void forget(int fd) {
  std::lock_guard<std::mutex> g(lock());
  table().erase(fd);
}

// Flags in a form every target reads alike: the access mode, then bits.
// kInherited: stdin as the process found it (a regular file), not opened by
// the program: the receiver goes on in its own stdin if it is the same file.
enum : std::int32_t { kAppend = 4, kCloexec = 8, kNonblock = 16, kInherited = 32 };
std::int32_t portable(int flags) {
  return (flags & O_ACCMODE) | ((flags & O_APPEND) ? kAppend : 0) |
         ((flags & O_CLOEXEC) ? kCloexec : 0) | ((flags & O_NONBLOCK) ? kNonblock : 0);
}
int local(std::int32_t flags) {
  return (flags & O_ACCMODE) | ((flags & kAppend) ? O_APPEND : 0) |
         ((flags & kCloexec) ? O_CLOEXEC : 0) | ((flags & kNonblock) ? O_NONBLOCK : 0);
}

// A stdin on a regular file (`prog < input`) is read up to its offset: the
// receiver, given the same file, goes on from there, not from its start.
void describeInheritedStdin(std::vector<DescriptorRecord> &out) {
  struct stat st;
  if (table().count(0) || ::fstat(0, &st) != 0 || !S_ISREG(st.st_mode))
    return;
  const off_t at = ::lseek(0, 0, SEEK_CUR);
  const std::string path = pathOfDescriptor(0);
  if (at < 0 || path.empty())
    return;
  DescriptorRecord r;
  r.fd = 0;
  r.path = path;
  r.flags = O_RDONLY | kInherited;
  r.offset = static_cast<std::uint64_t>(at);
  out.push_back(std::move(r));
}

// The receiver's side: its stdin goes to the sender's offset when it is the
// same file at its start. Another file is read from where it is, as the rest
// of the input (what a pipe would give), and said.
void continueInheritedStdin(const DescriptorRecord &r) {
  struct stat st;
  // A check runs none of the program, and its stdin may be its caller's
  // (hmrun's), whose offset a seek here would move.
  if (options().checkOnly)
    return;
  if (::fstat(0, &st) != 0 || !S_ISREG(st.st_mode) || ::lseek(0, 0, SEEK_CUR) != 0)
    return;
  const std::string here = pathOfDescriptor(0);
  if (here != r.path) {
    note("stdin is '{}' here, not '{}' as where the image was made: it is read from its "
         "start, as the rest of the input",
         here, r.path);
    return;
  }
  if (r.offset > static_cast<std::uint64_t>(st.st_size))
    fail("stdin '{}' is shorter ({} bytes) than where the program had read it to ({})",
         r.path, static_cast<long long>(st.st_size), r.offset);
  if (::lseek(0, static_cast<off_t>(r.offset), SEEK_SET) < 0)
    fail("cannot seek stdin '{}' to {}: {}", r.path, r.offset, std::strerror(errno));
}

} // namespace

std::string describeDescriptors(std::vector<DescriptorRecord> &out, int skip) {
  std::lock_guard<std::mutex> g(lock());
  for (const auto &[fd, d] : table()) {
    struct stat st;
    if (fd == skip || ::fstat(fd, &st) != 0 || st.st_dev != d.dev || st.st_ino != d.ino ||
        streamOwnsDescriptor(fd))
      continue; // closed behind libhmrt's back, another file now, or a stream's
    if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
      return fmt::format("descriptor {} is a {}, which cannot be opened again elsewhere",
                         fd, S_ISFIFO(st.st_mode) ? "pipe" : "socket");
    if (d.path.empty() || d.path[0] != '/')
      return fmt::format("descriptor {} is on a file whose path libhmrt does not know", fd);
    DescriptorRecord r;
    r.fd = fd;
    r.path = d.path;
    r.flags = portable(d.flags);
    const off_t at = S_ISREG(st.st_mode) ? ::lseek(fd, 0, SEEK_CUR) : 0;
    r.offset = at < 0 ? 0 : static_cast<std::uint64_t>(at);
    out.push_back(std::move(r));
  }
  describeInheritedStdin(out);
  return "";
}

void forgetOwnDescriptor(int fd) { forget(fd); }

void reopenDescriptors(const std::vector<DescriptorRecord> &records) {
  for (const DescriptorRecord &r : records) {
    if (r.flags == (O_RDONLY | kInherited) && r.fd == 0 && !r.path.empty()) {
      continueInheritedStdin(r);
      continue;
    }
    if (r.fd < 0 || r.fd > 1 << 20 || r.path.empty() || r.path[0] != '/' ||
        (r.flags & ~(O_ACCMODE | kAppend | kCloexec | kNonblock)) || (r.flags & O_ACCMODE) == 3)
      fail("image is malformed: descriptor record {}", r.fd);
    if (::fcntl(r.fd, F_GETFD) != -1)
      fail("the image's descriptor {} ('{}') is open here already", r.fd, r.path);
    const int fd = ::open(r.path.c_str(), local(r.flags)); // ours: remembered
    if (fd < 0)
      fail("cannot open '{}' again as descriptor {}: {}", r.path, r.fd, std::strerror(errno));
    if (fd != r.fd) {
      const int cloexec = (r.flags & kCloexec) ? O_CLOEXEC : 0;
      if (::dup3(fd, r.fd, cloexec) < 0) { // ours: remembered at its number
        const int e = errno;
        ::close(fd);
        fail("cannot open '{}' again as descriptor {}: {}", r.path, r.fd, std::strerror(e));
      }
      ::close(fd);
    }
    struct stat st;
    if (::fstat(r.fd, &st) == 0 && S_ISREG(st.st_mode) &&
        ::lseek(r.fd, static_cast<off_t>(r.offset), SEEK_SET) < 0)
      fail("cannot seek '{}' to {}: {}", r.path, r.offset, std::strerror(errno));
  }
}

} // namespace hm

using namespace hm;

namespace {
// open's mode argument is there only with O_CREAT or O_TMPFILE.
mode_t modeArgument(int flags, va_list ap) {
  const bool has = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
  return has ? static_cast<mode_t>(va_arg(ap, int)) : 0;
}
} // namespace

extern "C" {

#define HM_OPEN(name)                                                                \
  HM_EXPORT int name(const char *path, int flags, ...) {                            \
    static auto next = real<int (*)(const char *, int, ...)>(#name);                \
    va_list ap;                                                                      \
    va_start(ap, flags);                                                             \
    const mode_t mode = modeArgument(flags, ap);                                     \
    va_end(ap);                                                                      \
    const int fd = next ? next(path, flags, mode) : (errno = ENOSYS, -1);            \
    remember(fd, AT_FDCWD, path, flags);                                             \
    return fd;                                                                       \
  }
HM_OPEN(open)
HM_OPEN(open64)
#undef HM_OPEN

#define HM_OPENAT(name)                                                              \
  HM_EXPORT int name(int dirfd, const char *path, int flags, ...) {                 \
    static auto next = real<int (*)(int, const char *, int, ...)>(#name);           \
    va_list ap;                                                                      \
    va_start(ap, flags);                                                             \
    const mode_t mode = modeArgument(flags, ap);                                     \
    va_end(ap);                                                                      \
    const int fd = next ? next(dirfd, path, flags, mode) : (errno = ENOSYS, -1);     \
    remember(fd, dirfd, path, flags);                                                \
    return fd;                                                                       \
  }
HM_OPENAT(openat)
HM_OPENAT(openat64)
#undef HM_OPENAT

// _FORTIFY_SOURCE's names, for calls without a mode.
#define HM_OPEN2(name)                                                               \
  HM_EXPORT int name(const char *path, int flags) {                                 \
    static auto next = real<int (*)(const char *, int)>(#name);                      \
    const int fd = next ? next(path, flags) : (errno = ENOSYS, -1);                  \
    remember(fd, AT_FDCWD, path, flags);                                             \
    return fd;                                                                       \
  }
HM_OPEN2(__open_2)
HM_OPEN2(__open64_2)
#undef HM_OPEN2

#define HM_CREAT(name)                                                               \
  HM_EXPORT int name(const char *path, mode_t mode) {                               \
    static auto next = real<int (*)(const char *, mode_t)>(#name);                   \
    const int fd = next ? next(path, mode) : (errno = ENOSYS, -1);                   \
    remember(fd, AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC);                      \
    return fd;                                                                       \
  }
HM_CREAT(creat)
HM_CREAT(creat64)
#undef HM_CREAT

// Descriptors with no file to open again: remembered, so that a capture while
// one is open is refused (descriptors the process inherited are not its own).
HM_EXPORT int pipe(int fds[2]) {
  static auto next = real<int (*)(int *)>("pipe");
  const int r = next ? next(fds) : (errno = ENOSYS, -1);
  if (r == 0) {
    remember(fds[0], AT_FDCWD, "", 0);
    remember(fds[1], AT_FDCWD, "", 0);
  }
  return r;
}

HM_EXPORT int pipe2(int fds[2], int flags) {
  static auto next = real<int (*)(int *, int)>("pipe2");
  const int r = next ? next(fds, flags) : (errno = ENOSYS, -1);
  if (r == 0) {
    remember(fds[0], AT_FDCWD, "", flags);
    remember(fds[1], AT_FDCWD, "", flags);
  }
  return r;
}

HM_EXPORT int socket(int domain, int type, int protocol) {
  static auto next = real<int (*)(int, int, int)>("socket");
  const int fd = next ? next(domain, type, protocol) : (errno = ENOSYS, -1);
  remember(fd, AT_FDCWD, "", 0);
  return fd;
}

HM_EXPORT int socketpair(int domain, int type, int protocol, int fds[2]) {
  static auto next = real<int (*)(int, int, int, int *)>("socketpair");
  const int r = next ? next(domain, type, protocol, fds) : (errno = ENOSYS, -1);
  if (r == 0) {
    remember(fds[0], AT_FDCWD, "", 0);
    remember(fds[1], AT_FDCWD, "", 0);
  }
  return r;
}

HM_EXPORT int dup(int fd) {
  static auto next = real<int (*)(int)>("dup");
  const int to = next ? next(fd) : (errno = ENOSYS, -1);
  if (to >= 0)
    copy(fd, to);
  return to;
}

HM_EXPORT int dup2(int fd, int to) {
  static auto next = real<int (*)(int, int)>("dup2");
  const int r = next ? next(fd, to) : (errno = ENOSYS, -1);
  if (r >= 0 && fd != to)
    copy(fd, to);
  return r;
}

HM_EXPORT int dup3(int fd, int to, int flags) {
  static auto next = real<int (*)(int, int, int)>("dup3");
  const int r = next ? next(fd, to, flags) : (errno = ENOSYS, -1);
  if (r >= 0)
    copy(fd, to);
  return r;
}

HM_EXPORT int close(int fd) {
  static auto next = real<int (*)(int)>("close");
  forget(fd);
  return next ? next(fd) : (errno = ENOSYS, -1);
}

} // extern "C"
