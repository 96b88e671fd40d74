// hmrun — runs a program built with hmcc as a job that can stop and go on
// elsewhere: a thin main over compiler/run/.
#include "run/Supervisor.h"

#include "migrate/Builds.h"
#include "migrate/Request.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace hm;

namespace {

const char kHelp[] =
    "usage: hmrun [OPTIONS] -- PROGRAM [ARGS...]\n"
    "\n"
    "Runs PROGRAM (built with hmcc) so that a scheduler can stop it and run it\n"
    "again, here or on a machine of another architecture, from where it was:\n"
    "  - the build for this node's architecture is run: PROGRAM.<arch> (x86_64,\n"
    "    aarch64, s390x, armhf), DIR/<triple>/NAME, or PROGRAM itself; a build for\n"
    "    another architecture than the machine's runs under its qemu-user;\n"
    "  - if the state directory holds an image, the program resumes from it (checked\n"
    "    first); else it starts afresh. Either way stdout, when it is the same file\n"
    "    as at that image or at the last start, is first cut back to its size there:\n"
    "    what a run that died wrote after it comes again, and is not doubled (a\n"
    "    stderr of its own is not cut);\n"
    "  - on a leave signal (the scheduler's warning) it writes its image there and\n"
    "    ends; in a Slurm job hmrun then requeues the job (scontrol requeue);\n"
    "  - with --every, it checkpoints there now and then (a node that dies loses\n"
    "    only the work since the last one);\n"
    "  - when the program ends by itself, its images are removed and hmrun exits\n"
    "    with its status.\n"
    "\n"
    "options:\n"
    "  --state DIR        where images go (default: $HMRUN_STATE, else\n"
    "                     hmrun-state.$SLURM_JOB_ID in a Slurm job, else hmrun-state)\n"
    "  --arch ARCH        the architecture to run the build of (default: $HMRUN_ARCH,\n"
    "                     else this machine's)\n"
    "  --every DURATION   checkpoint every DURATION (90, 90s, 10m, 2h)\n"
    "  --on SIG[,SIG...]  the leave signals (default: USR1,TERM); a TERM sent to the\n"
    "                     whole job does not reach the program, which leaves instead\n"
    "  --no-requeue       do not requeue the Slurm job after leaving\n"
    "  --left-status N    hmrun's exit status after the program left (default 0)\n"
    "  -v, --verbose      say what is done on stderr\n"
    "  -h, --help         this text\n"
    "      --version      hmrun's version\n"
    "\n"
    "exit status: the program's (128+N if a signal N killed it); after leaving,\n"
    "--left-status; 1 when an image cannot be taken by this build (it is kept);\n"
    "2 bad command line; 127 no build of PROGRAM for the architecture.\n";

int usage(const std::string &why) {
  std::fprintf(stderr, "hmrun: %s\n%s", why.c_str(), kHelp);
  return 2;
}

// 90, 90s, 10m, 2h: seconds, or -1.
double duration(const std::string &text) {
  char *end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  const std::string unit = end;
  if (end == text.c_str() || !(v > 0) || v > 1e7)
    return -1;
  if (unit == "m")
    v *= 60;
  else if (unit == "h")
    v *= 3600;
  else if (!unit.empty() && unit != "s")
    return -1;
  return v > 1e7 ? -1 : v; // about four months: beyond, a typo
}

} // namespace

int main(int argc, char **argv) {
  run::JobOptions o;
  std::string arch = std::getenv("HMRUN_ARCH") ? std::getenv("HMRUN_ARCH") : "";
  if (const char *dir = std::getenv("HMRUN_STATE"))
    o.stateDir = dir;
  else if (const char *job = std::getenv("SLURM_JOB_ID"))
    o.stateDir = std::string("hmrun-state.") + job;
  else
    o.stateDir = "hmrun-state";
  std::string on = "USR1,TERM";
  int i = 1;
  for (; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string &out) {
      if (i + 1 >= argc)
        return false;
      out = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--") {
      ++i;
      break;
    } else if (a == "-h" || a == "--help") {
      std::fputs(kHelp, stdout);
      return 0;
    } else if (a == "--version") {
      std::printf("hmrun (hmcc) %s\n", HM_VERSION);
      return 0;
    } else if (a == "-v" || a == "--verbose") {
      o.verbose = true;
    } else if (a == "--no-requeue") {
      o.requeue = false;
    } else if (a == "--state") {
      if (!value(o.stateDir))
        return usage("--state needs a directory");
    } else if (a == "--arch") {
      if (!value(arch))
        return usage("--arch needs an architecture");
    } else if (a == "--on") {
      if (!value(on))
        return usage("--on needs signals");
    } else if (a == "--every") {
      if (!value(v) || (o.every = duration(v)) < 0)
        return usage("--every needs a duration (90, 90s, 10m, 2h; at most 1e7 s)");
    } else if (a == "--left-status") {
      char *end = nullptr;
      const long n = value(v) ? std::strtol(v.c_str(), &end, 10) : -1;
      if (!end || *end || end == v.c_str() || n < 0 || n > 255)
        return usage("--left-status needs an exit status (0 to 255)");
      o.leftStatus = static_cast<int>(n);
    } else if (!a.empty() && a[0] == '-') {
      return usage("unknown option '" + a + "'");
    } else {
      break; // the program
    }
  }
  if (i >= argc)
    return usage("no program to run");
  o.command.assign(argv + i, argv + argc);
  o.arch = arch.empty() ? migrate::hostArchitecture() : migrate::architectureNamed(arch);
  if (!o.arch)
    return usage(arch.empty() ? "this machine's architecture is not one hmcc builds for"
                              : "'" + arch + "' is not an architecture hmcc builds for");
  for (std::size_t at = 0; at <= on.size();) {
    const std::size_t comma = std::min(on.find(',', at), on.size());
    const std::string name = on.substr(at, comma - at);
    const int sig = name.empty() ? 0 : migrate::signalByName(name);
    if (!sig)
      return usage("'" + name + "' is not a signal hmrun knows");
    o.leaveSignals.push_back(sig);
    at = comma + 1;
  }
  return run::runJob(o);
}
