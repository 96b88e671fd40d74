// LoopFacts.cpp — what a counting loop guarantees about its induction variable.
#include "LoopFacts.h"

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"

using namespace clang;

namespace hm::callsites {

namespace {

const VarDecl *referencedVar(const Expr *e) {
  const auto *ref = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
  return ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
}

// The constant an increment adds to |iv| (`i++`, `i -= 2`), if it is one.
std::optional<llvm::APSInt> stepOf(const ASTContext &ast, const Expr *inc,
                                   const VarDecl *iv) {
  if (!inc)
    return std::nullopt;
  inc = inc->IgnoreParens();
  if (const auto *u = dyn_cast<UnaryOperator>(inc); u && u->isIncrementDecrementOp() &&
                                                    referencedVar(u->getSubExpr()) == iv)
    return llvm::APSInt(llvm::APInt(64, u->isIncrementOp() ? 1 : -1, true), false);
  if (const auto *c = dyn_cast<CompoundAssignOperator>(inc);
      c && referencedVar(c->getLHS()) == iv &&
      (c->getOpcode() == BO_AddAssign || c->getOpcode() == BO_SubAssign))
    if (std::optional<llvm::APSInt> v = constant(ast, c->getRHS());
        v && v->isStrictlyPositive())
      return c->getOpcode() == BO_AddAssign ? *v : -*v;
  return std::nullopt;
}

// Whether a jump from outside |s| can land in it (a label, or a case of a
// switch around it, as in Duff's device): i need not hold its range there.
bool enterable(const Stmt *s, bool inSwitch) {
  if (!s)
    return false;
  if (isa<LabelStmt>(s) || (isa<SwitchCase>(s) && !inSwitch))
    return true;
  if (const auto *sw = dyn_cast<SwitchStmt>(s))
    return enterable(sw->getCond(), inSwitch) || enterable(sw->getBody(), true);
  for (const Stmt *child : s->children())
    if (enterable(child, inSwitch))
      return true;
  return false;
}

// Whether |s| may change |iv| (an assignment, ++ or -- of it).
bool assigns(const Stmt *s, const VarDecl *iv) {
  if (!s)
    return false;
  if (const auto *bo = dyn_cast<BinaryOperator>(s);
      bo && bo->isAssignmentOp() && referencedVar(bo->getLHS()) == iv)
    return true;
  if (const auto *u = dyn_cast<UnaryOperator>(s);
      u && u->isIncrementDecrementOp() && referencedVar(u->getSubExpr()) == iv)
    return true;
  for (const Stmt *child : s->children())
    if (assigns(child, iv))
      return true;
  return false;
}

} // namespace

std::optional<llvm::APSInt> constant(const ASTContext &ast, const Expr *e) {
  Expr::EvalResult r;
  if (!e || e->isValueDependent() || !e->IgnoreParenImpCasts()->EvaluateAsInt(r, ast))
    return std::nullopt;
  llvm::APSInt v = r.Val.getInt();
  if (v.getSignificantBits() > 63)
    return std::nullopt;
  return v.extend(64);
}

std::string inductionRange(const InstrumentContext &ctx, const ForStmt *f) {
  const auto [iv, start] = loopStart(f);
  if (!iv || !start || !iv->getType()->isIntegerType() || ctx.addressable.count(iv))
    return "";
  std::optional<llvm::APSInt> from = constant(ctx.ast, start);
  std::optional<llvm::APSInt> step = stepOf(ctx.ast, f->getInc(), iv);
  if (!from || !step || *step == 0 || assigns(f->getBody(), iv) ||
      assigns(f->getCond(), iv) || enterable(f->getBody(), false))
    return "";
  const bool up = step->isStrictlyPositive();
  const bool isSigned = iv->getType()->isSignedIntegerType();
  const std::string type = isSigned ? "long long" : "unsigned long long";
  const std::string name = ctx.nameOf(iv);
  auto literal = [&](const llvm::APSInt &v) {
    return isSigned ? std::to_string(v.getExtValue()) + "LL"
                    : std::to_string(v.getZExtValue()) + "ULL";
  };
  auto fact = [&](const char *op, const llvm::APSInt &v) {
    return "__builtin_assume((" + type + ")" + name + " " + op + " " + literal(v) + "); ";
  };
  std::string facts = fact(up ? ">=" : "<=", *from);
  // The bound, for steps of one: the header sees i == B before it leaves.
  const auto *cond = dyn_cast_or_null<BinaryOperator>(f->getCond());
  if (!cond || referencedVar(cond->getLHS()) != iv || (*step != 1 && *step != -1))
    return facts;
  std::optional<llvm::APSInt> bound = constant(ctx.ast, cond->getRHS());
  if (!bound)
    return facts;
  // |bound| has at most 63 significant bits: B + 1 cannot overflow; B - 1 can
  // only below an unsigned 0.
  const BinaryOperatorKind op = cond->getOpcode();
  const llvm::APSInt one(llvm::APInt(64, 1), bound->isUnsigned());
  if (up && (op == BO_LT || op == BO_NE))
    return facts + fact("<=", *bound);
  if (up && op == BO_LE)
    return facts + fact("<=", *bound + one);
  if (!up && (op == BO_GT || op == BO_NE))
    return facts + fact(">=", *bound);
  if (!up && op == BO_GE && !(bound->isUnsigned() && bound->isZero()))
    return facts + fact(">=", *bound - one);
  return facts;
}

} // namespace hm::callsites
