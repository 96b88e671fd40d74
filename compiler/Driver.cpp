// Driver.cpp — hmcc's steps: preprocess, instrument, compile, link with libhmrt.
#include "Driver.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <set>

using llvm::StringRef;

namespace hm {

namespace {

const char *const kTriples[] = {"x86_64-linux-gnu", "aarch64-linux-gnu",
                                "s390x-linux-gnu", "arm-linux-gnueabihf"};

// Options whose value is the next argument.
// Warnings the compiler holds back inside macro expansions, which instrumented
// code, written out preprocessed, no longer has: `if ((x == y))` from a macro
// is not the user's doing. Off, unless the user names one.
const char *const kMacroOnlyWarnings[] = {
    "parentheses-equality", "misleading-indentation", "empty-body",
    "tautological-compare", "tautological-constant-out-of-range-compare",
    "constant-logical-operand", "self-assign", "null-pointer-arithmetic",
    "extra-semi-stmt", "string-plus-int", "logical-op-parentheses",
    "bitwise-op-parentheses", "shift-op-parentheses"};

const std::set<std::string> kWithValue = {
    "-o", "-I", "-D", "-U", "-include", "-imacros", "-isystem", "-iquote",
    "-idirafter", "-isysroot", "--sysroot", "-x", "-MF", "-MT", "-MQ", "-L",
    "-l", "-Xlinker", "-Xpreprocessor", "-Xassembler", "-Xclang", "-u", "-T",
    "-target", "--target", "-z", "-arch", "-aux-info", "-e"};

// Options for the preprocessor only: the rewritten unit is already preprocessed.
bool preprocessorOnly(StringRef a) {
  return a.startswith("-D") || a.startswith("-U") || a == "-include" ||
         a == "-imacros" || a.startswith("-M") || a == "-Xpreprocessor";
}

bool linkerOnly(StringRef a) {
  return a.startswith("-l") || a.startswith("-L") || a.startswith("-Wl,") ||
         a == "-Xlinker" || a == "-static" || a == "-shared" || a == "-rdynamic" ||
         a == "-u" || a == "-T" || a == "-z" || a == "-pie" || a == "-no-pie" ||
         a == "-nostdlib" || a == "-nostartfiles" || a == "-nodefaultlibs" ||
         a == "-e";
}

// Options that change how C is parsed: the instrumenter must see them too.
bool languageOption(StringRef a) {
  return a.startswith("-std=") || a.startswith("-f") || a.startswith("-m") ||
         a == "-ansi" || a.startswith("--std");
}

bool isCSource(StringRef path) {
  return path.endswith(".c") || path.endswith(".i");
}

std::string quoteArg(const std::string &a) {
  if (a.find_first_of(" \t\"'\\$") == std::string::npos && !a.empty())
    return a;
  std::string out = "\"";
  for (char c : a) {
    if (c == '"' || c == '\\' || c == '$')
      out += '\\';
    out += c;
  }
  return out + "\"";
}

struct Invocation {
  std::string target;
  enum { Link, Compile, Assemble, Preprocess } mode = Link;
  std::string output;
  bool dryRun = false, verbose = false, instrument = true, saveTemps = false;
  bool poll = true, pollEntries = false;
  bool depsWithoutFile = false, depsTarget = false;
  std::vector<std::string> inputs;            // in order, sources and objects
  std::vector<std::pair<size_t, std::string>> inputOrder;
  std::vector<std::string> options;           // every other argument, in order
  std::vector<std::string> linkOptions;       // linker options, in order
};

void printStep(const Step &s) {
  std::string line;
  for (const std::string &a : s.argv)
    line += (line.empty() ? " " : " ") + quoteArg(a);
  llvm::errs() << line << "\n";
}

int error(const std::string &message) {
  llvm::errs() << "hmcc: error: " << message << "\n";
  return 1;
}

} // namespace

std::string normalizeTriple(const std::string &triple) {
  StringRef t(triple);
  StringRef arch = t.split('-').first;
  if (arch == "x86_64" || arch == "amd64")
    return kTriples[0];
  if (arch == "aarch64" || arch == "arm64")
    return kTriples[1];
  if (arch == "s390x")
    return kTriples[2];
  if ((arch == "arm" || arch.startswith("armv7")) && t.endswith("hf"))
    return kTriples[3];
  return "";
}

std::string supportedTriples() {
  std::string out;
  for (const char *t : kTriples)
    out += (out.empty() ? "" : ", ") + std::string(t);
  return out;
}

namespace {

class Driver {
public:
  Driver(const DriverConfig &config, Invocation inv)
      : config(config), inv(std::move(inv)) {}

