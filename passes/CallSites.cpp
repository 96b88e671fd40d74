// CallSites.cpp — calls that may migrate become call sites with capture and restore.
//
// Each such call is hoisted out of its statement into its own declaration,
//     if (0) { hm_restore_K: <load the frame's variables>; }
//     T hm_rK = f(args);
//     if (hm_rt_mode == HM_MODE_CAPTURE) { <save them>; return; }
// and the statement then uses hm_rK. Arguments with side effects are hoisted
// before the restore label, so that re-issuing the call on restore evaluates
// nothing twice (the callee restores its own parameters). Calls under &&, ||,
// ?: or a comma, and in loop conditions, are refused with a message for now.
#include "Passes.h"

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtVisitor.h"
#include "clang/Lex/Lexer.h"

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
  unsigned def;            // item that declares it
  unsigned use = ~0u;      // item that reads it (~0u: the statement itself)
  SourceRange replaced;    // the expression it stands for
};

struct Item {
  std::string text;        // argument temporaries: the whole declaration
  bool isSite = false;
  unsigned site = 0;
  std::string call;        // sites: the hoisted call statement
};

class SiteRewriter {
public:
  SiteRewriter(InstrumentContext &ctx, FunctionFrame &frame)
      : ctx(ctx), frame(frame) {}

  void function(const FunctionDecl *fn) {
    scopes.emplace_back();
    // main's parameters belong to the process that runs it: a restored program
    // sees its own command line (the same one, by the rule of HM_RESTORE).
    if (!fn->isMain())
      for (const ParmVarDecl *p : fn->parameters())
        if (!p->getName().empty())
          scopes.back().push_back(p);
    statement(fn->getBody());
    scopes.pop_back();
  }

private:
  InstrumentContext &ctx;
  FunctionFrame &frame;
  std::vector<std::vector<const VarDecl *>> scopes;
  // Per statement being rewritten:
  std::vector<Item> items;
  std::vector<Temp> temps;
  const Expr *wholeExpr = nullptr;

  void unsupported(const Stmt *s, const std::string &where) {
    ctx.error(s->getBeginLoc(),
              "a call that may migrate in " + where +
                  " is not supported yet; assign its result to a variable in a "
                  "statement before it");
  }

  void statement(Stmt *s) {
    if (!s)
      return;
    if (auto *cs = dyn_cast<CompoundStmt>(s)) {
      scopes.emplace_back();
      for (Stmt *child : cs->body())
        statement(child);
      scopes.pop_back();
    } else if (auto *ds = dyn_cast<DeclStmt>(s)) {
      declaration(ds, ds);
    } else if (auto *e = dyn_cast<Expr>(s)) {
      if (containsMigratingCall(ctx, e))
        rewrite(s, {e}, false);
    } else if (auto *r = dyn_cast<ReturnStmt>(s)) {
      if (containsMigratingCall(ctx, r->getRetValue()))
        rewrite(s, {r->getRetValue()}, false);
    } else if (auto *i = dyn_cast<IfStmt>(s)) {
      if (containsMigratingCall(ctx, i->getCond()))
        rewrite(s, {i->getCond()}, false);
      statement(i->getThen());
      statement(i->getElse());
    } else if (auto *sw = dyn_cast<SwitchStmt>(s)) {
      if (containsMigratingCall(ctx, sw->getCond()))
        rewrite(s, {sw->getCond()}, false);
      statement(sw->getBody());
    } else if (auto *w = dyn_cast<WhileStmt>(s)) {
      if (containsMigratingCall(ctx, w->getCond()))
        unsupported(w->getCond(), "the condition of a while loop");
      statement(w->getBody());
    } else if (auto *d = dyn_cast<DoStmt>(s)) {
      if (containsMigratingCall(ctx, d->getCond()))
        unsupported(d->getCond(), "the condition of a do-while loop");
      statement(d->getBody());
    } else if (auto *f = dyn_cast<ForStmt>(s)) {
      forStatement(f);
    } else if (auto *l = dyn_cast<LabelStmt>(s)) {
      statement(l->getSubStmt());
    } else if (auto *c = dyn_cast<SwitchCase>(s)) {
      statement(c->getSubStmt());
    } else if (auto *a = dyn_cast<AttributedStmt>(s)) {
      statement(a->getSubStmt());
    } else if (containsMigratingCall(ctx, s)) {
      unsupported(s, "this kind of statement");
    }
  }

