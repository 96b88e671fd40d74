// Request.h — asks a running program built with hmcc for its image, and lets it
// leave only once the image is its destination's (request_protocol.h).
#ifndef HM_MIGRATE_REQUEST_H
#define HM_MIGRATE_REQUEST_H

#include "ImageSink.h"

#include <string>
#include <sys/types.h>

namespace hm::migrate {

struct RequestOptions {
  pid_t pid = 0;
  bool checkpoint = false;   // the process goes on after writing its image
  int signal = 0;            // the migration signal the program listens to
  std::string triple;        // the destination's target triple, when known
  double timeout = 0;        // seconds for the process to take the request; 0: while it runs
  bool quiet = false;
  // INT, TERM and HUP give up the request (hm-migrate's own); a caller that
  // waits for its signals itself (hmrun) says false.
  bool catchInterrupts = true;
};

// Returns hm-migrate's exit status (ExitCodes.h); says why on stderr.
int requestImage(const RequestOptions &options, ImageSink &sink);

// The migration signal named by |name| (USR1, SIGUSR2, 10, ...); 0 if none.
int signalByName(const std::string &name);

// Whether the user interrupted hm-migrate (INT, TERM, HUP) since it asked.
bool interrupted();

// The value of |name| in process |pid|'s environment as it started, or "".
std::string processEnvironment(pid_t pid, const std::string &name);

} // namespace hm::migrate
#endif
