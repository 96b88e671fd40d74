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
//
// This file is the statement walk; its pieces are the hoister (Hoister.cpp),
// the emitter of the code that calls libhmrt (SiteEmitter.cpp), the restore
// chain's re-run links for setjmps and variably modified declarations
// (RestoreLinks.cpp) and loop facts (LoopFacts.cpp), which share the state of
// CallSiteState.h.
#include "Passes.h"

#include "CallSiteState.h"
#include "Hoister.h"
#include "LoopFacts.h"
#include "RestoreLinks.h"
#include "SiteEmitter.h"

#include "clang/AST/Expr.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Stmt.h"

#include <utility>

using namespace clang;

namespace hm {

namespace {

using namespace callsites;

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
      : s(ctx, frame), ctx(ctx), frame(frame) {}

  void function(const FunctionDecl *fn) {
    s.openScope();
    // main's parameters too: a program may have moved argv and argc on
    // (argv++, --argc) before the point; argv's strings travel in the image.
    for (const ParmVarDecl *p : fn->parameters())
      if (!p->getName().empty())
        s.scopes.back().vars.push_back(p);
    if (ctx.entryPoll.count(fn->getCanonicalDecl()))
      frame.entryPoll = pollSite(s, nullptr);
    findSetjmps(fn->getBody(), s.unplacedSetjmps);
    statement(fn->getBody());
    s.scopes.pop_back();
    if (!s.unplacedSetjmps.empty())
      s.refuse((*s.unplacedSetjmps.begin())->getBeginLoc(),
               "it calls setjmp where a restore could not run it again (C allows it in an "
               "if or a switch condition, or as a statement of its own)");
  }

  // The first reason the function cannot be instrumented, if any.
  const std::pair<SourceLocation, std::string> &refusal() const { return s.refusal; }

private:
  CallSiteState s;
  InstrumentContext &ctx;
  FunctionFrame &frame;

  bool has(const Stmt *st) { return s.has(st); }

  void statement(Stmt *st) {
    if (!st)
      return;
    if (auto *cs = dyn_cast<CompoundStmt>(st)) {
      s.openScope();
      for (Stmt *child : cs->body()) {
        if (const CallExpr *arming = armingSetjmp(s, child))
          noteSetjmp(s, cs, child, arming);
        statement(child);
      }
      linkReruns(s);
      s.scopes.pop_back();
    } else if (auto *ds = dyn_cast<DeclStmt>(st)) {
      declaration(ds, ds);
    } else if (auto *e = dyn_cast<Expr>(st)) {
      if (has(e))
        wrap(st, hoistAll(s, {e}, e->IgnoreParens()), false);
    } else if (auto *r = dyn_cast<ReturnStmt>(st)) {
      if (has(r->getRetValue())) {
        const Expr *whole = r->getRetValue()->getType()->isVoidType()
                                ? r->getRetValue()->IgnoreParens()
                                : nullptr;
        wrap(st, hoistAll(s, {r->getRetValue()}, whole), false);
      }
    } else if (auto *i = dyn_cast<IfStmt>(st)) {
      // Inner statements first: what wraps this one must enclose what they add
      // at the same places.
      statement(i->getThen());
      statement(i->getElse());
      if (has(i->getCond()))
        wrap(st, hoistAll(s, {i->getCond()}, nullptr), false);
    } else if (auto *sw = dyn_cast<SwitchStmt>(st)) {
      statement(sw->getBody());
      if (has(sw->getCond()))
        wrap(st, hoistAll(s, {sw->getCond()}, nullptr), false);
    } else if (auto *w = dyn_cast<WhileStmt>(st)) {
      whileLoop(w);
      pollAfter(w);
    } else if (auto *d = dyn_cast<DoStmt>(st)) {
      doLoop(d);
      pollAfter(d);
    } else if (auto *f = dyn_cast<ForStmt>(st)) {
      forLoop(f);
      pollAfter(f);
    } else if (auto *l = dyn_cast<LabelStmt>(st)) {
      statement(l->getSubStmt());
    } else if (auto *c = dyn_cast<SwitchCase>(st)) {
      statement(c->getSubStmt());
    } else if (auto *a = dyn_cast<AttributedStmt>(st)) {
      statement(a->getSubStmt());
    } else if (auto *g = dyn_cast<IndirectGotoStmt>(st)) {
      indirectGoto(g);
    } else if (has(st)) {
      s.unsupported(st, "this kind of statement");
    }
  }

