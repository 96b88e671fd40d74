// Request.cpp — the requester's side of request_protocol.h: the socket, the
// signal, the descriptor, and the verdict.
#include "Request.h"
#include "ExitCodes.h"
#include "ProcessMarker.h"

#include <hm/request_protocol.h>

#define FMT_HEADER_ONLY
#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace hm::migrate {

namespace {

volatile std::sig_atomic_t gInterrupted = 0;
extern "C" void onInterrupt(int) { gInterrupted = 1; }

template <typename... Args> void say(fmt::format_string<Args...> f, Args &&...args) {
  std::fputs(fmt::format("hm-migrate: {}\n", fmt::format(f, std::forward<Args>(args)...)).c_str(),
             stderr);
}

// Whether |pid| still runs (a zombie has ended).
bool running(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH)
    return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const std::size_t close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'Z';
}

// The socket a request names, bound and listening, with its nonce; -1 on failure.
int listenForRequest(pid_t pid, unsigned &nonce, std::string &why) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    if (::getrandom(&nonce, sizeof nonce, 0) != sizeof nonce)
      nonce = static_cast<unsigned>(::getpid()) * 2654435761u + attempt;
    nonce &= 0x7fffffff; // a signal's value is an int
    if (!nonce)
      continue;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const int len = std::snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1,
                                  HM_REQUEST_SOCKET_FORMAT, static_cast<long>(pid), nonce);
    const int s = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
      break;
    const socklen_t size = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + len);
    if (::bind(s, reinterpret_cast<sockaddr *>(&addr), size) == 0 && ::listen(s, 4) == 0)
      return s;
    ::close(s);
    if (errno != EADDRINUSE)
      break;
  }
  why = fmt::format("cannot listen for the process: {}", std::strerror(errno));
  return -1;
}

bool sendAll(int s, const std::string &text, const std::vector<int> &pass = {}) {
  std::size_t done = 0;
  while (done < text.size()) {
    iovec io{const_cast<char *>(text.data() + done), text.size() - done};
    msghdr msg{};
    msg.msg_iov = &io;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(5 * sizeof(int))];
    if (!pass.empty() && pass.size() <= 5 && done == 0) {
      msg.msg_control = control;
      msg.msg_controllen = CMSG_SPACE(pass.size() * sizeof(int));
      cmsghdr *c = CMSG_FIRSTHDR(&msg);
      c->cmsg_level = SOL_SOCKET;
      c->cmsg_type = SCM_RIGHTS;
      c->cmsg_len = CMSG_LEN(pass.size() * sizeof(int));
      std::memcpy(CMSG_DATA(c), pass.data(), pass.size() * sizeof(int));
    }
    const ssize_t n = ::sendmsg(s, &msg, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads the process's lines as they come.
class LineReader {
public:
  explicit LineReader(int s) : s(s) {}
  // One line; false when the connection closed (or an interruption).
  bool next(std::string &line) {
    for (;;) {
      const std::size_t nl = buffer.find('\n');
      if (nl != std::string::npos) {
        line = buffer.substr(0, nl);
        buffer.erase(0, nl + 1);
        return true;
      }
      char chunk[512];
      const ssize_t n = ::read(s, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR && !gInterrupted)
        continue;
      if (n <= 0 || buffer.size() > HM_REQUEST_LINE_MAX)
        return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }

private:
  int s;
  std::string buffer;
};

// Waits for the process to connect: its connection, or -1 with the exit status in |status|.
// |startup|: the seconds the destination took to get ready before the process was asked.
int awaitProcess(int listener, const RequestOptions &o, double startup, int &status) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    pollfd p{listener, POLLIN, 0};
    const int ready = ::poll(&p, 1, 100);
    if (gInterrupted) {
      say("interrupted before process {} took the request; it goes on", o.pid);
      status = kNotServed;
      return -1;
    }
    if (ready > 0) {
      const int c = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0)
        continue;
      ucred peer{};
      socklen_t size = sizeof peer;
      if (::getsockopt(c, SOL_SOCKET, SO_PEERCRED, &peer, &size) == 0 && peer.pid == o.pid)
        return c;
      say("ignored a connection from process {} (user {}): the request is for process {}",
          peer.pid, peer.uid, o.pid);
      ::close(c);
      continue;
    }
    if (!running(o.pid)) {
      // A slow destination is the usual cause: say how long it took.
      say("process {} ended before it reached a poll point that could take the request{}",
          o.pid, startup < 1 ? std::string()
                             : fmt::format(" (the destination took {:.1f} s to get "
                                           "ready before it was asked)", startup));
      status = kNotServed;
      return -1;
    }
    const double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (o.timeout > 0 && waited >= o.timeout) {
      say("process {} did not take the request within {} s; it goes on (it will find no "
          "requester and say so)", o.pid, o.timeout);
      status = kNotServed;
      return -1;
    }
  }
}

