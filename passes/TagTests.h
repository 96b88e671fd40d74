// TagTests.h — reading a program's tests of a tag: case values and constants.
//
// union-tags and downcasts both read `switch (x.tag) { case K: ... }`: each
// statement under a group of case labels, with the values that reach it (a
// fall-through from the group before is not counted).
#ifndef HM_PASSES_TAGTESTS_H
#define HM_PASSES_TAGTESTS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/Type.h"

#include <optional>
#include <set>

namespace hm {

// The value of an integer constant expression, when it fits in 64 bits.
inline std::optional<long long> constantOf(const clang::Expr *e, clang::ASTContext &ast) {
  clang::Expr::EvalResult r;
  if (!e || e->isValueDependent() || !e->EvaluateAsInt(r, ast))
    return std::nullopt;
  const llvm::APSInt &v = r.Val.getInt();
  if (v.getSignificantBits() > 64)
    return std::nullopt;
  return v.getExtValue();
}

// The enumerators of |cond|'s enum type that no case label of |body| names:
// the values of the enum that reach its `default:`.
inline std::set<long long> enumeratorsByDefault(const clang::CompoundStmt *body,
                                                const clang::Expr *cond,
                                                clang::ASTContext &ast) {
  std::set<long long> out;
  const auto *et = cond ? cond->IgnoreParenImpCasts()->getType()->getAs<clang::EnumType>()
                        : nullptr;
  if (!et || !et->getDecl()->getDefinition())
    return out;
  for (const clang::EnumConstantDecl *e : et->getDecl()->getDefinition()->enumerators())
    if (e->getInitVal().getSignificantBits() <= 64)
      out.insert(e->getInitVal().getExtValue());
  for (const clang::Stmt *child : body->body())
    for (const clang::Stmt *s = child; const auto *c = clang::dyn_cast<clang::SwitchCase>(s);
         s = c->getSubStmt())
      if (const auto *cs = clang::dyn_cast<clang::CaseStmt>(c)) {
        const std::optional<long long> v = constantOf(cs->getLHS(), ast);
        if (!v)
          return {}; // a label whose value is not known: what reaches default is not
        // GNU's `case A ... B`: every value from A to B.
        const std::optional<long long> last = cs->caseStmtIsGNURange()
                                                  ? constantOf(cs->getRHS(), ast)
                                                  : v;
        if (!last)
          return {};
        if (*v <= *last) // `case 5 ... 3:` names none
          out.erase(out.lower_bound(*v), out.upper_bound(*last));
      }
  return out;
}

// Calls |visit|(statement, value) for each statement of a switch's body and
// each case value that reaches it; with the switch's condition, `default:`
// is reached by the enumerators of its enum type that no case names (an AST
// walker's `default: return n->u.s` for the one kind left).
template <class Visit>
void forEachCase(const clang::CompoundStmt *body, clang::ASTContext &ast, Visit visit,
                 const clang::Expr *cond = nullptr) {
  const std::set<long long> byDefault = enumeratorsByDefault(body, cond, ast);
  std::set<long long> values;
  for (const clang::Stmt *child : body->body()) {
    const clang::Stmt *s = child;
    if (clang::isa<clang::SwitchCase>(s))
      values.clear();
    while (const auto *c = clang::dyn_cast<clang::SwitchCase>(s)) {
      if (const auto *cs = clang::dyn_cast<clang::CaseStmt>(c)) {
        if (std::optional<long long> v = constantOf(cs->getLHS(), ast))
          values.insert(*v);
      } else {
        values.insert(byDefault.begin(), byDefault.end());
      }
      s = c->getSubStmt();
    }
    for (long long v : values)
      visit(s, v);
  }
}

} // namespace hm
#endif
