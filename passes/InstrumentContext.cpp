// InstrumentContext.cpp — helpers every pass uses: locations, names, types, errors.
#include "InstrumentContext.h"
#include "InvariantCalls.h"

#include "clang/Lex/Lexer.h"

#include "clang/AST/Decl.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace clang;

namespace hm {

std::string InstrumentContext::keptSizeOpen(const Expr *arg) {
  return "(" + arg->getType().getCanonicalType().getAsString() + ")hm_rt_keep_size(";
}

const char *InstrumentContext::waitingInput(const FunctionDecl *callee) const {
  static const char *const names[] = {"fgets",   "fgetc",    "getc",  "getchar", "fread",
                                      "getline", "getdelim", "read",  "scanf",   "fscanf"};
  const FunctionDecl *first = callee->getCanonicalDecl();
  if (!callee->getIdentifier() || isUserCode(first->getLocation()))
    return nullptr; // the program's own function of that name
  for (const char *name : names)
    if (callee->getName() == name)
      return name;
  return nullptr;
}

bool InstrumentContext::isMigratingCall(const CallExpr *call) const {
  const FunctionDecl *callee = call->getDirectCallee();
  if (!callee)
    return true; // through a pointer: it may reach any function of the program
  if (callee->getName() == "migrate_now" || waitingInput(callee))
    return true;
  if (mayMigrate.count(callee->getCanonicalDecl()))
    return true;
  // A function of the user's defined in another unit may reach a migration point.
  return !callee->hasBody() && callee->getBuiltinID() == 0 &&
         isUserCode(callee->getLocation());
}

std::pair<const VarDecl *, const Expr *> loopStart(const ForStmt *f) {
  if (const auto *ds = dyn_cast_or_null<DeclStmt>(f->getInit())) {
    if (ds->isSingleDecl())
      if (const auto *vd = dyn_cast<VarDecl>(ds->getSingleDecl()))
        return {vd, vd->getInit()};
  } else if (const auto *b = dyn_cast_or_null<BinaryOperator>(f->getInit())) {
    if (b->getOpcode() == BO_Assign)
      if (const auto *ref = dyn_cast<DeclRefExpr>(b->getLHS()->IgnoreParenImpCasts()))
        if (const auto *vd = dyn_cast<VarDecl>(ref->getDecl()))
          return {vd, b->getRHS()};
  }
  return {nullptr, nullptr};
}

namespace {
bool isLoop(const Stmt *s) { return isa<WhileStmt>(s) || isa<DoStmt>(s) || isa<ForStmt>(s); }

// Whether |s| takes |var|'s address or changes it.
bool changes(const Stmt *s, const VarDecl *var) {
  if (!s)
    return false;
  const auto names = [var](const Expr *e) {
    const auto *ref = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
    return ref && ref->getDecl() == var;
  };
  if (const auto *u = dyn_cast<UnaryOperator>(s))
    if ((u->isIncrementDecrementOp() || u->getOpcode() == UO_AddrOf) && names(u->getSubExpr()))
      return true;
  if (const auto *b = dyn_cast<BinaryOperator>(s))
    if (b->isAssignmentOp() && names(b->getLHS()))
      return true;
  for (const Stmt *child : s->children())
    if (changes(child, var))
      return true;
  return false;
}

// The counter of `for (T i = A; ... i < B ...; ++i)` with constants A and B,
// B - A at most |limit|, B below T's largest value (i cannot wrap), i changed
// nowhere else (declared by the loop, so only the loop can take its address): a
// loop that runs at most |limit| times whatever else its condition says.
bool runsFewTimes(const ForStmt *f, const ASTContext &ast, std::int64_t limit) {
  const auto [var, start] = loopStart(f);
  const auto *inc = dyn_cast_or_null<UnaryOperator>(f->getInc());
  if (!var || !start || !isa<DeclStmt>(f->getInit()) || !var->getType()->isIntegerType() ||
      !inc || !inc->isIncrementOp() || !f->getCond())
    return false;
  const unsigned width = ast.getIntWidth(var->getType());
  const std::int64_t largest =
      width >= 64 ? INT64_MAX
                  : (var->getType()->isSignedIntegerType() ? (std::int64_t(1) << (width - 1)) - 1
                                                            : (std::int64_t(1) << width) - 1);
  const auto *incRef = dyn_cast<DeclRefExpr>(inc->getSubExpr()->IgnoreParenImpCasts());
  const auto from = start->getIntegerConstantExpr(ast);
  if (!incRef || incRef->getDecl() != var || !from || from->getMinSignedBits() > 62)
    return false;
  // A term `var < B` or `var <= B` of the condition's top-level && chain.
  std::vector<const Expr *> terms{f->getCond()};
  while (!terms.empty()) {
    const auto *t = dyn_cast_or_null<BinaryOperator>(terms.back()->IgnoreParenImpCasts());
    terms.pop_back();
    if (!t)
      continue;
    if (t->getOpcode() == BO_LAnd) {
      terms.push_back(t->getLHS());
      terms.push_back(t->getRHS());
      continue;
    }
    const auto *ref = dyn_cast<DeclRefExpr>(t->getLHS()->IgnoreParenImpCasts());
    const auto to = t->getRHS()->getIntegerConstantExpr(ast);
    if (!ref || ref->getDecl() != var || !to || to->getMinSignedBits() > 62 ||
        (t->getOpcode() != BO_LT && t->getOpcode() != BO_LE) || to->getExtValue() >= largest)
      continue;
    const std::int64_t runs =
        to->getExtValue() - from->getExtValue() + (t->getOpcode() == BO_LE ? 1 : 0);
    return runs <= limit && !changes(f->getBody(), var) && !changes(f->getCond(), var);
  }
  return false;
}
} // namespace

InstrumentContext::Callee InstrumentContext::calleeKind(const FunctionDecl *fn) const {
  fn = fn->getCanonicalDecl();
  if (auto it = calleeKinds.find(fn); it != calleeKinds.end())
    return it->second;
  const FunctionDecl *def = nullptr;
  if (!fn->hasBody(def) || !isUserCode(def->getLocation()))
    return calleeKinds[fn] = Callee::Unknown;
  calleeKinds[fn] = Callee::Unknown; // until decided: a recursion is Unknown
  struct Walk {
    const InstrumentContext &ctx;
    Callee kind = Callee::Bounded;
    void visit(const Stmt *s) {
      if (!s || kind == Callee::Unknown)
        return;
      if (isLoop(s) || isa<GotoStmt>(s) || isa<IndirectGotoStmt>(s))
        kind = std::min(kind, Callee::Leaf);
      if (const auto *call = dyn_cast<CallExpr>(s)) {
        const FunctionDecl *callee = call->getDirectCallee();
        if (!callee)
          kind = Callee::Unknown;
        else if (callee->getBuiltinID() == 0)
          kind = std::min(kind, ctx.calleeKind(callee));
      }
      for (const Stmt *child : s->children())
        visit(child);
    }
  };
  Walk walk{*this};
  walk.visit(def->getBody());
  return calleeKinds[fn] = walk.kind;
}

const FunctionDecl *InstrumentContext::functionOf(const Stmt *s) const {
  for (auto parents = ast.getParents(*s); !parents.empty();
       parents = ast.getParents(parents[0]))
    if (const auto *fn = parents[0].get<FunctionDecl>())
      return fn;
  return nullptr;
}

bool InstrumentContext::insideLoop(const Stmt *s) const {
  const Stmt *from = s;
  for (auto parents = ast.getParents(*s); !parents.empty();
       parents = ast.getParents(parents[0])) {
    if (parents[0].get<FunctionDecl>())
      return false;
    const Stmt *p = parents[0].get<Stmt>(); // or a declaration: `int x = f();`
    // A for loop's initialisation runs once, before the loop.
    const auto *f = dyn_cast_or_null<ForStmt>(p);
    if (p && isLoop(p) && !(f && from && from == f->getInit()))
      return true;
    from = p;
  }
  return false;
}

bool InstrumentContext::calledOnlyInLoops(const FunctionDecl *fn) const {
  if (!uses) {
    struct Finder : RecursiveASTVisitor<Finder> {
      const InstrumentContext &ctx;
      FunctionUses found;
      explicit Finder(const InstrumentContext &ctx) : ctx(ctx) {}
      bool VisitDeclRefExpr(DeclRefExpr *ref) {
        const auto *fn = dyn_cast<FunctionDecl>(ref->getDecl());
        if (!fn)
          return true;
        // A direct call's callee is the reference under the call's implicit cast.
        const CallExpr *call = nullptr;
        for (const auto &p : ctx.ast.getParents(*ref))
          if (const auto *cast = p.get<ImplicitCastExpr>())
            for (const auto &q : ctx.ast.getParents(*cast))
              if (const auto *c = q.get<CallExpr>(); c && c->getCallee() == cast)
                call = c;
        const FunctionDecl *caller = call ? ctx.functionOf(call) : nullptr;
        if (!call || !caller)
          found.addressTaken.insert(fn->getCanonicalDecl());
        else if (!ctx.insideLoop(call))
          found.callersOutsideLoops[fn->getCanonicalDecl()].insert(caller->getCanonicalDecl());
        return true;
      }
    };
    Finder finder(*this);
    finder.TraverseDecl(ast.getTranslationUnitDecl());
    uses = std::move(finder.found);
  }
  if (!fn)
    return false;
  fn = fn->getCanonicalDecl();
  if (auto it = uses->covered.find(fn); it != uses->covered.end())
    return it->second;
  if (fn->isExternallyVisible() || uses->addressTaken.count(fn))
    return uses->covered[fn] = false;
  uses->covered[fn] = false; // until decided: a recursion is not covered
  bool covered = true;
  // find, not []: the recursion must not insert into the map this walks.
  if (auto it = uses->callersOutsideLoops.find(fn); it != uses->callersOutsideLoops.end())
    for (const FunctionDecl *caller : it->second)
      covered = covered && calledOnlyInLoops(caller);
  return uses->covered[fn] = covered;
}

namespace {
// Whether |loop| would poll at its header, for what it does.
bool wouldPoll(const InstrumentContext &ctx, const Stmt *loop) {
  if (!ctx.poll || !loop)
    return false;
  // A loop of at most this many iterations, inside another loop, stands for its
  // body: it polls only when its body would (a loop in its body that polls, a
  // call that may run long or migrate); its tight loops, inline or in leaf
  // functions it calls, are left to the loop around it, which polls. A call to a
  // bounded function is never a reason.
  constexpr std::int64_t kFewIterations = 64;
  const auto *f = dyn_cast<ForStmt>(loop);
  const bool few = f && runsFewTimes(f, ctx.ast, kFewIterations) &&
                   (ctx.insideLoop(f) || ctx.calledOnlyInLoops(ctx.functionOf(f)));
  struct Finder {
    const InstrumentContext &ctx;
    bool few;
    bool costly(const Stmt *s) const {
      if (!s)
        return false;
      if (isLoop(s))
        return !few || ctx.loopPolls(s);
      if (const auto *call = dyn_cast<CallExpr>(s)) {
        const FunctionDecl *fn = call->getDirectCallee();
        if (!fn)
          return true;
        if (fn->getBuiltinID() == 0 &&
            ctx.calleeKind(fn) < (few ? InstrumentContext::Callee::Leaf : InstrumentContext::Callee::Bounded))
          return true;
      }
      for (const Stmt *child : s->children())
        if (costly(child))
          return true;
      return false;
    }
  };
  const Finder find{ctx, few};
  if (const auto *w = dyn_cast<WhileStmt>(loop))
    return find.costly(w->getBody()) || find.costly(w->getCond());
  if (const auto *d = dyn_cast<DoStmt>(loop))
    return find.costly(d->getBody()) || find.costly(d->getCond());
  if (f)
    return find.costly(f->getBody()) || find.costly(f->getCond()) || find.costly(f->getInc());
  return false;
}
} // namespace

bool InstrumentContext::loopPolls(const Stmt *loop) const {
  return wouldPoll(*this, loop) && !hasInvariantCall(*this, loop);
}

bool InstrumentContext::pollsAfter(const Stmt *loop) const {
  return wouldPoll(*this, loop) && hasInvariantCall(*this, loop) && !insideLoop(loop);
}

std::string InstrumentContext::nameOf(const VarDecl *vd) const {
  auto it = renamed.find(vd);
  return it != renamed.end() ? it->second : vd->getNameAsString();
}

bool InstrumentContext::isUserCode(SourceLocation loc) const {
  loc = sm.getExpansionLoc(loc);
  return loc.isValid() && !sm.isInSystemHeader(loc);
}

std::vector<const FunctionDecl *> InstrumentContext::userFunctions() const {
  std::vector<const FunctionDecl *> out;
  for (const Decl *d : ast.getTranslationUnitDecl()->decls())
    if (const auto *fn = dyn_cast<FunctionDecl>(d))
      if (fn->doesThisDeclarationHaveABody() && isUserCode(fn->getLocation()))
        out.push_back(fn);
  return out;
}

std::string InstrumentContext::where(SourceLocation loc) const {
  PresumedLoc p = sm.getPresumedLoc(sm.getExpansionLoc(loc));
  if (p.isInvalid())
    return "?";
  return llvm::sys::path::filename(p.getFilename()).str() + ":" +
         std::to_string(p.getLine());
}

std::string InstrumentContext::sourceName() const {
  // hmcc names it: a unit with no declaration of its own (all of it in
  // #included .c files, or #ifdef'd out) would otherwise be named after the
  // temporary file, which differs between builds.
  if (!unitName.empty())
    return unitName;
  SourceLocation start = sm.getLocForStartOfFile(sm.getMainFileID());
  // The first line marker of a preprocessed unit names the source file.
  for (const Decl *d : ast.getTranslationUnitDecl()->decls())
    if (d->getLocation().isValid() && sm.isInMainFile(d->getLocation()) &&
        isUserCode(d->getLocation())) {
      start = d->getLocation();
      break;
    }
  PresumedLoc p = sm.getPresumedLoc(start);
  return p.isValid() ? p.getFilename() : "unknown.c";
}

std::string InstrumentContext::functionKey(const FunctionDecl *fn) const {
  std::string name = fn->getNameAsString();
  if (fn->getStorageClass() == SC_Static || fn->isInlined())
    return llvm::sys::path::filename(sourceName()).str() + ":" + name;
  return name;
}

std::string InstrumentContext::declare(QualType type, const std::string &name) const {
  std::string out;
  llvm::raw_string_ostream os(out);
  PrintingPolicy policy(ast.getLangOpts());
  policy.SuppressTagKeyword = false;
  type.print(os, policy, name);
  return os.str();
}

// Ranges are taken as characters: a token range ends at its last token's
// original length, which cuts a renamed last token (`n + i` whose i became
// i_hm1) and leaves the rest of its new name behind.
static CharSourceRange characters(SourceRange range, const SourceManager &sm,
                                  const LangOptions &lang) {
  return CharSourceRange::getCharRange(
      range.getBegin(), Lexer::getLocForEndOfToken(range.getEnd(), 0, sm, lang));
}

// Rewriter::getRewrittenText steps to the range one character at a time from
// the start of the file, which made a large unit (SQLite's amalgamation)
// quadratic; this skips whole pieces of the rewrite rope instead, with the same
// inserts included at both ends.
std::string InstrumentContext::text(SourceRange range, bool insertsAtEnd) const {
  const CharSourceRange chars = characters(range, sm, ast.getLangOpts());
  const FileID file = sm.getFileID(chars.getBegin());
  const RewriteBuffer *buffer = rw->getRewriteBufferFor(file);
  if (!buffer || sm.getFileID(chars.getEnd()) != file)
    return rw->getRewrittenText(chars);
  const SourceLocation fileStart = sm.getLocForStartOfFile(file);
  const int from = rw->getRangeSize(CharSourceRange::getCharRange(fileStart, chars.getBegin()));
  Rewriter::RewriteOptions throughEnd;
  throughEnd.IncludeInsertsAtEndOfRange = insertsAtEnd;
  const int to = rw->getRangeSize(CharSourceRange::getCharRange(fileStart, chars.getEnd()),
                                  throughEnd);
  if (from < 0 || to < from)
    return rw->getRewrittenText(chars);
  std::string out;
  size_t pos = 0;
  for (auto it = buffer->begin(), end = buffer->end(); it != end && pos < size_t(to);
       it.MoveToNextPiece()) {
    const llvm::StringRef piece = it.piece();
    if (pos + piece.size() > size_t(from)) {
      const size_t first = size_t(from) > pos ? size_t(from) - pos : 0;
      const size_t last = std::min(piece.size(), size_t(to) - pos);
      out.append(piece.data() + first, last - first);
    }
    pos += piece.size();
  }
  return out;
}

void InstrumentContext::replace(SourceRange range, const std::string &text) {
  // Text inserted before the range or after it stays where it is.
  Rewriter::RewriteOptions keepInserts;
  keepInserts.IncludeInsertsAtBeginOfRange = false;
  keepInserts.IncludeInsertsAtEndOfRange = false;
  const CharSourceRange chars = characters(range, sm, ast.getLangOpts());
  rw->ReplaceText(range.getBegin(), rw->getRangeSize(chars, keepInserts), text);
}

void InstrumentContext::prependToToken(SourceLocation loc, const std::string &prefix,
                                       SourceLocation wrapEnd) {
  const SourceRange token(loc, loc);
  replace(token, prefix + text(token, /*insertsAtEnd=*/false));
  if (wrapEnd.isValid()) {
    auto &opens = prepended[loc.getRawEncoding()];
    opens.insert(opens.begin(), {wrapEnd, prefix});
  }
}

std::string InstrumentContext::prependedTo(SourceLocation loc, SourceLocation after) const {
  std::string out;
  const auto it = prepended.find(loc.getRawEncoding());
  if (it != prepended.end())
    for (const auto &[end, open] : it->second) {
      if (after.isValid() && !sm.isBeforeInTranslationUnit(after, end))
        break; // this one and those inside it end within
      out += open;
    }
  return out;
}

void InstrumentContext::renameToken(SourceLocation loc, unsigned oldLength,
                                    const std::string &name) {
  const std::string opens = prependedTo(loc);
  const SourceRange token(loc, loc);
  const std::string now = opens.empty() ? std::string() : text(token, /*insertsAtEnd=*/false);
  if (opens.empty() || !llvm::StringRef(now).startswith(opens) ||
      now.size() < opens.size() + oldLength) {
    rw->ReplaceText(loc, oldLength, name); // what follows the name stays
    return;
  }
  replace(token, opens + name + now.substr(opens.size() + oldLength));
}

void InstrumentContext::appendToToken(SourceLocation loc, const std::string &suffix) {
  const SourceRange token(loc, loc);
  replace(token, text(token, /*insertsAtEnd=*/false) + suffix);
  appended[loc.getRawEncoding()] += suffix;
}

void InstrumentContext::appendInsideToken(SourceLocation loc, const std::string &close) {
  const SourceRange token(loc, loc);
  const std::string now = text(token, /*insertsAtEnd=*/false);
  std::string outer = appendedTo(loc);
  if (!llvm::StringRef(now).endswith(outer))
    outer.clear();
  replace(token, now.substr(0, now.size() - outer.size()) + close + outer);
}

std::string InstrumentContext::appendedTo(SourceLocation loc) const {
  const auto it = appended.find(loc.getRawEncoding());
  return it == appended.end() ? std::string() : it->second;
}

// Whether garbage in |type| can make a restore fail: a pointer to nothing, a
// tag that names no member, a long or long double out of a narrower target's
// range. Any bit pattern of the other scalars converts.
static bool garbageMayFail(QualType type, const ASTContext &ast, int depth = 0) {
  type = type.getCanonicalType();
  if (depth > 16 || type->isPointerType() || type->isUnionType() || type->isBooleanType())
    return true;
  if (const auto *b = type->getAs<BuiltinType>())
    return b->getKind() == BuiltinType::Long || b->getKind() == BuiltinType::ULong ||
           b->getKind() == BuiltinType::LongDouble;
  if (const ArrayType *a = ast.getAsArrayType(type))
    return garbageMayFail(a->getElementType(), ast, depth + 1);
  if (const auto *r = type->getAs<RecordType>()) {
    for (const FieldDecl *f : r->getDecl()->fields())
      if (garbageMayFail(f->getType(), ast, depth + 1))
        return true;
    return false;
  }
  return false;
}

std::string InstrumentContext::zeroInitialiser(const VarDecl *vd) const {
  if (vd->hasInit() || !vd->hasLocalStorage() || isa<ParmVarDecl>(vd))
    return "";
  const QualType t = vd->getType();
  if (t.isVolatileQualified() || t->isAtomicType() || t->isVariablyModifiedType())
    return "";
  if (t->isIntegerType() || t->isRealFloatingType() || t->isPointerType())
    return " = 0";
  // An aggregate costs a store per byte: only where garbage could fail.
  if ((t->isRecordType() || t->isConstantArrayType()) && garbageMayFail(t, ast))
    return " = {0}";
  return "";
}

void InstrumentContext::pin(const FunctionDecl *fn, SourceLocation loc, const std::string &why) {
  fn = fn->getCanonicalDecl();
  mayMigrate.erase(fn);
  entryPoll.erase(fn);
  if (!pinned.insert({fn, {loc, why}}).second)
    return;
  if (!reachesMigrateNow.count(fn))
    return; // only poll points were lost: a request waits until it returns
  DiagnosticsEngine &d = ast.getDiagnostics();
  d.Report(loc, d.getCustomDiagID(DiagnosticsEngine::Warning,
                                  "hmcc: '%0' cannot be on the stack at a migration point "
                                  "(%1); a migrate_now() reached while it runs is refused"))
      << fn->getName() << why;
}

void InstrumentContext::error(SourceLocation loc, const std::string &message) {
  ++errors;
  DiagnosticsEngine &d = ast.getDiagnostics();
  unsigned id = d.getCustomDiagID(DiagnosticsEngine::Error, "%0");
  d.Report(loc, id) << message;
}

} // namespace hm
