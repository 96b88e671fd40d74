// AllocSites.cpp — allocation calls that say what they allocate tell the runtime:
// malloc(n * sizeof(T)) becomes hm_rt_malloc(n * sizeof(T), &site) (calloc:
// hm_rt_calloc), any other allocation call hm_rt_typed(realloc(p, n), &site), and
// a call of the program's own that hands out memory, (T *)f(..., sizeof(T)),
// hm_rt_place(f(...), &site): a T lives where it points, even inside a block.
#include "Passes.h"

#include "clang/Basic/Builtins.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace hm {

namespace {

// Which argument of each allocator gives the size in bytes.
int sizeArgument(llvm::StringRef name) {
  if (name == "malloc")
    return 0;
  if (name == "calloc" || name == "realloc" || name == "aligned_alloc" ||
      name == "memalign")
    return 1;
  if (name == "reallocarray")
    return 2;
  return -1;
}

// T when |e| is sizeof(T) or sizeof x (of type T); null otherwise.
QualType sizeofArgument(const Expr *e) {
  const auto *s = dyn_cast<UnaryExprOrTypeTraitExpr>(e->IgnoreParenImpCasts());
  return s && s->getKind() == UETT_SizeOf ? s->getTypeOfArgument() : QualType();
}

// The first sizeof among the terms and factors of |e|: malloc(n *
// sizeof(T)), sizeof *p, (n + 1) * sizeof(T) + 8, ... Not one under a choice
// or a call (`(nuv == 0 ? a : b + sizeof(U) * nuv) + size`), which says
// nothing of what the whole block holds.
const UnaryExprOrTypeTraitExpr *firstSizeof(const Expr *e) {
  if (!e)
    return nullptr;
  e = e->IgnoreParenCasts();
  if (!sizeofArgument(e).isNull())
    return cast<UnaryExprOrTypeTraitExpr>(e);
  const auto *bo = dyn_cast<BinaryOperator>(e);
  if (!bo || (bo->getOpcode() != BO_Mul && bo->getOpcode() != BO_Add))
    return nullptr;
  const UnaryExprOrTypeTraitExpr *s = firstSizeof(bo->getLHS());
  return s ? s : firstSizeof(bo->getRHS());
}

QualType sizeofType(const Expr *e) {
  const UnaryExprOrTypeTraitExpr *s = firstSizeof(e);
  return s ? s->getTypeOfArgument() : QualType();
}

// How the program spells the type a sizeof measures: the type written, or the
// declaration of the variable or field its operand reads (sizeof *p, sizeof
// a[0], sizeof s->f); the integer under them is what PeerWidths.h reads.
TypeLoc spellingOf(const UnaryExprOrTypeTraitExpr *s) {
  if (!s)
    return {};
  if (s->isArgumentType())
    return s->getArgumentTypeInfo()->getTypeLoc();
  const Expr *e = s->getArgumentExpr();
  for (;;) {
    e = e->IgnoreParenImpCasts();
    if (const auto *u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_Deref)
      e = u->getSubExpr();
    else if (const auto *a = dyn_cast<ArraySubscriptExpr>(e))
      e = a->getBase();
    else
      break;
  }
  const DeclaratorDecl *d = nullptr;
  if (const auto *r = dyn_cast<DeclRefExpr>(e))
    d = dyn_cast<DeclaratorDecl>(r->getDecl());
  else if (const auto *m = dyn_cast<MemberExpr>(e))
    d = dyn_cast<DeclaratorDecl>(m->getMemberDecl());
  return d && d->getTypeSourceInfo() ? d->getTypeSourceInfo()->getTypeLoc() : TypeLoc();
}

// Whether |e| is a product with sizeof(T) in it (n * sizeof(T), (n + 1) * sizeof
// *p): an array of T.
bool isMultiple(const Expr *e, QualType t, ASTContext &ast) {
  e = e->IgnoreParenImpCasts();
  if (QualType s = sizeofArgument(e); !s.isNull())
    return ast.hasSameUnqualifiedType(s, t);
  if (const auto *bo = dyn_cast<BinaryOperator>(e))
    if (bo->getOpcode() == BO_Mul)
      return isMultiple(bo->getLHS(), t, ast) || isMultiple(bo->getRHS(), t, ast);
  return false;
}

// Whether |e| has sizeof(T) or sizeof x (of type T) anywhere in it.
bool mentionsSizeof(const Expr *e, QualType t, ASTContext &ast) {
  if (QualType s = sizeofArgument(e); !s.isNull() && ast.hasSameUnqualifiedType(s, t))
    return true;
  for (const Stmt *child : e->children())
    if (const auto *ce = dyn_cast_or_null<Expr>(child))
      if (mentionsSizeof(ce, t, ast))
        return true;
  return false;
}

bool hasFlexibleArray(QualType t) {
  const auto *rt = t->getAsStructureType();
  return rt && rt->getDecl()->hasFlexibleArrayMember();
}

// A size that adds other bytes to sizeof(T) — malloc(sizeof(struct msg) +
// strlen(s) + 1) — holds one T at its start and raw bytes after it, unless T
// ends in a flexible array member (the bytes are its elements) or a term is a
// whole multiple of sizeof(T). What the program keeps in those bytes travels
// as bytes: right between identical data models only.
bool oneElement(const Expr *size, QualType t, ASTContext &ast) {
  const auto *bo = dyn_cast<BinaryOperator>(size->IgnoreParenImpCasts());
  if (!bo || bo->getOpcode() != BO_Add || hasFlexibleArray(t))
    return false;
  std::vector<const Expr *> terms{bo->getLHS(), bo->getRHS()};
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const auto *inner = dyn_cast<BinaryOperator>(terms[i]->IgnoreParenImpCasts());
    if (inner && inner->getOpcode() == BO_Add) {
      terms.push_back(inner->getLHS());
      terms.push_back(inner->getRHS());
    } else if (sizeofArgument(terms[i]).isNull() && isMultiple(terms[i], t, ast)) {
      return false;
    }
  }
  return true;
}

