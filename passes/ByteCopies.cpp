// ByteCopies.cpp — copies of typed values through char or void pointers tell the
// runtime: memcpy(buf, &x, sizeof x) with buf a char array, char * or void *
// and x a double becomes hm_rt_copy_bytes(buf, &x, sizeof x, &site), and a
// store `*(double *)p = x` through such a p, *(double *)hm_rt_bytes_of(p,
// &site) = x. Where the memory is char memory (or nothing types it), the bytes
// of a double are right only where doubles have this byte order and size; the
// runtime checks that at capture, before anything is unwound. A copy from char
// or void memory to char or void memory becomes hm_rt_memcpy_raw, which carries
// the source's records to the destination once there are any.
#include "Passes.h"

#include "llvm/Support/Path.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/Builtins.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace hm {

namespace {

// char, signed char, unsigned char (uint8_t): what memory of bytes is typed as.
bool isByteType(QualType t) {
  return !t.isNull() && (t->isCharType() || t->isSpecificBuiltinType(BuiltinType::UChar) ||
                         t->isSpecificBuiltinType(BuiltinType::SChar));
}

bool isByteOrVoid(QualType t) { return !t.isNull() && (t->isVoidType() || isByteType(t)); }

// Whether the bytes of a |t| say anything a char does not.
bool isTypedValue(QualType t) {
  return !t.isNull() && !isByteOrVoid(t) && !t->isIncompleteType() && !t->isFunctionType() &&
         !t->isVariablyModifiedType();
}

// What a pointer argument, before its conversion to void *, points to: the
// element of an array it names, or its pointee. Null when it says nothing.
QualType pointedTo(const Expr *arg, ASTContext &ast) {
  const QualType t = arg->IgnoreParenImpCasts()->getType();
  QualType p;
  if (t->isArrayType())
    p = ast.getBaseElementType(t);
  else if (t->isPointerType())
    p = t->getPointeeType();
  else
    return {};
  if (p->isArrayType())
    p = ast.getBaseElementType(p);
  return p;
}

struct Copies : RecursiveASTVisitor<Copies> {
  // Inner stores first: a wrap put into a token after another one encloses
  // it (`*(int *)++*(char **)cur = v`, whose two closes end on `cur`).
  bool shouldTraversePostOrder() const { return true; }
  InstrumentContext &ctx;
  std::string file;
  explicit Copies(InstrumentContext &ctx)
      : ctx(ctx), file(llvm::sys::path::filename(ctx.sourceName()).str()) {}

  // `*(T *)p = v`, `((T *)p)[i] += v`, `++*(T *)p` with p a char array, char *
  // or void *: the bytes of a T go where the stored value is. The value
  // `L` becomes `(*(T *)hm_rt_bytes_of((void *)&(L), &site))` (L's operands
  // are evaluated once, as before).
  bool VisitBinaryOperator(BinaryOperator *bo) {
    if (bo->isAssignmentOp() && ctx.isUserCode(bo->getBeginLoc()))
      stored(bo->getLHS());
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *u) {
    if (u->isIncrementDecrementOp() && ctx.isUserCode(u->getBeginLoc()))
      stored(u->getSubExpr());
    return true;
  }
  void stored(const Expr *lvalue) {
    const Expr *lhs = lvalue->IgnoreParens();
    const Expr *base = nullptr;
    if (const auto *u = dyn_cast<UnaryOperator>(lhs); u && u->getOpcode() == UO_Deref)
      base = u->getSubExpr();
    else if (const auto *a = dyn_cast<ArraySubscriptExpr>(lhs))
      base = a->getBase();
    const auto *cast = base ? dyn_cast<CStyleCastExpr>(base->IgnoreParens()) : nullptr;
    if (!cast || !cast->getType()->isPointerType())
      return;
    const QualType t = cast->getType()->getPointeeType();
    if (!isByteOrVoid(pointedTo(cast->getSubExpr(), ctx.ast)) || !isTypedValue(t) ||
        lvalue->getBeginLoc().isMacroID() || lvalue->getEndLoc().isMacroID() ||
        cast->getLParenLoc().isMacroID() || cast->getRParenLoc().isMacroID())
      return;
    const std::string castText =
        Lexer::getSourceText(CharSourceRange::getTokenRange(cast->getLParenLoc(),
                                                            cast->getRParenLoc()),
                             ctx.ast.getSourceManager(), ctx.ast.getLangOpts())
            .str();
    if (castText.empty())
      return;
    const std::string site = newSite(t);
    ctx.prependToToken(lvalue->getBeginLoc(), "(*" + castText + "hm_rt_bytes_of((void *)&(",
                       lvalue->getEndLoc());
    ctx.appendToToken(lvalue->getEndLoc(), "), &" + site + "))");
  }

  // memcpy and memmove, however declared or spelled (__builtin_memcpy), from
  // typed values to char or void memory: the runtime copies and records. The
  // source's type is what it points to under its casts (`(char *)&d`).
  bool VisitCallExpr(CallExpr *call) {
    const FunctionDecl *callee = call->getDirectCallee();
    if (!callee || call->getNumArgs() != 3 || !ctx.isUserCode(call->getBeginLoc()))
      return true;
    const unsigned id = callee->getBuiltinID();
    if (id != Builtin::BImemcpy && id != Builtin::BImemmove &&
        id != Builtin::BI__builtin_memcpy && id != Builtin::BI__builtin_memmove)
      return true;
    const auto *name = dyn_cast<DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts());
    const QualType from = pointedTo(call->getArg(1)->IgnoreParenCasts(), ctx.ast);
    if (!name || name->getLocation().isMacroID() || call->getRParenLoc().isMacroID() ||
        !isByteOrVoid(pointedTo(call->getArg(0), ctx.ast)) ||
        !(isTypedValue(from) || isByteOrVoid(from)))
      return true;
    const unsigned spelled = name->getDecl()->getName().size();
    // From char or void memory: whatever typed bytes the source holds, the
    // destination holds too (an encoder's scratch buffer copied out).
    if (isByteOrVoid(from)) {
      const bool move = id == Builtin::BImemmove || id == Builtin::BI__builtin_memmove;
      ctx.rw->ReplaceText(name->getLocation(), spelled,
                          move ? "hm_rt_memmove_raw" : "hm_rt_memcpy_raw");
      return true;
    }
    const std::string site = newSite(from);
    ctx.rw->ReplaceText(name->getLocation(), spelled, "hm_rt_copy_bytes");
    ctx.prependToToken(call->getRParenLoc(), ", &" + site);
    return true;
  }

  std::string newSite(QualType t) {
    const std::string n = std::to_string(ctx.allocSites.size());
    ctx.allocSites.push_back({"hm_site_" + n, file + "#bytes" + n, t.getUnqualifiedType(), true, {}});
    return ctx.allocSites.back().name;
  }
};

} // namespace

void runByteCopies(InstrumentContext &ctx) {
  Copies c(ctx);
  for (const FunctionDecl *fn : ctx.userFunctions())
    c.TraverseStmt(fn->getBody());
}

} // namespace hm
