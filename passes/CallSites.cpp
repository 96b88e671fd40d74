// CallSites.cpp — calls that may migrate become call sites with capture and restore.
//
// Each such call is hoisted out of its statement, in C's evaluation order, into
// statements of its own before it:
//     if (0) { hm_restore_K: <load the frame's variables>; }
//     hm_rK = f(args);
//     if (hm_rt_mode == HM_MODE_CAPTURE) { <save them>; return; }
// and the statement then uses hm_rK. Arguments with side effects are evaluated
// once, before the restore label (the callee restores its own parameters).
// &&, || and ?: become if statements that keep their conditional evaluation; a
// comma's left operand becomes a statement. A loop with sites in it gets a
// preheader before it, where a restore loads the variables declared outside it,
// and a header at the top of its body, through which the restore goes on to the
// site; loop conditions move below the header, for increments with calls to the
// body's end, with `continue` sent to the increment by a label.
// The temporaries of a statement are declared first, so that every restore
// label sees them all.
#include "Passes.h"

#include "clang/AST/Expr.h"
#include "clang/Basic/Builtins.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"
#include "clang/Lex/Lexer.h"

#include <algorithm>
#include <optional>
#include <utility>

using namespace clang;

namespace hm {

namespace {

bool isUnevaluated(const Stmt *s) {
  return isa<UnaryExprOrTypeTraitExpr>(s) || isa<GenericSelectionExpr>(s);
}

bool containsMigratingCall(InstrumentContext &ctx, const Stmt *s) {
  if (!s || isUnevaluated(s))
    return false;
  if (const auto *call = dyn_cast<CallExpr>(s); call && ctx.isMigratingCall(call))
    return true;
  for (const Stmt *child : s->children())
    if (containsMigratingCall(ctx, child))
      return true;
  return false;
}

// An argument that can be evaluated again without effect: a name or a constant.
bool isSimpleArgument(const Expr *e) {
  e = e->IgnoreParenImpCasts();
  return isa<DeclRefExpr>(e) || isa<IntegerLiteral>(e) || isa<FloatingLiteral>(e) ||
         isa<CharacterLiteral>(e) || isa<StringLiteral>(e);
}

struct Temp {
  std::string name;
  QualType type;
  std::string where;
  unsigned def;            // item that assigns it first
  unsigned use = ~0u;      // item that reads it (~0u: the statement itself)
  SourceRange replaced;    // the expression it stands for
};

struct Item {
  std::string text;        // plain statements
  bool isSite = false;
  unsigned site = 0;
  std::string call;        // sites: the hoisted call statement
};

// `continue` statements of one loop (not of loops nested in it).
struct Continues : RecursiveASTVisitor<Continues> {
  std::vector<ContinueStmt *> found;
  bool TraverseWhileStmt(WhileStmt *) { return true; }
  bool TraverseDoStmt(DoStmt *) { return true; }
  bool TraverseForStmt(ForStmt *) { return true; }
  bool VisitContinueStmt(ContinueStmt *c) {
    found.push_back(c);
    return true;
  }
};

class SiteRewriter {
public:
  SiteRewriter(InstrumentContext &ctx, FunctionFrame &frame)
      : ctx(ctx), frame(frame) {}

  void function(const FunctionDecl *fn) {
    openScope();
    // main's parameters too: a program may have moved argv and argc on
    // (argv++, --argc) before the point; argv's strings travel in the image.
    for (const ParmVarDecl *p : fn->parameters())
      if (!p->getName().empty())
        scopes.back().vars.push_back(p);
    if (ctx.entryPoll.count(fn->getCanonicalDecl()))
      frame.entryPoll = pollSite();
    SetjmpFinder(unplacedSetjmps).TraverseStmt(fn->getBody());
    statement(fn->getBody());
    scopes.pop_back();
    if (!unplacedSetjmps.empty())
      refuse((*unplacedSetjmps.begin())->getBeginLoc(),
             "it calls setjmp where a restore could not run it again (C allows it in an "
             "if or a switch condition, or as a statement of its own)");
  }

private:
  InstrumentContext &ctx;
  FunctionFrame &frame;
  // A declaration of a variably modified type (`double a[n]`, `double (*p)[m]`,
  // `typedef int row[n]`): C forbids a jump into its scope, so a restore runs it
  // again, at hm_pre_N, and is sent on after it. Its array sizes are kept in
  // variables (hm_nK, size_t) as they were when it ran, for the program may have
  // changed what they were computed from since.
  struct VariablyModified {
    DeclStmt *ds;
    unsigned lastSiteBefore; // the sites after it are in its scope
    std::vector<std::pair<Expr *, std::string>> sizes;
  };
  // A setjmp the sites after it in its block ran under: its jmp_buf holds this
  // machine's registers, so a restore runs it again, at hm_pre_N, to re-arm it
  // for the new frame, and longjmps to it when it had returned from a longjmp
  // (hm_sjN keeps what it returned), before it goes on to the site.
  struct Setjmp {
    Stmt *statement;
    const CallExpr *call;
    unsigned lastSiteBefore;
    std::string result; // hm_sjN
    std::vector<const VarDecl *> inScope; // of its loop depth, where it runs
  };
  // Variables in scope, by block; |depth| counts the loops around the block.
  struct Scope {
    std::vector<const VarDecl *> vars;
    unsigned depth;
    std::vector<std::pair<std::string, QualType>> kept; // hm_nK, hm_sjN: restored on the way
    std::vector<VariablyModified> declarations;
    std::vector<Setjmp> setjmps;
    // Both, in source order: (is a setjmp, index into its list).
    std::vector<std::pair<bool, std::size_t>> reruns;
  };
  unsigned sizeNames = 0;
  std::set<const CallExpr *> unplacedSetjmps; // setjmps not (yet) in a form run again
  std::vector<Scope> scopes;
  // The loops around the statement being rewritten, outermost first; a loop
  // that declares a variable whose address is taken leaves the loads of its
  // outer pointer variables to its sites (see leaveLoop()).
  std::vector<bool> loopHoldsAddressable;
  unsigned labels = 0;
  unsigned lastHeader = 0; // the number of the loop whose header was made last
  // Per statement being rewritten:
  std::vector<Item> items;
  std::vector<Temp> temps;
  const Expr *wholeExpr = nullptr;
  bool wholeInParens = false; // `(f(x));`: the parentheses stay, around a no-op

  void unsupported(const Stmt *s, const std::string &where) {
    refuse(s->getBeginLoc(), "it has a call that may migrate in " + where);
  }
  // The function cannot be instrumented: it is compiled as written (pinned).
  void refuse(SourceLocation loc, const std::string &why) {
    if (refusal.second.empty())
      refusal = {loc, why};
  }

public:
  std::pair<SourceLocation, std::string> refusal; // the first reason, if any

private:

  bool has(const Stmt *s) { return containsMigratingCall(ctx, s); }