struct Sites : RecursiveASTVisitor<Sites> {
  InstrumentContext &ctx;
  std::string file;
  explicit Sites(InstrumentContext &ctx)
      : ctx(ctx), file(llvm::sys::path::filename(ctx.sourceName()).str()) {}

  // The pointee type of what the allocation is converted to or stored in.
  QualType destinationType(const Expr *call) {
    const Expr *e = call;
    for (int depth = 0; depth < 4; ++depth) {
      auto parents = ctx.ast.getParents(*e);
      if (parents.empty())
        return {};
      const DynTypedNode &p = parents[0];
      if (const auto *cast = p.get<CastExpr>()) {
        if (cast->getType()->isPointerType() && !cast->getType()->isVoidPointerType())
          return cast->getType()->getPointeeType();
        e = cast;
        continue;
      }
      if (const auto *paren = p.get<ParenExpr>()) {
        e = paren;
        continue;
      }
      if (const auto *bo = p.get<BinaryOperator>())
        if (bo->getOpcode() == BO_Assign && bo->getType()->isPointerType())
          return bo->getType()->getPointeeType();
      if (const auto *vd = p.get<VarDecl>())
        if (vd->getType()->isPointerType())
          return vd->getType()->getPointeeType();
      return {};
    }
    return {};
  }

  // Whether |t| says enough to type memory by: the pointers will tell otherwise.
  static bool typesMemory(QualType t) {
    return !t.isNull() && !t->isVoidType() && !t->isCharType() && !t->isIncompleteType() &&
           !t->isFunctionType() && !t->isVariablyModifiedType();
  }

  std::string newSite(QualType t, bool one, const char *what, TypeLoc spelled = {}) {
    const std::string n = std::to_string(ctx.allocSites.size());
    ctx.allocSites.push_back({"hm_site_" + n, file + what + n, t, one, spelled});
    return ctx.allocSites.back().name;
  }

