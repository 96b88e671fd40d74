// hm-migrate — moves a running program built with hmcc, checkpoints it, and
// reads its images: a thin main over compiler/migrate/.
#include "migrate/Check.h"
#include "migrate/ExitCodes.h"
#include "migrate/ImageSink.h"
#include "migrate/Inspect.h"
#include "migrate/Request.h"

#include <hm/request_protocol.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

using namespace hm::migrate;

namespace {

const char kHelp[] =
    "usage: hm-migrate [OPTIONS] PID [USER@]HOST:PATH\n"
    "       hm-migrate [OPTIONS] PID ssh://[USER@]HOST[:PORT]/PATH\n"
    "                                               move process PID to HOST, into PATH, the\n"
    "                                               same program built by hmcc for HOST: the image\n"
    "                                               streams over ssh, the destination restores it and\n"
    "                                               starts, and only then does PID stop running the\n"
    "                                               program; it stays as the relay of its stdin,\n"
    "                                               stdout and stderr and ends with its status\n"
    "       hm-migrate [OPTIONS] PID IMAGE          move process PID: its image goes to the file\n"
    "                                               IMAGE and it leaves once the image is whole\n"
    "       hm-migrate --checkpoint [OPTIONS] PID IMAGE\n"
    "                                               write its image; the process goes on\n"
    "       hm-migrate inspect [--json] IMAGE        what IMAGE holds: machine, program, frames\n"
    "                                               and variables, globals, heap by type, sizes\n"
    "       hm-migrate check IMAGE PROGRAM [--exec-with CMD]\n"
    "                                               would IMAGE restore into PROGRAM (a build for\n"
    "                                               any architecture: foreign ones run under their\n"
    "                                               qemu-user unless CMD says how)? Runs the restore's\n"
    "                                               checks and conversions, none of the program\n"
    "\n"
    "Restore with HM_RESTORE=IMAGE PROGRAM, where PROGRAM is the same source built by\n"
    "hmcc for the destination's architecture.\n"
    "\n"
    "options:\n"
    "  -s, --signal SIG     the migration signal the program listens to (default:\n"
    "                       HM_MIGRATE_SIGNAL here, else the program's, else USR1)\n"
    "      --for TRIPLE     the destination's target triple (as HM_MIGRATE_FOR): what\n"
    "                       holds only where the data model is the sender's is checked\n"
    "                       before the process unwinds anything\n"
    "  -t, --timeout SECS   give up when the process has not reached a poll point in\n"
    "                       SECS seconds (default: wait while it runs)\n"
    "  -q, --quiet          say only what went wrong\n"
    "  -o OPTION            passed to ssh as -o OPTION (repeatable)\n"
    "      --exec-with CMD  run PATH on HOST under CMD (e.g. qemu-s390x)\n"
    "      --detach         the moved program keeps no tie to PID: its stdout and stderr\n"
    "                       append to files on HOST (below), its stdin is /dev/null, and\n"
    "                       PID ends (status 0) instead of relaying\n"
    "      --output FILE    with --detach: the file on HOST for its stdout (relative to\n"
    "                       its working directory; default hmcc-PID.out)\n"
    "      --errors FILE    with --detach: the file for its stderr (default: --output's)\n"
    "      --deadline SECS  give up when the destination stalls SECS seconds: has not\n"
    "                       said it can take an image SECS seconds after the connection\n"
    "                       began, reads none of the image for SECS seconds, or has not\n"
    "                       restored it SECS seconds after its last byte (default 300;\n"
    "                       0: no limit); the process goes on\n"
    "  -w                   accepted for old scripts: hm-migrate always waits\n"
    "  -h, --help           this text\n"
    "      --version        hm-migrate's version and request protocol\n"
    "\n"
    "exit status:\n"
    "  0  done: the image is whole at IMAGE (a migrated process has left); inspect:\n"
    "     printed; check: the image restores into PROGRAM\n"
    "  1  refused or failed: the process goes on where it was (the reason is on stderr);\n"
    "     check: the image does not restore into PROGRAM (the reason is on stderr)\n"
    "  2  bad command line\n"
    "  3  no such process, not yours, or not built with hmcc (not signalled)\n"
    "  4  the process ended, or the timeout passed, before it took the request\n"
    "  5  inspect: the image cannot be read (not an image, damaged, other format)\n"
    "  6  the image is whole, but the process may not have heard the commit (it may\n"
    "     go on too), or the image could not be renamed into place (IMAGE.partial)\n";

int usageError(const std::string &why) {
  std::fprintf(stderr, "hm-migrate: %s\n%s", why.c_str(), kHelp);
  return kUsage;
}

// The value of option |name| at |i| (as "--name V" or "--name=V").
bool optionValue(const std::vector<std::string> &args, std::size_t &i, const std::string &name,
                 const std::string &shortName, std::string &out) {
  const std::string &a = args[i];
  if (a.rfind(name + "=", 0) == 0) {
    out = a.substr(name.size() + 1);
    return true;
  }
  if ((a == name || (!shortName.empty() && a == shortName)) && i + 1 < args.size()) {
    out = args[++i];
    return true;
  }
  return false;
}

// Words at spaces, as a shell splits a simple command.
std::vector<std::string> splitWords(const std::string &command) {
  std::vector<std::string> words;
  for (std::size_t at = 0; at < command.size();) {
    const std::size_t end = std::min(command.find(' ', at), command.size());
    if (end > at)
      words.push_back(command.substr(at, end - at));
    at = end + 1;
  }
  return words;
}

int requestCommand(const std::vector<std::string> &args) {
  RequestOptions o;
  const char *envSignal = std::getenv("HM_MIGRATE_SIGNAL");
  std::string signalName = envSignal ? envSignal : "USR1", timeout, value;
  SshSettings ssh;
  ssh.deadline = 300;
  std::string deadline;
  bool signalGiven = false, detach = false;
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "--checkpoint")
      o.checkpoint = true;
    else if (a == "-q" || a == "--quiet")
      o.quiet = true;
    else if (a == "-w")
      continue;
    else if (a == "--detach")
      detach = true;
    else if (optionValue(args, i, "-o", "", value))
      ssh.sshOptions.push_back(value);
    else if (optionValue(args, i, "--exec-with", "", value))
      ssh.execWith = splitWords(value);
    else if (optionValue(args, i, "--output", "", ssh.detachOutput) ||
             optionValue(args, i, "--errors", "", ssh.detachErrors) ||
             optionValue(args, i, "--deadline", "", deadline))
      continue;
    else if (optionValue(args, i, "--signal", "-s", signalName))
      signalGiven = true;
    else if (optionValue(args, i, "--for", "", o.triple) ||
             optionValue(args, i, "--timeout", "-t", timeout))
      continue;
    else if (a.size() > 1 && a[0] == '-' && positional.empty())
      return usageError("unknown option '" + a + "'");
    else
      positional.push_back(a);
  }
  if (positional.size() != 2)
    return usageError("expected a process and an image");
  char *end = nullptr;
  const long pid = std::strtol(positional[0].c_str(), &end, 10);
  if (*end || pid <= 0)
    return usageError("'" + positional[0] + "' is not a process id");
  o.pid = static_cast<pid_t>(pid);
  // The program's own HM_MIGRATE_SIGNAL, unless -s or hm-migrate's says otherwise.
  if (!signalGiven && !envSignal)
    if (std::string own = processEnvironment(o.pid, "HM_MIGRATE_SIGNAL"); !own.empty())
      signalName = own;
  o.signal = signalByName(signalName);
  if (!o.signal)
    return usageError("'" + signalName + "' is not a signal hm-migrate knows");
  if (!timeout.empty()) {
    o.timeout = std::strtod(timeout.c_str(), &end);
    if (*end || !(o.timeout >= 0))
      return usageError("'" + timeout + "' is not a number of seconds");
  }
  if (!deadline.empty()) {
    ssh.deadline = std::strtod(deadline.c_str(), &end);
    if (*end || !(ssh.deadline >= 0) || ssh.deadline > 1e7)
      return usageError("'" + deadline + "' is not a number of seconds");
  }
  if (!detach && (!ssh.detachOutput.empty() || !ssh.detachErrors.empty()))
    return usageError("--output and --errors are for a --detach move");
  if (detach && ssh.detachOutput.empty())
    ssh.detachOutput = "hmcc-" + std::to_string(pid) + ".out";
  if (ssh.detachErrors.empty())
    ssh.detachErrors = ssh.detachOutput;
  RemoteDestination remote;
  std::unique_ptr<ImageSink> sink;
  if (parseRemote(positional[1], remote)) {
    if (o.checkpoint)
      return usageError("a checkpoint goes to a file, not to another machine");
    char cwd[4096];
    const std::string link = "/proc/" + positional[0] + "/cwd";
    const ssize_t n = ::readlink(link.c_str(), cwd, sizeof cwd - 1);
    if (n <= 0) {
      std::fprintf(stderr, "hm-migrate: cannot read the working directory of process %ld\n", pid);
      return kNoProcess;
    }
    ssh.cwd.assign(cwd, static_cast<std::size_t>(n));
    // The program's runtime options go with it: a request signal sent to the
    // relay (or there) moves it on to where HM_MIGRATE_TO says, or checkpoints.
    // Where it goes next, not when HM_MIGRATE_AT counts the points: the count
    // would start again there.
    std::vector<const char *> carried = {"HM_MIGRATE_SIGNAL", "HM_MIGRATE_PATIENCE"};
    if (processEnvironment(o.pid, "HM_MIGRATE_AT").empty())
      carried.insert(carried.end(), {"HM_MIGRATE_TO", "HM_CHECKPOINT"});
    for (const char *name : carried)
      if (std::string v = processEnvironment(o.pid, name); !v.empty())
        ssh.carried.emplace_back(name, v);
    sink = sshSink(remote, std::move(ssh));
  } else {
    if (!ssh.execWith.empty() || detach)
      return usageError(std::string(detach ? "--detach" : "--exec-with") +
                        " is for a destination on another machine");
    sink = fileSink(positional[1]);
  }
  return requestImage(o, *sink);
}

