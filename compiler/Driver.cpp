// Driver.cpp — hmcc's steps: check, preprocess, instrument, compile, link with libhmrt.
//
// Each C input is checked by the underlying compiler with the user's options
// (its diagnostics are the user's, at the user's lines), preprocessed, and
// instrumented; the instrumented unit takes the input's place in the user's
// argument list, which then goes, in order, to the compiler. Inputs hmcc does
// not instrument (assembly, C++, objects, archives) go to it unchanged.
#include "Driver.h"
#include "Options.h"
#include "hm/targets.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using llvm::StringRef;

namespace hm {

namespace {

const char *const kTriples[] = {HM_TRIPLE_LIST};

// One command the driver runs.
struct Step {
  std::vector<std::string> argv;
  std::string what;   // for messages: "preprocess foo.c"
  bool quiet = false; // its diagnostics are not the user's: discarded
};

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

int error(const std::string &message) {
  llvm::errs() << "hmcc: error: " << message << "\n";
  return 1;
}

struct Invocation {
  std::string target;
  enum { Link, Compile, Assemble, Preprocess, SyntaxOnly } mode = Link;
  std::string output; // -o
  bool dryRun = false, show = false, verbose = false, saveTemps = false;
  bool instrument = true, poll = true, pollEntries = false;
  bool deps = false, depsFile = false, depsTarget = false; // -MD/-MMD, -MF, -MT/-MQ
  bool shared = false, cxx = false;
  bool help = false, version = false;
  CommandLine line;
};

// hmcc's own options: never passed on.
bool hmccOnly(const Arg &a) {
  for (const char *s : {"--target=", "-target", "--target", "-###", "-show", "--showme",
                        "-fno-hm", "-fhm", "-fno-hm-poll", "-fhm-poll", "-fhm-poll-entries",
                        "--help"})
    if (a.is(s))
      return true;
  return false;
}

class Driver {
public:
  Driver(const DriverConfig &config, Invocation inv) : config(config), inv(std::move(inv)) {}
  ~Driver() { removeTemporaries(); }

  int run();
  int passThrough();

private:
  const DriverConfig &config;
  Invocation inv;
  std::string tempDir;
  std::vector<std::string> temporaries;
  unsigned counter = 0;

