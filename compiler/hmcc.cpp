// hmcc — drop-in C compiler that builds programs able to migrate between architectures.
#include "Driver.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

namespace {

// The C++ compiler beside a C compiler: clang-16 -> clang++-16, gcc -> g++.
std::string cxxBeside(const std::string &cc) {
  std::string out = cc;
  for (const auto &[c, cxx] : {std::pair<const char *, const char *>{"clang", "clang++"},
                               {"gcc", "g++"}})
    if (auto at = out.rfind(c); at != std::string::npos)
      return out.replace(at, std::string(c).size(), cxx);
  return llvm::sys::path::filename(cc) == "cc" ? "c++" : "clang++-16";
}

} // namespace

int main(int argc, char **argv) {
  static int anchor;
  std::string self = llvm::sys::fs::getMainExecutable(argv[0], &anchor);
  llvm::StringRef binDir = llvm::sys::path::parent_path(self);
  llvm::StringRef prefix = llvm::sys::path::parent_path(binDir);

  hm::DriverConfig config;
  config.binDir = binDir.str();
  config.libDir = (prefix + "/lib/hmcc").str();
  config.includeDir = (prefix + "/include").str();
  const char *cc = std::getenv("HMCC_CC");
  config.compiler = cc && *cc ? cc : "clang-16";
  const char *cxx = std::getenv("HMCC_CXX");
  config.cxxCompiler = cxx && *cxx ? cxx : cxxBeside(config.compiler);
  config.hostTriple = HM_HOST_TRIPLE;
  config.cxxDriver = llvm::StringRef(argv[0]).endswith("++");
  // @file arguments (build systems use them for long command lines) are read
  // as the compiler reads them, so that hmcc sees the inputs and options in them.
  llvm::SmallVector<const char *, 64> args(argv + 1, argv + argc);
  llvm::BumpPtrAllocator allocator;
  llvm::StringSaver saver(allocator);
  const bool expanded =
      llvm::cl::ExpandResponseFiles(saver, llvm::cl::TokenizeGNUCommandLine, args);
  for (const char *a : args)
    if (a[0] == '@') {
      llvm::errs() << "hmcc: error: cannot read the response file '" << (a + 1) << "'\n";
      return 1;
    }
  if (!expanded) {
    llvm::errs() << "hmcc: error: cannot read the response files of the command line\n";
    return 1;
  }
  return hm::runDriver(config, std::vector<std::string>(args.begin(), args.end()));
}
