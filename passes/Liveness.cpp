// Liveness.cpp — backward liveness of a function's plain locals on clang's CFG.
#include "Liveness.h"

#include "RestoreLinks.h"

#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"

using namespace clang;

namespace hm {

namespace {

// The locals the analysis may follow; those it must not (read where the CFG
// does not show it); and whether the function calls one that returns twice
// (setjmp, vfork: a longjmp comes back by an edge the CFG does not have).
struct Locals : RecursiveASTVisitor<Locals> {
  std::vector<const VarDecl *> found;
  llvm::DenseSet<const VarDecl *> unseen;
  bool returnsTwice = false;
  unsigned inHiddenReads = 0;

  bool VisitVarDecl(VarDecl *vd) {
    if (vd->hasLocalStorage())
      found.push_back(vd);
    // Its cleanup reads it at the scope's end (the CFG has no such element).
    if (vd->hasAttr<CleanupAttr>())
      unseen.insert(vd);
    return true;
  }
  bool VisitCallExpr(CallExpr *c) {
    const FunctionDecl *callee = c->getDirectCallee();
    returnsTwice |= callsites::isSetjmp(c) || (callee && callee->hasAttr<ReturnsTwiceAttr>());
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *r) {
    if (inHiddenReads)
      if (const auto *vd = dyn_cast<VarDecl>(r->getDecl()))
        unseen.insert(vd);
    return true;
  }
  // The sizes in a variably modified type (`double (*g)[cols]`, a cast to
  // one) are evaluated where it is, but clang's CFG shows only those of a
  // plain variable-length array.
  bool TraverseVariableArrayTypeLoc(VariableArrayTypeLoc tl) {
    ++inHiddenReads;
    const bool more = RecursiveASTVisitor::TraverseVariableArrayTypeLoc(tl);
    --inHiddenReads;
    return more;
  }
  // A declaration of a variably modified type runs again on a restore
  // (RestoreLinks.cpp), its other declarators' initialisers with it.
  bool TraverseDeclStmt(DeclStmt *ds) {
    const bool again = callsites::declaresVariablyModified(ds);
    inHiddenReads += again;
    const bool more = RecursiveASTVisitor::TraverseDeclStmt(ds);
    inHiddenReads -= again;
    return more;
  }
};

// A function whose CFG has more elements than this is not analysed (all its
// variables are taken as live): the sets would cost more than they save.
constexpr std::size_t maxElements = 200000;

} // namespace

FunctionLiveness::FunctionLiveness(const InstrumentContext &ctx, const FunctionDecl *fn)
    : ctx(ctx) {
  compute(fn);
}

bool FunctionLiveness::tracked(const VarDecl *vd) const { return index.count(vd) > 0; }

void FunctionLiveness::compute(const FunctionDecl *fn) {
  Stmt *body = fn->getBody();
  if (!body)
    return;
  Locals locals;
  for (const ParmVarDecl *p : fn->parameters())
    locals.found.push_back(p);
  locals.TraverseStmt(body);
  if (locals.returnsTwice)
    return;
  for (const VarDecl *vd : locals.found) {
    const QualType type = vd->getType();
    if (ctx.addressable.count(vd) || locals.unseen.count(vd) || type.isVolatileQualified() || type->isArrayType() ||
        type->isVariablyModifiedType() || type->isReferenceType() || index.count(vd))
      continue;
    const unsigned n = index.size();
    index[vd] = n;
  }
  if (index.empty())
    return;
  CFG::BuildOptions options;
  options.setAllAlwaysAdd();
  options.PruneTriviallyFalseEdges = false; // every edge the program has
  cfg = CFG::buildCFG(fn, body, &ctx.ast, options);
  if (!cfg)
    return;

  // Where each statement is an element (a synthetic declaration of one of
  // several declarators counts for its original statement too).
  llvm::DenseMap<const Stmt *, const Stmt *> original;
  for (const auto &[synthetic, from] : cfg->synthetic_stmts())
    original[synthetic] = from;
  std::size_t count = 0;
  for (const CFGBlock *block : *cfg) {
    if (const Stmt *t = block->getTerminatorStmt())
      terminatorOf[t] = block;
    for (const CFGElement &e : *block)
      if (std::optional<CFGStmt> cs = e.getAs<CFGStmt>()) {
        const Stmt *st = cs->getStmt();
        elements.insert(st);
        blockOf[st] = block;
        if (const Stmt *from = original.lookup(st))
          blockOf[from] = block;
        if (const auto *bo = dyn_cast<BinaryOperator>(st); bo && bo->getOpcode() == BO_Assign)
          if (const auto *ref = dyn_cast<DeclRefExpr>(bo->getLHS()->IgnoreParens()))
            assigned.insert(ref);
        ++count;
      }
  }
  if (count > maxElements)
    return;

  const unsigned vars = index.size();
  liveIn.assign(cfg->getNumBlockIDs(), llvm::BitVector(vars));
  liveOut.assign(cfg->getNumBlockIDs(), llvm::BitVector(vars));
  for (bool changed = true; changed;) {
    changed = false;
    // Blocks are numbered roughly in reverse order of execution; go by
    // increasing ID so that a block sees its successors' new sets soon.
    for (const CFGBlock *block : llvm::reverse(*cfg)) {
      llvm::BitVector out(vars);
      for (const CFGBlock::AdjacentBlock &succ : block->succs()) {
        const CFGBlock *b = succ.getReachableBlock();
        if (!b)
          b = succ.getPossiblyUnreachableBlock();
        if (b)
          out |= liveIn[b->getBlockID()];
      }
      llvm::BitVector live = out;
      for (auto e = block->rbegin(); e != block->rend(); ++e)
        if (std::optional<CFGStmt> cs = e->getAs<CFGStmt>())
          transfer(cs->getStmt(), live);
      const unsigned id = block->getBlockID();
      if (out != liveOut[id] || live != liveIn[id]) {
        liveOut[id] = std::move(out);
        liveIn[id] = std::move(live);
        changed = true;
      }
    }
  }
  for (const CFGBlock *block : *cfg) {
    llvm::BitVector live = liveOut[block->getBlockID()];
    for (auto e = block->rbegin(); e != block->rend(); ++e)
      if (std::optional<CFGStmt> cs = e->getAs<CFGStmt>()) {
        const Stmt *st = cs->getStmt();
        transfer(st, live);
        for (const Stmt *key : {st, original.lookup(st)}) {
          if (!key)
            continue;
          auto [at, fresh] = elementIndex.try_emplace(key, liveBefore.size());
          if (fresh)
            liveBefore.push_back(live);
          else
            liveBefore[at->second] |= live;
        }
      }
  }
  parents = std::make_unique<ParentMap>(body);
  enabled = true;
}

// The variables |element| reads, after what it writes is taken out.
void FunctionLiveness::transfer(const Stmt *element, llvm::BitVector &live) const {
  if (const auto *bo = dyn_cast<BinaryOperator>(element); bo && bo->getOpcode() == BO_Assign) {
    if (const auto *ref = dyn_cast<DeclRefExpr>(bo->getLHS()->IgnoreParens()))
      if (const auto *vd = dyn_cast<VarDecl>(ref->getDecl()); vd && tracked(vd))
        live.reset(index.lookup(vd));
  } else if (const auto *ds = dyn_cast<DeclStmt>(element)) {
    // A declaration without an initialiser writes nothing: a program may read
    // what an earlier iteration left there.
    for (const Decl *d : ds->decls())
      if (const auto *vd = dyn_cast<VarDecl>(d); vd && vd->getInit() && tracked(vd))
        live.reset(index.lookup(vd));
  }
  gen(element, live);
}

// The reads in |s|, but not in its subexpressions that are elements of their own.
void FunctionLiveness::gen(const Stmt *s, llvm::BitVector &live) const {
  if (const auto *ref = dyn_cast<DeclRefExpr>(s)) {
    if (const auto *vd = dyn_cast<VarDecl>(ref->getDecl()); vd && tracked(vd) &&
                                                           !assigned.count(ref))
      live.set(index.lookup(vd));
    return;
  }
  for (const Stmt *child : s->children())
    if (child && !elements.count(child))
      gen(child, live);
}

const llvm::BitVector *FunctionLiveness::before(const Stmt *s) const {
  auto at = elementIndex.find(s);
  return at == elementIndex.end() ? nullptr : &liveBefore[at->second];
}

bool FunctionLiveness::liveAfterCall(const VarDecl *vd, const CallExpr *call) {
  if (!enabled || !tracked(vd))
    return true;
  const llvm::BitVector *live = before(call); // a call's element reads nothing itself
  if (!live || live->test(index.lookup(vd)))
    return true;
  // The statement's text from the call on runs again after a restore: its
  // whole expression counts as read.
  const Stmt *whole = call;
  for (const Stmt *up = parents->getParent(whole); up && isa<Expr>(up);
       up = parents->getParent(whole))
    whole = up;
  // In a declaration: all of it (its declarators' sizes and initialisers).
  if (const Stmt *up = parents->getParent(whole); up && isa<DeclStmt>(up))
    whole = up;
  struct Reads : RecursiveASTVisitor<Reads> {
    const FunctionLiveness &l;
    const VarDecl *vd;
    bool found = false;
    Reads(const FunctionLiveness &l, const VarDecl *vd) : l(l), vd(vd) {}
    bool VisitDeclRefExpr(DeclRefExpr *ref) {
      found |= ref->getDecl() == vd && !l.assigned.count(ref);
      return !found;
    }
  } finder(*this, vd);
  finder.TraverseStmt(const_cast<Stmt *>(whole));
  return finder.found;
}

bool FunctionLiveness::liveAtHeader(const VarDecl *vd, const Stmt *loop) {
  if (!enabled || !tracked(vd))
    return true;
  // The header polls right before the condition (a for loop's increment is
  // before it): what is live at the condition's first element. The condition
  // may span blocks (&&, ||, ?:), and the loop's terminator is on the last.
  const Expr *cond = nullptr;
  if (const auto *w = dyn_cast<WhileStmt>(loop))
    cond = w->getCond();
  else if (const auto *f = dyn_cast<ForStmt>(loop))
    cond = f->getCond();
  return liveAround(vd, cond ? static_cast<const Stmt *>(cond) : loop);
}

bool FunctionLiveness::liveAround(const VarDecl *vd, const Stmt *region) {
  if (!enabled || !tracked(vd))
    return true;
  auto cached = regions.find(region);
  if (cached == regions.end()) {
    // Every point in the region and every way out of it: the loop's header
    // comes before one of its elements, its exits leave blocks that have one.
    llvm::BitVector live(index.size());
    llvm::DenseSet<const CFGBlock *> withElements, terminated;
    struct Walk : RecursiveASTVisitor<Walk> {
      std::vector<const Stmt *> stmts;
      bool VisitStmt(Stmt *s) {
        stmts.push_back(s);
        return true;
      }
    } walk;
    walk.TraverseStmt(const_cast<Stmt *>(region));
    for (const Stmt *s : walk.stmts) {
      if (const llvm::BitVector *b = before(s)) {
        live |= *b;
        if (const CFGBlock *block = blockOf.lookup(s))
          withElements.insert(block);
      }
      if (const CFGBlock *block = terminatorOf.lookup(s))
        terminated.insert(block);
    }
    for (const CFGBlock *block : withElements)
      live |= liveOut[block->getBlockID()];
    for (const CFGBlock *block : terminated) {
      live |= liveOut[block->getBlockID()];
      if (!withElements.count(block))
        live |= liveIn[block->getBlockID()];
    }
    cached = regions.try_emplace(region, std::move(live)).first;
  }
  return cached->second.test(index.lookup(vd));
}

} // namespace hm
