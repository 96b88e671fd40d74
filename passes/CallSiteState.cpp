// CallSiteState.cpp — the helpers the pieces of the call-site rewrite share.
#include "CallSiteState.h"

#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace hm::callsites {

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

void CallSiteState::unsupported(const Stmt *s, const std::string &where) {
  refuse(s->getBeginLoc(), "it has a call that may migrate in " + where);
}

void CallSiteState::refuse(SourceLocation loc, const std::string &why) {
  if (refusal.second.empty())
    refusal = {loc, why};
}

bool CallSiteState::mayRead(const VarDecl *vd, const Item &item) {
  if (!item.point)
    return true;
  if (!liveness)
    liveness = std::make_unique<FunctionLiveness>(ctx, frame.fn);
  if (const auto *call = dyn_cast<CallExpr>(item.point))
    return liveness->liveAfterCall(vd, call);
  return item.header ? liveness->liveAtHeader(vd, item.point)
                     : liveness->liveAround(vd, item.point);
}

bool CallSiteState::deadThroughout(const VarDecl *vd, unsigned depth) {
  if (depth >= loops.size() || !loops[depth])
    return false;
  if (!liveness)
    liveness = std::make_unique<FunctionLiveness>(ctx, frame.fn);
  return !liveness->liveAround(vd, loops[depth]);
}

void CallSiteState::openScope() {
  scopes.push_back({{}, static_cast<unsigned>(loopHoldsAddressable.size())});
}

bool CallSiteState::declaresAddressable(const Stmt *s) const {
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

bool CallSiteState::inVariablyModifiedScope() const {
  for (const Scope &scope : scopes)
    if (!scope.declarations.empty())
      return true;
  return false;
}

void CallSiteState::closeAfter(Stmt *s, const std::string &text) {
  SourceLocation afterSemi = Lexer::findLocationAfterToken(
      s->getEndLoc(), tok::semi, ctx.sm, ctx.ast.getLangOpts(), false);
  if (afterSemi.isValid())
    ctx.rw->InsertTextAfter(afterSemi, text);
  else
    ctx.rw->InsertTextAfterToken(s->getEndLoc(), text);
}

std::string CallSiteState::routeThrough(unsigned first, unsigned label) {
  std::string cases;
  for (unsigned k = first + 1; k <= frame.nsites; ++k) {
    cases += "case " + std::to_string(k) + ": goto " + frame.entryOf(k) + "; ";
    frame.siteEntry[k] = label;
  }
  return cases;
}

} // namespace hm::callsites
