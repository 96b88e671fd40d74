// SshSink.cpp — an image that streams over ssh into the destination's program,
// which restores, says it is ready, starts on GO and says so: only then is the
// image the destination's.
#include "ImageSink.h"
#include "Request.h"
#include "SshKeeper.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hm::migrate {

namespace {

std::string shellQuote(const std::string &word) {
  std::string out = "'";
  for (char c : word)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class SshSink : public ImageSink {
public:
  SshSink(RemoteDestination dest, SshSettings settings)
      : dest(std::move(dest)), settings(std::move(settings)) {}
  ~SshSink() override {
    for (int fd : {image, pipes.toStdin, pipes.fromStdout, pipes.fromStderr, pipes.status,
                   pipes.control})
      if (fd >= 0)
        ::close(fd);
  }

  // The connection and the destination's program start before the source is
  // asked: a missing binary, a refused login or no runtime there is said
  // before anything happens to the source, and the ssh handshake is not part
  // of the time the program stands still.
  int open(std::string &why) override {
    image = ::memfd_create("hmcc-image", MFD_CLOEXEC);
    if (image < 0) {
      why = std::string("cannot hold the image in memory: ") + std::strerror(errno);
      return -1;
    }
    std::signal(SIGPIPE, SIG_IGN);
    if (std::string problem = start(); !problem.empty()) {
      why = problem;
      return -1;
    }
    // Written without blocking: a destination that stops reading is given up
    // at the deadline (the relay reads and writes it so later too).
    ::fcntl(pipes.toStdin, F_SETFL, ::fcntl(pipes.toStdin, F_GETFL) | O_NONBLOCK);
    startClock();
    if (!awaitLine("HMCC-WAITING", &triple)) {
      why = failure("the destination cannot take an image");
      return -1;
    }
    if (triple.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_.-") != std::string::npos)
      triple.clear(); // not a target triple: the source is told none
    return image;
  }

  std::string name() const override {
    if (runningPid.empty())
      return dest.host + ":" + dest.path;
    return dest.host + ":" + dest.path + " (detached there as process " + runningPid +
           ", output in " + settings.detachOutput +
           (settings.detachErrors == settings.detachOutput ? "" : " and " + settings.detachErrors) +
           ")";
  }
  std::string destinationTriple() const override { return triple; }

  std::string take(const Written &written) override {
    const std::uint64_t bytes = written.bytes;
    struct stat st;
    if (::fstat(image, &st) != 0 || static_cast<std::uint64_t>(st.st_size) != bytes)
      return "the image in memory is not the size the process wrote";
    // The image (the deadline bounds a stall, not the whole transfer), then
    // the destination's answers: ready (restored), running.
    for (std::uint64_t at = 0; at < bytes;) {
      char buf[1 << 16];
      const ssize_t n = ::pread(image, buf, sizeof buf, static_cast<off_t>(at));
      if (n <= 0 || !writeAll(pipes.toStdin, buf, static_cast<std::size_t>(n)))
        return failure("the connection closed while the image was sent");
      at += static_cast<std::uint64_t>(n);
    }
    startClock();
    std::string ready;
    if (!awaitLine("HMCC-READY", &ready))
      return failure("the destination did not restore the image");
    // The keeper forwards the relay's signals to this process.
    const std::string pid = "pid " + ready + "\n";
    writeAll(pipes.control, pid.data(), pid.size());
    // From GO on, what the destination writes on stderr is the program's:
    // the relay passes it on.
    // Detached, the destination's program runs in a new process there.
    // Once GO may have arrived, the destination may run: only its end or
    // the connection's (ServerAlive) says it did not, never a deadline.
    std::string running;
    const bool sent = writeAll(pipes.toStdin, "GO\n", 3);
    committing = true;
    if (!sent || !awaitLine("HMCC-RUNNING", &running, false))
      return failure("the destination ended before it started");
    if (detached())
      runningPid = running;
    return "";
  }

  void discard() override {
    // The destination reads end of file instead of GO: it ends having run nothing.
    if (pipes.toStdin >= 0)
      ::close(pipes.toStdin);
    pipes.toStdin = -1;
  }

  std::vector<int> relay() override {
    if (detached())
      return {};
    return {pipes.toStdin, pipes.fromStdout, pipes.fromStderr, pipes.status, pipes.control};
  }

private:
  // Starts ssh under a keeper process (SshKeeper.h), which outlives
  // hm-migrate. On the destination a POSIX shell runs the program, so that a
  // signal's death comes back as an exit status (128 + N) through ssh.
  std::string start() {
    // HM_LOG follows the requester: the destination reports its restore too.
    // The program's own runtime options follow it.
    const char *log = std::getenv("HM_LOG");
    std::string env = std::string("HM_RESTORE=- HM_RESTORE_HANDSHAKE=1") +
                      (log && *log ? " HM_LOG=" + shellQuote(log) : "");
    if (detached())
      env += " HM_RESTORE_OUTPUT=" + shellQuote(settings.detachOutput) +
             " HM_RESTORE_ERRORS=" + shellQuote(settings.detachErrors);
    for (const auto &[name, value] : settings.carried)
      env += " " + name + "=" + shellQuote(value);
    std::string command = "exec sh -c " +
                          shellQuote("cd \"$0\" && env " + env + " \"$@\"") + " " +
                          shellQuote(settings.cwd);
    for (const std::string &w : settings.execWith)
      command += " " + shellQuote(w);
    // A name without a slash is in the working directory, not on PATH.
    command += " " + shellQuote(dest.path.find('/') == std::string::npos ? "./" + dest.path
                                                                          : dest.path);
    SshCommand ssh;
    if (!dest.port.empty())
      ssh.options.insert(ssh.options.end(), {"-p", dest.port});
    for (const std::string &o : settings.sshOptions)
      ssh.options.insert(ssh.options.end(), {"-o", o});
    // A connection that dies silently is found (ssh uses the first value given).
    ssh.options.insert(ssh.options.end(), {"-o", "ServerAliveInterval=10", "-o",
                                           "ServerAliveCountMax=3"});
    // hm-migrate's prompts would go nowhere: its keeper has no terminal.
    ssh.options.insert(ssh.options.end(), {"-o", "BatchMode=yes"});
    ssh.host = dest.host;
    return startKeeper(ssh, command, pipes);
  }

  bool detached() const { return !settings.detachOutput.empty(); }

  // The destination's time runs from here (settings.deadline).
  void startClock() {
    deadlineAt = std::chrono::steady_clock::now() +
                 std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                     std::chrono::duration<double>(settings.deadline));
  }
  // poll()'s timeout until the deadline: -1 without one, 0 once it passed.
  int msLeft() {
    if (settings.deadline <= 0 || committing)
      return -1;
    const double ms = std::chrono::duration<double, std::milli>(
                          deadlineAt - std::chrono::steady_clock::now())
                          .count();
    return ms <= 0 ? 0 : static_cast<int>(std::min(std::ceil(ms), 1e9));
  }

  // Until GO is written, an interruption (Ctrl-C on hm-migrate) or the
  // deadline gives up and the source goes on.
  bool writeAll(int fd, const char *p, std::size_t n) {
    while (n > 0) {
      pollfd out{fd, POLLOUT, 0};
      const int ready = ::poll(&out, 1, msLeft());
      if (ready < 0 && errno == EINTR && !interrupted())
        continue;
      timedOut = ready == 0;
      if (ready <= 0)
        return false;
      const ssize_t w = ::write(fd, p, n);
      if (w < 0 && (errno == EAGAIN || (errno == EINTR && !interrupted())))
        continue;
      if (w <= 0)
        return false;
      p += w;
      n -= static_cast<std::size_t>(w);
      startClock(); // it reads: the deadline counts a stall
    }
    return true;
  }

  // Reads the destination's stdout byte by byte up to the line |want| (what
  // follows is the program's), passing its stderr on meanwhile when
  // |passStderr| (once the program runs, its stderr is the relay's to pass).
  bool awaitLine(const std::string &want, std::string *rest = nullptr, bool passStderr = true) {
    std::string line;
    for (;;) {
      pollfd p[2] = {{pipes.fromStdout, POLLIN, 0}, {pipes.fromStderr, POLLIN, 0}};
      const int ready =
          ::poll(p, pipes.fromStderr >= 0 && passStderr && !stderrEnded ? 2 : 1, msLeft());
      if (ready < 0 && errno == EINTR && (!interrupted() || !passStderr))
        continue;
      timedOut = ready == 0;
      if (ready <= 0)
        return false;
      if (pipes.fromStderr >= 0 && passStderr && !stderrEnded && p[1].revents) {
        char buf[4096];
        const ssize_t n = ::read(pipes.fromStderr, buf, sizeof buf);
        if (n > 0) {
          said.append(buf, static_cast<std::size_t>(n));
          (void)!::write(2, buf, static_cast<std::size_t>(n));
        } else if (n == 0) {
          stderrEnded = true; // kept open: the relay needs a descriptor there
        }
      }
      if (!p[0].revents)
        continue;
      char c;
      const ssize_t n = ::read(pipes.fromStdout, &c, 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      if (c != '\n') {
        line.push_back(c);
        continue;
      }
      if (line == want || (rest && line.rfind(want + " ", 0) == 0)) {
        if (rest)
          *rest = line.size() > want.size() ? line.substr(want.size() + 1) : "";
        return true;
      }
      // Not ours: a shell's or login message; passed on.
      line.push_back('\n');
      (void)!::write(2, line.data(), line.size());
      line.clear();
    }
  }

  // |what|, with the last thing the destination said on stderr.
  std::string failure(std::string what) {
    if (timedOut)
      what += fmt::format(" within {:g} s (hm-migrate --deadline)", settings.deadline);
    std::string last = said;
    while (!last.empty() && last.back() == '\n')
      last.pop_back();
    last = last.substr(last.rfind('\n') == std::string::npos ? 0 : last.rfind('\n') + 1);
    return last.empty() ? what : what + " (" + last + ")";
  }

  RemoteDestination dest;
  SshSettings settings;
  std::chrono::steady_clock::time_point deadlineAt;
  bool timedOut = false;
  bool committing = false; // GO written, or being written
  std::string runningPid; // detached: the destination's process
  int image = -1;
  KeeperPipes pipes;
  std::string said;   // the destination's stderr before it started
  std::string triple; // the destination build's target, as it said
  bool stderrEnded = false;
};

} // namespace

bool parseRemote(const std::string &d, RemoteDestination &out) {
  if (d.rfind("ssh://", 0) == 0) {
    const std::size_t slash = d.find('/', 6);
    if (slash == std::string::npos)
      return false;
    std::string host = d.substr(6, slash - 6);
    const std::size_t colon = host.rfind(':');
    if (colon != std::string::npos && host.find(']') == std::string::npos) {
      out.port = host.substr(colon + 1);
      host.resize(colon);
    }
    out.host = host;
    out.path = d.substr(slash);
    return !out.host.empty() && out.path.size() > 1;
  }
  const std::size_t colon = d.find(':');
  if (colon == std::string::npos || colon == 0 || d.find('/') < colon || colon + 1 == d.size())
    return false;
  out.host = d.substr(0, colon);
  out.path = d.substr(colon + 1);
  return true;
}

std::unique_ptr<ImageSink> sshSink(const RemoteDestination &dest, SshSettings settings) {
  return std::make_unique<SshSink>(dest, std::move(settings));
}

} // namespace hm::migrate