int inspectCommand(const std::vector<std::string> &args) {
  bool json = false;
  std::vector<std::string> images;
  for (const std::string &a : args)
    if (a == "--json")
      json = true;
    else if (a.size() > 1 && a[0] == '-')
      return usageError("unknown option '" + a + "' of inspect");
    else
      images.push_back(a);
  if (images.size() != 1)
    return usageError("inspect takes one image");
  return inspectImage(images[0], json);
}

int checkCommand(const std::vector<std::string> &args) {
  std::vector<std::string> positional, execWith;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string command;
    if (optionValue(args, i, "--exec-with", "", command))
      execWith = splitWords(command);
    else if (args[i].size() > 1 && args[i][0] == '-')
      return usageError("unknown option '" + args[i] + "' of check");
    else
      positional.push_back(args[i]);
  }
  if (positional.size() != 2)
    return usageError("check takes an image and a program");
  return checkImage(positional[0], positional[1], execWith);
}

} // namespace

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty())
    return usageError("nothing to do");
  if (args[0] == "-h" || args[0] == "--help") {
    std::fputs(kHelp, stdout);
    return kDone;
  }
  if (args[0] == "--version") {
    std::printf("hm-migrate (hmcc) %s, request protocol %d\n", HM_VERSION, HM_REQUEST_PROTOCOL);
    return kDone;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "inspect")
    return inspectCommand(rest);
  if (args[0] == "check")
    return checkCommand(rest);
  return requestCommand(args);
}
