// MayMigrate.cpp — the call graph of the unit and the functions that may migrate.
#include "Passes.h"

#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace hm {

namespace {
// va_list is a record the compiler declares (x86-64's __va_list_tag[1], AArch64's
// __va_list), or a pointer to one where a parameter's array decays.
bool isVaList(QualType t) {
  for (int depth = 0; depth < 8; ++depth) {
    t = t.getCanonicalType();
    if (t->isPointerType())
      t = t->getPointeeType();
    else if (t->isArrayType())
      t = QualType(t->getPointeeOrArrayElementType(), 0);
    else
      break;
  }
  const RecordDecl *rd = t->getAsRecordDecl();
  return rd && rd->isImplicit() && rd->getName().contains("va_list");
}

struct CallCollector : RecursiveASTVisitor<CallCollector> {
  InstrumentContext &ctx;
  std::vector<const CallExpr *> calls;
  bool pollingLoop = false, hasLoop = false;
  explicit CallCollector(InstrumentContext &ctx) : ctx(ctx) {}
  bool VisitCallExpr(CallExpr *call) {
    calls.push_back(call);
    return true;
  }
  bool VisitVarDecl(VarDecl *vd) {
    holdsVaList |= isVaList(vd->getType());
    return true;
  }
  bool VisitAddrLabelExpr(AddrLabelExpr *) { return true; }
  // A computed goto is a threaded interpreter's loop: it polls (CallSites).
  bool VisitIndirectGotoStmt(IndirectGotoStmt *) {
    hasLoop = true;
    pollingLoop |= ctx.poll;
    return true;
  }
  bool holdsVaList = false;
  bool VisitWhileStmt(WhileStmt *s) { return loop(s); }
  bool VisitDoStmt(DoStmt *s) { return loop(s); }
  bool VisitForStmt(ForStmt *s) { return loop(s); }
  bool loop(const Stmt *s) {
    hasLoop = true;
    pollingLoop |= ctx.loopPolls(s) || ctx.pollsAfter(s);
    return true;
  }
};

// A call to a function of the program (or through a pointer): the callee may run
// long, or recurse, so the caller polls on entry, when polling there pays (below).
bool callsProgram(InstrumentContext &ctx, const CallExpr *call) {
  const FunctionDecl *fn = call->getDirectCallee();
  return !fn || (fn->getBuiltinID() == 0 && ctx.isUserCode(fn->getLocation()));
}

using CallGraph =
    std::vector<std::pair<const FunctionDecl *, std::vector<const CallExpr *>>>;
using CallsOf = llvm::DenseMap<const FunctionDecl *, const std::vector<const CallExpr *> *>;

// Whether |fn| may call itself again: through the unit's own functions, or
// through a pointer or a function of the program defined in another unit, which
// may call back.
bool mayRecurse(InstrumentContext &ctx, const CallsOf &callsOf, const FunctionDecl *fn) {
  llvm::DenseSet<const FunctionDecl *> seen;
  std::vector<const FunctionDecl *> work{fn->getCanonicalDecl()};
  while (!work.empty()) {
    const auto it = callsOf.find(work.back());
    work.pop_back();
    for (const CallExpr *call : *it->second) {
      if (!callsProgram(ctx, call))
        continue;
      const FunctionDecl *callee = call->getDirectCallee();
      if (!callee || !callsOf.count(callee->getCanonicalDecl()))
        return true; // unknown code
      callee = callee->getCanonicalDecl();
      if (callee == fn->getCanonicalDecl())
        return true;
      if (seen.insert(callee).second)
        work.push_back(callee);
    }
  }
  return false;
}
// Why |fn|'s frame cannot be captured and re-entered, or "": its variable
// arguments, alloca memory and jmp_bufs are the machine's, not the program's,
// and a noreturn function's callers have no code after the call to return to.
std::string whyPinned(const FunctionDecl *fn, const std::vector<const CallExpr *> &calls,
                      bool holdsVaList) {
  if (fn->isVariadic())
    return "it is variadic: its variable arguments cannot be carried";
  for (const ParmVarDecl *p : fn->parameters())
    holdsVaList |= isVaList(p->getOriginalType());
  if (holdsVaList)
    return "it holds a va_list: its place in the variable arguments cannot be carried";
  if (fn->isNoReturn())
    return "it does not return: its callers cannot be unwound through it";
  for (const CallExpr *call : calls) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (!callee)
      continue;
    // By name: the builtins and the C library's functions alike.
    const llvm::StringRef name = callee->getName();
    if (name == "alloca" || name == "__builtin_alloca" ||
        name == "__builtin_alloca_with_align")
      return "it calls alloca: that memory cannot be re-created";
    // setjmp itself is run again by a restore (CallSites), where C allows it.
    if (name == "__builtin_setjmp" || name == "savectx" || name == "getcontext" ||
        name == "vfork")
      return "it calls " + name.str() + ": what it saves cannot be carried";
  }
  return "";
}
} // namespace