  // The size argument of a placing call, passed through hm_rt_keep_size: the
  // piece spans it, so the placement clears what was placed inside it before.
  // Not where call-sites takes the text apart: a call that may migrate, or
  // an argument with one.
  // Only when it is the call's one integer argument: with another (zlib's
  // zalloc(opaque, items, size), Lua's tag) it may be an element's size, not
  // the piece's, and the piece would seem to end after one element.
  void keepSize(const CallExpr *call, const Expr *arg, const std::string &site) {
    const QualType type = arg->getType().getCanonicalType();
    const auto migrating = [this](const CallExpr *c) { return ctx.isMigratingCall(c); };
    // Not wider than size_t (uint64_t on armhf): the round trip would cut it.
    if (!type->isIntegerType() || type->isEnumeralType() ||
        ctx.ast.getTypeSize(type) > ctx.ast.getTypeSize(ctx.ast.getSizeType()) ||
        hasCall(arg, migrating))
      return;
    for (const Expr *other : call->arguments())
      if (other != arg && other->getType()->isIntegerType())
        return;
    if (ctx.isMigratingCall(call)) {
      ctx.allocWraps.back().sizeArg = arg; // call-sites hoists the call and its arguments
      return;
    }
    // Inserted around it: later passes may still rewrite inside (a renamed local).
    if (!arg->getBeginLoc().isMacroID() && !arg->getEndLoc().isMacroID()) {
      ctx.rw->InsertTextBefore(arg->getBeginLoc(), ctx.keptSizeOpen(arg));
      ctx.rw->InsertTextAfterToken(arg->getEndLoc(), ctx.keptSizeClose(site));
    }
  }

  // (T *)f(..., n * sizeof(T), ...) where f, the program's own or called through
  // a pointer, returns void * or char *: an allocator of its own (a wrapper, a
  // pool, Lua's userdata), which may hand out the inside of a block.
  void placement(CallExpr *call) {
    if (!call->getType()->isPointerType())
      return;
    const QualType r = call->getType()->getPointeeType();
    if (!r->isVoidType() && !r->isCharType())
      return;
    const QualType t = destinationType(call);
    if (!typesMemory(t) || ctx.ast.hasSameUnqualifiedType(t, r))
      return;
    for (const Expr *arg : call->arguments()) {
      if (!mentionsSizeof(arg, t, ctx.ast))
        continue;
      // The spelling of that sizeof's type only when it is the first one.
      const UnaryExprOrTypeTraitExpr *first = firstSizeof(arg);
      const bool same = first && ctx.ast.hasSameUnqualifiedType(first->getTypeOfArgument(), t);
      const std::string site = newSite(t.getUnqualifiedType(), oneElement(arg, t, ctx.ast),
                                       "#place", spellingOf(same ? first : nullptr));
      ctx.allocWraps.push_back({call, "hm_rt_place", site});
      keepSize(call, arg, site);
      return;
    }
  }

  // `((T *)p)->f = v`, `*(T *)p = v` with p a void * or char *: the program
  // writes a T where p points (an allocator's free-list link over a piece it
  // handed out as another type, a header it lays out): one T lives there now,
  // and what was placed there before is gone. The cast becomes (T
  // *)hm_rt_place(p, &site). Not when p has a call in it (call-sites may take
  // its text apart) or a store (`*(T *)++*(char **)cur = v`, whose wrap would
  // close on p's last token inside this one).
  bool VisitBinaryOperator(BinaryOperator *bo) {
    if (!bo->isAssignmentOp() || !ctx.isUserCode(bo->getBeginLoc()))
      return true;
    const Expr *lhs = bo->getLHS()->IgnoreParens();
    const Expr *base = nullptr;
    if (const auto *m = dyn_cast<MemberExpr>(lhs); m && m->isArrow())
      base = m->getBase();
    else if (const auto *u = dyn_cast<UnaryOperator>(lhs); u && u->getOpcode() == UO_Deref)
      base = u->getSubExpr();
    const auto *cast = base ? dyn_cast<CStyleCastExpr>(base->IgnoreParens()) : nullptr;
    if (!cast || !cast->getType()->isPointerType())
      return true;
    const Expr *p = cast->getSubExpr();
    const QualType from = p->IgnoreParenImpCasts()->getType();
    const QualType t = cast->getType()->getPointeeType();
    if (!from->isPointerType() ||
        !(from->getPointeeType()->isVoidType() || from->getPointeeType()->isCharType()) ||
        !typesMemory(t) || !t->isRecordType() || hasCall(p) || p->HasSideEffects(ctx.ast) ||
        p->getBeginLoc().isMacroID() ||
        p->getEndLoc().isMacroID())
      return true;
    const std::string site = newSite(t.getUnqualifiedType(), true, "#store");
    ctx.rw->InsertTextBefore(p->getBeginLoc(), "hm_rt_place((void *)(");
    ctx.appendToToken(p->getEndLoc(), "), &" + site + ")"); // inside byte-copies' close
    return true;
  }

