// Identity.cpp — hmcc --version and --help: what this hmcc is made of, and its options.
#include "Driver.h"
#include "Options.h"
#include "hm/targets.h"
#include "hm/abi.h"

#include "llvm/Support/Chrono.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

namespace hm {

namespace {

// A file's identity for build caches: ccache's compiler_check runs
// `hmcc --version`, whose output must change when hm-instrument or a libhmrt does.
std::string stamp(const std::string &path) {
  llvm::sys::fs::file_status st;
  if (llvm::sys::fs::status(path, st) || !llvm::sys::fs::exists(st))
    return path + " (missing)";
  std::string out;
  llvm::raw_string_ostream os(out);
  os << path << " (" << st.getSize() << " bytes, modified "
     << llvm::sys::toTimeT(st.getLastModificationTime()) << ")";
  return os.str();
}

const char *const kTargets[] = {HM_TRIPLE_LIST};

} // namespace

int printVersion(const DriverConfig &config) {
  llvm::outs() << "hmcc " << HM_VERSION << " (hm ABI " << HM_ABI_VERSION
               << "; target " << config.hostTriple << ")\n"
               << "hm-instrument: " << stamp(config.binDir + "/hm-instrument") << "\n";
  for (const char *t : kTargets) {
    const std::string lib = config.libDir + "/" + t + "/libhmrt.a";
    if (llvm::sys::fs::exists(lib))
      llvm::outs() << "libhmrt for " << t << ": " << stamp(lib) << "\n";
  }
  llvm::outs() << "compiler (HMCC_CC): " << config.compiler << "\n";
  llvm::outs().flush();
  auto program = llvm::sys::findProgramByName(config.compiler);
  if (!program) {
    llvm::errs() << "hmcc: error: '" << config.compiler
                 << "' not found (HMCC_CC names the C compiler)\n";
    return 1;
  }
  llvm::StringRef argv[] = {config.compiler, "--version"};
  return llvm::sys::ExecuteAndWait(*program, argv) == 0 ? 0 : 1;
}

void printHelp(const DriverConfig &config) {
  llvm::raw_ostream &o = llvm::outs();
  o << "usage: hmcc [options] file...\n\n"
       "hmcc compiles C programs that can migrate, while they run, to a machine of\n"
       "another architecture. It takes the options of the underlying compiler ("
    << config.compiler << ";\nHMCC_CC, and HMCC_CXX for C++) and passes them on.\n\n"
       "hmcc's own options:\n";
  for (const OptionInfo &opt : optionTable())
    if ((opt.steps & kDriver) && *opt.help)
      o << "  " << opt.help << "\n";
  o << "\nRefused, with why:\n";
  for (const OptionInfo &opt : optionTable())
    if (opt.steps & kRefused)
      o << "  " << opt.spelling << ": " << opt.help << "\n";
  o << "\nThe environment of a program built with hmcc:\n";
#define HM_OPTION(field, variable, help) o << "  " << variable << ": " << help << "\n";
#include "../runtime/options.def"
#undef HM_OPTION
  o << "\nAsk a running program to migrate: hm-migrate PID IMAGE (hm-migrate --help)\n";
}

} // namespace hm