  // `goto *p` is the back edge of a threaded interpreter's dispatch (Lua's
  // vmdispatch jumps from one instruction's code to the next, never back to its
  // loop's header): it polls as a loop's header does, with a patched no-op. The
  // labels' addresses stay in the program's constant tables; a label address in
  // a variable points into code, and the capture refuses it.
  void indirectGoto(IndirectGotoStmt *g) {
    if (has(g->getTarget()))
      return s.unsupported(g, "a computed goto whose target calls what may migrate");
    if (!ctx.poll)
      return;
    const std::string target = "hm_gpoll_" + std::to_string(++s.labels);
    const std::string test = pollTest(target, s.inVariablyModifiedScope());
    ctx.rw->InsertTextBefore(g->getBeginLoc(),
                             "{ " + test + " if (0) { " + target + ": ; " + pollSite(s, g) + "} ");
    s.closeAfter(g, " }");
  }

  // A loop whose call the compiler may make once before it polls right after it
  // (InvariantCalls.h): the loop and the poll point go in a block of their own,
  // which encloses what the loop's rewrite put around it.
  void pollAfter(Stmt *loop) {
    if (!ctx.pollsAfter(loop))
      return;
    const std::string target = "hm_xpoll_" + std::to_string(++s.labels);
    const std::string test = pollTest(target, s.inVariablyModifiedScope());
    ctx.rw->InsertTextBefore(loop->getBeginLoc(), "{ ");
    s.closeAfter(loop, " " + test + " if (0) { " + target + ": ; " + pollSite(s, loop) + "} }");
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

  void enterLoop(const Stmt *loop) {
    s.loopHoldsAddressable.push_back(s.declaresAddressable(loop));
    s.loops.push_back(loop);
  }

  // `while (C) B` -> `{ <preheader> while (1) { <header> <C's calls> if (!(C')) { break; } B } }`
  void whileLoop(WhileStmt *w) {
    const unsigned first = frame.nsites;
    enterLoop(w);
    statement(w->getBody());
    std::string pre = has(w->getCond()) ? hoistAll(s, {w->getCond()}, nullptr) : "";
    const std::string head = header(first, ctx.loopPolls(w), w);
    if (head.empty()) {
      leaveLoop();
      return;
    }
    std::string cond = ctx.text(w->getCond()->getSourceRange());
    ctx.replace(SourceRange(w->getBeginLoc(), w->getRParenLoc()),
                       "while (1) { " + head + pre + "if (!(" + cond + ")) { break; } ");
    s.closeAfter(w->getBody(), " }");
    ctx.rw->InsertTextBefore(w->getBeginLoc(), "{ " + leaveLoop());
    s.closeAfter(w, " }");
  }

  // `do B while (C);` ->
  // `{ <preheader> do { <header> B hm_next_N: ; <C's calls> if (!(C')) { break; } } while (1); }`
  void doLoop(DoStmt *d) {
    const unsigned first = frame.nsites;
    enterLoop(d);
    statement(d->getBody());
    std::string tail;
    if (has(d->getCond())) {
      const std::string label = "hm_next_" + std::to_string(++s.labels);
      redirectContinues(d->getBody(), label);
      std::string pre = hoistAll(s, {d->getCond()}, nullptr);
      std::string cond = ctx.text(d->getCond()->getSourceRange());
      tail = " " + label + ": __attribute__((unused)); " + pre + "if (!(" + cond + ")) { break; }";
      ctx.replace(SourceRange(d->getWhileLoc(), d->getRParenLoc()), "while (1)");
    }
    const std::string head = header(first, ctx.loopPolls(d), d);
    if (head.empty()) {
      leaveLoop();
      return;
    }
    ctx.rw->InsertTextBefore(d->getBody()->getBeginLoc(), "{ " + head);
    s.closeAfter(d->getBody(), tail + " }");
    ctx.rw->InsertTextBefore(d->getBeginLoc(), "{ " + leaveLoop());
    s.closeAfter(d, " }");
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
          initCalls = hoistAll(s, {cast<Expr>(i)}, nullptr);
        s.openScope();
      }
    } else {
      s.openScope();
    }
    const unsigned first = frame.nsites;
    enterLoop(f);
    statement(f->getBody());
    std::string cond, tail;
    if (has(f->getCond()))
      cond = hoistAll(s, {f->getCond()}, nullptr);
    if (has(f->getInc())) {
      const std::string label = "hm_next_" + std::to_string(++s.labels);
      redirectContinues(f->getBody(), label);
      tail = " " + label + ": __attribute__((unused)); " +
             hoistAll(s, {f->getInc()}, f->getInc()->IgnoreParens());
      tail += ctx.text(f->getInc()->getSourceRange()) + ";";
      ctx.replace(f->getInc()->getSourceRange(), "");
    }
    // In the loop's scope: the header's poll point sees the loop's variables.
    const std::string head = header(first, ctx.loopPolls(f), f);
    if (head.empty()) {
      leaveLoop();
      s.scopes.pop_back();
      if (!initCalls.empty())
        wrap(f, initCalls, false);
      return;
    }
    if (f->getCond()) {
      cond += "if (!(" + ctx.text(f->getCond()->getSourceRange()) + ")) { break; } ";
      ctx.replace(f->getCond()->getSourceRange(), "");
    }
    ctx.rw->InsertTextBefore(f->getBody()->getBeginLoc(), "{ " + head + cond);
    s.closeAfter(f->getBody(), tail + " }");
    std::string init;
    if (Stmt *i = f->getInit()) {
      // A declaration's range ends at its semicolon, an expression's before it.
      init = ctx.text(i->getSourceRange());
      const bool hasSemi = !init.empty() && init.back() == ';';
      ctx.replace(i->getSourceRange(), hasSemi ? ";" : "");
      init += hasSemi ? " " : "; ";
    }
    ctx.rw->InsertTextBefore(f->getBeginLoc(),
                            "{ " + initCalls + init + leaveLoop(inductionRange(ctx, f)));
    s.closeAfter(f, " }");
    s.scopes.pop_back();
  }

