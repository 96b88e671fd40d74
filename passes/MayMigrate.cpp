// MayMigrate.cpp — the call graph of the unit and the functions that may migrate.
#include "Passes.h"

#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace hm {

namespace {
struct CallCollector : RecursiveASTVisitor<CallCollector> {
  std::vector<const CallExpr *> calls;
  bool VisitCallExpr(CallExpr *call) {
    calls.push_back(call);
    return true;
  }
};
} // namespace

// A function may migrate when it calls migrate_now(), a function of this unit
// that may migrate, or a function of the user's defined elsewhere (which may).
void runMayMigrate(InstrumentContext &ctx) {
  std::vector<std::pair<const FunctionDecl *, std::vector<const CallExpr *>>> graph;
  for (const FunctionDecl *fn : ctx.userFunctions()) {
    CallCollector c;
    c.TraverseStmt(fn->getBody());
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