  void statement(Stmt *s) {
    if (!s)
      return;
    if (auto *cs = dyn_cast<CompoundStmt>(s)) {
      openScope();
      for (Stmt *child : cs->body()) {
        const unsigned before = frame.nsites;
        const CallExpr *arming = armingSetjmp(child);
        if (arming) {
          unplacedSetjmps.erase(arming);
          const std::string result = "hm_sj" + std::to_string(++sizeNames);
          scopes.back().kept.push_back({result, ctx.ast.IntTy});
          // A pointer may point to a local declared after the setjmp, bound only
          // on the way on: such pointers are loaded at the sites instead.
          bool laterAddressable = false;
          for (auto rest = std::find(cs->body_begin(), cs->body_end(), child);
               rest != cs->body_end(); ++rest)
            laterAddressable |= declaresAddressable(*rest);
          std::vector<const VarDecl *> inScope;
          for (const Scope &scope : scopes)
            if (scope.depth == loopHoldsAddressable.size())
              for (const VarDecl *vd : scope.vars)
                if (!(laterAddressable && loadedAtSites(vd)))
                  inScope.push_back(vd);
          scopes.back().reruns.push_back({true, scopes.back().setjmps.size()});
          scopes.back().setjmps.push_back({child, arming, before, result, std::move(inScope)});
        }
        statement(child);
      }
      // Last first: each sends the restore on to the next one in.
      for (auto r = scopes.back().reruns.rbegin(); r != scopes.back().reruns.rend(); ++r)
        if (r->first)
          rearmOnRestore(scopes.back().setjmps[r->second]);
        else
          rerunOnRestore(scopes.back().declarations[r->second]);
      scopes.pop_back();
    } else if (auto *ds = dyn_cast<DeclStmt>(s)) {
      declaration(ds, ds);
    } else if (auto *e = dyn_cast<Expr>(s)) {
      if (has(e))
        wrap(s, hoistAll({e}, e->IgnoreParens()), false);
    } else if (auto *r = dyn_cast<ReturnStmt>(s)) {
      if (has(r->getRetValue())) {
        const Expr *whole = r->getRetValue()->getType()->isVoidType()
                                ? r->getRetValue()->IgnoreParens()
                                : nullptr;
        wrap(s, hoistAll({r->getRetValue()}, whole), false);
      }
    } else if (auto *i = dyn_cast<IfStmt>(s)) {
      // Inner statements first: what wraps this one must enclose what they add
      // at the same places.
      statement(i->getThen());
      statement(i->getElse());
      if (has(i->getCond()))
        wrap(s, hoistAll({i->getCond()}, nullptr), false);
    } else if (auto *sw = dyn_cast<SwitchStmt>(s)) {
      statement(sw->getBody());
      if (has(sw->getCond()))
        wrap(s, hoistAll({sw->getCond()}, nullptr), false);
    } else if (auto *w = dyn_cast<WhileStmt>(s)) {
      whileLoop(w);
    } else if (auto *d = dyn_cast<DoStmt>(s)) {
      doLoop(d);
    } else if (auto *f = dyn_cast<ForStmt>(s)) {
      forLoop(f);
    } else if (auto *l = dyn_cast<LabelStmt>(s)) {
      statement(l->getSubStmt());
    } else if (auto *c = dyn_cast<SwitchCase>(s)) {
      statement(c->getSubStmt());
    } else if (auto *a = dyn_cast<AttributedStmt>(s)) {
      statement(a->getSubStmt());
    } else if (auto *g = dyn_cast<IndirectGotoStmt>(s)) {
      indirectGoto(g);
    } else if (has(s)) {
      unsupported(s, "this kind of statement");
    }
  }

  // `goto *p` is the back edge of a threaded interpreter's dispatch (Lua's
  // vmdispatch jumps from one instruction's code to the next, never back to its
  // loop's header): it polls as a loop's header does, with a patched no-op. The
  // labels' addresses stay in the program's constant tables; a label address in
  // a variable points into code, and the capture refuses it.
  void indirectGoto(IndirectGotoStmt *g) {
    if (has(g->getTarget()))
      return unsupported(g, "a computed goto whose target calls what may migrate");
    if (!ctx.poll)
      return;
    const std::string target = "hm_gpoll_" + std::to_string(++labels);
    const std::string test =
        inVariablyModifiedScope()
            ? "if (__builtin_expect(hm_rt_mode & (HM_MODE_RESTORE | HM_MODE_PENDING), 0)) goto " +
                  target + ";"
            : "HM_POLL(" + target + ");";
    ctx.rw->InsertTextBefore(g->getBeginLoc(),
                             "{ " + test + " if (0) { " + target + ": ; " + pollSite() + "} ");
    closeAfter(g, " }");
  }

  // Loops rewrite their bodies first: the texts they add around a body must
  // enclose what the body's own statements add at the same places.
  //
  // A loop with call sites or a poll point in it gets a preheader before it and
  // a header at the top of its body; its condition moves below the header. A
  // restore enters the loop like the program does, through its preheader (which
  // loads the variables declared outside the loop) and its header (which sends
  // it on to the site, or to the next loop's preheader): the loop keeps one
  // entry, so it stays a natural loop, and no variable the loop carries from one
  // iteration to the next is loaded inside it, so its induction variables and
  // reductions stay what the optimiser recognises (a load inside the loop would
  // make `i` an unknown value at every iteration: no strength reduction, no
  // vectorising). The header also polls: it runs where the back edge arrives,
  // once per iteration.

  void openScope() {
    scopes.push_back({{}, static_cast<unsigned>(loopHoldsAddressable.size())});
  }

  void enterLoop(const Stmt *loop) {
    loopHoldsAddressable.push_back(declaresAddressable(loop));
  }

  bool declaresAddressable(const Stmt *s) const {
    if (!s)
      return false;
    if (const auto *ds = dyn_cast<DeclStmt>(s))
      for (const Decl *d : ds->decls())
        if (const auto *vd = dyn_cast<VarDecl>(d); vd && ctx.addressable.count(vd))
          return true;
    for (const Stmt *child : s->children())
      if (declaresAddressable(child))
        return true;
    return false;
  }

  // `while (C) B` -> `{ <preheader> while (1) { <header> <C's calls> if (!(C')) { break; } B } }`
  void whileLoop(WhileStmt *w) {
    const unsigned first = frame.nsites;
    enterLoop(w);
    statement(w->getBody());
    std::string pre = has(w->getCond()) ? hoistAll({w->getCond()}, nullptr) : "";
    const std::string head = header(first, ctx.loopPolls(w));
    if (head.empty()) {
      leaveLoop();
      return;
    }
    std::string cond = ctx.text(w->getCond()->getSourceRange());
    ctx.replace(SourceRange(w->getBeginLoc(), w->getRParenLoc()),
                       "while (1) { " + head + pre + "if (!(" + cond + ")) { break; } ");
    closeAfter(w->getBody(), " }");
    ctx.rw->InsertTextBefore(w->getBeginLoc(), "{ " + leaveLoop());
    closeAfter(w, " }");
  }

  // `do B while (C);` ->
  // `{ <preheader> do { <header> B hm_next_N: ; <C's calls> if (!(C')) { break; } } while (1); }`
  void doLoop(DoStmt *d) {
    const unsigned first = frame.nsites;
    enterLoop(d);
    statement(d->getBody());
    std::string tail;
    if (has(d->getCond())) {
      const std::string label = "hm_next_" + std::to_string(++labels);
      redirectContinues(d->getBody(), label);
      std::string pre = hoistAll({d->getCond()}, nullptr);
      std::string cond = ctx.text(d->getCond()->getSourceRange());
      tail = " " + label + ": __attribute__((unused)); " + pre + "if (!(" + cond + ")) { break; }";
      ctx.replace(SourceRange(d->getWhileLoc(), d->getRParenLoc()), "while (1)");
    }
    const std::string head = header(first, ctx.loopPolls(d));
    if (head.empty()) {
      leaveLoop();
      return;
    }
    ctx.rw->InsertTextBefore(d->getBody()->getBeginLoc(), "{ " + head);
    closeAfter(d->getBody(), tail + " }");
    ctx.rw->InsertTextBefore(d->getBeginLoc(), "{ " + leaveLoop());
    closeAfter(d, " }");
  }

