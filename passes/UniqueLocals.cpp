// UniqueLocals.cpp — one name per local in a function, and statics at file scope.
//
// Capture and restore code names every variable in scope at a call site, so a
// local hidden by a shadowing declaration must get a name of its own. A
// function-local static must be reachable from the unit's global table, so it
// moves to file scope (on the function's first line: line numbers stay).
#include "Passes.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <set>

using namespace clang;

namespace hm {

namespace {

struct LocalCollector : RecursiveASTVisitor<LocalCollector> {
  std::vector<VarDecl *> locals;
  std::vector<DeclStmt *> staticDecls;
  bool VisitVarDecl(VarDecl *vd) {
    if (!isa<ParmVarDecl>(vd) && (vd->hasLocalStorage() || vd->isStaticLocal()))
      locals.push_back(vd);
    return true;
  }
  bool VisitDeclStmt(DeclStmt *ds) {
    for (Decl *d : ds->decls())
      if (auto *vd = dyn_cast<VarDecl>(d); vd && vd->isStaticLocal()) {
        staticDecls.push_back(ds);
        break;
      }
    return true;
  }
};

struct RefRenamer : RecursiveASTVisitor<RefRenamer> {
  InstrumentContext &ctx;
  explicit RefRenamer(InstrumentContext &ctx) : ctx(ctx) {}
  bool VisitDeclRefExpr(DeclRefExpr *ref) {
    if (const auto *vd = dyn_cast<VarDecl>(ref->getDecl())) {
      auto it = ctx.renamed.find(vd);
      if (it != ctx.renamed.end())
        ctx.renameToken(ref->getLocation(), vd->getName().size(), it->second);
    }
    return true;
  }
};

// `register` forbids taking the address that capture and restore code copy through.
// Declarators of one declaration (`register int a, b;`) share the keyword: it
// goes once, or the later removals would eat the text after it.
void dropRegister(InstrumentContext &ctx, VarDecl *vd, std::set<unsigned> &dropped) {
  if (vd->getStorageClass() != SC_Register)
    return;
  SourceLocation loc = vd->getBeginLoc();
  while (loc.isValid() && ctx.sm.isBeforeInTranslationUnit(loc, vd->getLocation())) {
    Token tok;
    if (Lexer::getRawToken(loc, tok, ctx.sm, ctx.ast.getLangOpts(), true))
      return;
    if (tok.is(tok::raw_identifier) && tok.getRawIdentifier() == "register") {
      if (dropped.insert(tok.getLocation().getRawEncoding()).second)
        ctx.rw->RemoveText(tok.getLocation(), tok.getLength());
      return;
    }
    loc = Lexer::getLocForEndOfToken(tok.getLocation(), 0, ctx.sm,
                                     ctx.ast.getLangOpts());
  }
}

void zeroUninitialised(InstrumentContext &ctx, const VarDecl *vd) {
  // After the whole declarator: `int (*f)(int) = 0`.
  const std::string zero = ctx.zeroInitialiser(vd);
  if (!zero.empty())
    ctx.rw->InsertTextAfterToken(vd->getSourceRange().getEnd(), zero);
}

bool holdsLabelAddress(const Stmt *s) {
  if (!s)
    return false;
  if (isa<AddrLabelExpr>(s))
    return true;
  for (const Stmt *child : s->children())
    if (holdsLabelAddress(child))
      return true;
  return false;
}

// Whether |type| can be named at file scope (no struct, enum or typedef declared
// inside a function on the way).
bool fileScopeType(QualType type) {
  for (int depth = 0; depth < 32; ++depth) {
    if (const auto *td = type->getAs<TypedefType>())
      if (!td->getDecl()->getDeclContext()->getRedeclContext()->isTranslationUnit())
        return false;
    if (const TagDecl *tag = type->getAsTagDecl())
      if (!tag->getDeclContext()->getRedeclContext()->isTranslationUnit())
        return false;
    if (type->isPointerType())
      type = type->getPointeeType();
    else if (type->isArrayType())
      type = QualType(type->getArrayElementTypeNoTypeQual(), 0);
    else
      return true;
  }
  return true;
}

// Whether the types |type| needs that are declared inside the function can move
// to file scope with the static |ds| declares: defined in |ds| itself (`static
// struct { ... } table[] = ...`), or in a declaration of its own in the
// function (`struct mode { ... };`, or first with local variables of it: added
// to |alsoMove|), and no file-scope tag, nor one moved before, has their name.
bool typeMovesWith(QualType type, const DeclStmt *ds, InstrumentContext &ctx,
                   std::vector<const DeclStmt *> &alsoMove,
                   const std::set<std::string> &movedNames, int depth = 0) {
  if (depth > 16)
    return false;
  const SourceRange in = ds->getSourceRange();
  const auto inside = [&](SourceLocation l) {
    return l.isValid() && !ctx.sm.isBeforeInTranslationUnit(l, in.getBegin()) &&
           !ctx.sm.isBeforeInTranslationUnit(in.getEnd(), l);
  };
  for (int step = 0; step < 32; ++step) {
    if (const auto *td = type->getAs<TypedefType>())
      if (!td->getDecl()->getDeclContext()->getRedeclContext()->isTranslationUnit())
        return false;
    if (type->isPointerType()) {
      type = type->getPointeeType();
      continue;
    }
    if (type->isArrayType()) {
      type = QualType(type->getArrayElementTypeNoTypeQual(), 0);
      continue;
    }
    const TagDecl *tag = type->getAsTagDecl();
    if (!tag || tag->getDeclContext()->getRedeclContext()->isTranslationUnit())
      return true;
    const TagDecl *def = tag->getDefinition();
    if (!def)
      return false;
    const DeclStmt *home = ds;
    if (!inside(def->getBeginLoc())) {
      home = nullptr;
      for (const DynTypedNode &p : ctx.ast.getParents(*def))
        if (const auto *d = p.get<DeclStmt>(); d && *d->decl_begin() == def) {
          // Alone, or first with local variables of it (`struct OpenMode {
          // ... } *aMode = 0;`, which keeps `struct OpenMode *aMode = 0;`).
          bool localsOnly = true;
          for (const Decl *other : d->decls())
            if (other != def) {
              const auto *v = dyn_cast<VarDecl>(other);
              localsOnly &= v && !v->isStaticLocal();
            }
          if (localsOnly)
            home = d;
        }
      if (!home || !def->getDeclName())
        return false;
      if (std::find(alsoMove.begin(), alsoMove.end(), home) != alsoMove.end())
        return true; // moves already, for another static of this function
    }
    if (def->getDeclName() &&
        (!ctx.ast.getTranslationUnitDecl()->lookup(def->getDeclName()).empty() ||
         movedNames.count(def->getNameAsString())))
      return false;
    if (home != ds)
      alsoMove.push_back(home);
    if (const auto *rd = dyn_cast<RecordDecl>(def))
      for (const FieldDecl *f : rd->fields())
        if (!typeMovesWith(f->getType(), home, ctx, alsoMove, movedNames, depth + 1))
          return false;
    return true;
  }
  return false;
}

} // namespace

void runUniqueLocals(InstrumentContext &ctx) {
  unsigned statics = 0;
  std::set<std::string> movedNames; // struct tags moved to file scope
  for (const FunctionDecl *cfn : ctx.userFunctions()) {
    auto *fn = const_cast<FunctionDecl *>(cfn);
    LocalCollector c;
    c.TraverseStmt(fn->getBody());
    const std::string fname = fn->getNameAsString();
    const bool instrumented =
        ctx.mayMigrate.count(fn->getCanonicalDecl()) || fn->isMain();

    std::set<std::string> used;
    for (ParmVarDecl *p : fn->parameters())
      used.insert(p->getNameAsString());
    unsigned counter = 0;
    std::set<unsigned> dropped;
    std::vector<const DeclStmt *> movedTypes; // declarations of types statics need
    for (VarDecl *vd : c.locals) {
      std::string name = vd->getNameAsString();
      if (vd->isStaticLocal()) {
        const DeclStmt *own = nullptr;
        for (const DeclStmt *ds : c.staticDecls)
          for (const Decl *d : ds->decls())
            if (d == vd)
              own = ds;
        if (holdsLabelAddress(vd->getInit())) {
          // `static void *table[] = { &&a, &&b }`: labels exist only in here.
          ctx.uncarried.insert(vd);
          continue;
        }
        std::vector<const DeclStmt *> types = movedTypes;
        const bool moves = own && typeMovesWith(vd->getType(), own, ctx, types, movedNames);
        if (moves)
          for (const DeclStmt *t : types)
            if (std::find(movedTypes.begin(), movedTypes.end(), t) == movedTypes.end()) {
              movedTypes.push_back(t);
              movedNames.insert(cast<TagDecl>(*t->decl_begin())->getNameAsString());
            }
        if (!fileScopeType(vd->getType()) && !moves) {
          // Its type exists only inside the function, defined apart from it: it
          // stays, uncarried. A constant one is the same in any process; another
          // is named in section hm_uncarried, and libhmrt refuses to migrate.
          ctx.uncarried.insert(vd);
          if (ctx.ast.getBaseElementType(vd->getType()).isConstQualified())
            continue;
          DiagnosticsEngine &d = ctx.ast.getDiagnostics();
          d.Report(vd->getLocation(),
                   d.getCustomDiagID(DiagnosticsEngine::Warning,
                                     "hmcc: static '%0' has a type declared inside its "
                                     "function that cannot move to file scope with it; its "
                                     "value cannot migrate, and migrations of this program "
                                     "are refused"))
              << name;
          const PresumedLoc at = ctx.sm.getPresumedLoc(vd->getLocation());
          const std::string what = fname + "." + name + " at " +
                                   (at.isValid() ? llvm::sys::path::filename(at.getFilename()).str() +
                                                       ":" + std::to_string(at.getLine())
                                                 : std::string("?"));
          ctx.rw->InsertTextBefore(
              fn->getSourceRange().getBegin(),
              "static const char hm_uncarried_" + std::to_string(++statics) +
                  "[] __attribute__((section(\"hm_uncarried\"), used, retain, aligned(1))) = \"" +
                  what + "\"; ");
          continue;
        }
        const std::string hoisted =
            "hm_s" + std::to_string(++statics) + "_" + fname + "_" + name;
        ctx.renamed[vd] = hoisted;
        ctx.rw->ReplaceText(vd->getLocation(), name.size(), hoisted);
        continue;
      }
      if (!instrumented)
        continue;
      dropRegister(ctx, vd, dropped);
      zeroUninitialised(ctx, vd);
      if (used.insert(name).second)
        continue;
      std::string fresh;
      do
        fresh = name + "_hm" + std::to_string(++counter);
      while (!used.insert(fresh).second);
      ctx.renamed[vd] = fresh;
      ctx.rw->ReplaceText(vd->getLocation(), name.size(), fresh);
    }
    if (instrumented)
      for (ParmVarDecl *p : fn->parameters())
        dropRegister(ctx, p, dropped);
    RefRenamer(ctx).TraverseStmt(fn->getBody());

    // Move the statics, renamed, in front of the function, after the types
    // they need.
    std::string moved;
    for (const DeclStmt *t : movedTypes) {
      if (t->isSingleDecl()) {
        moved += ctx.text(t->getSourceRange()) + " ";
        ctx.rw->RemoveText(t->getSourceRange());
        continue;
      }
      const auto *def = cast<TagDecl>(*t->decl_begin());
      moved += ctx.text(def->getSourceRange()) + "; ";
      ctx.replace(def->getSourceRange(),
                  std::string(def->getKindName()) + " " + def->getNameAsString());
    }
    for (DeclStmt *ds : c.staticDecls) {
      bool stays = false;
      for (Decl *d : ds->decls())
        if (auto *vd = dyn_cast<VarDecl>(d))
          stays |= ctx.uncarried.count(vd) > 0;
      if (stays)
        continue;
      moved += ctx.text(ds->getSourceRange()) + " ";
      ctx.rw->RemoveText(ds->getSourceRange());
    }
    if (!moved.empty())
      ctx.rw->InsertTextBefore(fn->getSourceRange().getBegin(), moved);
  }
}

} // namespace hm
