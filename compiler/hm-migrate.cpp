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
#include <vector>

using namespace hm::migrate;

namespace {

const char kHelp[] =
    "usage: hm-migrate [OPTIONS] PID IMAGE          move process PID: its image goes to\n"
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
    "  -s, --signal SIG     the migration signal the program listens to (default\n"
    "                       HM_MIGRATE_SIGNAL's, else USR1)\n"
    "      --for TRIPLE     the destination's target triple (as HM_MIGRATE_FOR): what\n"
    "                       holds only where the data model is the sender's is checked\n"
    "                       before the process unwinds anything\n"
    "  -t, --timeout SECS   give up when the process has not reached a poll point in\n"
    "                       SECS seconds (default: wait while it runs)\n"
    "  -q, --quiet          say only what went wrong\n"
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
    "  5  inspect: the image cannot be read (not an image, damaged, other format)\n";

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

int requestCommand(const std::vector<std::string> &args) {
  RequestOptions o;
  const char *envSignal = std::getenv("HM_MIGRATE_SIGNAL");
  std::string signalName = envSignal ? envSignal : "USR1", timeout;
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "--checkpoint")
      o.checkpoint = true;
    else if (a == "-q" || a == "--quiet")
      o.quiet = true;
    else if (a == "-w")
      continue;
    else if (optionValue(args, i, "--signal", "-s", signalName) ||
             optionValue(args, i, "--for", "", o.triple) ||
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
  o.signal = signalByName(signalName);
  if (!o.signal)
    return usageError("'" + signalName + "' is not a signal hm-migrate knows");
  if (!timeout.empty()) {
    o.timeout = std::strtod(timeout.c_str(), &end);
    if (*end || !(o.timeout >= 0))
      return usageError("'" + timeout + "' is not a number of seconds");
  }
  std::unique_ptr<ImageSink> sink = fileSink(positional[1]);
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
    if (optionValue(args, i, "--exec-with", "", command)) {
      // Words at spaces, as a shell would split a simple command.
      for (std::size_t at = 0; at < command.size();) {
        const std::size_t end = std::min(command.find(' ', at), command.size());
        if (end > at)
          execWith.push_back(command.substr(at, end - at));
        at = end + 1;
      }
    } else if (args[i].size() > 1 && args[i][0] == '-')
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
