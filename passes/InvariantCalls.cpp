// InvariantCalls.cpp — loops whose call the compiler may make once, before the loop.
#include "InvariantCalls.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"

#include <cstring>

using namespace clang;

namespace hm {
namespace {

using Decls = llvm::DenseSet<const Decl *>;

// C library functions that only read memory and set no errno.
bool libraryOnlyReads(const FunctionDecl *callee) {
  static const char *const names[] = {"strlen", "strnlen", "strcmp",  "strncmp", "memcmp",
                                      "strchr", "strrchr", "memchr",  "abs",     "labs",
                                      "llabs",  "fabs",    "fabsf",   "__builtin_expect"};
  if (callee->getBuiltinID() == 0 || !callee->getIdentifier())
    return false;
  for (const char *name : names)
    if (callee->getName() == name)
      return true;
  return false;
}

// The variable whose storage |e| names (a local struct's member, a local array's
// element), or null.
const VarDecl *storageOf(const Expr *e) {
  for (;;) {
    e = e->IgnoreParenImpCasts();
    if (const auto *m = dyn_cast<MemberExpr>(e); m && !m->isArrow())
      e = m->getBase();
    else if (const auto *a = dyn_cast<ArraySubscriptExpr>(e);
             a && a->getBase()->IgnoreParenImpCasts()->getType()->isArrayType())
      e = a->getBase();
    else
      break;
  }
  const auto *ref = dyn_cast<DeclRefExpr>(e);
  return ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
}

// The locals of a function whose address it takes (`&x`, an array that decays).
void collectAddressed(const Stmt *s, Decls &out) {
  if (!s)
    return;
  const Expr *operand = nullptr;
  if (const auto *u = dyn_cast<UnaryOperator>(s); u && u->getOpcode() == UO_AddrOf)
    operand = u->getSubExpr();
  else if (const auto *c = dyn_cast<ImplicitCastExpr>(s);
           c && c->getCastKind() == CK_ArrayToPointerDecay)
    operand = c->getSubExpr();
  if (operand)
    if (const VarDecl *vd = storageOf(operand))
      out.insert(vd);
  for (const Stmt *child : s->children())
    collectAddressed(child, out);
}

// Whether a walked statement only reads memory: it writes only |addressed|'s
// complement among its function's locals and calls only |readers| (functions of
// the unit assumed to only read) and library functions that only read.
struct ReadsOnly {
  const Decls &readers;
  const Decls &addressed;
  bool loopsMayCall; // false in a function's body: such a loop would poll
  Decls written;     // the locals written
  bool ok = true;
  unsigned loopDepth = 0;

  bool writable(const Expr *target) {
    const VarDecl *vd = storageOf(target);
    if (!vd || !vd->hasLocalStorage() || addressed.count(vd) ||
        vd->getType().isVolatileQualified())
      return false;
    written.insert(vd);
    return true;
  }

  void visit(const Stmt *s) {
    if (!s || !ok)
      return;
    if (isa<AsmStmt>(s) || isa<IndirectGotoStmt>(s))
      return void(ok = false);
    if (const auto *e = dyn_cast<Expr>(s); e && e->getType().isVolatileQualified())
      return void(ok = false);
    if (const auto *c = dyn_cast<CastExpr>(s); c && c->getCastKind() == CK_PointerToIntegral)
      return void(ok = false); // hm_rt_number: a call to the runtime
    if (const auto *b = dyn_cast<BinaryOperator>(s); b && b->isAssignmentOp() &&
                                                     !writable(b->getLHS()))
      return void(ok = false);
    if (const auto *u = dyn_cast<UnaryOperator>(s); u && u->isIncrementDecrementOp() &&
                                                    !writable(u->getSubExpr()))
      return void(ok = false);
    if (isa<VAArgExpr>(s)) // writes through its va_list
      return void(ok = false);
    // A local declared here changes each time its declaration runs; one whose
    // address is taken is memory written.
    if (const auto *ds = dyn_cast<DeclStmt>(s))
      for (const Decl *d : ds->decls())
        if (const auto *vd = dyn_cast<VarDecl>(d); vd && vd->hasLocalStorage()) {
          if (vd->getType()->isVariablyModifiedType() || addressed.count(vd) ||
              vd->hasAttr<CleanupAttr>() || vd->getType().isVolatileQualified())
            return void(ok = false);
          written.insert(vd);
        }
    if (const auto *call = dyn_cast<CallExpr>(s)) {
      const FunctionDecl *callee = call->getDirectCallee();
      const bool fine =
          callee && (libraryOnlyReads(callee) ||
                     (readers.count(callee->getCanonicalDecl()) && (loopsMayCall || !loopDepth)));
      if (!fine)
        return void(ok = false);
    }
    const bool loop = isa<WhileStmt>(s) || isa<DoStmt>(s) || isa<ForStmt>(s);
    loopDepth += loop;
    for (const Stmt *child : s->children())
      visit(child);
    loopDepth -= loop;
  }
};

bool checkFunction(const FunctionDecl *fn, const Decls &readers) {
  Decls addressed;
  collectAddressed(fn->getBody(), addressed);
  ReadsOnly walk{readers, addressed, false};
  walk.visit(fn->getBody());
  return walk.ok;
}

// Whether the loop leaves early somewhere: a call after that point is not made
// on every iteration.
bool leavesEarly(const Stmt *s) {
  if (!s)
    return false;
  if (isa<ReturnStmt>(s) || isa<GotoStmt>(s) || isa<BreakStmt>(s) || isa<ContinueStmt>(s))
    return true;
  for (const Stmt *child : s->children())
    if (leavesEarly(child))
      return true;
  return false;
}

bool mentions(const Stmt *s, const Decls &vars) {
  if (!s)
    return false;
  if (const auto *ref = dyn_cast<DeclRefExpr>(s); ref && vars.count(ref->getDecl()))
    return true;
  for (const Stmt *child : s->children())
    if (mentions(child, vars))
      return true;
  return false;
}

// Whether everything in |s| that takes time calls with arguments the loop does
// not change: no loop, and no call of a function of the unit that may run long
// (InstrumentContext::Callee) with changing arguments. Once the compiler has
// made those calls before the loop, the loop is as quick as a tight one.
bool onlyInvariantWork(const InstrumentContext &ctx, const Stmt *s, const Decls &changed) {
  if (!s)
    return true;
  if (isa<WhileStmt>(s) || isa<DoStmt>(s) || isa<ForStmt>(s))
    return false;
  if (const auto *call = dyn_cast<CallExpr>(s)) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee && !libraryOnlyReads(callee) &&
        ctx.calleeKind(callee) < InstrumentContext::Callee::Bounded)
      for (const Expr *arg : call->arguments())
        if (mentions(arg, changed))
          return false;
  }
  for (const Stmt *child : s->children())
    if (!onlyInvariantWork(ctx, child, changed))
      return false;
  return true;
}