  // A loop's header, for the sites numbered after |first| (in its body and its
  // condition) and a poll point when |poll|: "" when it needs none. A restore
  // of a site in the loop goes to its preheader (hm_pre_N) from outside; main
  // resumes after a checkpoint at its header (hm_loop_N), its own variables
  // still in place.
  std::string header(unsigned first, bool poll, const Stmt *loopStmt) {
    const std::string poller = poll ? pollSite(s, loopStmt, true) : "";
    if (frame.nsites == first)
      return "";
    const unsigned loop = s.lastHeader = ++s.labels;
    const std::string cases = s.routeThrough(first, loop);
    for (unsigned k = first + 1; k <= frame.nsites; ++k) {
      frame.siteLoop[k] = loop;
      frame.siteFrom[k] = loopStmt->getBeginLoc(); // outer loops come later
    }
    return headerText(s, loop, cases, poll, poller);
  }

  // Leaves the loop whose header was made last; returns its preheader, which
  // restores the variables declared at the loop's own depth (outer ones came in
  // at outer preheaders, inner ones come in at inner preheaders or the site).
  // Variables whose address is taken are bound first, so that the pointers
  // loaded next can be mapped to them. A pointer declared out here may point to
  // a variable declared inside the loop, bound only further in; so when the
  // loop declares such a variable, its sites load the pointers instead.
  std::string leaveLoop(const std::string &facts = "") {
    const bool holdsAddressable = s.loopHoldsAddressable.back();
    const unsigned depth = static_cast<unsigned>(s.loopHoldsAddressable.size()) - 1;
    std::vector<Live> here;
    for (const Scope &scope : s.scopes)
      if (scope.depth == depth)
        for (const VarDecl *vd : scope.vars)
          if (!(holdsAddressable && loadedAtSites(ctx, vd)) && !s.deadThroughout(vd, depth))
            here.push_back(liveVar(s, vd));
    s.loopHoldsAddressable.pop_back();
    s.loops.pop_back();
    return preheaderText(frame, s.lastHeader, here, facts);
  }