// A function may migrate when it calls migrate_now(), a function of this unit
// that may migrate, or a function of the user's defined elsewhere (which may).
void runMayMigrate(InstrumentContext &ctx) {
  CallGraph graph;
  std::vector<bool> hasLoop, holdsVaList;
  for (const FunctionDecl *fn : ctx.userFunctions()) {
    CallCollector c(ctx);
    c.TraverseStmt(fn->getBody());
    holdsVaList.push_back(c.holdsVaList);
    if (c.pollingLoop)
      ctx.mayMigrate.insert(fn->getCanonicalDecl());
    hasLoop.push_back(c.hasLoop);
    graph.emplace_back(fn, std::move(c.calls));
  }
  // Poll points make a function a migration point of its own. An entry poll
  // makes every call to the function, and every call it makes to the program,
  // a migration point with a test after it, and keeps the compiler from inlining
  // it. By default a function with a loop that calls the program polls on entry
  // when it may recurse (quicksort's tight partition loop), or may be called
  // from outside any loop (a phase main calls once): else the loops around its
  // calls poll for it. In a loop-free one (fib, a tree insert) the tests would
  // cost as much as the body: its recursion is polled when it returns to a
  // loop, unless -fhm-poll-entries polls every function that calls the program.
  CallsOf callsOf;
  for (const auto &[fn, calls] : graph)
    callsOf[fn->getCanonicalDecl()] = &calls;
  for (std::size_t i = 0; ctx.poll && i < graph.size(); ++i) {
    const auto &[fn, calls] = graph[i];
    const bool callsOut = std::any_of(calls.begin(), calls.end(), [&](const CallExpr *call) {
      return callsProgram(ctx, call);
    });
    // main is entered once, before anything could request a migration.
    const bool calledOutsideLoops = !fn->isMain() && !ctx.calledOnlyInLoops(fn);
    if (callsOut && (ctx.pollEntries ||
                     (hasLoop[i] && (mayRecurse(ctx, callsOf, fn) || calledOutsideLoops)))) {
      ctx.entryPoll.insert(fn->getCanonicalDecl());
      ctx.mayMigrate.insert(fn->getCanonicalDecl());
    }
  }
  const auto polled = ctx.mayMigrate;
  auto propagate = [&] {
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto &[fn, calls] : graph) {
        if (ctx.mayMigrate.count(fn->getCanonicalDecl()) || ctx.isPinned(fn))
          continue;
        for (const CallExpr *call : calls)
          if (ctx.isMigratingCall(call)) {
            ctx.mayMigrate.insert(fn->getCanonicalDecl());
            changed = true;
            break;
          }
      }
    }
  };
  propagate();
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto &[fn, calls] : graph)
      if (!ctx.reachesMigrateNow.count(fn->getCanonicalDecl()))
        for (const CallExpr *call : calls) {
          const FunctionDecl *callee = call->getDirectCallee();
          if (callee && (callee->getName() == "migrate_now" ||
                         ctx.reachesMigrateNow.count(callee->getCanonicalDecl()))) {
            ctx.reachesMigrateNow.insert(fn->getCanonicalDecl());
            changed = true;
            break;
          }
        }
  }
  // A frame that cannot be captured is compiled as written: the functions that
  // only it made migrate need no instrumentation either.
  bool pins = false;
  for (std::size_t i = 0; i < graph.size(); ++i)
    if (const auto &[fn, calls] = graph[i]; ctx.mayMigrate.count(fn->getCanonicalDecl()))
      if (std::string why = whyPinned(fn, calls, holdsVaList[i]); !why.empty()) {
        ctx.pin(fn, fn->getLocation(), why);
        pins = true;
      }
  if (pins) {
    ctx.mayMigrate = polled;
    for (const auto &[fn, pin] : ctx.pinned)
      ctx.mayMigrate.erase(fn);
    propagate();
  }
}

} // namespace hm
