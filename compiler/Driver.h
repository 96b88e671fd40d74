// Driver.h — hmcc: a C compiler driver that makes programs migratable.
#ifndef HM_COMPILER_DRIVER_H
#define HM_COMPILER_DRIVER_H

#include <string>
#include <vector>

namespace hm {

struct DriverConfig {
  std::string binDir;        // where hmcc and hm-instrument are
  std::string libDir;        // lib/hmcc: <triple>/libhmrt.a and <triple>/link-flags
  std::string includeDir;    // hm/migrate.h, hm/abi.h
  std::string compiler;      // the underlying C compiler (HMCC_CC)
  std::string cxxCompiler;   // and C++ compiler (HMCC_CXX), for C++ inputs and links
  std::string hostTriple;
  bool cxxDriver = false;    // run as hmc++: .c files are C++, links are C++'s
};

// Maps any spelling of a supported target to hmcc's triple; "" when unsupported.
std::string normalizeTriple(const std::string &triple);
// The supported triples, for messages.
std::string supportedTriples();

// Runs hmcc with |args| (without argv[0]); returns the exit status.
int runDriver(const DriverConfig &config, const std::vector<std::string> &args);

// hmcc --version and --help (Identity.cpp).
int printVersion(const DriverConfig &config);
void printHelp(const DriverConfig &config);

} // namespace hm
#endif
