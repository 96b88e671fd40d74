// Addresses.cpp — what the program's pointers may point to, besides the heap:
// addressable locals, string literals and functions whose address is taken.
#include "Passes.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace hm {

namespace {

// The variable an lvalue expression designates part of: a, a.f, a[i], (a).
const VarDecl *baseVariable(const Expr *e) {
  while (true) {
    e = e->IgnoreParens();
    if (const auto *m = dyn_cast<MemberExpr>(e)) {
      if (m->isArrow())
        return nullptr;
      e = m->getBase();
    } else if (const auto *a = dyn_cast<ArraySubscriptExpr>(e)) {
      // p[i] of a pointer p designates what p points to, not p.
      if (!a->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
        return nullptr;
      e = a->getBase()->IgnoreImpCasts();
    } else if (const auto *r = dyn_cast<DeclRefExpr>(e)) {
      return dyn_cast<VarDecl>(r->getDecl());
    } else {
      return nullptr;
    }
  }
}

struct Finder : RecursiveASTVisitor<Finder> {
  InstrumentContext &ctx;
  std::string file;
  explicit Finder(InstrumentContext &ctx)
      : ctx(ctx), file(llvm::sys::path::filename(ctx.sourceName()).str()) {}

  void markAddressable(const Expr *e) {
    if (const VarDecl *vd = baseVariable(e))
      if (vd->hasLocalStorage())
        ctx.addressable.insert(vd);
  }

  bool VisitVarDecl(VarDecl *vd) {
    if (vd->hasLocalStorage() && vd->getType()->isArrayType())
      ctx.addressable.insert(vd);
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *u) {
    if (u->getOpcode() != UO_AddrOf)
      return true;
    markAddressable(u->getSubExpr());
    // &f takes a function's address as f alone does (no decay to see there).
    if (const auto *ref = dyn_cast<DeclRefExpr>(u->getSubExpr()->IgnoreParens()))
      if (const auto *fn = dyn_cast<FunctionDecl>(ref->getDecl()))
        function(fn);
    return true;
  }
  bool VisitImplicitCastExpr(ImplicitCastExpr *c) {
    if (c->getCastKind() == CK_ArrayToPointerDecay) {
      markAddressable(c->getSubExpr());
      if (const auto *lit = dyn_cast<StringLiteral>(c->getSubExpr()->IgnoreParens()))
        literal(lit);
    }
    if (c->getCastKind() == CK_FunctionToPointerDecay)
      if (const auto *ref = dyn_cast<DeclRefExpr>(c->getSubExpr()->IgnoreParens()))
        if (const auto *fn = dyn_cast<FunctionDecl>(ref->getDecl()))
          if (!isCallee(c))
            function(fn);
    return true;
  }

  bool isCallee(const ImplicitCastExpr *c) {
    for (const DynTypedNode &p : ctx.ast.getParents(*c))
      if (const auto *call = p.get<CallExpr>())
        return call->getCallee() == c;
    return false;
  }

  void function(const FunctionDecl *fn) {
    ctx.functions.emplace(ctx.functionKey(fn), fn->getNameAsString());
  }

  void literal(const StringLiteral *lit) {
    if (!lit->isOrdinary() && !lit->isUTF8())
      return;
    if (!ctx.isUserCode(lit->getBeginLoc()) || lit->getBeginLoc().isMacroID())
      return;
    const std::string n = std::to_string(ctx.literals.size());
    Literal l{"hm_lit_" + n, file + "#lit" + n, ctx.text(lit->getSourceRange())};
    ctx.rw->ReplaceText(lit->getSourceRange(), "((char *)" + l.name + ")");
    ctx.literals.push_back(std::move(l));
  }
};

} // namespace

void runAddresses(InstrumentContext &ctx) {
  Finder f(ctx);
  ctx.traverseUserDecls(f);
}

} // namespace hm
