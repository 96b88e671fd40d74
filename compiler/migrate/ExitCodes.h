// ExitCodes.h — hm-migrate's exit statuses, one list (docs and --help quote it).
#ifndef HM_MIGRATE_EXIT_CODES_H
#define HM_MIGRATE_EXIT_CODES_H

namespace hm::migrate {

enum ExitCode : int {
  kDone = 0,        // migrated, checkpointed, inspected, or the image would restore
  kRefused = 1,     // refused or failed: the process goes on where it was; or check: no
  kUsage = 2,       // bad command line
  kNoProcess = 3,   // no such process, not this user's, or not built with hmcc
  kNotServed = 4,   // the process ended, or the timeout passed, before it took the request
  kBadImage = 5,    // inspect/check: the image cannot be read
  kCommitLost = 6,  // the image is complete, but the process may not have heard the commit,
                    // or the image could not be put in its place (it is at IMAGE.partial)
};

} // namespace hm::migrate
#endif
