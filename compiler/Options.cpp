// Options.cpp — hmcc's command line, read through one option table.
#include "Options.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Path.h"

#include <cstring>

using llvm::StringRef;

namespace hm {

namespace {

// The step sets Options.def names.
constexpr unsigned Driver = kDriver, Refused = kRefused, Link = kLink,
                   Pre = kCheck | kPrep | kOther, Deps = kPrep | kOther | kDeps,
                   Lang = kCheck | kPrep | kParse | kBuild | kOther, LangLink = Lang | kLink,
                   Code = kBuild | kOther, CodeLink = Code | kLink,
                   Warn = kWarn | kCheck | kOther;

const std::vector<OptionInfo> kTable = {
#define HMCC_OPTION(SPELLING, KIND, STEPS, HELP) {SPELLING, OptionKind::KIND, STEPS, HELP},
#include "Options.def"
#undef HMCC_OPTION
};

// An option the table does not know: passed, as it is, to every compiling step.
const OptionInfo kUnknown{"", OptionKind::Flag, kBuild | kOther, ""};

const OptionInfo *lookup(StringRef a) {
  const OptionInfo *best = nullptr;
  for (const OptionInfo &o : kTable) {
    const StringRef s(o.spelling);
    const bool exact = o.kind == OptionKind::Flag || o.kind == OptionKind::Separate;
    if ((exact ? a == s : a.startswith(s)) &&
        (!best || s.size() > std::strlen(best->spelling)))
      best = &o;
  }
  return best ? best : &kUnknown;
}

// The language clang gives a file by its name ("" for the linker's inputs).
std::string languageOf(StringRef path, bool cxxDriver) {
  const StringRef ext = llvm::sys::path::extension(path);
  return llvm::StringSwitch<std::string>(ext)
      .Case(".c", cxxDriver ? "c++" : "c")
      .Case(".i", "cpp-output")
      .Case(".h", cxxDriver ? "c++-header" : "c-header")
      .Case(".s", "assembler")
      .Cases(".S", ".sx", "assembler-with-cpp")
      .Cases(".cc", ".cp", ".cxx", ".cpp", ".CPP", "c++")
      .Cases(".c++", ".C", "c++")
      .Case(".ii", "c++-cpp-output")
      .Cases(".hh", ".hpp", ".hxx", ".H", "c++-header")
      .Case(".m", "objective-c")
      .Cases(".mm", ".M", "objective-c++")
      .Default("");
}

} // namespace

bool Arg::is(const char *spelling) const {
  return option && std::strcmp(option->spelling, spelling) == 0;
}

const std::vector<OptionInfo> &optionTable() { return kTable; }

CommandLine parseCommandLine(const std::vector<std::string> &argv, bool cxxDriver) {
  CommandLine out;
  std::string x; // the -x in effect
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string &a = argv[i];
    Arg arg;
    arg.spelled.push_back(a);
    if (a.empty() || a[0] != '-' || a == "-") {
      arg.value = a;
      const std::string language = !x.empty() ? x : languageOf(a, cxxDriver);
      arg.language = x;
      if (a == "-" && x.empty() && out.error.empty())
        out.error = "-E or -x required when input is from standard input";
      arg.input = language == "c" || language == "cpp-output" ? InputKind::C
                  : language.empty()                          ? InputKind::Object
                                                              : InputKind::Other;
      arg.cxx = StringRef(language).startswith("c++") ||
                StringRef(language).startswith("objective-c++");
      out.args.push_back(std::move(arg));
      continue;
    }
    const OptionInfo *o = lookup(a);
    arg.option = o;
    const std::size_t n = std::strlen(o->spelling);
    const bool joined = a.size() > n;
    switch (o->kind) {
    case OptionKind::Flag:
      break;
    case OptionKind::Joined:
    case OptionKind::CommaJoined:
      arg.value = a.substr(n);
      break;
    case OptionKind::JoinedOrSeparate:
      if (joined) {
        arg.value = a.substr(n);
        break;
      }
      [[fallthrough]];
    case OptionKind::Separate:
      if (i + 1 >= argv.size()) {
        if (out.error.empty())
          out.error = "argument to '" + a + "' is missing (expected 1 value)";
        break;
      }
      arg.value = argv[++i];
      arg.spelled.push_back(arg.value);
      break;
    }
    if ((o->steps & kRefused) && out.error.empty())
      out.error = "'" + a + "' is not supported: " + o->help;
    if (arg.is("-x"))
      x = arg.value == "none" ? "" : arg.value;
    out.args.push_back(std::move(arg));
  }
  return out;
}

} // namespace hm