  // `for (I; C; N) B` -> `{ <I's calls> I; <preheader> for (; ; N) { <header>
  // <C's calls> if (!(C')) { break; } B } }`: the initialisation moves before the
  // preheader, for a restore must not run it again. Calls in the increment move
  // to the body's end, where `continue` is sent by a label.
  void forLoop(ForStmt *f) {
    std::string initCalls;
    if (Stmt *i = f->getInit()) {
      if (auto *ds = dyn_cast<DeclStmt>(i)) {
        initCalls = declaration(ds, f); // opens the loop's scope
      } else {
        if (has(i))
          initCalls = hoistAll({cast<Expr>(i)}, nullptr);
        openScope();
      }
    } else {
      openScope();
    }
    const unsigned first = frame.nsites;
    enterLoop(f);
    statement(f->getBody());
    std::string cond, tail;
    if (has(f->getCond()))
      cond = hoistAll({f->getCond()}, nullptr);
    if (has(f->getInc())) {
      const std::string label = "hm_next_" + std::to_string(++labels);
      redirectContinues(f->getBody(), label);
      tail = " " + label + ": __attribute__((unused)); " +
             hoistAll({f->getInc()}, f->getInc()->IgnoreParens());
      tail += ctx.text(f->getInc()->getSourceRange()) + ";";
      ctx.replace(f->getInc()->getSourceRange(), "");
    }
    // In the loop's scope: the header's poll point sees the loop's variables.
    const std::string head = header(first, ctx.loopPolls(f));
    if (head.empty()) {
      leaveLoop();
      scopes.pop_back();
      if (!initCalls.empty())
        wrap(f, initCalls, false);
      return;
    }
    if (f->getCond()) {
      cond += "if (!(" + ctx.text(f->getCond()->getSourceRange()) + ")) { break; } ";
      ctx.replace(f->getCond()->getSourceRange(), "");
    }
    ctx.rw->InsertTextBefore(f->getBody()->getBeginLoc(), "{ " + head + cond);
    closeAfter(f->getBody(), tail + " }");
    std::string init;
    if (Stmt *i = f->getInit()) {
      // A declaration's range ends at its semicolon, an expression's before it.
      init = ctx.text(i->getSourceRange());
      const bool hasSemi = !init.empty() && init.back() == ';';
      ctx.replace(i->getSourceRange(), hasSemi ? ";" : "");
      init += hasSemi ? " " : "; ";
    }
    ctx.rw->InsertTextBefore(f->getBeginLoc(),
                            "{ " + initCalls + init + leaveLoop(inductionRange(f)));
    closeAfter(f, " }");
    scopes.pop_back();
  }