// "<bytes> <out> <err>" (request_protocol.h); an older runtime says only <bytes>.
Written parseWritten(const std::string &text) {
  Written w;
  std::istringstream in(text);
  std::string out, err;
  in >> w.bytes >> out >> err;
  auto size = [](const std::string &word) {
    return !word.empty() && word.size() < 19 &&
                   word.find_first_not_of("0123456789") == std::string::npos
               ? std::stoll(word)
               : -1LL;
  };
  w.stdoutSize = size(out);
  w.stderrSize = size(err);
  return w;
}

} // namespace

bool interrupted() { return gInterrupted != 0; }

std::string processEnvironment(pid_t pid, const std::string &name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  std::string entry;
  while (std::getline(in, entry, '\0'))
    if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
        entry[name.size()] == '=')
      return entry.substr(name.size() + 1);
  return "";
}

int signalByName(const std::string &given) {
  if (given.empty())
    return SIGUSR1;
  char *end = nullptr;
  const long n = std::strtol(given.c_str(), &end, 10);
  if (*end == '\0')
    return n > 0 && n < NSIG ? static_cast<int>(n) : 0;
  const std::string name = given.rfind("SIG", 0) == 0 ? given.substr(3) : given;
  static const struct { const char *name; int number; } known[] = {
      {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"HUP", SIGHUP}, {"TERM", SIGTERM}, {"INT", SIGINT}};
  for (const auto &k : known)
    if (name == k.name)
      return k.number;
  return 0;
}

