// Hoister.h — hoists the calls that may migrate out of expressions, in C's evaluation order.
#ifndef HM_PASSES_HOISTER_H
#define HM_PASSES_HOISTER_H

#include "clang/AST/Expr.h"

#include <string>
#include <vector>

namespace hm::callsites {

struct CallSiteState;

struct Temp {
  std::string name;
  clang::QualType type;
  std::string where;
  unsigned def;            // item that assigns it first
  unsigned use = ~0u;      // item that reads it (~0u: the statement itself)
  clang::SourceRange replaced; // the expression it stands for
};

struct Item {
  std::string text;        // plain statements
  bool isSite = false;
  unsigned site = 0;
  std::string call;        // sites: the hoisted call statement
  // sites: where the liveness of its variables is asked (Liveness.h): the
  // call, a loop it polls in or after, a computed goto; null: all are live.
  const clang::Stmt *point = nullptr;
  bool header = false; // a poll point at the header of the loop |point|
};

// Hoists the calls that may migrate out of |exprs|; returns the statements that
// go before them (declarations of the temporaries first). |whole| is the call
// that is the whole statement, if one is: its value is not kept.
std::string hoistAll(CallSiteState &s, std::vector<clang::Expr *> exprs,
                     const clang::Expr *whole);

} // namespace hm::callsites
#endif