  void redirectContinues(Stmt *body, const std::string &label) {
    Continues c;
    c.TraverseStmt(body);
    for (ContinueStmt *st : c.found)
      ctx.rw->ReplaceText(st->getContinueLoc(), 8, "goto " + label);
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
          nameItselfUnevaluated(s, vd, vd->getInit(), false);
        }
      }
    // An array length is computed before the initialiser: `double a[f(n)]`.
    std::vector<Expr *> lengths;
    for (Expr *size : sizeExpressions(ds))
      if (has(size))
        lengths.push_back(size);
    std::string text;
    if (!lengths.empty() && (nvars > 1 || anchor != ds)) {
      s.refuse(ds->getBeginLoc(), "it has a call that may migrate in an array length of a "
                                  "declaration of several variables");
    } else if (!inits.empty() && nvars > 1) {
      if (anchor == ds && splittable(ds)) {
        const unsigned first = frame.nsites;
        std::string split = splitDeclaration(ds);
        restartAt(first, ds);
        return split;
      }
      s.refuse(ds->getBeginLoc(),
               "it has a call that may migrate in a declaration of several variables");
    } else if (!inits.empty() || !lengths.empty()) {
      lengths.insert(lengths.end(), inits.begin(), inits.end());
      const unsigned first = frame.nsites;
      text = hoistAll(s, lengths, nullptr);
      restartAt(first, ds);
    }
    if (anchor != ds)
      s.openScope();
    for (Decl *d : ds->decls())
      if (auto *vd = dyn_cast<VarDecl>(d); vd && vd->hasLocalStorage())
        s.scopes.back().vars.push_back(vd);
    if (anchor == ds && !text.empty())
      wrap(ds, text, true);
    if (declaresVariablyModified(ds)) {
      if (anchor != ds)
        s.refuse(ds->getBeginLoc(), "it declares a variably modified type in a for loop's "
                                    "initialisation, with a call that may migrate in its scope");
      else
        noteVariablyModified(s, ds);
    }
    return text;
  }

  // A restore at the sites after |first| runs |ds| again from its start: its
  // type is written out again (passes/TargetCode.cpp compares from there).
  void restartAt(unsigned first, const DeclStmt *ds) {
    for (unsigned k = first + 1; k <= frame.nsites; ++k)
      frame.siteFrom[k] = ds->getBeginLoc();
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
          out += hoistAll(s, {e}, nullptr);
        init = " = " + ctx.text(e->getSourceRange());
      } else {
        init = ctx.zeroInitialiser(vd);
      }
      out += ctx.declare(vd->getType(), ctx.nameOf(vd)) + init + "; ";
      s.scopes.back().vars.push_back(vd);
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
    s.closeAfter(anchor, " }");
  }
};

} // namespace

// Makes now, in |range|, the wraps of allocation calls and casts of calls to
// numbers that call-sites will not make itself (no call in the cast's operand
// may migrate: call-sites leaves a temporary in its place), as
// text of their tokens: call-sites may move text around them (`hop(realloc(q,
// n) != 0)`), and they were made after it where the calls had been.
static void settleWraps(InstrumentContext &ctx, SourceRange range) {
  const SourceManager &sm = ctx.ast.getSourceManager();
  const auto within = [&](const Expr *e) {
    return !sm.isBeforeInTranslationUnit(e->getBeginLoc(), range.getBegin()) &&
           !sm.isBeforeInTranslationUnit(range.getEnd(), e->getEndLoc());
  };
  const auto migrates = [&](const Expr *e) {
    const auto *call = dyn_cast<CallExpr>(e->IgnoreParens());
    return call && ctx.isMigratingCall(call);
  };
  for (const InstrumentContext::Wrap &w : ctx.allocWraps)
    if (!ctx.movedWraps.count(w.call) && within(w.call) && !migrates(w.call)) {
      ctx.prependToToken(w.call->getBeginLoc(), w.function + "(");
      ctx.appendInsideToken(w.call->getEndLoc(), ", &" + w.site + ")");
      ctx.movedWraps.insert(w.call);
    }
  for (const Expr *operand : ctx.numberWraps)
    if (!ctx.movedNumberWraps.count(operand) && within(operand) &&
        !containsMigratingCall(ctx, operand)) {
      // Outside a wrapped store the operand ends with, `(uintptr_t)++*(char
      // **)f(x)` (an allocation call's wrap, made first, is inside).
      ctx.prependToToken(operand->getBeginLoc(), "hm_rt_number(");
      ctx.appendToToken(operand->getEndLoc(), ")");
      ctx.movedNumberWraps.insert(operand);
    }
}

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
      // (What it wraps where it moves calls is not wrapped in the unit: a
      // pinned function's calls are wrapped where they are.)
      const std::set<const Expr *> movedBefore = ctx.movedWraps,
                                   numbersBefore = ctx.movedNumberWraps;
      FunctionFrame dry = frame;
      SiteRewriter tryRewrite(ctx, dry);
      tryRewrite.function(fn);
      ctx.rw = unit;
      ctx.movedWraps = movedBefore;
      ctx.movedNumberWraps = numbersBefore;
      if (!tryRewrite.refusal().second.empty()) {
        ctx.pin(fn, tryRewrite.refusal().first, tryRewrite.refusal().second);
        if (!fn->isMain())
          continue;
      } else {
        settleWraps(ctx, fn->getBody()->getSourceRange());
        SiteRewriter(ctx, frame).function(fn);
      }
    }
    ctx.frames.push_back(std::move(frame));
  }
}

} // namespace hm
