// handshake.cpp — a destination hm-migrate started: the two phases of a move
// (request_protocol.h), seen from the copy that restored the image, and
// leaving the connection when the move is detached.
#include "diag.h"
#include "options.h"
#include "request.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace hm {

namespace {

// hm-migrate --detach: where the program's stdio goes once it leaves.
struct DetachedStdio {
  int in = -1, out = -1, err = -1;
};

int openForOutput(const std::string &path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  if (fd < 0)
    fatal("restored, but cannot open '{}' for the program's output: {}; the source goes on",
          path, std::strerror(errno));
  return fd;
}

// Opened before this copy says it is ready: a file it cannot write is the
// destination's refusal, and the source goes on.
DetachedStdio openDetachedStdio() {
  const Options &o = options();
  DetachedStdio d;
  d.out = openForOutput(o.restore_output);
  d.err = o.restore_errors == o.restore_output ? d.out : openForOutput(o.restore_errors);
  d.in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (d.in < 0)
    fatal("restored, but cannot open /dev/null: {}; the source goes on", std::strerror(errno));
  return d;
}

bool writeLine(const std::string &line) {
  return ::write(1, line.data(), line.size()) == static_cast<ssize_t>(line.size());
}

// Committed and detached: a child in a session of its own goes on with the
// program, its stdio on the user's files; this process says so and ends, so
// the connection closes. The child starts the program only once the source
// has been told it runs (else it ends, having run nothing).
void leaveConnection(const DetachedStdio &d) {
  int told[2];
  if (::pipe2(told, O_CLOEXEC) != 0)
    std::_Exit(75);
  const pid_t child = ::fork();
  if (child < 0)
    std::_Exit(75);
  if (child > 0) {
    ::close(told[0]);
    if (!writeLine("HMCC-RUNNING " + std::to_string(child) + "\n"))
      std::_Exit(75); // the connection is gone: the source goes on, the child ends
    (void)!::write(told[1], "", 1);
    std::_Exit(0);
  }
  ::close(told[1]);
  char byte;
  ssize_t n;
  while ((n = ::read(told[0], &byte, 1)) < 0 && errno == EINTR) {
  }
  if (n != 1)
    std::_Exit(75);
  ::close(told[0]);
  ::setsid();
  ::dup2(d.in, 0);
  ::dup2(d.out, 1);
  ::dup2(d.err, 2);
  for (int fd : {d.in, d.out, d.err})
    if (fd > 2)
      ::close(fd);
}

} // namespace

// Everything is converted and the stack is back. The source still waits;
// this process goes on only when it has left. Nothing of the program has run
// yet, so leaving now loses nothing.
void awaitCommit() {
  const DetachedStdio detached = options().detach ? openDetachedStdio() : DetachedStdio{};
  // With this process's id: signals sent to the relay come here.
  if (!writeLine("HMCC-READY " + std::to_string(::getpid()) + "\n"))
    fatal("restored, but cannot tell hm-migrate so: {}; the source goes on", std::strerror(errno));
  char go[3];
  std::size_t got = 0;
  while (got < sizeof go) { // byte by byte: what follows is the program's stdin
    const ssize_t n = ::read(0, go + got, 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    ++got;
  }
  if (got != sizeof go || std::memcmp(go, "GO\n", 3) != 0) {
    note("restored, but hm-migrate did not commit the migration: the source goes on, "
         "and this copy ends having run nothing");
    std::_Exit(75);
  }
  if (options().detach)
    return leaveConnection(detached);
  // From here this copy runs; the source leaves when hm-migrate reads this.
  if (!writeLine("HMCC-RUNNING\n"))
    std::_Exit(75); // the connection is gone: the source goes on
}

} // namespace hm
