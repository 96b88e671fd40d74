// relay.cpp — after a move over a connection, the original process stays where
// its user sees it (same PID, same parent, same descriptors) and relays: its
// stdin to the destination, the destination's stdout and stderr to its own,
// the signals it receives to the destination's process, and it ends with the
// destination's exit status.
#include "request.h"
#include "state.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <unistd.h>

namespace hm {

namespace {

// Copies what |from| has to |to|; false at its end. A reader that went away
// (a closed stdout) does not stop the destination: its bytes are dropped.
bool pass(int from, int to) {
  char buf[1 << 16];
  const ssize_t n = ::read(from, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return true;
  if (n <= 0)
    return false;
  for (ssize_t done = 0; done < n;) {
    const ssize_t w = ::write(to, buf + done, static_cast<std::size_t>(n - done));
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      break;
    done += w;
  }
  return true;
}

int gControl = -1; // the keeper's control pipe: "signal NAME" lines

// The signals the relay passes on, as the keeper names them (SshKeeper.cpp).
struct Forwarded {
  int number;
  const char *line;
};
constexpr Forwarded kForwarded[] = {{SIGINT, "signal INT\n"},   {SIGTERM, "signal TERM\n"},
                                    {SIGHUP, "signal HUP\n"},   {SIGQUIT, "signal QUIT\n"},
                                    {SIGUSR1, "signal USR1\n"}, {SIGUSR2, "signal USR2\n"}};

void forward(int sig) {
  for (const Forwarded &f : kForwarded)
    if (f.number == sig)
      (void)!::write(gControl, f.line, std::strlen(f.line));
}

extern "C" void forwardSignal(int sig) {
  const int saved = errno;
  forward(sig);
  errno = saved;
}

// The migration signal that came to the relay.
void answerRequests() {
  // A request to move this process again: its program runs elsewhere now.
  if (const unsigned nonce = takeRequestNonce()) {
    Destination d = connectRequester(nonce);
    tellRequester(d.channel, "REFUSED",
                  "this process only relays now: its program has moved to another "
                  "machine, and moves on from there (run hm-migrate there)");
    closeDestination(d);
    takePending();
  } else if (hm::pending()) {
    // For the moved program: it moves on as its HM_MIGRATE_TO says, or
    // checkpoints (hm-migrate carried them there).
    takePending();
    forward(requestSignal());
  }
}

} // namespace

void relayContinuation(const std::vector<int> &fds) {
  std::signal(SIGPIPE, SIG_IGN);
  gControl = fds[4];
  struct sigaction sa {};
  sa.sa_handler = forwardSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  // The migration signal stays the runtime's: hm-migrate's requests (with a
  // nonce) are answered here, a plain one (kill, a scheduler) is passed on.
  for (const Forwarded &f : kForwarded)
    if (f.number != requestSignal())
      ::sigaction(f.number, &sa, nullptr);
  int toStdin = fds[0];
  const int fromStdout = fds[1], fromStderr = fds[2], statusPipe = fds[3];
  // Input waits in |pending| until the destination takes it: a blocking write
  // there while its output fills up would stop both for good.
  ::fcntl(toStdin, F_SETFL, ::fcntl(toStdin, F_GETFL) | O_NONBLOCK);
  std::string pending;
  // A terminal is read only from its foreground: a background relay would be
  // stopped (SIGTTIN) the first time the user typed in the shell.
  bool stdinOpen = !::isatty(0) || ::tcgetpgrp(0) == ::getpgrp();
  bool outOpen = true, errOpen = true;
  int status = -1;
  while (outOpen || errOpen || status < 0) {
    pollfd p[5] = {{stdinOpen && pending.empty() ? 0 : -1, POLLIN, 0},
                   {outOpen ? fromStdout : -1, POLLIN, 0},
                   {errOpen ? fromStderr : -1, POLLIN, 0},
                   {status < 0 ? statusPipe : -1, POLLIN, 0},
                   {!pending.empty() && toStdin >= 0 ? toStdin : -1, POLLOUT, 0}};
    // Requests are looked at on every round (one may come while the relay
    // copies, not only while poll waits), and poll waits at most 100 ms.
    answerRequests();
    if (::poll(p, 5, 100) < 0) {
      if (errno != EINTR)
        break;
      continue;
    }
    if (p[0].revents) {
      char buf[1 << 16];
      const ssize_t n = ::read(0, buf, sizeof buf);
      if (n > 0)
        pending.assign(buf, static_cast<std::size_t>(n));
      else if (n == 0 || (errno != EINTR && errno != EAGAIN))
        stdinOpen = false;
    }
    if (p[4].revents & (POLLOUT | POLLERR | POLLHUP)) {
      const ssize_t w = ::write(toStdin, pending.data(), pending.size());
      if (w > 0)
        pending.erase(0, static_cast<std::size_t>(w));
      else if (w < 0 && errno != EAGAIN && errno != EINTR)
        pending.clear(); // the destination no longer reads
    }
    if (!stdinOpen && pending.empty() && toStdin >= 0) {
      ::close(toStdin); // the destination reads its end of file
      toStdin = -1;
    }
    if (p[1].revents && !pass(fromStdout, 1))
      outOpen = false;
    if (p[2].revents && !pass(fromStderr, 2))
      errOpen = false;
    if (p[3].revents) {
      // The connection's exit status, in decimal (ssh ends with the destination's).
      char text[16] = {};
      const ssize_t n = ::read(statusPipe, text, sizeof text - 1);
      status = n > 0 ? std::atoi(text) & 0xff : 255;
    }
  }
  ::_exit(status < 0 ? 255 : status);
}

} // namespace hm
