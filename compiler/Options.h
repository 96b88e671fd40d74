// Options.h — hmcc's command line, read through one option table (Options.def).
#ifndef HM_COMPILER_OPTIONS_H
#define HM_COMPILER_OPTIONS_H

#include <string>
#include <vector>

namespace hm {

// The commands an option goes to.
enum Steps : unsigned {
  kCheck = 1,    // a C unit's syntax check: the user's diagnostics
  kPrep = 2,     // its preprocessing
  kParse = 4,    // hm-instrument
  kBuild = 8,    // compiling the instrumented unit (and the link command's compiling)
  kOther = 16,   // compiling inputs hmcc does not instrument (assembly, C++)
  kLink = 32,
  kDriver = 64,  // hmcc's own
  kRefused = 128,
  kWarn = 256,   // a warning option: instrumented code gets only the -Wno-... ones
  kDeps = 512,   // writes dependency files: only the preprocessing of the user's target
};

enum class OptionKind { Flag, Joined, Separate, JoinedOrSeparate, CommaJoined };

struct OptionInfo {
  const char *spelling;
  OptionKind kind;
  unsigned steps;
  const char *help; // hmcc's own options: a line of --help; refused ones: why
};

// What an input is, from -x or its name.
enum class InputKind {
  C,        // instrumented
  Object,   // objects, archives, libraries: the linker's
  Other,    // compiled as they are: assembly, C++, headers, ...
};

// One argument as the user wrote it (an option and its value may be two).
struct Arg {
  const OptionInfo *option = nullptr; // null: an input
  std::vector<std::string> spelled;   // the argument(s) as written
  std::string value;                  // the option's value; an input's path
  // An input: what it is, the -x in effect for it ("" when none), and whether
  // it is C++ (whose link needs the C++ driver).
  InputKind input = InputKind::Object;
  std::string language;
  bool cxx = false;
  bool is(const char *spelling) const;
};

struct CommandLine {
  std::vector<Arg> args; // in the user's order
  std::string error;     // the first argument hmcc refuses, with why
};

// Reads |argv| (without the program name). Options not in the table pass as
// they are, to every compiling step.
// |cxxDriver|: invoked as hmc++, which reads .c files as C++, as clang++ does.
CommandLine parseCommandLine(const std::vector<std::string> &argv, bool cxxDriver);

// The table, for --help.
const std::vector<OptionInfo> &optionTable();

} // namespace hm
#endif
