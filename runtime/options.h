// options.h — runtime options read once from the environment (see options.def).
#ifndef HM_RUNTIME_OPTIONS_H
#define HM_RUNTIME_OPTIONS_H

#include <string>

namespace hm {

struct Options {
#define HM_OPTION(field, env, help) std::string field;
#include "options.def"
#undef HM_OPTION
  unsigned long migrate_at_point = 1;
  double patience_seconds = 60;
  bool logging = false;
  bool handshake = false; // HM_RESTORE_HANDSHAKE: a destination hm-migrate started
  bool checkOnly = false; // HM_RESTORE_CHECK
  int restoreFailedStatus = 1; // HM_RESTORE_FAILED_STATUS
  bool detach = false;    // HM_RESTORE_OUTPUT with the handshake: hm-migrate --detach
};

// Parsed on first use; a malformed value is reported and the program exits.
const Options &options();

// Whether |name| is one of the variables above: libhmrt's, not the program's.
bool isRuntimeVariable(const std::string &name);

} // namespace hm
#endif
