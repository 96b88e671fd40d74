// MayMigrate.cpp — the call graph of the unit and the functions that may migrate.
#include "Passes.h"

#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace hm {

namespace {
struct CallCollector : RecursiveASTVisitor<CallCollector> {
  InstrumentContext &ctx;
  std::vector<const CallExpr *> calls;
  bool pollingLoop = false, hasLoop = false;
  explicit CallCollector(InstrumentContext &ctx) : ctx(ctx) {}
  bool VisitCallExpr(CallExpr *call) {
    calls.push_back(call);
    return true;
  }
  bool VisitWhileStmt(WhileStmt *s) { return loop(s); }
  bool VisitDoStmt(DoStmt *s) { return loop(s); }
  bool VisitForStmt(ForStmt *s) { return loop(s); }
  bool loop(const Stmt *s) {
    hasLoop = true;
    pollingLoop |= ctx.loopPolls(s);
    return true;
  }
};

// A call to a function of the program (or through a pointer): the callee may run
// long, or recurse, so the caller polls on entry, when polling there pays (below).
bool callsProgram(InstrumentContext &ctx, const CallExpr *call) {
  const FunctionDecl *fn = call->getDirectCallee();
  return !fn || (fn->getBuiltinID() == 0 && ctx.isUserCode(fn->getLocation()));
}
} // namespace

// A function may migrate when it calls migrate_now(), a function of this unit
// that may migrate, or a function of the user's defined elsewhere (which may).
void runMayMigrate(InstrumentContext &ctx) {
  std::vector<std::pair<const FunctionDecl *, std::vector<const CallExpr *>>> graph;
  for (const FunctionDecl *fn : ctx.userFunctions()) {
    CallCollector c(ctx);
    c.TraverseStmt(fn->getBody());
    // Poll points make a function a migration point of its own. An entry poll
    // makes every call to the function, and every call it makes to the program,
    // a migration point with a test after it: in a loop-free function (fib, a
    // tree insert) those tests cost as much as the body, so by default only
    // functions with a loop poll on entry (a recursion of loop-free functions is
    // polled when it returns to a loop; -fhm-poll-entries polls it on the way).
    bool entry = false;
    if (ctx.poll && (c.hasLoop || ctx.pollEntries))
      for (const CallExpr *call : c.calls)
        entry |= callsProgram(ctx, call);
    if (entry)
      ctx.entryPoll.insert(fn->getCanonicalDecl());
    if (entry || c.pollingLoop)
      ctx.mayMigrate.insert(fn->getCanonicalDecl());
    graph.emplace_back(fn, std::move(c.calls));
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto &[fn, calls] : graph) {
      if (ctx.mayMigrate.count(fn->getCanonicalDecl()))
        continue;
      for (const CallExpr *call : calls)
        if (ctx.isMigratingCall(call)) {
          ctx.mayMigrate.insert(fn->getCanonicalDecl());
          changed = true;
          break;
        }
    }
  }
}

} // namespace hm