int requestImage(const RequestOptions &o, ImageSink &sink) {
  if (::kill(o.pid, 0) != 0) {
    say(errno == ESRCH ? "no process {}" : "process {} is not yours: only its user or root "
                                           "may move it", o.pid);
    return kNoProcess;
  }
  std::string why;
  if (sink.name().find('\n') != std::string::npos) {
    say("the destination's name has a line break in it");
    return kUsage;
  }
  if (!hasRuntimeMarker(o.pid, why)) {
    say("process {} was not built with hmcc ({}): not signalled", o.pid, why);
    return kNoProcess;
  }
  gInterrupted = 0;
  if (o.catchInterrupts) {
    struct sigaction sa {};
    sa.sa_handler = onInterrupt;
    sigemptyset(&sa.sa_mask);
    for (int s : {SIGINT, SIGTERM, SIGHUP})
      ::sigaction(s, &sa, nullptr);
  }

  unsigned nonce = 0;
  const int listener = listenForRequest(o.pid, nonce, why);
  if (listener < 0) {
    say("{}", why);
    return kRefused;
  }
  const auto opening = std::chrono::steady_clock::now();
  const int imageFd = sink.open(why);
  const double startup =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - opening).count();
  if (imageFd < 0) {
    say("{}; process {} was not asked to move, and goes on", why, o.pid);
    ::close(listener);
    return kRefused;
  }
  auto finish = [&](int status) {
    if (status != kDone)
      sink.discard();
    ::close(listener);
    return status;
  };
  sigval value{};
  value.sival_int = static_cast<int>(nonce);
  if (::sigqueue(o.pid, o.signal, value) != 0) {
    if (errno == ESRCH) {
      say("process {} ended before it could be asked (the destination took {:.1f} s to get "
          "ready)", o.pid, startup);
      return finish(kNotServed);
    }
    say("cannot signal process {}: {}", o.pid, std::strerror(errno));
    return finish(kNoProcess);
  }
  int status = kDone;
  const int c = awaitProcess(listener, o, startup, status);
  if (c < 0)
    return finish(status);
  // It connects from the poll point where it stops running: from here to the
  // commit, the program stands still.
  const auto stopped = std::chrono::steady_clock::now();
  // The destination's target, when the user did not say it: the build there said.
  const std::string triple = o.triple.empty() ? sink.destinationTriple() : o.triple;
  const std::string request =
      fmt::format("HMCC-REQUEST {} {} {} {}\n", HM_REQUEST_PROTOCOL,
                  o.checkpoint ? "checkpoint" : "migrate", triple.empty() ? "-" : triple,
                  sink.name());
  if (!sendAll(c, request, {imageFd})) {
    say("process {} closed the request: {}", o.pid, std::strerror(errno));
    ::close(c);
    return finish(kRefused);
  }
  LineReader lines(c);
  std::string line;
  while (lines.next(line)) {
    const std::size_t space = line.find(' ');
    const std::string word = line.substr(0, space);
    const std::string text = space == std::string::npos ? "" : line.substr(space + 1);
    if (word == "DEFERRED") {
      if (!o.quiet)
        say("process {} waits for a state that allows it: {}", o.pid, text);
      continue;
    }
    if (word == "REFUSED" || word == "FAILED") {
      say("process {} {} the migration: {}; it goes on where it was", o.pid,
          word == "REFUSED" ? "refused" : "failed", text);
      ::close(c);
      return finish(kRefused);
    }
    if (word == "WRITTEN") {
      const Written written = parseWritten(text);
      const std::uint64_t bytes = written.bytes;
      const std::string problem = sink.take(written);
      if (!problem.empty()) {
        sendAll(c, "ABORT " + problem + "\n");
        say("{}; process {} goes on where it was", problem, o.pid);
        ::close(c);
        return finish(kRefused);
      }
      // Over a connection the process stays, and relays the destination's stdio.
      // A checkpoint goes on without a verdict.
      const std::vector<int> relay = o.checkpoint ? std::vector<int>() : sink.relay();
      if (!o.checkpoint && !sendAll(c, relay.empty() ? "COMMIT\n" : "COMMIT RELAY\n", relay)) {
        // The destination may run; the source did not hear it should stop.
        say("process {} did not take the commit ({}): it may go on as well as its "
            "image at {}", o.pid, std::strerror(errno), sink.name());
        ::close(c);
        ::close(listener);
        return kCommitLost;
      }
      // A migration to a file leaves now; the connection closes when it has,
      // and only then is its image where it was asked to go.
      if (!o.checkpoint && relay.empty())
        while (lines.next(line)) {
        }
      if (const std::string problem = sink.afterCommit(); !problem.empty()) {
        say("{}", problem);
        ::close(c);
        ::close(listener);
        return kCommitLost;
      }
      const double still =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - stopped)
              .count();
      if (!o.quiet)
        say("process {}: {} bytes to {}; {} {:.1f} ms", o.pid, bytes, sink.name(),
            o.checkpoint ? "it goes on, having stood still" : "stood still", still);
      ::close(c);
      return finish(kDone);
    }
    say("process {} said '{}', which this hm-migrate does not understand", o.pid, line);
  }
  say(gInterrupted ? "interrupted while process {} wrote its image; it goes on where it was"
                   : "process {} closed the request before its image was written",
      o.pid);
  ::close(c);
  return finish(running(o.pid) ? kRefused : kNotServed);
}

} // namespace hm::migrate