  int run();

private:
  const DriverConfig &config;
  Invocation inv;
  std::string tempDir;
  std::vector<std::string> temporaries;
  unsigned counter = 0;

  bool isClang() const {
    return StringRef(llvm::sys::path::filename(config.compiler)).contains("clang");
  }
  std::vector<std::string> ccBase() const {
    std::vector<std::string> a{config.compiler};
    if (isClang())
      a.push_back("--target=" + inv.target);
    return a;
  }
  bool linksWithLld() const;
  std::string temp(StringRef stem, StringRef ext);
  int execute(const Step &s);
  std::string instrumentSource(const std::string &src, const std::string &out, int &status);
  void addCompileOptions(Step &cc) const;
  void addRuntime(Step &ld, int &status) const;
  int compileSource(const std::string &src, const std::string &out);
  int compileAndLink();
};

std::string Driver::temp(StringRef stem, StringRef ext) {
  llvm::SmallString<256> path;
  if (inv.saveTemps) {
    path = (stem + ext).str();
    return std::string(path);
  }
  if (tempDir.empty()) {
    llvm::SmallString<256> dir;
    if (llvm::sys::fs::createUniqueDirectory("hmcc", dir))
      return "";
    tempDir = std::string(dir);
  }
  path = tempDir;
  llvm::sys::path::append(path, (stem + ext).str());
  temporaries.push_back(std::string(path));
  return std::string(path);
}

int Driver::execute(const Step &s) {
  if (inv.dryRun || inv.verbose)
    printStep(s);
  if (inv.dryRun)
    return 0;
  auto program = llvm::sys::findProgramByName(s.argv[0]);
  if (!program)
    return error("cannot " + s.what + ": '" + s.argv[0] + "' not found");
  std::vector<StringRef> args(s.argv.begin(), s.argv.end());
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*program, args, std::nullopt, {}, 0, 0,
                                         &message);
  if (status < 0)
    return error("cannot " + s.what + ": " + message);
  return status;
}

// Preprocesses and instruments |src| (|out|: the object it becomes, which names
// its dependency file); returns the instrumented source, "" with |status| set
// when a step failed.
std::string Driver::instrumentSource(const std::string &src, const std::string &out,
                                     int &status) {
  // Numbered, so that a.c and dir/a.c of one command do not share temporaries.
  const std::string stem = inv.saveTemps ? llvm::sys::path::stem(src).str()
                                         : std::to_string(++counter) + "-" +
                                               llvm::sys::path::stem(src).str();
  const std::string preprocessed = temp(stem, ".i");
  const std::string rewritten = temp(stem, ".hm.c");
  if (preprocessed.empty()) {
    status = error("cannot create a temporary directory");
    return "";
  }

  // Always clang's preprocessor: hm-instrument parses with clang, and headers
  // preprocessed for gcc use gcc-only attributes.
  Step pp{{"clang-16", "--target=" + inv.target}, "preprocess " + src};
  pp.argv.insert(pp.argv.end(), {"-E", "-D__HMCC__=1", "-isystem", config.includeDir});
  for (const std::string &o : inv.options)
    pp.argv.push_back(o);
  if (inv.depsWithoutFile) {
    llvm::SmallString<256> d(out);
    llvm::sys::path::replace_extension(d, ".d");
    pp.argv.insert(pp.argv.end(), {"-MF", std::string(d)});
  }
  if ((inv.depsWithoutFile || inv.depsTarget) && !inv.depsTarget)
    pp.argv.insert(pp.argv.end(), {"-MT", out});
  pp.argv.insert(pp.argv.end(), {src, "-o", preprocessed});
  if ((status = execute(pp)))
    return "";

  Step in{{config.binDir + "/hm-instrument", preprocessed, "-o", rewritten,
           "--unit-name=" + src},
          "instrument " + src};
  if (!inv.poll)
    in.argv.push_back("--no-poll");
  else if (inv.pollEntries)
    in.argv.push_back("--poll-entries");
  in.argv.insert(in.argv.end(), {"--", "--target=" + inv.target, "-w"});
  for (const std::string &o : inv.options)
    if (languageOption(o))
      in.argv.push_back(o);
  if ((status = execute(in)))
    return "";
  return rewritten;
}

// What compiling instrumented code takes, before the sources.
void Driver::addCompileOptions(Step &cc) const {
  // Floating-point results must not depend on the architecture: no contraction
  // into fused multiply-add unless the user asks for it (a later option wins).
  cc.argv.push_back("-ffp-contract=off");
  // Unwind tables let the runtime check, at a migration point, that every frame
  // on the stack is instrumented (armhf has none by default).
  cc.argv.push_back("-funwind-tables");
  cc.argv.insert(cc.argv.end(), {"-isystem", config.includeDir});
  for (size_t i = 0; i < inv.options.size(); ++i) {
    StringRef o = inv.options[i];
    if (preprocessorOnly(o)) {
      if (kWithValue.count(o.str()) || o == "-MF" || o == "-MT" || o == "-MQ")
        ++i;
      continue;
    }
    cc.argv.push_back(inv.options[i]);
  }
  for (const char *w : kMacroOnlyWarnings) {
    const bool named = std::any_of(inv.options.begin(), inv.options.end(),
                                   [w](const std::string &o) {
                                     return StringRef(o).startswith("-W") &&
                                            StringRef(o).endswith(w);
                                   });
    if (!named)
      cc.argv.push_back(std::string("-Wno-") + w);
  }
  if (isClang())
    cc.argv.push_back("-Qunused-arguments");
}

int Driver::compileSource(const std::string &src, const std::string &out) {
  int status = 0;
  const std::string rewritten = instrumentSource(src, out, status);
  if (status)
    return status;
  Step cc{ccBase(), "compile " + src};
  addCompileOptions(cc);
  cc.argv.insert(cc.argv.end(),
                 {inv.mode == Invocation::Assemble ? "-S" : "-c", rewritten, "-o", out});
  return execute(cc);
}

// The runtime and what it needs, after the program's objects and libraries.
void Driver::addRuntime(Step &ld, int &status) const {
  const std::string lib = config.libDir + "/" + inv.target;
  ld.argv.push_back(lib + "/libhmrt.a");
  auto flags = llvm::MemoryBuffer::getFile(lib + "/link-flags");
  if (!flags) {
    status = error("no runtime for target '" + inv.target + "' in " + lib);
    return;
  }
  llvm::SmallVector<StringRef, 8> parts;
  (*flags)->getBuffer().split(parts, ' ', -1, false);
  for (StringRef p : parts)
    if (!p.trim().empty())
      ld.argv.push_back(p.trim().str());
  if (linksWithLld())
    ld.argv.push_back("-fuse-ld=lld");
}

// Instruments every C source, then compiles and links in one run of the
// compiler, as `cc a.c b.o -o prog` does: a run of clang per unit and one more
// for the link cost more than the compiling of small programs.
int Driver::compileAndLink() {
  Step ld{ccBase(), "compile and link"};
  addCompileOptions(ld);
  int status = 0;
  for (const std::string &input : inv.inputs) {
    if (!isCSource(input)) {
      ld.argv.push_back(input);
      continue;
    }
    const std::string object =
        temp(std::to_string(++counter) + "-" + llvm::sys::path::stem(input).str(), ".o");
    const std::string rewritten = instrumentSource(input, object, status);
    if (status)
      return status;
    ld.argv.push_back(rewritten);
  }
  for (const std::string &o : inv.linkOptions)
    ld.argv.push_back(o);
  addRuntime(ld, status);
  if (status)
    return status;
  if (!inv.output.empty())
    ld.argv.insert(ld.argv.end(), {"-o", inv.output});
  return execute(ld);
}

int Driver::run() {
  int status = 0;
  if (inv.mode == Invocation::Link) {
    status = compileAndLink();
  } else {
    for (const std::string &input : inv.inputs) {
      if (!isCSource(input))
        continue;
      std::string out = inv.output;
      if (out.empty()) {
        llvm::SmallString<256> o(llvm::sys::path::filename(input));
        llvm::sys::path::replace_extension(o, inv.mode == Invocation::Assemble ? ".s" : ".o");
        out = std::string(o);
      }
      if ((status = compileSource(input, out)))
        break;
    }
  }
  if (!inv.saveTemps) {
    for (const std::string &t : temporaries)
      llvm::sys::fs::remove(t);
    if (!tempDir.empty())
      llvm::sys::fs::remove(tempDir);
  }
  return status;
}

// The runtime brings Boost and libstdc++ in from archives, which lld links in
// about half the time ld.bfd takes (the link was most of hmcc's extra compile
// time). Only when the user chose no linker, clang drives the link and its lld
// is installed beside it; lld 16 has no s390x.
bool Driver::linksWithLld() const {
  if (!isClang() || StringRef(inv.target).startswith("s390x"))
    return false;
  for (const auto *list : {&inv.options, &inv.linkOptions})
    for (const std::string &o : *list)
      if (StringRef(o).startswith("-fuse-ld"))
        return false;
  auto compiler = llvm::sys::findProgramByName(config.compiler);
  llvm::SmallString<256> real;
  if (!compiler || llvm::sys::fs::real_path(*compiler, real))
    return false;
  return static_cast<bool>(
      llvm::sys::findProgramByName("ld.lld", {llvm::sys::path::parent_path(real)}));
}

} // namespace

