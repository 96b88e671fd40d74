// Supervisor.cpp — hmrun's loop: start or resume the program, then wait for its
// end, a scheduler's signal or the next periodic checkpoint.
#include "Supervisor.h"
#include "StateDir.h"

#include "migrate/Check.h"
#include "migrate/ExitCodes.h"
#include "migrate/Request.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace hm::run {

namespace {

template <class... Args> void say(fmt::format_string<Args...> f, Args &&...args) {
  const std::string line = "hmrun: " + fmt::format(f, std::forward<Args>(args)...) + "\n";
  (void)!::write(2, line.data(), line.size());
}

// A restore that fails exits with this, before any of the program runs.
constexpr int kRestoreFailed = 75;

// Starts |argv| with HM_RESTORE=|image| when it is not "". The signals hmrun
// waits for stay blocked here and are unblocked there; a TERM that hmrun
// turns into a checkpoint is ignored there (a scheduler signals the whole job).
pid_t start(const std::vector<std::string> &argv, const std::string &image,
            const sigset_t &waited, bool ignoreTerm) {
  const pid_t pid = ::fork();
  if (pid != 0)
    return pid;
  if (!image.empty()) {
    ::setenv("HM_RESTORE", image.c_str(), 1);
    ::setenv("HM_RESTORE_FAILED_STATUS", std::to_string(kRestoreFailed).c_str(), 1);
  }
  if (ignoreTerm)
    std::signal(SIGTERM, SIG_IGN);
  ::sigprocmask(SIG_UNBLOCK, &waited, nullptr);
  std::vector<char *> p;
  for (const std::string &a : argv)
    p.push_back(const_cast<char *>(a.c_str()));
  p.push_back(nullptr);
  ::execvp(p[0], p.data());
  say("cannot run {}: {}", argv[0], std::strerror(errno));
  ::_exit(127);
}

int statusOf(int wstatus) {
  return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

// Asks the program for its image into |state|: hm-migrate's exit status
// (kDone: it is there and, unless |checkpoint|, the program has left).
int askImage(pid_t pid, int signal, const StateDir &state, bool checkpoint, double timeout,
             bool verbose) {
  migrate::RequestOptions o;
  o.pid = pid;
  o.checkpoint = checkpoint;
  o.signal = signal;
  o.timeout = timeout;
  o.quiet = !verbose;
  o.catchInterrupts = false; // hmrun's signals are its own (signalfd)
  auto sink = state.sink(pid, !checkpoint);
  return migrate::requestImage(o, *sink);
}

// In a Slurm job: back into the queue, to run again (anywhere its constraints allow).
void requeue(bool verbose) {
  const char *job = std::getenv("SLURM_JOB_ID");
  if (!job)
    return;
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (!verbose) {
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
    }
    ::execlp("scontrol", "scontrol", "requeue", job, static_cast<char *>(nullptr));
    say("cannot run scontrol: {}", std::strerror(errno));
    ::_exit(127);
  }
  int status = 0;
  while (pid > 0 && ::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (pid < 0 || statusOf(status) != 0)
    say("scontrol requeue {} failed (above): a preemption has requeued the job already, or "
        "it is to be requeued by hand; its image is kept", job);
}

// Whether |image| restores into |build| (hm-migrate check), saying why not on
// stderr; quiet when it does (stderr may be the job's output file).
bool imageRestores(const std::string &image, const std::string &build) {
  const int said = ::memfd_create("hmrun-check", MFD_CLOEXEC);
  const int saved = ::fcntl(2, F_DUPFD_CLOEXEC, 3);
  if (said >= 0 && saved >= 0)
    ::dup2(said, 2);
  const bool restores = migrate::checkImage(image, build, {}) == migrate::kDone;
  if (said >= 0 && saved >= 0) {
    ::dup2(saved, 2);
    char buf[4096];
    ssize_t n;
    for (off_t at = 0; !restores && (n = ::pread(said, buf, sizeof buf, at)) > 0; at += n)
      (void)!::write(2, buf, static_cast<std::size_t>(n));
  }
  for (int fd : {said, saved})
    if (fd >= 0)
      ::close(fd);
  return restores;
}

} // namespace

int runJob(const JobOptions &o) {
  // The leave signals wait in a signalfd from the start: one that comes while
  // the image is checked must not end hmrun.
  sigset_t waited;
  sigemptyset(&waited);
  sigaddset(&waited, SIGCHLD);
  for (int s : o.leaveSignals)
    sigaddset(&waited, s);
  ::sigprocmask(SIG_BLOCK, &waited, nullptr);
  const char *signalName = std::getenv("HM_MIGRATE_SIGNAL");
  const int requestSignal = migrate::signalByName(signalName ? signalName : "USR1");
  if (!requestSignal) {
    say("HM_MIGRATE_SIGNAL={}: the program takes no migration signal, and hmrun could "
        "not checkpoint it", signalName);
    return 2;
  }
  const StateDir state(o.stateDir);
  if (std::string why = state.create(); !why.empty()) {
    say("{}", why);
    return 1;
  }
  std::vector<std::string> looked;
  const std::string build = migrate::buildFor(o.command[0], *o.arch, looked);
  if (build.empty()) {
    std::string list;
    for (const std::string &l : looked)
      list += (list.empty() ? "" : ", ") + l;
    say("no build of {} for {} (looked at {})", o.command[0], o.arch->name, list);
    return 127;
  }
  std::vector<std::string> argv;
  if (const std::string qemu = migrate::emulatorFor(build); !qemu.empty())
    argv.push_back(qemu);
  argv.push_back(build);
  argv.insert(argv.end(), o.command.begin() + 1, o.command.end());

  const std::string image = state.image();
  // Checked first, the way a restore checks, with none of the program run:
  // a build that cannot take it is said here, and the image is kept.
  if (!image.empty() && !imageRestores(image, build)) {
    say("{} cannot resume from {} (above); it stays there: remove it to start afresh", build,
        image);
    return 1;
  }
  if (std::string why = state.prepareOutput(!image.empty()); !why.empty())
    say("{}", why);
  if (o.verbose)
    image.empty() ? say("{} starts afresh ({} has no image)", build, o.stateDir)
                  : say("{} resumes from {}", build, image);

  const int signals = ::signalfd(-1, &waited, SFD_CLOEXEC);
  const bool ignoreTerm =
      std::find(o.leaveSignals.begin(), o.leaveSignals.end(), SIGTERM) != o.leaveSignals.end();
  const pid_t child = start(argv, image, waited, ignoreTerm);
  if (child < 0 || signals < 0) {
    say("cannot start {}: {}", build, std::strerror(errno));
    return 1;
  }
  int timer = -1;
  if (o.every > 0) {
    timer = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    itimerspec t{};
    t.it_value.tv_sec = static_cast<time_t>(o.every);
    t.it_value.tv_nsec = static_cast<long>((o.every - static_cast<double>(t.it_value.tv_sec)) * 1e9);
    if (t.it_value.tv_sec == 0 && t.it_value.tv_nsec == 0)
      t.it_value.tv_nsec = 1;
    t.it_interval = t.it_value;
    ::timerfd_settime(timer, 0, &t, nullptr);
  }

  bool leaveUncertain = false; // a leave whose end hmrun could not tell
  for (;;) {
    pollfd p[2] = {{signals, POLLIN, 0}, {timer, POLLIN, 0}};
    if (::poll(p, timer >= 0 ? 2 : 1, -1) < 0 && errno != EINTR)
      break;
    // Signals first: the program's end, or a leave, before a checkpoint.
    signalfd_siginfo info;
    if ((p[0].revents & POLLIN) && ::read(signals, &info, sizeof info) == sizeof info) {
      if (static_cast<int>(info.ssi_signo) == SIGCHLD) {
        int wstatus = 0;
        if (::waitpid(child, &wstatus, WNOHANG) != child)
          continue;
        if (!image.empty() && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == kRestoreFailed) {
          say("{} could not resume from {} (above); it stays there", build, image);
          return 1;
        }
        // It ended by itself: its checkpoints are done with. Killed, or after a
        // leave that may have happened, they are kept: the job may run again.
        if (WIFEXITED(wstatus) && !leaveUncertain)
          state.finished();
        return leaveUncertain ? 1 : statusOf(wstatus);
      }
      // The scheduler's warning: the image, then out of the way.
      const int asked = askImage(child, requestSignal, state, false, 0, o.verbose);
      if (asked == migrate::kCommitLost) {
        say("{} may have left its image on signal {}, but hmrun cannot tell: its images "
            "are kept, and the job is not requeued", build,
            strsignal(static_cast<int>(info.ssi_signo)));
        leaveUncertain = true;
        continue;
      }
      if (asked != migrate::kDone) {
        say("{} could not leave its image on signal {}: it goes on here (the newest "
            "checkpoint, if any, stays in {})",
            build, strsignal(static_cast<int>(info.ssi_signo)), o.stateDir);
        continue;
      }
      int wstatus = 0;
      while (::waitpid(child, &wstatus, 0) < 0 && errno == EINTR) {
      }
      if (o.verbose)
        say("{} left its image in {}", build, o.stateDir);
      if (o.requeue)
        requeue(o.verbose);
      return o.leftStatus;
    }
    if (timer >= 0 && (p[1].revents & POLLIN)) {
      std::uint64_t ticks;
      (void)!::read(timer, &ticks, sizeof ticks);
      // Bounded: a program that cannot take it soon is asked again next time.
      const int asked = askImage(child, requestSignal, state, true, o.every, o.verbose);
      if (asked == migrate::kDone && o.verbose)
        say("checkpoint of {} in {}", build, o.stateDir);
    }
  }
  say("cannot wait for {}: {}", build, std::strerror(errno));
  return 1;
}

} // namespace hm::run