// A call of a function of the unit that only reads, made whenever |s| runs,
// whose arguments the loop does not change.
bool invariantCallIn(const InstrumentContext &ctx, const Stmt *s, const Decls &changed) {
  if (!s)
    return false;
  if (const auto *call = dyn_cast<CallExpr>(s)) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee && !libraryOnlyReads(callee) && onlyReads(ctx, callee)) {
      bool invariant = true;
      for (const Expr *arg : call->arguments())
        invariant = invariant && !mentions(arg, changed);
      if (invariant)
        return true;
    }
  }
  // Only the parts that run every time: a condition, not what it chooses.
  if (const auto *i = dyn_cast<IfStmt>(s))
    return invariantCallIn(ctx, i->getCond(), changed);
  if (const auto *sw = dyn_cast<SwitchStmt>(s))
    return invariantCallIn(ctx, sw->getCond(), changed);
  if (const auto *c = dyn_cast<AbstractConditionalOperator>(s))
    return invariantCallIn(ctx, c->getCond(), changed);
  if (const auto *b = dyn_cast<BinaryOperator>(s); b && b->isLogicalOp())
    return invariantCallIn(ctx, b->getLHS(), changed);
  if (isa<WhileStmt>(s) || isa<DoStmt>(s) || isa<ForStmt>(s))
    return false;
  for (const Stmt *child : s->children())
    if (invariantCallIn(ctx, child, changed))
      return true;
  return false;
}

} // namespace

bool onlyReads(const InstrumentContext &ctx, const FunctionDecl *fn) {
  if (!ctx.readOnlyFunctions) {
    Decls readers;
    for (const FunctionDecl *f : ctx.userFunctions())
      if (!f->isVariadic())
        readers.insert(f->getCanonicalDecl());
    // The largest set closed under the rules: drop what calls outside it until
    // nothing changes (a recursion stays in, as long as it only reads).
    for (bool changed = true; changed;) {
      changed = false;
      for (const FunctionDecl *f : ctx.userFunctions())
        if (readers.count(f->getCanonicalDecl()) && !checkFunction(f, readers)) {
          readers.erase(f->getCanonicalDecl());
          changed = true;
        }
    }
    ctx.readOnlyFunctions = std::move(readers);
  }
  return ctx.readOnlyFunctions->count(fn->getCanonicalDecl()) > 0;
}

bool hasInvariantCall(const InstrumentContext &ctx, const Stmt *loop) {
  if (auto it = ctx.invariantCallLoops.find(loop); it != ctx.invariantCallLoops.end())
    return it->second;
  bool found = false;
  const FunctionDecl *fn = ctx.functionOf(loop);
  const Stmt *body = nullptr, *cond = nullptr, *inc = nullptr;
  if (const auto *w = dyn_cast<WhileStmt>(loop))
    body = w->getBody(), cond = w->getCond();
  else if (const auto *d = dyn_cast<DoStmt>(loop))
    body = d->getBody(), cond = d->getCond();
  else if (const auto *f = dyn_cast<ForStmt>(loop))
    body = f->getBody(), cond = f->getCond(), inc = f->getInc();
  if (fn && body && !leavesEarly(body)) {
    onlyReads(ctx, fn); // finds the functions that only read
    Decls addressed;
    collectAddressed(fn->getBody(), addressed);
    ReadsOnly walk{*ctx.readOnlyFunctions, addressed, true};
    walk.visit(cond);
    walk.visit(inc);
    walk.visit(body);
    const Decls &changed = walk.written;
    found = walk.ok &&
            (invariantCallIn(ctx, cond, changed) || invariantCallIn(ctx, body, changed)) &&
            onlyInvariantWork(ctx, cond, changed) && onlyInvariantWork(ctx, inc, changed) &&
            onlyInvariantWork(ctx, body, changed);
  }
  return ctx.invariantCallLoops[loop] = found;
}

} // namespace hm