  // strdup's block holds text, whatever pointer keeps it (a generic map's
  // `void *key`): else nothing would say so, and its bytes would bind the
  // image to this target's layout as bytes of no known type. The call
  // becomes hm_rt_strdup(s, &site) (abi.h), renamed in place as malloc is,
  // however the program declared it.
  bool text(const CallExpr *call, const FunctionDecl *callee) {
    // A library builtin only in GNU modes: under -std=c11 or -fno-builtin, the
    // C library's declaration (not one of the program's own, nor its body).
    if (callee->hasBody() || ctx.isMigratingCall(call))
      return false;
    const unsigned id = callee->getBuiltinID();
    const bool library = id || !ctx.isUserCode(callee->getFirstDecl()->getLocation());
    const llvm::StringRef n = callee->getName();
    const bool dup = id == Builtin::BIstrdup || id == Builtin::BI__builtin_strdup ||
                     (library && n == "strdup");
    const bool ndup = id == Builtin::BIstrndup || id == Builtin::BI__builtin_strndup ||
                      (library && n == "strndup");
    const auto *name = dyn_cast<DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts());
    if ((!dup && !ndup) || !name || call->getNumArgs() != (dup ? 1u : 2u) ||
        name->getLocation().isMacroID() || call->getRParenLoc().isMacroID())
      return false;
    ctx.rw->ReplaceText(name->getLocation(), name->getDecl()->getName().size(),
                        dup ? "hm_rt_strdup" : "hm_rt_strndup");
    ctx.prependToToken(call->getRParenLoc(), ", &" + newSite(ctx.ast.CharTy, false, "#text"));
    return true;
  }

  bool VisitCallExpr(CallExpr *call) {
    if (!ctx.isUserCode(call->getBeginLoc()))
      return true;
    const FunctionDecl *callee = call->getDirectCallee();
    if (callee && text(call, callee))
      return true;
    if (!callee || ctx.isUserCode(callee->getLocation())) {
      placement(call);
      return true;
    }
    const int arg = sizeArgument(callee->getName());
    if (arg < 0 || static_cast<unsigned>(arg) >= call->getNumArgs())
      return true;
    QualType t = sizeofType(call->getArg(arg));
    const bool one = !t.isNull() && oneElement(call->getArg(arg), t, ctx.ast);
    const QualType dest = destinationType(call);
    // No sizeof: the destination's type says only what the block begins with
    // (a header: `GCObject *o = malloc(size)`); the pointers that reach it tell.
    if (t.isNull() || (!dest.isNull() && dest->isCharType()))
      return true; // char *s = malloc(n * sizeof(int)): bytes, whatever sized them
    // malloc(sizeof(double[n][m])), double (*a)[m] = malloc(n * sizeof *a): an
    // array of the elements, whose count the block's size tells.
    const bool variablyModified = t->isVariablyModifiedType();
    if (variablyModified)
      t = ctx.ast.getBaseElementType(t);
    if (!typesMemory(t))
      return true; // the pointers that reach the block will tell
    const std::string site = newSite(t, one && !variablyModified, "#alloc",
                                     spellingOf(firstSizeof(call->getArg(arg))));
    // malloc and calloc record the site as they enter the block in the
    // runtime's table, the others after (a second lookup).
    const auto *name = dyn_cast<DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts());
    if (name && (callee->getName() == "malloc" || callee->getName() == "calloc")) {
      ctx.rw->ReplaceText(name->getLocation(), callee->getName().size(),
                         "hm_rt_" + callee->getName().str());
      ctx.prependToToken(call->getRParenLoc(), ", &" + site);
    } else {
      ctx.allocWraps.push_back({call, "hm_rt_typed", site});
    }
    return true;
  }
};

} // namespace

void runAllocSites(InstrumentContext &ctx) {
  Sites s(ctx);
  for (const FunctionDecl *fn : ctx.userFunctions())
    s.TraverseStmt(fn->getBody());
}

// The calls call-sites left in place (it wraps those it moves itself).
void runAllocWraps(InstrumentContext &ctx) {
  for (const InstrumentContext::Wrap &w : ctx.allocWraps) {
    if (ctx.movedWraps.count(w.call))
      continue; // call-sites wrapped it where it moved the call
    ctx.rw->InsertTextBefore(w.call->getBeginLoc(), w.function + "(");
    ctx.appendInsideToken(w.call->getEndLoc(), ", &" + w.site + ")");
  }
}

} // namespace hm
