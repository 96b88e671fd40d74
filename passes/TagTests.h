// TagTests.h — reading a program's tests of a tag: case values and constants.
//
// union-tags and downcasts both read `switch (x.tag) { case K: ... }`: each
// statement under a group of case labels, with the values that reach it (a
// fall-through from the group before is not counted).
#ifndef HM_PASSES_TAGTESTS_H
#define HM_PASSES_TAGTESTS_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"

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

// Calls |visit|(statement, value) for each statement of a switch's body and
// each case value that reaches it.
template <class Visit>
void forEachCase(const clang::CompoundStmt *body, clang::ASTContext &ast, Visit visit) {
  std::set<long long> values;
  for (const clang::Stmt *child : body->body()) {
    const clang::Stmt *s = child;
    if (clang::isa<clang::SwitchCase>(s))
      values.clear();
    while (const auto *c = clang::dyn_cast<clang::SwitchCase>(s)) {
      if (const auto *cs = clang::dyn_cast<clang::CaseStmt>(c))
        if (std::optional<long long> v = constantOf(cs->getLHS(), ast))
          values.insert(*v);
      s = c->getSubStmt();
    }
    for (long long v : values)
      visit(s, v);
  }
}

} // namespace hm
#endif
