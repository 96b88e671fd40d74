// SshKeeper.cpp — runs ssh for a move, reports how it ended, forwards signals.
#include "SshKeeper.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hm::migrate {

namespace {

// Runs ssh with |args| after its options and host; its stdio on |in|, |out|,
// |err| (-1: /dev/null).
pid_t runSsh(const SshCommand &ssh, const std::vector<std::string> &args, int in, int out,
             int err) {
  std::vector<std::string> argv = {"ssh", "-T"};
  argv.insert(argv.end(), ssh.options.begin(), ssh.options.end());
  argv.insert(argv.end(), {"--", ssh.host});
  argv.insert(argv.end(), args.begin(), args.end());
  const pid_t pid = ::fork();
  if (pid != 0)
    return pid;
  const int null = ::open("/dev/null", O_RDWR);
  ::dup2(in >= 0 ? in : null, 0);
  ::dup2(out >= 0 ? out : null, 1);
  ::dup2(err >= 0 ? err : null, 2);
  std::vector<char *> p;
  for (std::string &a : argv)
    p.push_back(a.data());
  p.push_back(nullptr);
  ::execvp("ssh", p.data());
  const std::string why = std::string("hm-migrate: cannot run ssh: ") + std::strerror(errno) + "\n";
  (void)!::write(2, why.data(), why.size());
  ::_exit(255);
}

bool knownSignal(const std::string &name) {
  static const char *const names[] = {"INT", "TERM", "HUP", "QUIT", "USR1", "USR2"};
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

// The keeper: waits for ssh, and meanwhile reads the control pipe.
[[noreturn]] void keep(const SshCommand &ssh, pid_t session, int control, int status) {
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, session, 0));
  std::string remotePid, pending;
  bool controlOpen = true;
  int s = 255 << 8;
  for (;;) {
    pollfd p[2] = {{pidfd, POLLIN, 0}, {controlOpen ? control : -1, POLLIN, 0}};
    if (pidfd < 0 || ::poll(p, 2, -1) < 0) {
      if (pidfd >= 0 && errno == EINTR)
        continue;
      while (::waitpid(session, &s, 0) < 0 && errno == EINTR) { // no pidfd: only wait
      }
      break;
    }
    if (p[0].revents) {
      while (::waitpid(session, &s, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    if (!p[1].revents)
      continue;
    char buf[256];
    const ssize_t n = ::read(control, buf, sizeof buf);
    if (n <= 0) {
      controlOpen = n < 0 && errno == EINTR;
      continue;
    }
    pending.append(buf, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      const std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (line.rfind("pid ", 0) == 0 && line.find_first_not_of("0123456789", 4) == std::string::npos)
        remotePid = line.substr(4);
      else if (line.rfind("signal ", 0) == 0 && knownSignal(line.substr(7)) && !remotePid.empty()) {
        const pid_t kill = runSsh(ssh, {"kill -" + line.substr(7) + " " + remotePid}, -1, -1, -1);
        while (kill > 0 && ::waitpid(kill, nullptr, 0) < 0 && errno == EINTR) {
        }
      }
    }
  }
  // In decimal: the relay may be a process of another byte order (qemu-user).
  const int code = WIFEXITED(s) ? WEXITSTATUS(s) : 128 + (WIFSIGNALED(s) ? WTERMSIG(s) : 0);
  const std::string text = std::to_string(code) + "\n";
  (void)!::write(status, text.data(), text.size());
  ::_exit(0);
}

} // namespace

std::string startKeeper(const SshCommand &ssh, const std::string &command, KeeperPipes &out) {
  int in[2], stdoutPipe[2], err[2], status[2], control[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(stdoutPipe, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC) ||
      ::pipe2(status, O_CLOEXEC) || ::pipe2(control, O_CLOEXEC))
    return std::string("cannot start ssh: ") + std::strerror(errno);
  const pid_t keeper = ::fork();
  if (keeper < 0)
    return std::string("cannot start ssh: ") + std::strerror(errno);
  if (keeper == 0) {
    ::setsid(); // the terminal's signals reach the relay, which forwards them
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) // hm-migrate's handlers are not the keeper's
      std::signal(sig, SIG_DFL);
    // Nor hm-migrate's stdio: whoever waits for hm-migrate's output to end
    // must not wait for the whole run at the destination.
    const int null = ::open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3; ++fd)
      ::dup2(null, fd);
    if (null > 2)
      ::close(null);
    // Nothing of hm-migrate's: the ends the process relays, and its request
    // socket, must close when they close there.
    const long most = std::min(::sysconf(_SC_OPEN_MAX), 65536L);
    for (int fd = 3; fd < most; ++fd)
      if (fd != in[0] && fd != stdoutPipe[1] && fd != err[1] && fd != status[1] &&
          fd != control[0])
        ::close(fd);
    const pid_t session = runSsh(ssh, {command}, in[0], stdoutPipe[1], err[1]);
    ::close(in[0]);
    ::close(stdoutPipe[1]);
    ::close(err[1]);
    keep(ssh, session, control[0], status[1]);
  }
  for (int fd : {in[0], stdoutPipe[1], err[1], status[1], control[0]})
    ::close(fd);
  out = KeeperPipes{in[1], stdoutPipe[0], err[0], status[0], control[1]};
  return "";
}

} // namespace hm::migrate