int runDriver(const DriverConfig &config, const std::vector<std::string> &args) {
  Invocation inv;
  inv.target = config.hostTriple;
  std::vector<std::string> passThrough; // for runs that hmcc does not handle
  bool hasInputs = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    StringRef ar(a);
    auto value = [&]() -> std::string {
      return i + 1 < args.size() ? args[++i] : std::string();
    };
    if (ar.startswith("--target=") || a == "-target" || a == "--target") {
      std::string t = ar.startswith("--target=") ? a.substr(9) : value();
      inv.target = normalizeTriple(t);
      if (inv.target.empty())
        return error("unsupported target '" + t + "'; hmcc supports " +
                     supportedTriples());
      continue;
    }
    if (a == "-fno-hm") { inv.instrument = false; continue; }
    if (a == "-fno-hm-poll") { inv.poll = false; continue; }
    if (a == "-fhm-poll") { inv.poll = true; continue; }
    if (a == "-fhm-poll-entries") { inv.poll = inv.pollEntries = true; continue; }
    if (a == "-###") { inv.dryRun = true; continue; }
    if (a == "-v") { inv.verbose = true; passThrough.push_back(a); continue; }
    if (a == "-save-temps") { inv.saveTemps = true; continue; }
    passThrough.push_back(a);
    if (a == "-c") { inv.mode = Invocation::Compile; continue; }
    if (a == "-S") { inv.mode = Invocation::Assemble; continue; }
    if (a == "-E" || a == "-M" || a == "-MM") { inv.mode = Invocation::Preprocess; continue; }
    if (a == "-o") { inv.output = value(); passThrough.push_back(inv.output); continue; }
    if (ar.startswith("-o") && a.size() > 2) { inv.output = a.substr(2); continue; }
    if (a == "-MD" || a == "-MMD") inv.depsWithoutFile = true;
    if (a == "-MF") inv.depsWithoutFile = false;
    if (a == "-MT" || a == "-MQ") inv.depsTarget = true;
    if (a[0] != '-' || a == "-") {
      hasInputs = true;
      inv.inputs.push_back(a);
      continue;
    }
    std::vector<std::string> &dest = linkerOnly(ar) ? inv.linkOptions : inv.options;
    dest.push_back(a);
    if (kWithValue.count(a)) {
      std::string v = value();
      dest.push_back(v);
      passThrough.push_back(v);
    }
  }
  // -MF given before -MD still names the file.
  for (size_t i = 0; i < inv.options.size(); ++i)
    if (inv.options[i] == "-MF")
      inv.depsWithoutFile = false;

  Driver driver(config, inv);
  if (!hasInputs || !inv.instrument || inv.mode == Invocation::Preprocess) {
    // Nothing to instrument: the underlying compiler does it all (with libhmrt's
    // header in reach, so that hm/migrate.h is found).
    Step s{{config.compiler}, "run " + config.compiler};
    if (StringRef(config.compiler).contains("clang"))
      s.argv.push_back("--target=" + inv.target);
    if (hasInputs)
      s.argv.insert(s.argv.end(), {"-isystem", config.includeDir});
    s.argv.insert(s.argv.end(), passThrough.begin(), passThrough.end());
    if (inv.dryRun || inv.verbose)
      printStep(s);
    if (inv.dryRun)
      return 0;
    auto program = llvm::sys::findProgramByName(s.argv[0]);
    if (!program)
      return error("'" + s.argv[0] + "' not found (set HMCC_CC to a C compiler)");
    std::vector<StringRef> argv(s.argv.begin(), s.argv.end());
    return llvm::sys::ExecuteAndWait(*program, argv);
  }
  if (inv.mode != Invocation::Link && !inv.output.empty()) {
    size_t sources = 0;
    for (const std::string &in : inv.inputs)
      sources += isCSource(in);
    if (sources > 1)
      return error("cannot specify -o with -c or -S and several source files");
  }
  return driver.run();
}

} // namespace hm
