// RestoreLinks.cpp — the restore chain's links that run code again: setjmps and variably modified declarations.
//
// A restore goes from the function's entry to its site through a chain of
// links, each sending it on to the next one in: loops' preheaders and headers
// (CallSites.cpp), and the links here, which run a statement of the program
// again on the way because a jump over it would be wrong: a setjmp, whose
// jmp_buf must be armed for the new frame, and a declaration of a variably
// modified type, whose scope C forbids a jump into.
#include "RestoreLinks.h"

#include "CallSiteState.h"
#include "LoopFacts.h"
#include "SiteEmitter.h"

#include "clang/AST/RecursiveASTVisitor.h"

#include <algorithm>

using namespace clang;

namespace hm::callsites {

namespace {

struct SetjmpFinder : RecursiveASTVisitor<SetjmpFinder> {
  std::set<const CallExpr *> &found;
  explicit SetjmpFinder(std::set<const CallExpr *> &found) : found(found) {}
  bool VisitCallExpr(CallExpr *c) {
    if (isSetjmp(c))
      found.insert(c);
    return true;
  }
};

// The locals (and parameters) an expression names.
std::vector<const VarDecl *> referencedLocals(const CallSiteState &s, const Stmt *st) {
  std::vector<const VarDecl *> out;
  if (!st)
    return out;
  if (const auto *r = dyn_cast<DeclRefExpr>(st))
    if (const auto *vd = dyn_cast<VarDecl>(r->getDecl()); vd && vd->hasLocalStorage())
      for (const Scope &scope : s.scopes)
        for (const VarDecl *in : scope.vars)
          if (in == vd)
            out.push_back(vd);
  for (const Stmt *child : st->children())
    for (const VarDecl *vd : referencedLocals(s, child))
      out.push_back(vd);
  return out;
}

// A variable of the whole function, declared before its entry dispatch.
void declareAtEntry(CallSiteState &s, const std::string &declaration) {
  s.ctx.rw->InsertTextAfterToken(cast<CompoundStmt>(s.frame.fn->getBody())->getLBracLoc(),
                                 " " + declaration);
}

// See Setjmp. `if (setjmp(b)) ...` -> `if (0) { hm_pre_N: <load what b names,
// and hm_sjN> hm_sjwN = hm_sjN; } hm_sjN = setjmp(b); if (RESTORING) { if
// (!hm_sjN && hm_sjwN) longjmp(b, hm_sjwN); switch (hm_site) { <its sites> } }
// if (hm_sjN) ...`. main's ways back need not pass: there the frame and its
// jmp_buf stay where they were.
void rearmOnRestore(CallSiteState &s, const Setjmp &sj) {
  InstrumentContext &ctx = s.ctx;
  if (s.frame.nsites == sj.lastSiteBefore)
    return;
  const std::string n = std::to_string(++s.labels);
  const std::string was = "hm_sjw" + sj.result.substr(5);
  const Expr *buffer = sj.call->getArg(0);
  // Every variable of this depth in scope is loaded before the setjmp, not
  // only at the site: a longjmp brings back the registers the setjmp saw, and
  // a value loaded after it would be lost (the program did not change it).
  // Outer ones came in at the preheaders on the way.
  std::vector<Live> load;
  for (const VarDecl *vd : sj.inScope)
    if (!portable(ctx.ast, vd->getType())->isVariablyModifiedType())
      load.push_back(liveVar(s, vd));
  for (const VarDecl *vd : referencedLocals(s, buffer))
    load.push_back(liveVar(s, vd));
  load.push_back(keptVar(s, sj.result, ctx.ast.IntTy));
  const llvm::StringRef name = sj.call->getDirectCallee()->getName();
  const std::string jump = name.contains("sigsetjmp") ? "siglongjmp" : "longjmp";
  const std::string call = ctx.text(sj.call->getSourceRange());
  const std::string bufferText = ctx.text(buffer->getSourceRange());
  const std::string cases = s.routeThrough(sj.lastSiteBefore, s.labels);
  declareAtEntry(s, "int " + sj.result + " = 0, " + was + " = 0;");
  ctx.replace(sj.call->getSourceRange(), sj.result);
  ctx.rw->InsertText(sj.statement->getBeginLoc(),
                     "if (0) { hm_pre_" + n + ": ; " + restoreText(s.frame, load) + was + " = " +
                         sj.result + "; } " + sj.result + " = " + call +
                         "; if (__builtin_expect(hm_rt_mode & HM_MODE_RESTORE, 0)) { if (!" +
                         sj.result + " && " + was + ") " + jump + "(" + bufferText + ", " +
                         was + "); switch (hm_site) { " +
                         cases + "} } ",
                     /*InsertAfter=*/true);
}

// `T (*p)[n] = init;` -> `if (0) { hm_pre_N: <load hm_n1> }
// T (*p)[RESTORING ? hm_n1 : (hm_n1 = (n))] = RESTORING ? 0 : (init);
// if (RESTORING) switch (hm_site) { <its sites> }`: a restore of a site in its
// scope comes through hm_pre_N; the declaration runs again with the sizes it
// had, and its initialiser does not. main's ways back to those sites follow it.
void rerunOnRestore(CallSiteState &s, const VariablyModified &vm) {
  InstrumentContext &ctx = s.ctx;
  FunctionFrame &frame = s.frame;
  if (frame.nsites == vm.lastSiteBefore)
    return;
  const std::string restoring = "(hm_rt_mode & HM_MODE_RESTORE)";
  const unsigned n = ++s.labels;
  std::vector<Live> sizes;
  for (const auto &[expr, name] : vm.sizes) {
    sizes.push_back(keptVar(s, name, ctx.ast.getSizeType()));
    ctx.replace(expr->getSourceRange(), "(" + restoring + " ? " + name + " : (" + name +
                                            " = (" + ctx.text(expr->getSourceRange()) + ")))");
    declareAtEntry(s, ctx.declare(ctx.ast.getSizeType(), name) + ";");
  }
  for (Decl *d : vm.ds->decls())
    if (auto *vd = dyn_cast<VarDecl>(d); vd && vd->hasLocalStorage() && vd->getInit() &&
                                          vd->getType()->isScalarType() &&
                                          !isa<InitListExpr>(vd->getInit()))
      ctx.replace(vd->getInit()->getSourceRange(),
                  restoring + " ? 0 : (" + ctx.text(vd->getInit()->getSourceRange()) + ")");
  ctx.rw->InsertText(vm.ds->getBeginLoc(),
                     "if (0) { hm_pre_" + std::to_string(n) + ": ; " +
                         restoreText(frame, sizes) + "} ",
                     /*InsertAfter=*/true);
  const std::string cases = s.routeThrough(vm.lastSiteBefore, n);
  std::string again;
  for (unsigned k = vm.lastSiteBefore + 1; k <= frame.nsites; ++k)
    if (frame.isMain && frame.againAfterDeclaration.insert(k).second)
      again += frame.againText(k) + " ";
  s.closeAfter(vm.ds, " if (__builtin_expect(" + restoring + ", 0)) switch (hm_site) { " +
                          cases + "}" + (again.empty() ? "" : " if (0) { " + again + "}"));
}

} // namespace

bool isSetjmp(const CallExpr *call) {
  const FunctionDecl *callee = call ? call->getDirectCallee() : nullptr;
  if (!callee)
    return false;
  const llvm::StringRef name = callee->getName();
  return name == "setjmp" || name == "_setjmp" || name == "sigsetjmp" ||
         name == "__sigsetjmp";
}

void findSetjmps(Stmt *body, std::set<const CallExpr *> &found) {
  SetjmpFinder(found).TraverseStmt(body);
}

const CallExpr *armingSetjmp(const CallSiteState &s, const Stmt *st) {
  const Expr *cond = nullptr;
  if (const auto *i = dyn_cast<IfStmt>(st); i && !i->getInit() && !i->getConditionVariable())
    cond = i->getCond();
  else if (const auto *sw = dyn_cast<SwitchStmt>(st); sw && !sw->getInit() &&
                                                      !sw->getConditionVariable())
    cond = sw->getCond();
  else if (const auto *e = dyn_cast<Expr>(st))
    cond = e;
  else if (const auto *ds = dyn_cast<DeclStmt>(st); ds && ds->isSingleDecl())
    if (const auto *vd = dyn_cast<VarDecl>(ds->getSingleDecl());
        vd && vd->hasLocalStorage() && vd->getInit() && !vd->getType()->isVariablyModifiedType())
      cond = vd->getInit(); // `int r = setjmp(b);`, which C does not allow but compilers do
  if (!cond)
    return nullptr;
  const ASTContext &ast = s.ctx.ast;
  const Expr *e = cond->IgnoreParenCasts();
  if (const auto *u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_LNot)
    e = u->getSubExpr()->IgnoreParenCasts();
  if (const auto *b = dyn_cast<BinaryOperator>(e);
      b && (b->getOpcode() == BO_EQ || b->getOpcode() == BO_NE)) {
    const Expr *l = b->getLHS()->IgnoreParenCasts(), *r = b->getRHS()->IgnoreParenCasts();
    e = isa<CallExpr>(l) && constant(ast, r) ? l
        : isa<CallExpr>(r) && constant(ast, l) ? r
                                               : nullptr;
  }
  const auto *call = dyn_cast_or_null<CallExpr>(e);
  if (!isSetjmp(call) || call->getNumArgs() < 1 ||
      call->getArg(0)->HasSideEffects(ast) || containsMigratingCall(s.ctx, call))
    return nullptr;
  return call;
}

void noteSetjmp(CallSiteState &s, CompoundStmt *cs, Stmt *child, const CallExpr *arming) {
  const unsigned before = s.frame.nsites;
  s.unplacedSetjmps.erase(arming);
  const std::string result = "hm_sj" + std::to_string(++s.sizeNames);
  s.scopes.back().kept.push_back({result, s.ctx.ast.IntTy});
  // A pointer may point to a local declared after the setjmp, bound only
  // on the way on: such pointers are loaded at the sites instead.
  bool laterAddressable = false;
  for (auto rest = std::find(cs->body_begin(), cs->body_end(), child);
       rest != cs->body_end(); ++rest)
    laterAddressable |= s.declaresAddressable(*rest);
  std::vector<const VarDecl *> inScope;
  for (const Scope &scope : s.scopes)
    if (scope.depth == s.loopHoldsAddressable.size())
      for (const VarDecl *vd : scope.vars)
        if (!(laterAddressable && loadedAtSites(s.ctx, vd)))
          inScope.push_back(vd);
  s.scopes.back().reruns.push_back({true, s.scopes.back().setjmps.size()});
  s.scopes.back().setjmps.push_back({child, arming, before, result, std::move(inScope)});
}

bool declaresVariablyModified(const DeclStmt *ds) {
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

std::vector<Expr *> sizeExpressions(const DeclStmt *ds) {
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

void noteVariablyModified(CallSiteState &s, DeclStmt *ds) {
  VariablyModified vm{ds, s.frame.nsites, {}};
  for (Expr *size : sizeExpressions(ds)) {
    vm.sizes.push_back({size, "hm_n" + std::to_string(++s.sizeNames)});
    s.scopes.back().kept.push_back({vm.sizes.back().second, s.ctx.ast.getSizeType()});
  }
  s.scopes.back().reruns.push_back({false, s.scopes.back().declarations.size()});
  s.scopes.back().declarations.push_back(std::move(vm));
}

void nameItselfUnevaluated(CallSiteState &s, const VarDecl *vd, const Stmt *st,
                           bool unevaluated) {
  InstrumentContext &ctx = s.ctx;
  if (!st)
    return;
  if (const auto *r = dyn_cast<DeclRefExpr>(st); r && r->getDecl() == vd && unevaluated) {
    const std::string type = ctx.declare(ctx.ast.getPointerType(vd->getType()), "");
    // sizeof of a variable-length array evaluates it; a type without a name
    // cannot be spelt.
    if (vd->getType()->isVariablyModifiedType() || type.find("(unnamed") != std::string::npos ||
        type.find("(anonymous") != std::string::npos)
      return s.refuse(r->getBeginLoc(), "an initialiser with a call that may migrate names "
                                        "the variable it initialises");
    // (Not the close of a wrapped store it ends: `sizeof(*(int *)p = 0)`.)
    ctx.replace(r->getSourceRange(), "(*(" + type + ")0)" + ctx.appendedTo(r->getEndLoc()));
  }
  for (const Stmt *child : st->children())
    nameItselfUnevaluated(s, vd, child, unevaluated || isUnevaluated(st));
}

void linkReruns(CallSiteState &s) {
  // Last first: each sends the restore on to the next one in.
  const Scope &scope = s.scopes.back();
  for (auto r = scope.reruns.rbegin(); r != scope.reruns.rend(); ++r)
    if (r->first)
      rearmOnRestore(s, scope.setjmps[r->second]);
    else
      rerunOnRestore(s, scope.declarations[r->second]);
}

} // namespace hm::callsites