  void forStatement(ForStmt *f) {
    if (Stmt *init = f->getInit()) {
      if (auto *ds = dyn_cast<DeclStmt>(init)) {
        declaration(ds, f); // new scope opened inside
      } else {
        if (containsMigratingCall(ctx, init))
          rewrite(f, {cast<Expr>(init)}, false);
        scopes.emplace_back();
      }
    } else {
      scopes.emplace_back();
    }
    if (containsMigratingCall(ctx, f->getCond()))
      unsupported(f->getCond(), "the condition of a for loop");
    if (containsMigratingCall(ctx, f->getInc()))
      unsupported(f->getInc(), "the increment of a for loop");
    statement(f->getBody());
    scopes.pop_back();
  }

  // A declaration statement: its initialisers are call sites in the scope before
  // the declared names; a for loop's declaration opens the loop's own scope.
  void declaration(DeclStmt *ds, Stmt *anchor) {
    std::vector<Expr *> inits;
    unsigned nvars = 0;
    for (Decl *d : ds->decls())
      if (auto *vd = dyn_cast<VarDecl>(d); vd && vd->hasLocalStorage()) {
        ++nvars;
        if (containsMigratingCall(ctx, vd->getInit()))
          inits.push_back(vd->getInit());
      }
    if (!inits.empty()) {
      if (nvars > 1)
        ctx.error(ds->getBeginLoc(),
                  "a call that may migrate in a declaration of several variables "
                  "is not supported yet; declare them one by one");
      else
        rewrite(anchor, inits, anchor == ds);
    }
    if (anchor != ds)
      scopes.emplace_back();
    for (Decl *d : ds->decls())
      if (auto *vd = dyn_cast<VarDecl>(d); vd && vd->hasLocalStorage())
        scopes.back().push_back(vd);
  }

  // Hoists the calls that may migrate out of |exprs| and wraps |anchor|.
  void rewrite(Stmt *anchor, std::vector<Expr *> exprs, bool isDeclaration) {
    items.clear();
    temps.clear();
    wholeExpr = nullptr;
    if (isa<Expr>(anchor))
      wholeExpr = cast<Expr>(anchor)->IgnoreParens();
    else if (auto *r = dyn_cast<ReturnStmt>(anchor))
      if (r->getRetValue() && r->getRetValue()->getType()->isVoidType())
        wholeExpr = r->getRetValue()->IgnoreParens();
    for (Expr *e : exprs)
      hoist(e, nullptr);
    if (ctx.failed())
      return;
    for (Temp &t : temps)
      if (t.use == ~0u)
        t.use = static_cast<unsigned>(items.size());

    std::string text;
    for (unsigned i = 0; i < items.size(); ++i)
      text += items[i].isSite ? siteText(i) : items[i].text + " ";
    if (isDeclaration) {
      ctx.rw.InsertTextBefore(anchor->getBeginLoc(), text);
      return;
    }
    ctx.rw.InsertTextBefore(anchor->getBeginLoc(), "{ " + text);
    SourceLocation afterSemi = Lexer::findLocationAfterToken(
        anchor->getEndLoc(), tok::semi, ctx.sm, ctx.ast.getLangOpts(), false);
    if (afterSemi.isValid())
      ctx.rw.InsertTextAfter(afterSemi, " }");
    else
      ctx.rw.InsertTextAfterToken(anchor->getEndLoc(), " }");
  }

  // Walks |e| in evaluation order; |conditional| names the operator that makes
  // the evaluation of |e| conditional, if any.
  void hoist(Expr *e, const char *conditional) {
    if (!e || isUnevaluated(e))
      return;
    if (auto *bo = dyn_cast<BinaryOperator>(e)) {
      if (bo->isLogicalOp() || bo->getOpcode() == BO_Comma) {
        hoist(bo->getLHS(), conditional);
        hoist(bo->getRHS(), bo->getOpcode() == BO_LAnd   ? "the right operand of &&"
                            : bo->getOpcode() == BO_LOr  ? "the right operand of ||"
                                                         : "the right operand of a comma");
        return;
      }
    }
    if (auto *co = dyn_cast<AbstractConditionalOperator>(e)) {
      hoist(co->getCond(), conditional);
      hoist(co->getTrueExpr(), "a branch of ?:");
      hoist(co->getFalseExpr(), "a branch of ?:");
      return;
    }
    if (isa<StmtExpr>(e)) {
      if (containsMigratingCall(ctx, e))
        unsupported(e, "a statement expression");
      return;
    }
    if (auto *call = dyn_cast<CallExpr>(e); call && ctx.isMigratingCall(call)) {
      if (conditional) {
        unsupported(call, conditional);
        return;
      }
      for (Expr *arg : call->arguments())
        hoist(arg, nullptr);
      site(call);
      return;
    }
    for (Stmt *child : e->children())
      if (auto *ce = dyn_cast_or_null<Expr>(child))
        hoist(ce, conditional);
  }

