// diag.h — how the runtime reports: every message starts with "hmcc: ".
#ifndef HM_RUNTIME_DIAG_H
#define HM_RUNTIME_DIAG_H

#define FMT_HEADER_ONLY
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace hm {

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
  std::fprintf(stderr, "hmcc: %s\n",
               fmt::format(f, std::forward<Args>(args)...).c_str());
  std::fflush(stderr);
}

template <typename... Args>
[[noreturn]] void fatal(fmt::format_string<Args...> f, Args &&...args) {
  note(f, std::forward<Args>(args)...);
  std::exit(1);
}

} // namespace hm
#endif
