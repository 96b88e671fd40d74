// Hoister.cpp — hoists the calls that may migrate out of expressions, in C's evaluation order.
//
// Each such call becomes an item of its own (a site) before its statement, its
// value a temporary (hm_rK) the statement reads instead; arguments with side
// effects are evaluated once, before the site. &&, || and ?: become if
// statements that keep their conditional evaluation; a comma's left operand
// becomes a statement.
#include "Hoister.h"

#include <algorithm>

#include "CallSiteState.h"
#include "SiteEmitter.h"

#include "clang/AST/Expr.h"

#include <algorithm>

using namespace clang;

namespace hm::callsites {

namespace {

// An argument that can be evaluated again without effect: a name or a constant.
bool isSimpleArgument(const Expr *e) {
  e = e->IgnoreParenImpCasts();
  return isa<DeclRefExpr>(e) || isa<IntegerLiteral>(e) || isa<FloatingLiteral>(e) ||
         isa<CharacterLiteral>(e) || isa<StringLiteral>(e);
}

// `name = value;`, or, for a struct (which may have const members), a copy
// through an initialised object.
std::string assign(const std::string &name, QualType type, const std::string &value) {
  if (!type->isRecordType())
    return name + " = " + value + ";";
  return "{ __typeof__(" + name + ") hm_v = " + value + "; __builtin_memcpy(&" + name +
         ", &hm_v, sizeof " + name + "); }";
}

// The hoisting of one statement's expressions into s.items and s.temps.
class Hoister {
public:
  Hoister(CallSiteState &s, const Expr *wholeExpr, bool wholeInParens)
      : s(s), ctx(s.ctx), frame(s.frame), items(s.items), temps(s.temps),
        wholeExpr(wholeExpr), wholeInParens(wholeInParens) {}

