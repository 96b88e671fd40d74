// InstrumentContext.cpp — helpers every pass uses: locations, names, types, errors.
#include "InstrumentContext.h"

#include "clang/Lex/Lexer.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace hm {

bool InstrumentContext::isMigratingCall(const CallExpr *call) const {
  const FunctionDecl *callee = call->getDirectCallee();
  if (!callee)
    return true; // through a pointer: it may reach any function of the program
  if (callee->getName() == "migrate_now")
    return true;
  if (mayMigrate.count(callee->getCanonicalDecl()))
    return true;
  // A function of the user's defined in another unit may reach a migration point.
  return !callee->hasBody() && callee->getBuiltinID() == 0 &&
         isUserCode(callee->getLocation());
}

bool InstrumentContext::loopPolls(const Stmt *loop) const {
  if (!poll || !loop)
    return false;
  struct Finder {
    static bool costly(const Stmt *s) {
      if (!s)
        return false;
      if (isa<WhileStmt>(s) || isa<DoStmt>(s) || isa<ForStmt>(s))
        return true;
      if (const auto *call = dyn_cast<CallExpr>(s)) {
        const FunctionDecl *fn = call->getDirectCallee();
        if (!fn || fn->getBuiltinID() == 0)
          return true;
      }
      for (const Stmt *child : s->children())
        if (costly(child))
          return true;
      return false;
    }
  };
  if (const auto *w = dyn_cast<WhileStmt>(loop))
    return Finder::costly(w->getBody()) || Finder::costly(w->getCond());
  if (const auto *d = dyn_cast<DoStmt>(loop))
    return Finder::costly(d->getBody()) || Finder::costly(d->getCond());
  if (const auto *f = dyn_cast<ForStmt>(loop))
    return Finder::costly(f->getBody()) || Finder::costly(f->getCond()) ||
           Finder::costly(f->getInc());
  return false;
}

std::string InstrumentContext::nameOf(const VarDecl *vd) const {
  auto it = renamed.find(vd);
  return it != renamed.end() ? it->second : vd->getNameAsString();
}

bool InstrumentContext::isUserCode(SourceLocation loc) const {
  loc = sm.getExpansionLoc(loc);
  return loc.isValid() && !sm.isInSystemHeader(loc);
}

std::vector<const FunctionDecl *> InstrumentContext::userFunctions() const {
  std::vector<const FunctionDecl *> out;
  for (const Decl *d : ast.getTranslationUnitDecl()->decls())
    if (const auto *fn = dyn_cast<FunctionDecl>(d))
      if (fn->doesThisDeclarationHaveABody() && isUserCode(fn->getLocation()))
        out.push_back(fn);
  return out;
}

std::string InstrumentContext::where(SourceLocation loc) const {
  PresumedLoc p = sm.getPresumedLoc(sm.getExpansionLoc(loc));
  if (p.isInvalid())
    return "?";
  return llvm::sys::path::filename(p.getFilename()).str() + ":" +
         std::to_string(p.getLine());
}

std::string InstrumentContext::sourceName() const {
  SourceLocation start = sm.getLocForStartOfFile(sm.getMainFileID());
  // The first line marker of a preprocessed unit names the source file.
  for (const Decl *d : ast.getTranslationUnitDecl()->decls())
    if (d->getLocation().isValid() && sm.isInMainFile(d->getLocation()) &&
        isUserCode(d->getLocation())) {
      start = d->getLocation();
      break;
    }
  PresumedLoc p = sm.getPresumedLoc(start);
  return p.isValid() ? p.getFilename() : "unknown.c";
}

std::string InstrumentContext::functionKey(const FunctionDecl *fn) const {
  std::string name = fn->getNameAsString();
  if (fn->getStorageClass() == SC_Static || fn->isInlined())
    return llvm::sys::path::filename(sourceName()).str() + ":" + name;
  return name;
}

std::string InstrumentContext::declare(QualType type, const std::string &name) const {
  std::string out;
  llvm::raw_string_ostream os(out);
  PrintingPolicy policy(ast.getLangOpts());
  policy.SuppressTagKeyword = false;
  type.print(os, policy, name);
  return os.str();
}

// Ranges are taken as characters: a token range ends at its last token's
// original length, which cuts a renamed last token (`n + i` whose i became
// i_hm1) and leaves the rest of its new name behind.
static CharSourceRange characters(SourceRange range, const SourceManager &sm,
                                  const LangOptions &lang) {
  return CharSourceRange::getCharRange(
      range.getBegin(), Lexer::getLocForEndOfToken(range.getEnd(), 0, sm, lang));
}

std::string InstrumentContext::text(SourceRange range) const {
  return rw.getRewrittenText(characters(range, sm, ast.getLangOpts()));
}

void InstrumentContext::replace(SourceRange range, const std::string &text) {
  // Text inserted before the range or after it stays where it is.
  Rewriter::RewriteOptions keepInserts;
  keepInserts.IncludeInsertsAtBeginOfRange = false;
  keepInserts.IncludeInsertsAtEndOfRange = false;
  const CharSourceRange chars = characters(range, sm, ast.getLangOpts());
  rw.ReplaceText(range.getBegin(), rw.getRangeSize(chars, keepInserts), text);
}

void InstrumentContext::error(SourceLocation loc, const std::string &message) {
  ++errors;
  DiagnosticsEngine &d = ast.getDiagnostics();
  unsigned id = d.getCustomDiagID(DiagnosticsEngine::Error, "%0");
  d.Report(loc, id) << message;
}

} // namespace hm