  bool within(SourceRange inner, SourceRange outer) const {
    auto b = [&](SourceLocation l) { return ctx.sm.getFileOffset(ctx.sm.getExpansionLoc(l)); };
    return b(inner.getBegin()) >= b(outer.getBegin()) &&
           b(inner.getEnd()) <= b(outer.getEnd());
  }

  // The temporaries an item's text reads are consumed by that item.
  void consume(SourceRange range, unsigned item) {
    for (Temp &t : temps)
      if (t.use == ~0u && within(t.replaced, range))
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
      Temp t{"hm_a" + std::to_string(k) + "_" + std::to_string(argNo),
             arg->getType().getUnqualifiedType(), ctx.where(arg->getBeginLoc()),
             static_cast<unsigned>(items.size())};
      t.replaced = arg->getSourceRange();
      consume(t.replaced, t.def);
      Item item;
      item.text = ctx.declare(t.type, t.name) + " = " + ctx.text(t.replaced) + ";";
      ctx.rw.ReplaceText(t.replaced, t.name);
      temps.push_back(t);
      items.push_back(item);
    }
    Item item;
    item.isSite = true;
    item.site = k;
    const unsigned index = static_cast<unsigned>(items.size());
    consume(call->getSourceRange(), index);
    std::string callText = ctx.text(call->getSourceRange());
    std::string replacement;
    QualType type = call->getType();
    if (type->isVoidType() || call == wholeExpr) {
      item.call = callText + ";";
      replacement = call == wholeExpr ? "" : "((void)0)";
    } else {
      Temp r{"hm_r" + std::to_string(k), type.getUnqualifiedType(),
             ctx.where(call->getBeginLoc()), index};
      r.replaced = call->getSourceRange();
      item.call = ctx.declare(r.type, r.name) + " = " + callText + ";";
      replacement = r.name;
      temps.push_back(r);
    }
    ctx.rw.ReplaceText(call->getSourceRange(), replacement);
    items.push_back(item);
  }

  // What leaves the function once its frame is saved.
  std::string leave() const {
    if (frame.isMain)
      return "hm_rt_capture_complete(); goto hm_dispatch;";
    QualType rt = frame.fn->getReturnType().getUnqualifiedType();
    if (rt->isVoidType())
      return "return;";
    return "{ " + ctx.declare(rt, "hm_z") +
           "; __builtin_memset(&hm_z, 0, sizeof hm_z); return hm_z; }";
  }

  std::string siteText(unsigned index) {
    const Item &item = items[index];
    struct Live {
      std::string name;
      unsigned var;
      bool addressable;
    };
    std::vector<Live> live;
    for (const auto &scope : scopes)
      for (const VarDecl *vd : scope) {
        if (vd->getType()->isVariablyModifiedType()) {
          ctx.error(vd->getLocation(),
                    "a call that may migrate in the scope of a variable-length "
                    "array is not supported yet");
          continue;
        }
        std::string name = ctx.nameOf(vd);
        live.push_back({name,
                        frame.addVar({name, vd->getType(), ctx.where(vd->getLocation())}),
                        ctx.addressable.count(vd) > 0});
      }
    std::string zero;
    for (const Temp &t : temps) {
      if (t.def < index && t.use > index)
        live.push_back({t.name, frame.addVar({t.name, t.type, t.where}), false});
      else if (t.def < index && t.use == index)
        zero += "__builtin_memset((void *)&" + t.name + ", 0, sizeof " + t.name + "); ";
    }
    const std::string k = std::to_string(item.site);
    // Restore binds the variables pointers may point to first, at their new
    // addresses, then loads the others by value.
    std::string bind, load, save;
    for (const Live &v : live) {
      const std::string slot = std::to_string(v.var);
      if (v.addressable) {
        bind += "hm_rt_bind(" + slot + ", (void *)&" + v.name + "); ";
        save += "__builtin_memcpy(hm_rt_save_slot_at(" + slot + ", &" + v.name +
                "), &" + v.name + ", sizeof " + v.name + "); ";
      } else {
        load += "__builtin_memcpy((void *)&" + v.name + ", hm_rt_load_slot(" + slot +
                "), sizeof " + v.name + "); ";
        save += "__builtin_memcpy(hm_rt_save_slot(" + slot + "), &" + v.name +
                ", sizeof " + v.name + "); ";
      }
    }
    return "if (0) { hm_restore_" + k + ": ; " + bind + load + zero + "} " + item.call +
           " if (__builtin_expect(hm_rt_mode == HM_MODE_CAPTURE, 0)) { "
           "hm_rt_save_frame(&" + frame.tableName + ", " + k + "); " + save +
           leave() + " } ";
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
    if (migrates)
      SiteRewriter(ctx, frame).function(fn);
    ctx.frames.push_back(std::move(frame));
  }
}

} // namespace hm