  // Walks |e| in evaluation order and hoists what must be hoisted.
  void hoist(Expr *e) {
    if (!e || isUnevaluated(e) || !s.has(e))
      return;
    if (auto *bo = dyn_cast<BinaryOperator>(e)) {
      if (bo->isLogicalOp() && s.has(bo->getRHS()))
        return logical(bo);
      if (bo->getOpcode() == BO_Comma && s.has(bo->getRHS()))
        return comma(bo);
    }
    if (auto *co = dyn_cast<ConditionalOperator>(e)) {
      if (s.has(co->getTrueExpr()) || s.has(co->getFalseExpr()))
        return conditional(co);
    }
    if (isa<BinaryConditionalOperator>(e))
      return s.unsupported(e, "a ?: without a middle operand");
    if (isa<StmtExpr>(e))
      return s.unsupported(e, "a statement expression");
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

private:
  // Takes from |text| the opens its first token holds of wrapped stores that
  // end after it (an index written first, `f(x)[(char *)p] = v`): they stay
  // where the range was.
  std::string withoutOpens(SourceRange range, std::string &text) const {
    const std::string opens = ctx.prependedTo(range.getBegin(), range.getEnd());
    if (!llvm::StringRef(text).startswith(opens))
      return {};
    text.erase(0, opens.size());
    return opens;
  }

  CallSiteState &s;
  InstrumentContext &ctx;
  FunctionFrame &frame;
  std::vector<Item> &items;
  std::vector<Temp> &temps;
  const Expr *wholeExpr;
  bool wholeInParens; // `(f(x));`: the parentheses stay, around a no-op

  unsigned itemIndex() const { return static_cast<unsigned>(items.size()); }

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

  // A conditional's value is assigned at the end of each branch, after any
  // site in it: defined (worth saving) only from its last item on. Saved at a
  // site in a branch, it was uninitialised: a value that did not fit in 32
  // bits refused a move to armhf.
  void assignedLast(std::size_t temp) { temps[temp].def = itemIndex() - 1; }

  // a && b, a || b: b is evaluated only when it counts.
  void logical(BinaryOperator *bo) {
    hoist(bo->getLHS());
    const std::string n = std::to_string(++s.labels);
    const std::size_t temp = temps.size();
    const std::string name = newTemp("hm_c" + n, ctx.ast.IntTy, bo->getSourceRange()).name;
    const std::string lhs = ctx.text(bo->getLHS()->getSourceRange());
    const bool isAnd = bo->getOpcode() == BO_LAnd;
    addText((isAnd ? "if (" : "if (!(") + lhs + (isAnd ? ") {" : ")) {"),
            bo->getLHS()->getSourceRange());
    hoist(bo->getRHS());
    addText(name + " = (" + ctx.text(bo->getRHS()->getSourceRange()) + ") != 0; } else " +
                name + " = " + (isAnd ? "0;" : "1;"),
            bo->getRHS()->getSourceRange());
    assignedLast(temp);
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
      return s.unsupported(co, "a ?: whose value is a pointer to a variable-length array");
    const bool isVoid = co->getType()->isVoidType();
    std::string name;
    const std::size_t temp = temps.size();
    if (!isVoid)
      name = newTemp("hm_c" + std::to_string(++s.labels), co->getType(),
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
    if (!isVoid)
      assignedLast(temp);
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
      // The size a placing call is asked for, kept for its placement.
      std::string keep;
      for (const InstrumentContext::Wrap &w : ctx.allocWraps)
        if (w.call == call && w.sizeArg == arg)
          keep = w.site;
      const auto keepSize = [&](const std::string &value) {
        return keep.empty() ? value : ctx.keptSizeOpen(arg) + value + ctx.keptSizeClose(keep);
      };
      // A call hoisted before is already a temporary's name.
      const auto *inner = dyn_cast<CallExpr>(arg->IgnoreParenImpCasts());
      if (isSimpleArgument(arg) || (inner && ctx.isMigratingCall(inner))) {
        if (!keep.empty())
          ctx.replace(arg->getSourceRange(), keepSize(ctx.text(arg->getSourceRange())));
        continue;
      }
      const SourceRange range = arg->getSourceRange();
      const std::string value = ctx.text(range);
      const std::string name = "hm_a" + std::to_string(k) + "_" + std::to_string(argNo);
      // A temporary of a variably modified type could not be jumped over: a
      // pointer to an array of n elements passes as a void *.
      const QualType type =
          arg->getType()->isVariablyModifiedType() ? ctx.ast.VoidPtrTy : arg->getType();
      addText(assign(name, type, value), range);
      newTemp(name, type, range).def = itemIndex() - 1;
      ctx.replace(range, keepSize(name));
    }
    // A call through a pointer: the pointer too is evaluated once, and it stays
    // live across the call, for the restore re-issues the call through it.
    const Expr *callee = call->getCallee()->IgnoreParenImpCasts();
    std::size_t calleeTemp = ~std::size_t(0);
    if (!call->getDirectCallee() && !isa<DeclRefExpr>(callee)) {
      const SourceRange range = call->getCallee()->getSourceRange();
      const std::string name = "hm_f" + std::to_string(k);
      std::string calleeText = ctx.text(range);
      const std::string opens = withoutOpens(range, calleeText);
      addText(name + " = " + calleeText + ";", range);
      newTemp(name, call->getCallee()->getType(), range).def = itemIndex() - 1;
      calleeTemp = temps.size() - 1;
      ctx.replace(range, opens + name);
    }
    Item item;
    item.isSite = true;
    item.site = k;
    item.point = call;
    const unsigned index = itemIndex();
    consume(call->getSourceRange(), index);
    if (calleeTemp != ~std::size_t(0))
      temps[calleeTemp].use = index + 1;
    // The call's arguments stay live across it when a restore must pass them
    // again as they were: a callee with a parameter `double a[n][m]` computes
    // its bounds from them on entry, and a C library call that waits for
    // input (waitingInput) is made again.
    const auto keepArguments = [&] {
      for (Temp &t : temps)
        if (t.use == index && t.name.rfind("hm_a" + std::to_string(k) + "_", 0) == 0)
          t.use = index + 1;
    };
    if (const FunctionDecl *callee = call->getDirectCallee()) {
      if (std::any_of(callee->param_begin(), callee->param_end(), [](const ParmVarDecl *p) {
            return p->getType()->isVariablyModifiedType();
          }))
        keepArguments();
      if (ctx.waitingInput(callee))
        keepArguments();
    }
    // A C library call that may wait for input waits in libhmrt, at a migration point.
    if (const FunctionDecl *callee = call->getDirectCallee())
      if (const char *name = ctx.waitingInput(callee))
        ctx.replace(call->getCallee()->getSourceRange(), std::string("hm_rt_") + name);
    // Not what was put after the call's last token for what ends with it:
    // the close of a wrapped store around the call (`*(int *)f(4) = v`) or
    // of a kept size (`malloc(n * f())`). It stays where the call was.
    std::string callText = ctx.text(call->getSourceRange(), false);
    const std::string opens = withoutOpens(call->getSourceRange(), callText);
    std::string closes = ctx.appendedTo(call->getEndLoc());
    if (llvm::StringRef(callText).endswith(closes))
      callText.resize(callText.size() - closes.size());
    else
      closes.clear();
    // An allocation call that says what it allocates is wrapped where it is
    // now made (its old place may be inside text this hoister moves again).
    for (const InstrumentContext::Wrap &w : ctx.allocWraps)
      if (w.call == call) {
        callText = w.function + "(" + callText + ", &" + w.site + ")";
        ctx.movedWraps.insert(call);
      }
    std::string replacement;
    QualType type = call->getType();
    if (type->isVoidType() || call == wholeExpr) {
      item.call = callText + ";";
      replacement = call == wholeExpr && !wholeInParens ? "" : "((void)0)";
    } else {
      const std::string name = "hm_r" + std::to_string(k);
      item.call = assign(name, type, callText);
      replacement = name;
      // A cast of the value to a number (address-numbers) takes it of the temporary.
      for (const Expr *operand : ctx.numberWraps)
        if (operand->IgnoreParens() == call) {
          replacement = "hm_rt_number(" + name + ")";
          ctx.movedNumberWraps.insert(operand);
        }
      newTemp(name, type, call->getSourceRange()); // defined by this item
    }
    ctx.replace(call->getSourceRange(), opens + replacement + closes);
    items.push_back(item);
  }
};

} // namespace

std::string hoistAll(CallSiteState &s, std::vector<Expr *> exprs, const Expr *whole) {
  s.items.clear();
  s.temps.clear();
  Hoister hoister(s, whole, whole && !exprs.empty() && exprs[0] != whole);
  for (Expr *e : exprs)
    hoister.hoist(e);
  // A restore at one of these sites runs the rest of the statement again, from
  // its first expression on.
  SourceLocation from;
  const SourceManager &sm = s.ctx.ast.getSourceManager();
  for (const Expr *e : exprs)
    if (e && (from.isInvalid() || sm.isBeforeInTranslationUnit(e->getBeginLoc(), from)))
      from = e->getBeginLoc();
  for (const Item &item : s.items)
    if (item.isSite && from.isValid())
      s.frame.siteFrom[item.site] = from;
  for (Temp &t : s.temps)
    if (t.use == ~0u)
      t.use = static_cast<unsigned>(s.items.size());
  std::string text;
  for (const Temp &t : s.temps)
    text += s.ctx.declare(t.type, t.name) + "; ";
  for (unsigned i = 0; i < s.items.size(); ++i)
    text += s.items[i].isSite ? siteText(s, i) : s.items[i].text + " ";
  return text;
}

} // namespace hm::callsites
