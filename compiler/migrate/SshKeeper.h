// SshKeeper.h — the process that runs ssh for a move and outlives hm-migrate:
// it waits for ssh to end and reports its status, and forwards the signals the
// relay receives to the destination's process.
#ifndef HM_MIGRATE_SSH_KEEPER_H
#define HM_MIGRATE_SSH_KEEPER_H

#include <string>
#include <vector>

namespace hm::migrate {

struct SshCommand {
  std::vector<std::string> options; // ssh's, before the host: -p PORT, -o OPTION...
  std::string host;                 // [user@]host
};

// hm-migrate's ends of the keeper's pipes; -1 when closed.
struct KeeperPipes {
  int toStdin = -1, fromStdout = -1, fromStderr = -1;
  int status = -1;  // ssh's exit status, in decimal, when it ends
  int control = -1; // lines to the keeper: "pid N" (the destination's), "signal NAME"
};

// Starts the keeper, which runs `ssh OPTIONS -T -- HOST COMMAND` with its
// stdin, stdout and stderr on the pipes. "" or why it could not.
std::string startKeeper(const SshCommand &ssh, const std::string &command, KeeperPipes &out);

} // namespace hm::migrate
#endif
