// hm-instrument — rewrites a preprocessed C unit so that it can migrate.
//
//   hm-instrument foo.i -o foo.hm.c -- --target=aarch64-linux-gnu [cc options]
#include "Passes.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;
using namespace llvm;

static cl::OptionCategory category("hm-instrument options");
static cl::opt<std::string> outputPath("o", cl::desc("output file (default: stdout)"),
                                       cl::value_desc("file"), cl::cat(category));
static cl::opt<bool> noPoll("no-poll", cl::desc("place no automatic poll points"),
                            cl::cat(category));
static cl::opt<bool> pollEntries(
    "poll-entries",
    cl::desc("also poll at the entry of loop-free functions that call the program"),
    cl::cat(category));
static cl::opt<std::string> unitName(
    "unit-name", cl::desc("the unit's source file as the user named it (default: the "
                          "first line marker of a preprocessed unit)"),
    cl::cat(category));
static cl::list<std::string> peers(
    "peer",
    cl::desc("the unit preprocessed for another target, as TRIPLE=FILE (TRIPLE= when the "
             "preprocessor failed there): functions whose code differs do not move there"),
    cl::value_desc("triple=file"), cl::cat(category));
static cl::opt<bool> listPasses("list-passes", cl::desc("print the passes and exit"),
                                cl::cat(category));

namespace {

class InstrumentConsumer : public ASTConsumer {
public:
  explicit InstrumentConsumer(CompilerInstance &ci) : ci(ci) {}

  void HandleTranslationUnit(ASTContext &ast) override {
    if (ci.getDiagnostics().hasErrorOccurred())
      return;
    Rewriter rw(ast.getSourceManager(), ast.getLangOpts());
    hm::InstrumentContext ctx(ast, rw);
    ctx.poll = !noPoll;
    ctx.pollEntries = pollEntries;
    ctx.unitName = unitName;
    for (const std::string &p : peers) {
      auto [triple, path] = StringRef(p).split('=');
      ctx.peers.emplace_back(triple.str(), path.str());
    }
    if (!hm::runPasses(ctx))
      return;
    std::error_code ec;
    raw_fd_ostream out(outputPath.empty() ? std::string("-") : outputPath.getValue(), ec,
                       sys::fs::OF_Text);
    if (ec) {
      errs() << "hm-instrument: cannot write '" << outputPath << "': "
             << ec.message() << "\n";
      failed = true;
      return;
    }
    out << ctx.prelude;
    rw.getEditBuffer(ast.getSourceManager().getMainFileID()).write(out);
    out << ctx.epilogue;
  }
  static bool failed;

private:
  CompilerInstance &ci;
};
bool InstrumentConsumer::failed = false;

class InstrumentAction : public ASTFrontendAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &ci,
                                                 StringRef) override {
    return std::make_unique<InstrumentConsumer>(ci);
  }
};

} // namespace

int main(int argc, const char **argv) {
  for (int i = 1; i < argc; ++i)
    if (StringRef(argv[i]) == "--list-passes" || StringRef(argv[i]) == "-list-passes") {
      for (const hm::PassInfo &p : hm::allPasses())
        outs() << p.name << "\t" << p.description << "\n";
      return 0;
    }
  auto parser = tooling::CommonOptionsParser::create(argc, argv, category,
                                                     cl::ZeroOrMore,
                                                     "rewrites C so that it can migrate");
  if (!parser) {
    errs() << "hm-instrument: " << toString(parser.takeError()) << "\n";
    return 1;
  }
  if (parser->getSourcePathList().size() != 1) {
    errs() << "hm-instrument: give exactly one input file\n";
    return 1;
  }
  tooling::ClangTool tool(parser->getCompilations(), parser->getSourcePathList());
  // Clang's tooling takes only source files, so the preprocessed unit is read as
  // C: it has no macros or includes left, and its line markers are honoured.
  tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
      {"-x", "c"}, tooling::ArgumentInsertPosition::BEGIN));
  int status = tool.run(tooling::newFrontendActionFactory<InstrumentAction>().get());
  return status != 0 || InstrumentConsumer::failed ? 1 : 0;
}
