// FreedLocals.cpp — a local that free() was given forgets its value.
//
// After `free(p)` the value of p is indeterminate: a program may not read it
// until it sets p again. A capture would still carry it, and once another block
// takes the address (at once, for a block of the same size class), the dead p
// would say what that block holds: an `unsigned char **` left from a freed
// array made a byte buffer that reused its address an array of pointers, whose
// bytes the receiver then converted as addresses. So in the functions a capture
// can see, `free(p);` of a local p becomes `(free(p), p = 0);`: nothing the
// program may observe, and a capture finds a null pointer.
#include "Passes.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace hm {

namespace {

// The local variable a call `free(v)` gives back, when the call is a statement
// of its own (its value used nowhere), else null.
const VarDecl *freedLocal(InstrumentContext &ctx, const CallExpr *call) {
  const FunctionDecl *callee = call->getDirectCallee();
  if (!callee || !callee->getIdentifier() || callee->getName() != "free" ||
      call->getNumArgs() != 1 || ctx.isUserCode(callee->getCanonicalDecl()->getLocation()))
    return nullptr; // not the C library's free
  const auto *ref = dyn_cast<DeclRefExpr>(call->getArg(0)->IgnoreParenImpCasts());
  const auto *vd = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  if (!vd || !vd->hasLocalStorage() || !vd->getType()->isPointerType() ||
      vd->getType().isVolatileQualified() || vd->getType().isConstQualified())
    return nullptr;
  const auto parents = ctx.ast.getParents(*call);
  if (parents.size() != 1 || !parents[0].get<Stmt>() || isa<Expr>(parents[0].get<Stmt>()))
    return nullptr;
  if (call->getBeginLoc().isMacroID() || call->getEndLoc().isMacroID())
    return nullptr;
  return vd;
}

struct Frees : RecursiveASTVisitor<Frees> {
  InstrumentContext &ctx;
  explicit Frees(InstrumentContext &ctx) : ctx(ctx) {}
  bool VisitCallExpr(CallExpr *call) {
    if (const VarDecl *vd = freedLocal(ctx, call)) {
      ctx.rw->InsertTextBefore(call->getBeginLoc(), "(");
      ctx.rw->InsertTextAfterToken(call->getEndLoc(), ", " + ctx.nameOf(vd) + " = 0)");
    }
    return true;
  }
};

} // namespace

void runFreedLocals(InstrumentContext &ctx) {
  for (const FunctionDecl *fn : ctx.userFunctions())
    if (ctx.mayMigrate.count(fn->getCanonicalDecl())) {
      Frees frees(ctx);
      frees.TraverseStmt(fn->getBody());
    }
}

} // namespace hm
