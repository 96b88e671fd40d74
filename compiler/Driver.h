// Driver.h — hmcc: a C compiler driver that makes programs migratable.
#ifndef HM_COMPILER_DRIVER_H
#define HM_COMPILER_DRIVER_H

#include <string>
#include <vector>

namespace hm {

// One command the driver runs.
struct Step {
  std::vector<std::string> argv;
  std::string what; // for messages: "preprocess foo.c"
};

struct DriverConfig {
  std::string binDir;        // where hmcc and hm-instrument are
  std::string libDir;        // lib/<triple>/libhmrt.a
  std::string includeDir;    // hm/migrate.h, hm/abi.h
  std::string compiler;      // the underlying C compiler (HMCC_CC)
  std::string hostTriple;
};

// Maps any spelling of a supported target to hmcc's triple; "" when unsupported.
std::string normalizeTriple(const std::string &triple);
// The supported triples, for messages.
std::string supportedTriples();

// Runs hmcc with |args| (without argv[0]); returns the exit status.
int runDriver(const DriverConfig &config, const std::vector<std::string> &args);

} // namespace hm
#endif