  // What a counting loop `for (i = A; i < B; i++)` (A, B constants, i changed
  // only by the increment) guarantees about i at any of its sites, told to the
  // compiler where a restore loads it: a loaded value is otherwise unknown, so
  // i could be negative, and `i % 13` or `a[i]` would need signed arithmetic
  // and sign extensions every iteration. "" when the loop is not such a loop.
  std::string inductionRange(const ForStmt *f) const {
    const auto [iv, start] = loopStart(f);
    if (!iv || !start || !iv->getType()->isIntegerType() || ctx.addressable.count(iv))
      return "";
    std::optional<llvm::APSInt> from = constant(start);
    std::optional<llvm::APSInt> step = stepOf(f->getInc(), iv);
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
    std::optional<llvm::APSInt> bound = constant(cond->getRHS());
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

  static const VarDecl *referencedVar(const Expr *e) {
    const auto *ref = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
    return ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  }

  std::optional<llvm::APSInt> constant(const Expr *e) const {
    Expr::EvalResult r;
    if (!e || e->isValueDependent() || !e->IgnoreParenImpCasts()->EvaluateAsInt(r, ctx.ast))
      return std::nullopt;
    llvm::APSInt v = r.Val.getInt();
    if (v.getSignificantBits() > 63)
      return std::nullopt;
    return v.extend(64);
  }

  // The constant an increment adds to |iv| (`i++`, `i -= 2`), if it is one.
  std::optional<llvm::APSInt> stepOf(const Expr *inc, const VarDecl *iv) const {
    if (!inc)
      return std::nullopt;
    inc = inc->IgnoreParens();
    if (const auto *u = dyn_cast<UnaryOperator>(inc); u && u->isIncrementDecrementOp() &&
                                                      referencedVar(u->getSubExpr()) == iv)
      return llvm::APSInt(llvm::APInt(64, u->isIncrementOp() ? 1 : -1, true), false);
    if (const auto *c = dyn_cast<CompoundAssignOperator>(inc);
        c && referencedVar(c->getLHS()) == iv &&
        (c->getOpcode() == BO_AddAssign || c->getOpcode() == BO_SubAssign))
      if (std::optional<llvm::APSInt> v = constant(c->getRHS());
          v && v->isStrictlyPositive())
        return c->getOpcode() == BO_AddAssign ? *v : -*v;
    return std::nullopt;
  }

  // Whether a jump from outside |s| can land in it (a label, or a case of a
  // switch around it, as in Duff's device): i need not hold its range there.
  static bool enterable(const Stmt *s, bool inSwitch) {
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
  static bool assigns(const Stmt *s, const VarDecl *iv) {
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

  // A loop's header, for the sites numbered after |first| (in its body and its
  // condition) and a poll point when |poll|: "" when it needs none. A restore
  // of a site in the loop goes to its preheader (hm_pre_N) from outside; main
  // resumes after a checkpoint at its header (hm_loop_N), its own variables
  // still in place.
  std::string header(unsigned first, bool poll) {
    const std::string poller = poll ? pollSite() : "";
    if (frame.nsites == first)
      return "";
    const unsigned loop = lastHeader = ++labels;
    const std::string cases = routeThrough(first, loop);
    for (unsigned k = first + 1; k <= frame.nsites; ++k)
      frame.siteLoop[k] = loop;
    // Only main's ways back jump to a header, and only to an outermost one.
    const std::string label =
        frame.isMain ? "hm_loop_" + std::to_string(loop) + ": __attribute__((unused)); " : "";
    const std::string dispatch =
        "if (hm_rt_mode & HM_MODE_RESTORE) switch (hm_site) { " + cases + "} ";
    if (!poll)
      return label + "if (__builtin_expect(hm_rt_mode & HM_MODE_RESTORE, 0)) { " +
             dispatch + "} ";
    // The poll point is a patched no-op (HM_POLL): the runtime makes it a jump
    // while a request is pending and while a restore runs, which the dispatch needs.
    // In the scope of a variably modified declaration it tests the mode word
    // instead: clang checks every asm goto against every asm goto's labels, and
    // one outside the scope would be taken to jump into it.
    const std::string target = "hm_poll_" + std::to_string(loop);
    const std::string test =
        inVariablyModifiedScope()
            ? "if (__builtin_expect(hm_rt_mode & (HM_MODE_RESTORE | HM_MODE_PENDING), 0)) goto " +
                  target + ";"
            : "HM_POLL(" + target + ");";
    return label + test + " if (0) { " + target + ": ; " + dispatch + poller + "} ";
  }

  // Leaves the loop whose header was made last; returns its preheader, which
  // restores the variables declared at the loop's own depth (outer ones came in
  // at outer preheaders, inner ones come in at inner preheaders or the site).
  // Variables whose address is taken are bound first, so that the pointers
  // loaded next can be mapped to them. A pointer declared out here may point to
  // a variable declared inside the loop, bound only further in; so when the
  // loop declares such a variable, its sites load the pointers instead.
  std::string leaveLoop(const std::string &facts = "") {
    const bool holdsAddressable = loopHoldsAddressable.back();
    loopHoldsAddressable.pop_back();
    const unsigned depth = static_cast<unsigned>(loopHoldsAddressable.size());
    std::vector<Live> here;
    for (const Scope &scope : scopes)
      if (scope.depth == depth)
        for (const VarDecl *vd : scope.vars)
          if (!(holdsAddressable && loadedAtSites(vd)))
            here.push_back(liveVar(vd));
    return "if (0) { hm_pre_" + std::to_string(lastHeader) + ": ; " + restoreText(here) +
           facts + "} ";
  }

  // A poll point: when a migration was requested from outside, a call site of
  // hm_rt_poll() with the variables in scope here. It shares its test with the
  // restore dispatch of the function's entry (Frames.cpp) or of a loop's header.
  std::string pollSite() {
    items.clear();
    temps.clear();
    Item item;
    item.isSite = true;
    item.site = ++frame.nsites;
    item.call = "hm_rt_poll();";
    items.push_back(item);
    return siteText(0);
  }

  void redirectContinues(Stmt *body, const std::string &label) {
    Continues c;
    c.TraverseStmt(body);
    for (ContinueStmt *s : c.found)
      ctx.rw->ReplaceText(s->getContinueLoc(), 8, "goto " + label);
  }

  // Inserts |text| after statement |s|, past its semicolon if it has one.
  void closeAfter(Stmt *s, const std::string &text) {
    SourceLocation afterSemi = Lexer::findLocationAfterToken(
        s->getEndLoc(), tok::semi, ctx.sm, ctx.ast.getLangOpts(), false);
    if (afterSemi.isValid())
      ctx.rw->InsertTextAfter(afterSemi, text);
    else
      ctx.rw->InsertTextAfterToken(s->getEndLoc(), text);
  }

  // A declaration statement: its initialisers are call sites in the scope before
  // the declared names. In a compound statement the hoisted text goes right
  // before it; a for loop's declaration opens the loop's scope and returns the
  // text, for the loop to place.
  std::string declaration(DeclStmt *ds, Stmt *anchor) {
    std::vector<Expr *> inits;
    unsigned nvars = 0;
    for (Decl *d : ds->decls())
      if (auto *vd = dyn_cast<VarDecl>(d); vd && vd->hasLocalStorage()) {
        ++nvars;
        if (has(vd->getInit())) {
          inits.push_back(vd->getInit());
          nameItselfUnevaluated(vd, vd->getInit(), false);
        }
      }
    // An array length is computed before the initialiser: `double a[f(n)]`.
    std::vector<Expr *> lengths;
    for (Expr *size : sizeExpressions(ds))
      if (has(size))
        lengths.push_back(size);
    std::string text;
    if (!lengths.empty() && (nvars > 1 || anchor != ds)) {
      refuse(ds->getBeginLoc(), "it has a call that may migrate in an array length of a "
                                "declaration of several variables");
    } else if (!inits.empty() && nvars > 1) {
      if (anchor == ds && splittable(ds))
        return splitDeclaration(ds);
      refuse(ds->getBeginLoc(),
             "it has a call that may migrate in a declaration of several variables");
    } else if (!inits.empty() || !lengths.empty()) {
      lengths.insert(lengths.end(), inits.begin(), inits.end());
      text = hoistAll(lengths, nullptr);
    }
    if (anchor != ds)
      openScope();
    for (Decl *d : ds->decls())
      if (auto *vd = dyn_cast<VarDecl>(d); vd && vd->hasLocalStorage())
        scopes.back().vars.push_back(vd);
    if (anchor == ds && !text.empty())
      wrap(ds, text, true);
    if (declaresVariablyModified(ds)) {
      if (anchor != ds) {
        refuse(ds->getBeginLoc(), "it declares a variably modified type in a for loop's "
                                  "initialisation, with a call that may migrate in its scope");
      } else {
        VariablyModified vm{ds, frame.nsites, {}};
        for (Expr *size : sizeExpressions(ds)) {
          vm.sizes.push_back({size, "hm_n" + std::to_string(++sizeNames)});
          scopes.back().kept.push_back({vm.sizes.back().second, ctx.ast.getSizeType()});
        }
        scopes.back().reruns.push_back({false, scopes.back().declarations.size()});
        scopes.back().declarations.push_back(std::move(vm));
      }
    }
    return text;
  }

  static bool isSetjmp(const CallExpr *call) {
    const FunctionDecl *callee = call ? call->getDirectCallee() : nullptr;
    if (!callee)
      return false;
    const llvm::StringRef name = callee->getName();
    return name == "setjmp" || name == "_setjmp" || name == "sigsetjmp" ||
           name == "__sigsetjmp";
  }

  struct SetjmpFinder : RecursiveASTVisitor<SetjmpFinder> {
    std::set<const CallExpr *> &found;
    explicit SetjmpFinder(std::set<const CallExpr *> &found) : found(found) {}
    bool VisitCallExpr(CallExpr *c) {
      if (isSetjmp(c))
        found.insert(c);
      return true;
    }
  };

  // The setjmp of `if (setjmp(b))`, `if (!setjmp(b))`, `if (setjmp(b) == K)`,
  // `switch (setjmp(b))` or `setjmp(b);` (the forms C allows; also `int r =
  // setjmp(b);`), when its jmp_buf
  // is named without side effects and nothing in the condition may migrate.
  const CallExpr *armingSetjmp(const Stmt *s) const {
    const Expr *cond = nullptr;
    if (const auto *i = dyn_cast<IfStmt>(s); i && !i->getInit() && !i->getConditionVariable())
      cond = i->getCond();
    else if (const auto *sw = dyn_cast<SwitchStmt>(s); sw && !sw->getInit() &&
                                                       !sw->getConditionVariable())
      cond = sw->getCond();
    else if (const auto *e = dyn_cast<Expr>(s))
      cond = e;
    else if (const auto *ds = dyn_cast<DeclStmt>(s); ds && ds->isSingleDecl())
      if (const auto *vd = dyn_cast<VarDecl>(ds->getSingleDecl());
          vd && vd->hasLocalStorage() && vd->getInit() && !vd->getType()->isVariablyModifiedType())
        cond = vd->getInit(); // `int r = setjmp(b);`, which C does not allow but compilers do
    if (!cond)
      return nullptr;
    const Expr *e = cond->IgnoreParenCasts();
    if (const auto *u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_LNot)
      e = u->getSubExpr()->IgnoreParenCasts();
    if (const auto *b = dyn_cast<BinaryOperator>(e);
        b && (b->getOpcode() == BO_EQ || b->getOpcode() == BO_NE)) {
      const Expr *l = b->getLHS()->IgnoreParenCasts(), *r = b->getRHS()->IgnoreParenCasts();
      e = isa<CallExpr>(l) && constant(r) ? l : isa<CallExpr>(r) && constant(l) ? r : nullptr;
    }
    const auto *call = dyn_cast_or_null<CallExpr>(e);
    if (!isSetjmp(call) || call->getNumArgs() < 1 ||
        call->getArg(0)->HasSideEffects(ctx.ast) || containsMigratingCall(ctx, call))
      return nullptr;
    return call;
  }

  // See Setjmp. `if (setjmp(b)) ...` -> `if (0) { hm_pre_N: <load what b names,
  // and hm_sjN> hm_sjwN = hm_sjN; } hm_sjN = setjmp(b); if (RESTORING) { if
  // (!hm_sjN && hm_sjwN) longjmp(b, hm_sjwN); switch (hm_site) { <its sites> } }
  // if (hm_sjN) ...`. main's ways back need not pass: there the frame and its
  // jmp_buf stay where they were.
  void rearmOnRestore(const Setjmp &sj) {
    if (frame.nsites == sj.lastSiteBefore)
      return;
    const std::string n = std::to_string(++labels);
    const std::string was = "hm_sjw" + sj.result.substr(5);
    const Expr *buffer = sj.call->getArg(0);
    // Every variable of this depth in scope is loaded before the setjmp, not
    // only at the site: a longjmp brings back the registers the setjmp saw, and
    // a value loaded after it would be lost (the program did not change it).
    // Outer ones came in at the preheaders on the way.
    std::vector<Live> load;
    for (const VarDecl *vd : sj.inScope)
      if (!portable(vd->getType())->isVariablyModifiedType())
        load.push_back(liveVar(vd));
    for (const VarDecl *vd : referencedLocals(buffer))
      load.push_back(liveVar(vd));
    load.push_back(keptVar(sj.result, ctx.ast.IntTy));
    const llvm::StringRef name = sj.call->getDirectCallee()->getName();
    const std::string jump = name.contains("sigsetjmp") ? "siglongjmp" : "longjmp";
    const std::string call = ctx.text(sj.call->getSourceRange());
    const std::string bufferText = ctx.text(buffer->getSourceRange());
    const std::string cases = routeThrough(sj.lastSiteBefore, labels);
    declareAtEntry("int " + sj.result + " = 0, " + was + " = 0;");
    ctx.replace(sj.call->getSourceRange(), sj.result);
    ctx.rw->InsertText(sj.statement->getBeginLoc(),
                       "if (0) { hm_pre_" + n + ": ; " + restoreText(load) + was + " = " +
                           sj.result + "; } " + sj.result + " = " + call +
                           "; if (__builtin_expect(hm_rt_mode & HM_MODE_RESTORE, 0)) { if (!" +
                           sj.result + " && " + was + ") " + jump + "(" + bufferText + ", " +
                           was + "); switch (hm_site) { " +
                           cases + "} } ",
                       /*InsertAfter=*/true);
  }

  // The locals (and parameters) an expression names.
  std::vector<const VarDecl *> referencedLocals(const Stmt *s) const {
    std::vector<const VarDecl *> out;
    if (!s)
      return out;
    if (const auto *r = dyn_cast<DeclRefExpr>(s))
      if (const auto *vd = dyn_cast<VarDecl>(r->getDecl()); vd && vd->hasLocalStorage())
        for (const Scope &scope : scopes)
          for (const VarDecl *in : scope.vars)
            if (in == vd)
              out.push_back(vd);
    for (const Stmt *child : s->children())
      for (const VarDecl *vd : referencedLocals(child))
        out.push_back(vd);
    return out;
  }

  // The dispatch cases of the sites after |first| from a link of the restore's
  // chain, each to the next link in (or its site); the outer links send them
  // to hm_pre_|label| from now on.
  std::string routeThrough(unsigned first, unsigned label) {
    std::string cases;
    for (unsigned k = first + 1; k <= frame.nsites; ++k) {
      cases += "case " + std::to_string(k) + ": goto " + frame.entryOf(k) + "; ";
      frame.siteEntry[k] = label;
    }
    return cases;
  }

  // A variable of the whole function, declared before its entry dispatch.
  void declareAtEntry(const std::string &declaration) {
    ctx.rw->InsertTextAfterToken(cast<CompoundStmt>(frame.fn->getBody())->getLBracLoc(),
                                " " + declaration);
  }

  bool inVariablyModifiedScope() const {
    for (const Scope &scope : scopes)
      if (!scope.declarations.empty())
        return true;
    return false;
  }

  // `T *p = f(sizeof *p);`: the call is hoisted before p is declared, so where
  // the initialiser names p only for its type, it names a null T * instead.
  void nameItselfUnevaluated(const VarDecl *vd, const Stmt *s, bool unevaluated) {
    if (!s)
      return;
    if (const auto *r = dyn_cast<DeclRefExpr>(s); r && r->getDecl() == vd && unevaluated) {
      const std::string type = ctx.declare(ctx.ast.getPointerType(vd->getType()), "");
      // sizeof of a variable-length array evaluates it; a type without a name
      // cannot be spelt.
      if (vd->getType()->isVariablyModifiedType() || type.find("(unnamed") != std::string::npos ||
          type.find("(anonymous") != std::string::npos)
        return refuse(r->getBeginLoc(), "an initialiser with a call that may migrate names "
                                        "the variable it initialises");
      ctx.replace(r->getSourceRange(), "(*(" + type + ")0)");
    }
    for (const Stmt *child : s->children())
      nameItselfUnevaluated(vd, child, unevaluated || isUnevaluated(s));
  }

  static bool declaresVariablyModified(const DeclStmt *ds) {
    for (const Decl *d : ds->decls()) {
      if (const auto *vd = dyn_cast<VarDecl>(d);
          vd && vd->hasLocalStorage() && vd->getType()->isVariablyModifiedType())
        return true;
      if (const auto *td = dyn_cast<TypedefNameDecl>(d);
          td && td->getUnderlyingType()->isVariablyModifiedType())
        return true;
    }
    return false;
  }

  // The array sizes a declaration computes: those written in its declarators (a
  // typedef's were computed where the typedef is).
  static std::vector<Expr *> sizeExpressions(const DeclStmt *ds) {
    std::vector<Expr *> out;
    for (const Decl *d : ds->decls()) {
      const TypeSourceInfo *tsi = nullptr;
      if (const auto *dd = dyn_cast<DeclaratorDecl>(d))
        tsi = dd->getTypeSourceInfo();
      else if (const auto *td = dyn_cast<TypedefNameDecl>(d))
        tsi = td->getTypeSourceInfo();
      if (!tsi)
        continue;
      for (TypeLoc t = tsi->getTypeLoc(); !t.isNull(); t = t.getNextTypeLoc())
        if (auto a = t.getAs<VariableArrayTypeLoc>(); a && a.getSizeExpr())
          out.push_back(a.getSizeExpr());
    }
    return out;
  }

  // `T (*p)[n] = init;` -> `if (0) { hm_pre_N: <load hm_n1> }
  // T (*p)[RESTORING ? hm_n1 : (hm_n1 = (n))] = RESTORING ? 0 : (init);
  // if (RESTORING) switch (hm_site) { <its sites> }`: a restore of a site in its
  // scope comes through hm_pre_N; the declaration runs again with the sizes it
  // had, and its initialiser does not. main's ways back to those sites follow it.
  void rerunOnRestore(const VariablyModified &vm) {
    if (frame.nsites == vm.lastSiteBefore)
      return;
    const std::string restoring = "(hm_rt_mode & HM_MODE_RESTORE)";
    const unsigned n = ++labels;
    std::vector<Live> sizes;
    for (const auto &[expr, name] : vm.sizes) {
      sizes.push_back(keptVar(name, ctx.ast.getSizeType()));
      ctx.replace(expr->getSourceRange(), "(" + restoring + " ? " + name + " : (" + name +
                                              " = (" + ctx.text(expr->getSourceRange()) + ")))");
      declareAtEntry(ctx.declare(ctx.ast.getSizeType(), name) + ";");
    }
    for (Decl *d : vm.ds->decls())
      if (auto *vd = dyn_cast<VarDecl>(d); vd && vd->hasLocalStorage() && vd->getInit() &&
                                            vd->getType()->isScalarType() &&
                                            !isa<InitListExpr>(vd->getInit()))
        ctx.replace(vd->getInit()->getSourceRange(),
                    restoring + " ? 0 : (" + ctx.text(vd->getInit()->getSourceRange()) + ")");
    ctx.rw->InsertText(vm.ds->getBeginLoc(),
                       "if (0) { hm_pre_" + std::to_string(n) + ": ; " + restoreText(sizes) + "} ",
                       /*InsertAfter=*/true);
    const std::string cases = routeThrough(vm.lastSiteBefore, n);
    std::string again;
    for (unsigned k = vm.lastSiteBefore + 1; k <= frame.nsites; ++k)
      if (frame.isMain && frame.againAfterDeclaration.insert(k).second)
        again += frame.againText(k) + " ";
    closeAfter(vm.ds, " if (__builtin_expect(" + restoring + ", 0)) switch (hm_site) { " +
                          cases + "}" + (again.empty() ? "" : " if (0) { " + again + "}"));
  }

  // Whether each declarator of |ds| can become a declaration of its own, spelt
  // from its type: no tag defined in it, no attributes, types with names.
  bool splittable(const DeclStmt *ds) const {
    for (const Decl *d : ds->decls()) {
      const auto *vd = dyn_cast<VarDecl>(d);
      if (!vd || !vd->hasLocalStorage() || vd->hasAttrs() ||
          vd->getType()->isVariablyModifiedType())
        return false;
      const std::string spelt = ctx.declare(vd->getType(), "x");
      if (spelt.find("(unnamed") != std::string::npos ||
          spelt.find("(anonymous") != std::string::npos)
        return false;
    }
    return true;
  }

  // `T a = f(), *b = g(a);` -> `<f's site> T a = hm_r1; <g's site> T *b = hm_r2;`:
  // a declarator's calls are hoisted once the declarators before it are
  // declared, in C's order, and its sites save and restore those.
  std::string splitDeclaration(DeclStmt *ds) {
    std::string out;
    for (Decl *d : ds->decls()) {
      auto *vd = cast<VarDecl>(d);
      std::string init;
      if (Expr *e = vd->getInit()) {
        if (has(e))
          out += hoistAll({e}, nullptr);
        init = " = " + ctx.text(e->getSourceRange());
      } else {
        init = ctx.zeroInitialiser(vd);
      }
      out += ctx.declare(vd->getType(), ctx.nameOf(vd)) + init + "; ";
      scopes.back().vars.push_back(vd);
    }
    ctx.replace(ds->getSourceRange(), out);
    return "";
  }

  void wrap(Stmt *anchor, const std::string &text, bool isDeclaration) {
    if (isDeclaration) {
      ctx.rw->InsertTextBefore(anchor->getBeginLoc(), text);
      return;
    }
    ctx.rw->InsertTextBefore(anchor->getBeginLoc(), "{ " + text);
    closeAfter(anchor, " }");
  }

  // Hoists the calls that may migrate out of |exprs|; returns the statements that
  // go before them (declarations of the temporaries first).
  std::string hoistAll(std::vector<Expr *> exprs, const Expr *whole) {
    items.clear();
    temps.clear();
    wholeExpr = whole;
    wholeInParens = whole && !exprs.empty() && exprs[0] != whole;
    for (Expr *e : exprs)
      hoist(e);
    for (Temp &t : temps)
      if (t.use == ~0u)
        t.use = static_cast<unsigned>(items.size());
    std::string text;
    for (const Temp &t : temps)
      text += ctx.declare(t.type, t.name) + "; ";
    for (unsigned i = 0; i < items.size(); ++i)
      text += items[i].isSite ? siteText(i) : items[i].text + " ";
    return text;
  }

  unsigned itemIndex() const { return static_cast<unsigned>(items.size()); }

  // `name = value;`, or, for a struct (which may have const members), a copy
  // through an initialised object.
  static std::string assign(const std::string &name, QualType type,
                            const std::string &value) {
    if (!type->isRecordType())
      return name + " = " + value + ";";
    return "{ __typeof__(" + name + ") hm_v = " + value + "; __builtin_memcpy(&" + name +
           ", &hm_v, sizeof " + name + "); }";
  }

  void addText(const std::string &text, SourceRange uses) {
    if (uses.isValid())
      consume(uses, itemIndex());
    Item item;
    item.text = text;
    items.push_back(std::move(item));
  }

  Temp &newTemp(const std::string &name, QualType type, SourceRange replaced) {
    temps.push_back({name, type.getUnqualifiedType(), ctx.where(replaced.getBegin()),
                     itemIndex(), ~0u, replaced});
    return temps.back();
  }

  // Walks |e| in evaluation order and hoists what must be hoisted.
  void hoist(Expr *e) {
    if (!e || isUnevaluated(e) || !has(e))
      return;
    if (auto *bo = dyn_cast<BinaryOperator>(e)) {
      if (bo->isLogicalOp() && has(bo->getRHS()))
        return logical(bo);
      if (bo->getOpcode() == BO_Comma && has(bo->getRHS()))
        return comma(bo);
    }
    if (auto *co = dyn_cast<ConditionalOperator>(e)) {
      if (has(co->getTrueExpr()) || has(co->getFalseExpr()))
        return conditional(co);
    }
    if (isa<BinaryConditionalOperator>(e))
      return unsupported(e, "a ?: without a middle operand");
    if (isa<StmtExpr>(e))
      return unsupported(e, "a statement expression");
    if (auto *call = dyn_cast<CallExpr>(e); call && ctx.isMigratingCall(call)) {
      hoist(call->getCallee());
      for (Expr *arg : call->arguments())
        hoist(arg);
      return site(call);
    }
    for (Stmt *child : e->children())
      if (auto *ce = dyn_cast_or_null<Expr>(child))
        hoist(ce);
  }

  // a && b, a || b: b is evaluated only when it counts.
  void logical(BinaryOperator *bo) {
    hoist(bo->getLHS());
    const std::string n = std::to_string(++labels);
    Temp &t = newTemp("hm_c" + n, ctx.ast.IntTy, bo->getSourceRange());
    const std::string name = t.name;
    const std::string lhs = ctx.text(bo->getLHS()->getSourceRange());
    const bool isAnd = bo->getOpcode() == BO_LAnd;
    addText((isAnd ? "if (" : "if (!(") + lhs + (isAnd ? ") {" : ")) {"),
            bo->getLHS()->getSourceRange());
    hoist(bo->getRHS());
    addText(name + " = (" + ctx.text(bo->getRHS()->getSourceRange()) + ") != 0; } else " +
                name + " = " + (isAnd ? "0;" : "1;"),
            bo->getRHS()->getSourceRange());
    ctx.replace(bo->getSourceRange(), name);
  }

  // a, b: a is a statement of its own before b.
  void comma(BinaryOperator *bo) {
    hoist(bo->getLHS());
    addText("(void)(" + ctx.text(bo->getLHS()->getSourceRange()) + ");",
            bo->getLHS()->getSourceRange());
    hoist(bo->getRHS());
    ctx.replace(bo->getSourceRange(), ctx.text(bo->getRHS()->getSourceRange()));
  }

  // c ? t : f: one branch, chosen by c.
  void conditional(ConditionalOperator *co) {
    hoist(co->getCond());
    if (co->getType()->isVariablyModifiedType())
      return unsupported(co, "a ?: whose value is a pointer to a variable-length array");
    const bool isVoid = co->getType()->isVoidType();
    std::string name;
    if (!isVoid)
      name = newTemp("hm_c" + std::to_string(++labels), co->getType(),
                     co->getSourceRange()).name;
    addText("if (" + ctx.text(co->getCond()->getSourceRange()) + ") {",
            co->getCond()->getSourceRange());
    auto branch = [&](Expr *b) {
      hoist(b);
      std::string value = ctx.text(b->getSourceRange());
      addText(isVoid ? "(void)(" + value + ");" : assign(name, co->getType(), value),
              b->getSourceRange());
    };
    branch(co->getTrueExpr());
    addText("} else {", SourceRange());
    branch(co->getFalseExpr());
    addText("}", SourceRange());
    ctx.replace(co->getSourceRange(), isVoid ? "((void)0)" : name);
  }

  bool within(SourceRange inner, SourceRange outer) const {
    auto b = [&](SourceLocation l) {
      return ctx.sm.getFileOffset(ctx.sm.getExpansionLoc(l));
    };
    return b(inner.getBegin()) >= b(outer.getBegin()) &&
           b(inner.getEnd()) <= b(outer.getEnd());
  }

  // The temporaries an item's text reads are consumed by that item.
  void consume(SourceRange range, unsigned item) {
    for (Temp &t : temps)
      if (t.use == ~0u && t.def < item && within(t.replaced, range))
        t.use = item;
  }

  void site(CallExpr *call) {
    const unsigned k = ++frame.nsites;
    unsigned argNo = 0;
    for (Expr *arg : call->arguments()) {
      ++argNo;
      // A call hoisted before is already a temporary's name.
      const auto *inner = dyn_cast<CallExpr>(arg->IgnoreParenImpCasts());
      if (isSimpleArgument(arg) || (inner && ctx.isMigratingCall(inner)))
        continue;
      const SourceRange range = arg->getSourceRange();
      const std::string value = ctx.text(range);
      const std::string name = "hm_a" + std::to_string(k) + "_" + std::to_string(argNo);
      // A temporary of a variably modified type could not be jumped over: a
      // pointer to an array of n elements passes as a void *.
      const QualType type =
          arg->getType()->isVariablyModifiedType() ? ctx.ast.VoidPtrTy : arg->getType();
      addText(assign(name, type, value), range);
      newTemp(name, type, range).def = itemIndex() - 1;
      ctx.replace(range, name);
    }
    // A call through a pointer: the pointer too is evaluated once, and it stays
    // live across the call, for the restore re-issues the call through it.
    const Expr *callee = call->getCallee()->IgnoreParenImpCasts();
    std::size_t calleeTemp = ~std::size_t(0);
    if (!call->getDirectCallee() && !isa<DeclRefExpr>(callee)) {
      const SourceRange range = call->getCallee()->getSourceRange();
      const std::string name = "hm_f" + std::to_string(k);
      addText(name + " = " + ctx.text(range) + ";", range);
      newTemp(name, call->getCallee()->getType(), range).def = itemIndex() - 1;
      calleeTemp = temps.size() - 1;
      ctx.replace(range, name);
    }
    Item item;
    item.isSite = true;
    item.site = k;
    const unsigned index = itemIndex();
    consume(call->getSourceRange(), index);
    if (calleeTemp != ~std::size_t(0))
      temps[calleeTemp].use = index + 1;
    // A callee with a parameter `double a[n][m]` computes its bounds from the
    // arguments on entry: a restore must pass them again as they were.
    if (const FunctionDecl *callee = call->getDirectCallee())
      for (const ParmVarDecl *p : callee->parameters())
        if (p->getType()->isVariablyModifiedType()) {
          for (Temp &t : temps)
            if (t.use == index && t.name.rfind("hm_a" + std::to_string(k) + "_", 0) == 0)
              t.use = index + 1;
          break;
        }
    std::string callText = ctx.text(call->getSourceRange());
    std::string replacement;
    QualType type = call->getType();
    if (type->isVoidType() || call == wholeExpr) {
      item.call = callText + ";";
      replacement = call == wholeExpr && !wholeInParens ? "" : "((void)0)";
    } else {
      const std::string name = "hm_r" + std::to_string(k);
      item.call = assign(name, type, callText);
      replacement = name;
      newTemp(name, type, call->getSourceRange()); // defined by this item
    }
    ctx.replace(call->getSourceRange(), replacement);
    items.push_back(item);
  }

  // What leaves the function once its frame is saved at site |k|. main writes
  // the image; when the program goes on here (a checkpoint, a failed migration)
  // it resumes its own frame at the site through hm_again_K (Frames.cpp).
  std::string leave(const std::string &k) const {
    if (frame.isMain)
      return "hm_rt_capture_complete(); goto hm_again_" + k + ";";
    QualType rt = frame.fn->getReturnType().getUnqualifiedType();
    if (rt->isVoidType())
      return "return;";
    return "{ " + ctx.declare(rt, "hm_z") +
           "; __builtin_memset(&hm_z, 0, sizeof hm_z); return hm_z; }";
  }

  struct Live {
    std::string name;
    unsigned var;
    bool addressable;
    bool arrayParameter = false; // `int a[]`: a pointer, whose sizeof warns
    bool variableLength = false; // `double a[n]`: its size is known where it runs
    std::string size() const {
      return arrayParameter ? "sizeof(__typeof__(" + name + "))" : "sizeof " + name;
    }
  };

  Live liveVar(const VarDecl *vd) {
    std::string name = ctx.nameOf(vd);
    const bool variableLength = isVariableLength(vd->getType());
    const unsigned var = frame.addVar(
        {name, portable(vd->getType()), ctx.where(vd->getLocation()), 0, variableLength},
        ctx.ast);
    const auto *p = dyn_cast<ParmVarDecl>(vd);
    Live live{name, var, ctx.addressable.count(vd) > 0 || variableLength,
              p && p->getOriginalType()->isArrayType()};
    live.variableLength = variableLength;
    return live;
  }

  bool isVariableLength(QualType type) const {
    return type->isArrayType() && type->isVariablyModifiedType();
  }

  Live keptVar(const std::string &name, QualType type) {
    return {name, frame.addVar({name, type, ctx.where(frame.fn->getLocation())}, ctx.ast),
            false};
  }

  // A variable-length array, and a pointer to one, as the image describes them:
  // its elements (the frame gives their number), a pointer to its elements
  // (what it points to is typed by its block), for a type descriptor cannot
  // name the array's length.
  QualType portable(QualType type) const {
    if (!type->isVariablyModifiedType())
      return type;
    if (isVariableLength(type))
      return portable(ctx.ast.getBaseElementType(type));
    if (const auto *p = type->getAs<PointerType>())
      return ctx.ast.getPointerType(
          portable(ctx.ast.getBaseElementType(p->getPointeeType())));
    if (const auto *a = ctx.ast.getAsConstantArrayType(type))
      return ctx.ast.getConstantArrayType(portable(a->getElementType()), a->getSize(),
                                          nullptr, ArrayType::Normal, 0);
    return type;
  }

  bool holdsPointer(QualType type) const {
    type = type.getCanonicalType();
    if (type->isPointerType())
      return true;
    if (const ArrayType *a = ctx.ast.getAsArrayType(type))
      return holdsPointer(a->getElementType());
    if (const auto *r = type->getAs<RecordType>())
      for (const FieldDecl *f : r->getDecl()->fields())
        if (holdsPointer(f->getType()))
          return true;
    return false;
  }

  // A variable a loop that declares an addressable one leaves to its sites.
  bool loadedAtSites(const VarDecl *vd) const {
    return !ctx.addressable.count(vd) && holdsPointer(vd->getType());
  }

  // A list of variables for the runtime: their number, then their indices.
  static std::string varList(const char *name, const std::vector<const Live *> &vars) {
    std::string list = "static const unsigned " + std::string(name) + "[] = { " +
                       std::to_string(vars.size());
    for (const Live *v : vars)
      list += ", " + std::to_string(v->var);
    return list + " }; ";
  }

  std::string at(const char *buffer, const Live &v) const {
    return std::string(buffer) + " + " + std::to_string(frame.vars[v.var].offset);
  }

  // Restore binds the variables pointers may point to first, at their new
  // addresses, then loads the others by value from one buffer.
  std::string restoreText(const std::vector<Live> &vars) const {
    std::string bind, load;
    std::vector<const Live *> loaded;
    for (const Live &v : vars) {
      if (v.variableLength) {
        bind += "hm_rt_bind_vla(" + std::to_string(v.var) + ", (void *)" + v.name +
                ", sizeof " + v.name + "); ";
      } else if (v.addressable) {
        bind += "hm_rt_bind(" + std::to_string(v.var) + ", (void *)&" + v.name + "); ";
      } else {
        loaded.push_back(&v);
        load += "__builtin_memcpy((void *)&" + v.name + ", " + at("hm_l", v) + ", " + v.size() +
                "); ";
      }
    }
    if (loaded.empty())
      return bind;
    return bind + "{ " + varList("hm_vl", loaded) +
           "const unsigned char *hm_l = (const unsigned char *)hm_rt_load_vars(hm_vl); " +
           load + "} ";
  }

  std::string siteText(unsigned index) {
    const Item &item = items[index];
    // Every variable in scope is saved; the site restores those of its own
    // depth (and those its loops leave to it), preheaders the others.
    const unsigned depth = static_cast<unsigned>(loopHoldsAddressable.size());
    std::vector<Live> live, restored;
    for (const Scope &scope : scopes)
      for (const VarDecl *vd : scope.vars) {
        if (portable(vd->getType())->isVariablyModifiedType()) {
          refuse(vd->getLocation(), "it has a call that may migrate in the scope of a "
                                    "variable-length array of variably modified elements");
          continue;
        }
        live.push_back(liveVar(vd));
        if (scope.depth == depth ||
            (loopHoldsAddressable[scope.depth] && loadedAtSites(vd)))
          restored.push_back(live.back());
      }
    // Restored where their declaration or setjmp runs again.
    for (const Scope &scope : scopes)
      for (const auto &[name, type] : scope.kept)
        live.push_back(keptVar(name, type));
    std::string zero;
    for (const Temp &t : temps) {
      if (t.def < index && t.use > index) {
        live.push_back({t.name, frame.addVar({t.name, t.type, t.where}, ctx.ast), false});
        restored.push_back(live.back());
      } else if (t.def < index && t.use == index) {
        zero += "__builtin_memset((void *)&" + t.name + ", 0, sizeof " + t.name + "); ";
      }
    }
    const std::string k = std::to_string(item.site);
    // The variables whose address the program may hold are in memory already:
    // the runtime copies them and notes where they are.
    std::string copy, inPlace;
    std::vector<const Live *> saved;
    for (const Live &v : live) {
      saved.push_back(&v);
      if (v.variableLength)
        inPlace += "hm_rt_save_vla(" + std::to_string(v.var) + ", (const void *)" + v.name +
                   ", sizeof " + v.name + "); ";
      else if (v.addressable)
        inPlace += "hm_rt_save_at(" + std::to_string(v.var) + ", (const void *)&" + v.name + "); ";
      else
        copy += "__builtin_memcpy(" + at("hm_b", v) + ", (const void *)&" + v.name + ", " + v.size() + "); ";
    }
    const std::string open = "hm_rt_save_frame(&" + frame.tableName + ", " + k + ", hm_vs); ";
    return "if (0) { hm_restore_" + k + ": ; " + restoreText(restored) + zero + "} " +
           item.call + " if (__builtin_expect(hm_rt_mode & HM_MODE_CAPTURE, 0)) { " +
           varList("hm_vs", saved) +
           (copy.empty() ? open : "unsigned char *hm_b = (unsigned char *)" + open + copy) +
           inPlace + leave(k) + " } ";
  }
};

} // namespace

void runCallSites(InstrumentContext &ctx) {
  for (const FunctionDecl *fn : ctx.userFunctions()) {
    const bool migrates = ctx.mayMigrate.count(fn->getCanonicalDecl());
    if (!migrates && !fn->isMain())
      continue;
    FunctionFrame frame;
    frame.fn = fn;
    frame.key = ctx.functionKey(fn);
    frame.tableName = "hm_fn_" + fn->getNameAsString();
    frame.isMain = fn->isMain();
    if (migrates) {
      // What the rewriter cannot do shows only on the way: a dry run on a
      // scratch rewriter finds it, and the function is then pinned instead.
      clang::Rewriter scratch(ctx.sm, ctx.ast.getLangOpts());
      clang::Rewriter *unit = std::exchange(ctx.rw, &scratch);
      FunctionFrame dry = frame;
      SiteRewriter tryRewrite(ctx, dry);
      tryRewrite.function(fn);
      ctx.rw = unit;
      if (!tryRewrite.refusal.second.empty()) {
        ctx.pin(fn, tryRewrite.refusal.first, tryRewrite.refusal.second);
        if (!fn->isMain())
          continue;
      } else {
        SiteRewriter(ctx, frame).function(fn);
      }
    }
    ctx.frames.push_back(std::move(frame));
  }
}

} // namespace hm
