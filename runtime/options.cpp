// options.cpp — reads the options listed in options.def from the environment.
#include "options.h"
#include "diag.h"

#include <cstdlib>

namespace hm {

bool isRuntimeVariable(const std::string &name) {
#define HM_OPTION(field, env, help)                                            \
  if (name == env)                                                             \
    return true;
#include "options.def"
#undef HM_OPTION
  return false;
}

static Options parseOptions() {
  Options o;
#define HM_OPTION(field, env, help)                                            \
  if (const char *v = std::getenv(env))                                        \
    o.field = v;
#include "options.def"
#undef HM_OPTION
  if (!o.migrate_at.empty()) {
    char *end = nullptr;
    unsigned long n = std::strtoul(o.migrate_at.c_str(), &end, 10);
    if (*end != '\0' || n == 0)
      fatal("HM_MIGRATE_AT='{}' is not a migration point number (1, 2, ...)",
            o.migrate_at);
    o.migrate_at_point = n;
  }
  if (!o.patience.empty()) {
    char *end = nullptr;
    const double s = std::strtod(o.patience.c_str(), &end);
    if (*end != '\0' || !(s >= 0))
      fatal("HM_MIGRATE_PATIENCE='{}' is not a number of seconds", o.patience);
    o.patience_seconds = s;
  }
  // What says how this process starts is not the environment of the programs
  // it starts: a child built with hmcc would restore the same image, or take
  // the parent's stdin for one.
  for (const char *v : {"HM_RESTORE", "HM_RESTORE_HANDSHAKE", "HM_RESTORE_CHECK", "HM_RESTORE_OUTPUT",
                        "HM_RESTORE_ERRORS", "HM_RESTORE_FAILED_STATUS"})
    ::unsetenv(v);
  if (!o.restore_failed_status.empty()) {
    char *end = nullptr;
    const long n = std::strtol(o.restore_failed_status.c_str(), &end, 10);
    if (*end != '\0' || n < 1 || n > 255)
      fatal("HM_RESTORE_FAILED_STATUS='{}' is not an exit status (1 to 255)",
            o.restore_failed_status);
    o.restoreFailedStatus = static_cast<int>(n);
  }
  o.logging = !o.log.empty() && o.log != "0";
  o.handshake = !o.restore_handshake.empty() && o.restore_handshake != "0";
  o.checkOnly = !o.restore_check.empty() && o.restore_check != "0";
  o.detach = o.handshake && !o.restore_output.empty();
  if (o.restore_errors.empty())
    o.restore_errors = o.restore_output;
  return o;
}

const Options &options() {
  static const Options opts = parseOptions();
  return opts;
}

} // namespace hm
