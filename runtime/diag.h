// diag.h — how the runtime reports: every message starts with "hmcc: ".
#ifndef HM_RUNTIME_DIAG_H
#define HM_RUNTIME_DIAG_H

#define FMT_HEADER_ONLY
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace hm {

// A copy of descriptor 2 kept while a request waits (holdStderr): what is
// said at exit reaches the user even when the program closed its stderr
// (mawk closes all its files), and no longer than that.
inline int gHeldStderr = -1;

// The whole of |text| on descriptor 2, or on the copy held when the program
// closed it.
inline void writeStderr(const std::string &text) {
  int fd = 2;
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EBADF && fd == 2 && gHeldStderr >= 0) {
      fd = gHeldStderr;
      continue;
    }
    if (n <= 0)
      return;
    done += static_cast<std::size_t>(n);
  }
}

// A failure with a message for the user; caught where the runtime decides
// whether the program goes on (capture) or stops (restore).
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// A capture that may succeed at a later point of the same run (a frame that
// would tell the type is not on the stack now): a request tries it again.
struct TransientError : Error {
  using Error::Error;
};

template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> f, Args &&...args) {
  throw Error(fmt::format(f, std::forward<Args>(args)...));
}

template <typename... Args>
void note(fmt::format_string<Args...> f, Args &&...args) {
  std::fflush(stdout);
  // Straight to the descriptor: a program may have closed its stderr stream
  // by the time libhmrt reports at exit (mawk closes all its files).
  writeStderr(fmt::format("hmcc: {}\n", fmt::format(f, std::forward<Args>(args)...)));
}

// The status fatal() exits with: 1, or while a restore runs,
// HM_RESTORE_FAILED_STATUS (a supervisor tells a refused image from the
// program's own failure: hmrun).
inline int &fatalStatus() {
  static int status = 1;
  return status;
}

template <typename... Args>
[[noreturn]] void fatal(fmt::format_string<Args...> f, Args &&...args) {
  note(f, std::forward<Args>(args)...);
  std::exit(fatalStatus());
}

} // namespace hm
#endif
