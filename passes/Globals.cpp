// Globals.cpp — the variables of static storage duration that the image carries.
#include "Passes.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/Support/Path.h"

#include <set>

using namespace clang;

namespace hm {

namespace {

// Thread-local variables are not carried yet (one thread migrates).
bool carried(const VarDecl *vd) { return vd->getTLSKind() == VarDecl::TLS_None; }

struct StaticLocals : RecursiveASTVisitor<StaticLocals> {
  std::vector<const VarDecl *> found;
  bool VisitVarDecl(VarDecl *vd) {
    if (vd->isStaticLocal())
      found.push_back(vd);
    return true;
  }
};

} // namespace

void runGlobals(InstrumentContext &ctx) {
  const std::string file = llvm::sys::path::filename(ctx.sourceName()).str();
  std::set<std::string> keys;
  auto add = [&](const VarDecl *vd, std::string key) {
    for (unsigned n = 2; !keys.insert(key).second; ++n)
      key += "#" + std::to_string(n);
    ctx.globals.push_back({key, ctx.nameOf(vd), vd->getType(),
                           ctx.where(vd->getLocation()),
                           vd->getType().isConstQualified(),
                           vd->getTypeSourceInfo() ? vd->getTypeSourceInfo()->getTypeLoc()
                                                   : TypeLoc()});
  };
  std::set<const VarDecl *> seen;
  for (const Decl *d : ctx.ast.getTranslationUnitDecl()->decls()) {
    const auto *vd = dyn_cast<VarDecl>(d);
    if (!vd || !ctx.isUserCode(vd->getLocation()) || !carried(vd))
      continue;
    const VarDecl *def = vd->getDefinition();
    if (!def)
      def = vd->getActingDefinition();
    if (!def || !seen.insert(def->getCanonicalDecl()).second)
      continue;
    // The definition's type: an earlier `extern int a[];` has an incomplete one.
    std::string name = def->getNameAsString();
    add(def, def->getFormalLinkage() == InternalLinkage ? file + ":" + name : name);
  }
  for (const FunctionDecl *fn : ctx.userFunctions()) {
    StaticLocals s;
    s.TraverseStmt(fn->getBody());
    for (const VarDecl *vd : s.found)
      if (carried(vd) && !ctx.uncarried.count(vd))
        add(vd, file + ":" + fn->getNameAsString() + "." + vd->getNameAsString());
  }
}

} // namespace hm
