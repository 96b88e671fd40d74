// AddressNumbers.cpp — an address the program turns into a number keeps that number after a migration.
//
// Programs hash pointers: Lua places a table key that is a table or a function
// by `(unsigned)(size_t)p % size`, a pointer-keyed hash set by `(uintptr_t)p >> 4`.
// The numbers live on in their data (where a node sits), and after a restore
// the objects are at other addresses: every lookup would miss. Such a cast
// becomes `(T)hm_rt_number(p)`, which is the address itself in a process that
// never restored, and for an object a restore brought the number its address
// had where the object was made. Where the number goes back into a pointer it
// is an address, and stays one: an integer-to-pointer cast of it in the same
// expression (`(T *)((uintptr_t)p & ~3)`), an integer variable such a cast
// reads, or pointer arithmetic with it unmixed (`base + ((char *)p - ...)`).
#include "Passes.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"

#include <set>

using namespace clang;

namespace hm {

namespace {

// The variables an integer-to-pointer cast reads: integers that hold addresses.
class AddressVariables : public RecursiveASTVisitor<AddressVariables> {
public:
  std::set<const VarDecl *> vars;

  bool VisitCastExpr(CastExpr *c) {
    if (c->getCastKind() == CK_IntegralToPointer)
      collect(c->getSubExpr());
    return true;
  }

private:
  void collect(const Stmt *s) {
    if (!s)
      return;
    if (const auto *r = dyn_cast<DeclRefExpr>(s))
      if (const auto *vd = dyn_cast<VarDecl>(r->getDecl()))
        vars.insert(vd);
    for (const Stmt *child : s->children())
      collect(child);
  }
};

class Casts : public RecursiveASTVisitor<Casts> {
public:
  Casts(InstrumentContext &ctx, const std::set<const VarDecl *> &addressVars)
      : ctx(ctx), addressVars(addressVars) {}

  // A static local's initialiser must stay a constant (`(long)&g` is one).
  bool TraverseVarDecl(VarDecl *vd) {
    return vd->isStaticLocal() ? true : RecursiveASTVisitor::TraverseVarDecl(vd);
  }

  bool VisitCastExpr(CastExpr *c) {
    if (c->getCastKind() != CK_PointerToIntegral || c->isValueDependent())
      return true;
    const Expr *operand = c->getSubExpr();
    Expr::EvalResult constant;
    if (c->EvaluateAsInt(constant, ctx.ast))
      return true; // (size_t)&((T *)0)->field, (uintptr_t)NULL: numbers already
    if (operand->getBeginLoc().isMacroID() || operand->getEndLoc().isMacroID() ||
        staysAnAddress(c))
      return true;
    if (endsWithCall(operand, operand->getEndLoc())) {
      // call-sites may move the call and leave a temporary: wrap that after it.
      ctx.numberWraps.push_back(operand);
      return true;
    }
    // The closing parenthesis goes into the operand's last token, so that it
    // moves with the operand when call-sites copies an argument into a
    // temporary (an insert after it would stay behind as well).
    ctx.rw->InsertTextBefore(operand->getBeginLoc(), "hm_rt_number(");
    ctx.appendToToken(operand->getEndLoc(), ")");
    return true;
  }

private:
  InstrumentContext &ctx;
  const std::set<const VarDecl *> &addressVars;

  // Whether a call inside |e| ends where |e| does (`f(x)`, `*f(x)`).
  static bool endsWithCall(const Stmt *e, SourceLocation end) {
    if (const auto *c = dyn_cast<CallExpr>(e); c && c->getEndLoc() == end)
      return true;
    for (const Stmt *child : e->children())
      if (child && endsWithCall(child, end))
        return true;
    return false;
  }

  // Whether the cast's value flows, through arithmetic, back into an address.
  bool staysAnAddress(const Expr *cast) {
    bool mixed = false; // through an operation that hashes, not offsets
    const Stmt *at = cast;
    for (int depth = 0; depth < 32; ++depth) {
      const DynTypedNodeList parents = ctx.ast.getParents(*at);
      if (parents.empty())
        return false;
      if (const auto *vd = parents[0].get<VarDecl>())
        return addressVars.count(vd) != 0;
      const auto *p = parents[0].get<Stmt>();
      if (!p)
        return false;
      if (const auto *c = dyn_cast<CastExpr>(p)) {
        if (c->getCastKind() == CK_IntegralToPointer)
          return true;
        if (!c->getType()->isIntegerType())
          return false;
      } else if (const auto *b = dyn_cast<BinaryOperator>(p)) {
        if (b->isAssignmentOp()) {
          const auto *lhs = dyn_cast<DeclRefExpr>(b->getLHS()->IgnoreParenImpCasts());
          const auto *vd = lhs ? dyn_cast<VarDecl>(lhs->getDecl()) : nullptr;
          return vd && addressVars.count(vd) != 0;
        }
        if ((b->getOpcode() == BO_Add || b->getOpcode() == BO_Sub) &&
            b->getType()->isPointerType())
          return !mixed; // an offset from a pointer
        switch (b->getOpcode()) {
        case BO_Add:
        case BO_Sub:
          break;
        case BO_Mul:
        case BO_Div:
        case BO_Rem:
        case BO_Shl:
        case BO_Shr:
        case BO_And:
        case BO_Or:
        case BO_Xor:
          mixed = true;
          break;
        default:
          return false; // a comparison, a truth value: neither
        }
      } else if (const auto *u = dyn_cast<UnaryOperator>(p)) {
        if (u->getOpcode() != UO_Minus && u->getOpcode() != UO_Not &&
            u->getOpcode() != UO_Plus)
          return false;
      } else if (const auto *a = dyn_cast<ArraySubscriptExpr>(p)) {
        return a->getIdx() == at ? !mixed : false;
      } else if (!isa<ParenExpr>(p)) {
        return false;
      }
      at = p;
    }
    return false;
  }
};

} // namespace

void runAddressNumbers(InstrumentContext &ctx) {
  for (const FunctionDecl *fn : ctx.userFunctions()) {
    AddressVariables vars;
    vars.TraverseStmt(fn->getBody());
    Casts casts(ctx, vars.vars);
    casts.TraverseStmt(fn->getBody());
  }
}

// Where call-sites moved a call that a cast's operand ends with, the wrap goes
// around what it left in its place.
void runAddressNumberWraps(InstrumentContext &ctx) {
  for (const Expr *operand : ctx.numberWraps) {
    if (ctx.movedNumberWraps.count(operand))
      continue; // call-sites took the number of the temporary it made
    ctx.rw->InsertTextBefore(operand->getBeginLoc(), "hm_rt_number(");
    ctx.rw->InsertTextAfterToken(operand->getEndLoc(), ")");
  }
}

} // namespace hm