  bool isClang() const {
    return StringRef(llvm::sys::path::filename(config.compiler)).contains("clang");
  }
  std::vector<std::string> ccBase(bool cxx = false) const {
    std::vector<std::string> a{cxx ? config.cxxCompiler : config.compiler};
    if (isClang())
      a.push_back("--target=" + inv.target);
    return a;
  }
  bool linksWithLld() const;
  std::string temp(StringRef stem, StringRef ext);
  // A step running while others do (start, then finish); execute does both.
  struct Running {
    llvm::sys::ProcessInfo process;
    bool started = false;
    int status = 0;
  };
  Running start(const Step &s);
  int finish(Running &r, const Step &s);
  int execute(const Step &s) {
    Running r = start(s);
    return finish(r, s);
  }
  void removeTemporaries();
  // The user's options for |steps|, in order (a warning option only as -Wno-...
  // where the step is not the user's own check), but those |leaveOut| says.
  void addOptions(Step &s, unsigned steps, bool (*leaveOut)(const Arg &) = nullptr) const;
  static void addLanguage(Step &s, const Arg &input) {
    if (!input.language.empty())
      s.argv.insert(s.argv.end(), {"-x", input.language});
  }
  std::string stdinCopy(int &status);
  std::string instrumentSource(const Arg &input, const std::string &out, int &status);
  void addBuildOptions(Step &s) const;
  void addRuntime(Step &ld, int &status) const;
  std::string outputFor(const std::string &input) const;
  int compileOther(const Arg &input, const std::string &out);
  int compileOnly();
  int compileAndLink();
};

std::string Driver::temp(StringRef stem, StringRef ext) {
  if (inv.saveTemps)
    return (stem + ext).str();
  if (tempDir.empty()) {
    llvm::SmallString<256> dir;
    if (llvm::sys::fs::createUniqueDirectory("hmcc", dir))
      return "";
    tempDir = std::string(dir);
  }
  llvm::SmallString<256> path(tempDir);
  llvm::sys::path::append(path, (stem + ext).str());
  temporaries.push_back(std::string(path));
  return std::string(path);
}

void Driver::removeTemporaries() {
  for (const std::string &t : temporaries)
    llvm::sys::fs::remove(t);
  if (!tempDir.empty())
    llvm::sys::fs::remove(tempDir);
}

Driver::Running Driver::start(const Step &s) {
  Running r;
  if (inv.dryRun || inv.show || inv.verbose) {
    std::string line;
    for (const std::string &a : s.argv)
      line += (line.empty() ? "" : " ") + quoteArg(a);
    (inv.show ? llvm::outs() : llvm::errs()) << (inv.show ? "" : " ") << line << "\n";
  }
  if (inv.dryRun || inv.show)
    return r;
  auto program = llvm::sys::findProgramByName(s.argv[0]);
  if (!program) {
    r.status = s.quiet ? 1
               : error("cannot " + s.what + ": '" + s.argv[0] + "' not found" +
                       (s.argv[0] == config.compiler ? " (HMCC_CC names the C compiler)"
                        : s.argv[0] == config.cxxCompiler
                            ? " (HMCC_CXX names the C++ compiler)"
                            : ""));
    return r;
  }
  std::vector<StringRef> args(s.argv.begin(), s.argv.end());
  std::string message;
  bool failed = false;
  const std::optional<StringRef> discard[] = {std::nullopt, std::nullopt, StringRef("")};
  r.process = llvm::sys::ExecuteNoWait(*program, args, std::nullopt,
                                       s.quiet ? llvm::ArrayRef(discard)
                                               : llvm::ArrayRef<std::optional<StringRef>>(),
                                       0, &message, &failed);
  if (failed)
    r.status = s.quiet ? 1
                       : error("cannot " + s.what + ": '" + s.argv[0] + "' " +
                               (message.empty() ? "failed" : message));
  else
    r.started = true;
  return r;
}

int Driver::finish(Running &r, const Step &s) {
  if (!r.started)
    return r.status;
  r.started = false;
  std::string message;
  const llvm::sys::ProcessInfo done = llvm::sys::Wait(r.process, std::nullopt, &message);
  if (done.ReturnCode < 0 && !s.quiet)
    return error("cannot " + s.what + ": '" + s.argv[0] + "' " +
                 (message.empty() ? "failed" : message));
  return done.ReturnCode < 0 ? 1 : done.ReturnCode;
}

void Driver::addOptions(Step &s, unsigned steps, bool (*leaveOut)(const Arg &)) const {
  const bool ownCheck = (steps & (kCheck | kOther)) != 0;
  for (const Arg &a : inv.line.args) {
    if (!a.option || hmccOnly(a) || !(a.option->steps & steps) || (leaveOut && leaveOut(a)))
      continue;
    if ((a.option->steps & kWarn) && !ownCheck)
      continue;
    s.argv.insert(s.argv.end(), a.spelled.begin(), a.spelled.end());
  }
  // The instrumented unit is the user's code rewritten: what the user turned
  // off (an error by default such as -Wno-implicit-int) stays off there.
  if (!ownCheck)
    for (const Arg &a : inv.line.args)
      if (a.is("-W") && StringRef(a.value).startswith("no-"))
        s.argv.push_back(a.spelled[0]);
}

// "-" as an input: standard input, read once into a file that the steps share.
std::string Driver::stdinCopy(int &status) {
  const std::string path = temp(std::to_string(++counter) + "-stdin", ".c");
  if (inv.dryRun || inv.show)
    return path;
  auto in = llvm::MemoryBuffer::getSTDIN();
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (!in || ec) {
    status = error("cannot read standard input into " + path);
    return "";
  }
  out << (*in)->getBuffer();
  return path;
}

// What the unit's preprocessing for another target leaves out: dependency
// files (the user's come from the target's own), what names this target's
// machine or toolchain (-march=native, --sysroot), and -P (no line markers).
static bool leftOutForOtherTargets(const Arg &a) {
  const auto depsValue = [&] {
    return a.value.rfind("-M", 0) == 0 || a.value.find(",-M") != std::string::npos;
  };
  return (a.option->steps & kDeps) || a.is("-m") || a.is("-B") || a.is("-isysroot") ||
         a.is("--sysroot=") || a.is("--sysroot") || a.is("--gcc-toolchain=") ||
         a.is("-Xclang") || a.is("-P") || ((a.is("-Wp,") || a.is("-Xpreprocessor")) && depsValue());
}

// Checks, preprocesses and instruments a C input (|out|: the object it becomes,
// which dependency files name); returns the instrumented unit, or "" with
// |status| set when a step failed.
std::string Driver::instrumentSource(const Arg &input, const std::string &out, int &status) {
  std::string src = input.value;
  if (src == "-" && (src = stdinCopy(status)).empty())
    return "";
  // Numbered, so that a.c and dir/a.c of one command do not share temporaries.
  const std::string name = llvm::sys::path::stem(input.value == "-" ? "stdin" : src).str();
  const std::string stem = inv.saveTemps ? name : std::to_string(++counter) + "-" + name;
  const std::string preprocessed = temp(stem, ".i");
  const std::string rewritten = temp(stem, ".hm.c");
  if (preprocessed.empty()) {
    status = error("cannot create a temporary directory");
    return "";
  }

  // The user's diagnostics, as the underlying compiler gives them on the
  // user's source: the instrumented unit is compiled without warnings.
  Step check{ccBase(), "check " + input.value};
  check.argv.insert(check.argv.end(), {"-fsyntax-only", "-D__HMCC__=1", "-isystem",
                                       config.includeDir});
  addOptions(check, kCheck);
  if (isClang())
    check.argv.push_back("-Qunused-arguments");
  addLanguage(check, input);
  check.argv.push_back(src);
  if ((status = execute(check)))
    return "";

  // Always clang's preprocessor: hm-instrument parses with clang, and headers
  // preprocessed for gcc use gcc-only attributes.
  // For |target|, with the user's preprocessor options but those |leaveOut|
  // says, without warnings (the check gave them).
  const auto preprocessing = [&](const std::string &target, bool (*leaveOut)(const Arg &)) {
    Step s{{"clang-16", "--target=" + target}, "preprocess " + input.value};
    s.argv.insert(s.argv.end(), {"-E", "-D__HMCC__=1", "-isystem", config.includeDir});
    addOptions(s, kPrep, leaveOut);
    s.argv.push_back("-w");
    return s;
  };
  // Line markers stay: diagnostics, names and passes/TargetCode.cpp read them.
  Step pp = preprocessing(inv.target, [](const Arg &a) { return a.is("-P"); });
  if (inv.deps) {
    // Named as the compiler names them: after the output, else the input.
    const bool link = inv.mode == Invocation::Link;
    llvm::SmallString<256> d(link && inv.output.empty() ? name + ".o"
                             : link                     ? inv.output
                                                        : out);
    if (!inv.depsFile) {
      llvm::sys::path::replace_extension(d, ".d");
      pp.argv.insert(pp.argv.end(), {"-MF", std::string(d)});
    }
    if (!inv.depsTarget)
      pp.argv.insert(pp.argv.end(),
                     {"-MT", link && inv.output.empty() ? name + ".o" : link ? inv.output : out});
  }
  addLanguage(pp, input);
  pp.argv.insert(pp.argv.end(), {src, "-o", preprocessed});

  // The unit as every other target's preprocessor gives it, made while the
  // target's own is: a function whose code differs there (a target macro)
  // does not move there (passes/TargetCode.cpp).
  std::vector<std::pair<const char *, Step>> peers;
  for (const char *peer : kTriples) {
    if (peer == inv.target || !llvm::sys::fs::exists(config.libDir + "/" + peer + "/libhmrt.a"))
      continue;
    Step pq = preprocessing(peer, leftOutForOtherTargets);
    pq.quiet = true;
    addLanguage(pq, input);
    pq.argv.insert(pq.argv.end(), {src, "-o", temp(stem, std::string(".") + peer + ".i")});
    peers.emplace_back(peer, std::move(pq));
  }
  Running own = start(pp);
  std::vector<Running> running;
  for (const auto &[peer, pq] : peers)
    running.push_back(start(pq));
  status = finish(own, pp);

  Step in{{config.binDir + "/hm-instrument", preprocessed, "-o", rewritten,
           "--unit-name=" + (input.value == "-" ? std::string("stdin") : src)},
          "instrument " + input.value};
  for (std::size_t i = 0; i < peers.size(); ++i) {
    const auto &[peer, pq] = peers[i];
    const bool failed = finish(running[i], pq) != 0;
    if (failed && !status)
      llvm::errs() << "hmcc: warning: cannot preprocess " << input.value << " for " << peer
                   << " with these options: no frame of its functions will move there\n";
    in.argv.push_back(std::string("--peer=") + peer + "=" + (failed ? "" : pq.argv.back()));
  }
  if (status)
    return "";
  if (!inv.poll)
    in.argv.push_back("--no-poll");
  else if (inv.pollEntries)
    in.argv.push_back("--poll-entries");
  in.argv.insert(in.argv.end(), {"--", "--target=" + inv.target, "-w"});
  addOptions(in, kParse);
  if ((status = execute(in)))
    return "";
  return rewritten;
}

// What compiling instrumented code takes, before its inputs.
void Driver::addBuildOptions(Step &s) const {
  // Floating-point results must not depend on the architecture: no contraction
  // into fused multiply-add unless the user asks for it (a later option wins).
  s.argv.push_back("-ffp-contract=off");
  s.argv.insert(s.argv.end(), {"-isystem", config.includeDir});
}

// The runtime and what it needs, after the program's objects and libraries.
// A shared library takes none: its units register with the runtime of the
// executable that loads it, which exports the runtime's entry points.
void Driver::addRuntime(Step &ld, int &status) const {
  if (inv.shared)
    return;
  const std::string lib = config.libDir + "/" + inv.target;
  auto flags = llvm::MemoryBuffer::getFile(lib + "/link-flags");
  if (!flags) {
    status = error("no runtime for target '" + inv.target + "' in " + lib);
    return;
  }
  ld.argv.insert(ld.argv.end(), {"-Wl,--whole-archive", lib + "/libhmrt.a",
                                 "-Wl,--no-whole-archive",
                                 "-Wl,--export-dynamic-symbol=hm_rt_*"});
  llvm::SmallVector<StringRef, 8> parts;
  (*flags)->getBuffer().split(parts, ' ', -1, false);
  for (StringRef p : parts)
    if (!p.trim().empty())
      ld.argv.push_back(p.trim().str());
  if (linksWithLld())
    ld.argv.push_back("-fuse-ld=lld");
}

// -c and -S without -o: the input's name, in the current directory.
std::string Driver::outputFor(const std::string &input) const {
  if (!inv.output.empty())
    return inv.output;
  llvm::SmallString<256> o(llvm::sys::path::filename(input));
  llvm::sys::path::replace_extension(o, inv.mode == Invocation::Assemble ? ".s" : ".o");
  return std::string(o);
}

// An input hmcc does not instrument, compiled as the compiler would.
int Driver::compileOther(const Arg &input, const std::string &out) {
  Step cc{ccBase(input.cxx || config.cxxDriver), "compile " + input.value};
  // Preprocessed as hmcc's C is (assembly without the preprocessor is not).
  if (input.language != "assembler" &&
      (!input.language.empty() || !StringRef(input.value).endswith(".s")))
    cc.argv.insert(cc.argv.end(), {"-D__HMCC__=1", "-isystem", config.includeDir});
  addOptions(cc, kOther);
  addLanguage(cc, input);
  cc.argv.insert(cc.argv.end(), {input.value, inv.mode == Invocation::Assemble ? "-S" : "-c"});
  if (!out.empty())
    cc.argv.insert(cc.argv.end(), {"-o", out});
  return execute(cc);
}

int Driver::compileOnly() {
  for (const Arg &input : inv.line.args) {
    if (input.option || input.input == InputKind::Object)
      continue; // the compiler ignores linker inputs when it does not link
    int status = 0;
    if (input.input == InputKind::Other) {
      if ((status = compileOther(input, inv.output)))
        return status;
      continue;
    }
    const std::string out = outputFor(input.value);
    const std::string rewritten = instrumentSource(input, out, status);
    if (status)
      return status;
    Step cc{ccBase(), "compile " + input.value};
    addBuildOptions(cc);
    addOptions(cc, kBuild);
    // The runtime checks the stack with unwind tables (armhf has none by
    // default): after the user's options, so that they stay.
    cc.argv.insert(cc.argv.end(), {"-funwind-tables", "-w"});
    if (isClang())
      cc.argv.push_back("-Qunused-arguments");
    cc.argv.insert(cc.argv.end(),
                   {inv.mode == Invocation::Assemble ? "-S" : "-c", rewritten, "-o", out});
    if ((status = execute(cc)))
      return status;
  }
  return 0;
}

// Instruments every C input, compiles the others, then compiles and links in
// one run of the compiler with the user's arguments in their order, as
// `cc a.c b.o -o prog` does: a run of clang per unit and one more for the link
// cost more than the compiling of small programs.
int Driver::compileAndLink() {
  int status = 0;
  std::map<const Arg *, std::string> replaced;
  for (const Arg &input : inv.line.args) {
    if (input.option || input.input == InputKind::Object)
      continue;
    const std::string object = temp(std::to_string(++counter) + "-" +
                                        llvm::sys::path::stem(input.value).str(), ".o");
    if (input.input == InputKind::Other) {
      if ((status = compileOther(input, object)))
        return status;
      replaced[&input] = object;
      continue;
    }
    const std::string rewritten = instrumentSource(input, object, status);
    if (status)
      return status;
    replaced[&input] = rewritten;
  }
  Step ld{ccBase(inv.cxx || config.cxxDriver), "compile and link"};
  addBuildOptions(ld);
  for (const Arg &a : inv.line.args) {
    if (!a.option) {
      auto it = replaced.find(&a);
      if (it == replaced.end())
        ld.argv.push_back(a.value);
      else if (a.input == InputKind::C) // C, also to the C++ driver
        ld.argv.insert(ld.argv.end(), {"-x", "c", it->second, "-x", "none"});
      else
        ld.argv.push_back(it->second);
      continue;
    }
    const bool turnedOff = a.is("-W") && StringRef(a.value).startswith("no-");
    if (hmccOnly(a) || (!(a.option->steps & (kBuild | kLink)) && !turnedOff))
      continue;
    ld.argv.insert(ld.argv.end(), a.spelled.begin(), a.spelled.end());
  }
  ld.argv.insert(ld.argv.end(), {"-funwind-tables", "-w"});
  if (isClang())
    ld.argv.push_back("-Qunused-arguments");
  addRuntime(ld, status);
  if (status)
    return status;
  if (!inv.output.empty())
    ld.argv.insert(ld.argv.end(), {"-o", inv.output});
  return execute(ld);
}

int Driver::run() {
  if (inv.mode == Invocation::Link)
    return compileAndLink();
  return compileOnly();
}

// Nothing to instrument (no inputs, -E, -M, -fsyntax-only, -fno-hm): the
// compiler does it all, with libhmrt's header in reach and __HMCC__ defined.
int Driver::passThrough() {
  bool inputs = false;
  for (const Arg &a : inv.line.args)
    inputs |= !a.option;
  Step s{ccBase(inv.cxx || config.cxxDriver), "run " + config.compiler};
  if (inputs)
    s.argv.insert(s.argv.end(), {"-D__HMCC__=1", "-isystem", config.includeDir});
  for (const Arg &a : inv.line.args)
    if (!a.option || !hmccOnly(a))
      s.argv.insert(s.argv.end(), a.spelled.begin(), a.spelled.end());
  return execute(s);
}

// The runtime brings Boost and libstdc++ in from archives, which lld links in
// about half the time ld.bfd takes (the link was most of hmcc's extra compile
// time). Only when the user chose no linker, clang drives the link and its lld
// is installed beside it; lld 16 has no s390x.
bool Driver::linksWithLld() const {
  if (!isClang() || StringRef(inv.target).startswith("s390x"))
    return false;
  for (const Arg &a : inv.line.args)
    if (a.is("-fuse-ld=") || a.is("--ld-path="))
      return false;
  auto compiler = llvm::sys::findProgramByName(config.compiler);
  llvm::SmallString<256> real;
  if (!compiler || llvm::sys::fs::real_path(*compiler, real))
    return false;
  return static_cast<bool>(
      llvm::sys::findProgramByName("ld.lld", {llvm::sys::path::parent_path(real)}));
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

int runDriver(const DriverConfig &config, const std::vector<std::string> &args) {
  Invocation inv;
  inv.target = config.hostTriple;
  inv.line = parseCommandLine(args, config.cxxDriver);
  if (!inv.line.error.empty())
    return error(inv.line.error);
  std::size_t outputs = 0; // the inputs that -c or -S make a file of
  bool inputs = false;
  for (const Arg &a : inv.line.args) {
    if (!a.option) {
      inputs = true;
      outputs += a.input != InputKind::Object;
      inv.cxx |= a.cxx;
      continue;
    }
    if (a.is("--target=") || a.is("-target") || a.is("--target")) {
      inv.target = normalizeTriple(a.value);
      if (inv.target.empty())
        return error("unsupported target '" + a.value + "'; hmcc supports " +
                     supportedTriples());
    } else if (a.is("-fno-hm")) {
      inv.instrument = false;
    } else if (a.is("-fhm")) {
      inv.instrument = true;
    } else if (a.is("-fno-hm-poll")) {
      inv.poll = false;
    } else if (a.is("-fhm-poll")) {
      inv.poll = true;
    } else if (a.is("-fhm-poll-entries")) {
      inv.poll = inv.pollEntries = true;
    } else if (a.is("-###")) {
      inv.dryRun = true;
    } else if (a.is("-show") || a.is("--showme")) {
      inv.show = true;
    } else if (a.is("-v")) {
      inv.verbose = true;
    } else if (a.is("-save-temps") || a.is("-save-temps=")) {
      inv.saveTemps = true;
    } else if (a.is("-c")) {
      inv.mode = Invocation::Compile;
    } else if (a.is("-S")) {
      inv.mode = Invocation::Assemble;
    } else if (a.is("-E") || a.is("-M") || a.is("-MM")) {
      inv.mode = Invocation::Preprocess;
    } else if (a.is("-fsyntax-only")) {
      inv.mode = Invocation::SyntaxOnly;
    } else if (a.is("-o")) {
      inv.output = a.value;
    } else if (a.is("-MD") || a.is("-MMD")) {
      inv.deps = true;
    } else if (a.is("-MF")) {
      inv.depsFile = true;
    } else if (a.is("-MT") || a.is("-MQ")) {
      inv.depsTarget = true;
    } else if (a.is("-shared")) {
      inv.shared = true;
    } else if (a.is("--help")) {
      inv.help = true;
    } else if (a.is("--version")) {
      inv.version = true;
    }
  }
  if (inv.help) {
    printHelp(config);
    return 0;
  }
  if (inv.version && !inv.dryRun && !inv.show)
    return printVersion(config);
  if ((inv.mode == Invocation::Compile || inv.mode == Invocation::Assemble) &&
      !inv.output.empty() && outputs > 1)
    return error("cannot specify -o with -c or -S and several input files");
  const bool nothingToInstrument = !inputs || !inv.instrument || inv.version ||
                                   inv.mode == Invocation::Preprocess ||
                                   inv.mode == Invocation::SyntaxOnly;
  Driver driver(config, std::move(inv));
  return nothingToInstrument ? driver.passThrough() : driver.run();
}

} // namespace hm
