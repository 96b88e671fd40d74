// RestoreLinks.h — the restore chain's links that run code again: setjmps and variably modified declarations.
#ifndef HM_PASSES_RESTORELINKS_H
#define HM_PASSES_RESTORELINKS_H

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace hm::callsites {

struct CallSiteState;

// A declaration of a variably modified type (`double a[n]`, `double (*p)[m]`,
// `typedef int row[n]`): C forbids a jump into its scope, so a restore runs it
// again, at hm_pre_N, and is sent on after it. Its array sizes are kept in
// variables (hm_nK, size_t) as they were when it ran, for the program may have
// changed what they were computed from since.
struct VariablyModified {
  clang::DeclStmt *ds;
  unsigned lastSiteBefore; // the sites after it are in its scope
  std::vector<std::pair<clang::Expr *, std::string>> sizes;
};

// A setjmp the sites after it in its block ran under: its jmp_buf holds this
// machine's registers, so a restore runs it again, at hm_pre_N, to re-arm it
// for the new frame, and longjmps to it when it had returned from a longjmp
// (hm_sjN keeps what it returned), before it goes on to the site.
struct Setjmp {
  clang::Stmt *statement;
  const clang::CallExpr *call;
  unsigned lastSiteBefore;
  std::string result; // hm_sjN
  std::vector<const clang::VarDecl *> inScope; // of its loop depth, where it runs
};

bool isSetjmp(const clang::CallExpr *call);
// Every call of setjmp in |body|.
void findSetjmps(clang::Stmt *body, std::set<const clang::CallExpr *> &found);

// The setjmp of `if (setjmp(b))`, `if (!setjmp(b))`, `if (setjmp(b) == K)`,
// `switch (setjmp(b))` or `setjmp(b);` (the forms C allows; also `int r =
// setjmp(b);`), when its jmp_buf
// is named without side effects and nothing in the condition may migrate.
const clang::CallExpr *armingSetjmp(const CallSiteState &s, const clang::Stmt *st);
// Notes |arming|, the setjmp of statement |child| of |cs|, as a link of the
// innermost scope.
void noteSetjmp(CallSiteState &s, clang::CompoundStmt *cs, clang::Stmt *child,
                const clang::CallExpr *arming);

bool declaresVariablyModified(const clang::DeclStmt *ds);
// The array sizes a declaration computes: those written in its declarators (a
// typedef's were computed where the typedef is).
std::vector<clang::Expr *> sizeExpressions(const clang::DeclStmt *ds);
// Notes |ds|, a declaration of a variably modified type, as a link of the
// innermost scope.
void noteVariablyModified(CallSiteState &s, clang::DeclStmt *ds);

// `T *p = f(sizeof *p);`: the call is hoisted before p is declared, so where
// the initialiser names p only for its type, it names a null T * instead.
void nameItselfUnevaluated(CallSiteState &s, const clang::VarDecl *vd, const clang::Stmt *st,
                           bool unevaluated);

// Makes the links of the innermost scope, as it closes.
void linkReruns(CallSiteState &s);

} // namespace hm::callsites
#endif
