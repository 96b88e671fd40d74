// hmcc — drop-in C compiler that builds programs able to migrate between architectures.
#include "Driver.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cstdlib>

int main(int argc, char **argv) {
  static int anchor;
  std::string self = llvm::sys::fs::getMainExecutable(argv[0], &anchor);
  llvm::StringRef binDir = llvm::sys::path::parent_path(self);
  llvm::StringRef prefix = llvm::sys::path::parent_path(binDir);

  hm::DriverConfig config;
  config.binDir = binDir.str();
  config.libDir = (prefix + "/lib").str();
  config.includeDir = (prefix + "/include").str();
  const char *cc = std::getenv("HMCC_CC");
  config.compiler = cc && *cc ? cc : "clang-16";
  config.hostTriple = HM_HOST_TRIPLE;
  return hm::runDriver(config, std::vector<std::string>(argv + 1, argv + argc));
}
