// InstrumentContext.h — what hm-instrument's passes share about one translation unit.
#ifndef HM_PASSES_INSTRUMENTCONTEXT_H
#define HM_PASSES_INSTRUMENTCONTEXT_H

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Rewrite/Core/Rewriter.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hm {

struct UnitTexts;

// One variable of a frame: a parameter, a local or a temporary hm-instrument made.
struct FrameVar {
  std::string name;
  clang::QualType type;
  std::string where;
  unsigned offset = 0; // in the frame's save buffer (FunctionFrame::addVar)
  bool variableLength = false; // an array of |type| whose length the frame says
  clang::TypeLoc spelled; // how the declaration spells |type|, if one does
};

// The variable `for (i = A; ...)` or `for (T i = A; ...)` starts, and A; nulls
// when the initialisation is no such thing.
std::pair<const clang::VarDecl *, const clang::Expr *> loopStart(const clang::ForStmt *f);

// Whether |e| has a call in it that |pred| holds for (any call, by default).
template <class Pred>
bool hasCall(const clang::Stmt *e, Pred pred) {
  if (const auto *c = llvm::dyn_cast<clang::CallExpr>(e); c && pred(c))
    return true;
  for (const clang::Stmt *child : e->children())
    if (child && hasCall(child, pred))
      return true;
  return false;
}
inline bool hasCall(const clang::Stmt *e) {
  return hasCall(e, [](const clang::CallExpr *) { return true; });
}

// A function that can be on the stack at a migration point.
struct FunctionFrame {
  const clang::FunctionDecl *fn = nullptr;
  std::string key;              // stable across targets
  std::string tableName;        // hm_fn_<name>
  std::vector<FrameVar> vars;   // the variable table: index = position
  std::map<std::string, unsigned> varIndex;
  // A capture copies the variables live at a site into one buffer of the
  // runtime's, each at its own offset, with plain stores; a restore reads them
  // back from one: no call per variable.
  unsigned bufferSize = 0;
  unsigned nsites = 0;
  bool isMain = false;
  // Where a restore at site k may run code again from: the site, or the start
  // of the outermost loop around it.
  std::map<unsigned, clang::SourceLocation> siteFrom;
  // Per site, the targets whose preprocessor gives other code for what may run
  // after it, and the first such line (TargetCode.cpp): it does not move there.
  std::map<unsigned, std::pair<std::string, std::string>> siteDiffers;
  std::string entryPoll;        // poll site at entry, after the restore dispatch
  // The outermost place on the way to site k that a restore passes through (N
  // of its hm_pre_N): a loop's preheader, or the declaration of a variably
  // modified type, which must run again before its scope can be entered.
  std::map<unsigned, unsigned> siteEntry;
  // The outermost loop around site k (N of its hm_loop_N), for sites in loops.
  std::map<unsigned, unsigned> siteLoop;
  // Sites whose way back (main's hm_again_K) follows a variably modified
  // declaration, which a jump from main's entry must not skip.
  std::set<unsigned> againAfterDeclaration;

  // Where the entry dispatch sends a restore of site k: hm_pre_N of siteEntry
  // (which sends it on), or else hm_restore_k.
  std::string entryOf(unsigned site) const { return labelOf(siteEntry, site, "hm_pre_"); }
  // Where main resumes after capturing at site k, its variables in place: that
  // loop's header.
  std::string againOf(unsigned site) const { return labelOf(siteLoop, site, "hm_loop_"); }
  std::string againText(unsigned site) const {
    const std::string k = std::to_string(site);
    return "hm_again_" + k + ": hm_site = hm_rt_resume(&" + tableName + "); goto " +
           againOf(site) + ";";
  }

  unsigned addVar(const FrameVar &v, const clang::ASTContext &ast) {
    auto it = varIndex.find(v.name);
    if (it != varIndex.end())
      return it->second;
    const clang::TypeInfo info = ast.getTypeInfo(v.type);
    const unsigned align = static_cast<unsigned>(info.Align / 8);
    vars.push_back(v);
    vars.back().offset = (bufferSize + align - 1) / align * align;
    bufferSize = vars.back().offset + static_cast<unsigned>(info.Width / 8);
    return varIndex[v.name] = static_cast<unsigned>(vars.size() - 1);
  }

private:
  static std::string labelOf(const std::map<unsigned, unsigned> &labels, unsigned site,
                             const char *prefix) {
    auto it = labels.find(site);
    return it != labels.end() ? prefix + std::to_string(it->second)
                              : "hm_restore_" + std::to_string(site);
  }
};

// An allocation site that says what it allocates.
struct AllocSite {
  std::string name;             // hm_site_N
  std::string key;              // "file.c#allocN"
  clang::QualType type;         // the element type
  bool one = false;             // one element, then raw bytes (HM_SITE_ONE)
  clang::TypeLoc spelled;       // the sizeof's type or operand as declared, if known
};

// A string literal turned into a named array, so pointers into it can be mapped.
struct Literal {
  std::string name;             // hm_lit_N
  std::string key;              // "file.c#litN"
  std::string text;             // the literal as written
};

// A variable with static storage that the image carries.
struct GlobalEntry {
  std::string key;
  std::string expr;             // how to name it at file scope
  clang::QualType type;
  std::string where;
  bool constant;                // pointers may point in; the bytes need not travel
  clang::TypeLoc spelled;
};

class InstrumentContext {
public:
  InstrumentContext(clang::ASTContext &ast, clang::Rewriter &rw)
      : ast(ast), sm(ast.getSourceManager()), rw(&rw) {}

  clang::ASTContext &ast;
  clang::SourceManager &sm;
  // The unit's rewriter; call-sites points it at a scratch one for a dry run.
  clang::Rewriter *rw;


  // Options.
  bool poll = true;              // automatic poll points (-fno-hm-poll turns off)
  bool pollEntries = false;      // entry polls in loop-free functions too
  std::string unitName;          // the source file as the user named it, when known
  // The unit preprocessed for other targets: (triple, path); an empty path says
  // the preprocessor failed there (TargetCode.cpp).
  std::vector<std::pair<std::string, std::string>> peers;
  // The unit's text and its peers', read once (PeerText.h).
  std::shared_ptr<UnitTexts> texts;

  // union-tags: for a union field without HM_UNION_TAG, the sibling field that
  // the code tests before using a member, and the member each value selects.
  struct InferredTag {
    unsigned tagField; // index among its record's fields
    // (tag & mask) == value selects member; the first that holds wins, and
    // the entries that test more bits come first.
    struct Entry {
      unsigned long long mask; // all ones: the whole tag
      long long value;
      unsigned member;
    };
    std::vector<Entry> entries;
  };
  llvm::DenseMap<const clang::FieldDecl *, InferredTag> inferredTags;

  // downcasts: a header struct whose tag field's value says which struct an
  // object that begins with it is (Lua's GCObject.tt: LUA_VTABLE -> Table).
  struct Downcast {
    clang::QualType header;
    unsigned tagField; // index among the header's fields
    long long value;
    clang::QualType type;
  };
  std::vector<Downcast> downcasts;

  // may-migrate: functions that can be on the stack at a migration point.
  llvm::DenseSet<const clang::FunctionDecl *> mayMigrate;
  // Functions of the program whose frames cannot be captured and re-entered: a
  // variadic one (its arguments cannot be carried), one with alloca or setjmp, or
  // one with a call that may migrate where hm-instrument cannot hoist it. They
  // are compiled as written, outside hm_text, so a migration reached while one
  // is on the stack waits (a request) or is refused (migrate_now()). Keyed by
  // canonical declaration; never in mayMigrate.
  struct Pin {
    clang::SourceLocation loc;
    std::string why; // "it is variadic"
  };
  llvm::MapVector<const clang::FunctionDecl *, Pin> pinned;
  bool isPinned(const clang::FunctionDecl *fn) const {
    return pinned.count(fn->getCanonicalDecl()) > 0;
  }
  // Pins |fn|; warns when it reaches migrate_now() (reachesMigrateNow), where
  // the user asked for a migration point that will be refused.
  void pin(const clang::FunctionDecl *fn, clang::SourceLocation loc, const std::string &why);
  // Functions that call migrate_now(), directly or through this unit's functions.
  llvm::DenseSet<const clang::FunctionDecl *> reachesMigrateNow;
  // Functions that poll for a migration request on entry.
  llvm::DenseSet<const clang::FunctionDecl *> entryPoll;
  // Whether a loop polls at its header: it calls something (in its body,
  // condition or increment: `while (step(&s));` works in its condition) or holds
  // a loop; a tight innermost loop is left to the loop around it.
  // A loop with a call the compiler may make once before it (InvariantCalls.h)
  // does not poll at its header: it polls once after it (pollsAfter), when it is
  // no loop's body; inside a loop, the loop around it polls.
  bool loopPolls(const clang::Stmt *loop) const;
  bool pollsAfter(const clang::Stmt *loop) const;
  // InvariantCalls.cpp's answers: the functions that only read, and per loop.
  mutable std::optional<llvm::DenseSet<const clang::Decl *>> readOnlyFunctions;
  mutable llvm::DenseMap<const clang::Stmt *, bool> invariantCallLoops;
  // Whether |s| lies in the body, condition or increment of a loop of its function.
  bool insideLoop(const clang::Stmt *s) const;
  // A static function of the unit whose address is never taken and whose every
  // call is inside a loop, or in such a function: the loops around the calls
  // poll for it.
  bool calledOnlyInLoops(const clang::FunctionDecl *fn) const;
  const clang::FunctionDecl *functionOf(const clang::Stmt *s) const;
  struct FunctionUses {
    llvm::DenseSet<const clang::FunctionDecl *> addressTaken;
    llvm::DenseMap<const clang::FunctionDecl *, llvm::DenseSet<const clang::FunctionDecl *>>
        callersOutsideLoops;
    llvm::DenseMap<const clang::FunctionDecl *, bool> covered;
  };
  mutable std::optional<FunctionUses> uses;
  // How long a call to a function of this unit may run, for poll placement.
  enum class Callee {
    Unknown,  // calls the program, or is not defined here: it may run long or migrate
    Leaf,     // calls only builtins and leaf functions: its own loops are tight
    Bounded,  // a leaf without loops or gotos: straight-line time (a hash of three bytes)
  };
  Callee calleeKind(const clang::FunctionDecl *fn) const;
  // calleeKind's answers (Unknown while being decided: a recursion is Unknown).
  mutable llvm::DenseMap<const clang::FunctionDecl *, Callee> calleeKinds;
  bool isMigratingCall(const clang::CallExpr *call) const;
  // A C library call that may wait for input (fgets, getchar, read, scanf,
  // ...): its name, else nullptr. In the functions hm-instrument instruments it
  // becomes a call of libhmrt's hm_rt_NAME (include/hm/abi.h), with the same
  // arguments, which serves a migration request that comes while it waits,
  // before anything is read: a migration point, made again by a restore.
  const char *waitingInput(const clang::FunctionDecl *callee) const;

  // unique-locals: new names of renamed locals and hoisted statics.
  llvm::DenseMap<const clang::VarDecl *, std::string> renamed;
  llvm::DenseSet<const clang::VarDecl *> uncarried; // statics left in place
  std::string nameOf(const clang::VarDecl *vd) const;

  // A local of an instrumented function declared without a value holds whatever
  // was there: a long's garbage may not fit a 32-bit receiver, a struct's may
  // hold a tag that names no union member or a pointer to nothing, and the
  // restore would be refused. Reading it is undefined, so it is given 0: the
  // initialiser that says so (" = 0", " = {0}"), or "" when it keeps none (an
  // aggregate whose garbage converts anyway: int counts, doubles, text).
  std::string zeroInitialiser(const clang::VarDecl *vd) const;

  // addresses: locals whose address the program may hold (arrays, &x).
  llvm::DenseSet<const clang::VarDecl *> addressable;
  std::vector<AllocSite> allocSites;
  // Allocation calls wrapped as runtime(call, &site): after call-sites, which
  // may move a call's text away and leave a temporary where it was.
  struct Wrap {
    const clang::Expr *call;
    std::string function, site;
    // A placing call that may migrate: its size argument, which call-sites
    // passes through hm_rt_keep_size where it hoists the call.
    const clang::Expr *sizeArg = nullptr;
  };
  std::vector<Wrap> allocWraps;
  // The text around a placing call's size argument |arg| that passes it through
  // hm_rt_keep_size for |site| (alloc-sites where the call stays, call-sites
  // where it hoists it).
  static std::string keptSizeOpen(const clang::Expr *arg);
  static std::string keptSizeClose(const std::string &site) { return ", &" + site + ")"; }
  // address-numbers: cast operands ending with a call, wrapped after call-sites.
  std::vector<const clang::Expr *> numberWraps;
  // The wraps call-sites made itself where it moved the call, or before it
  // rewrote the function (one call may have both kinds).
  std::set<const clang::Expr *> movedWraps, movedNumberWraps;
  std::vector<Literal> literals;
  std::map<std::string, std::string> functions; // key -> expression

  // frames: instrumented functions, in source order.
  std::vector<FunctionFrame> frames;
  std::vector<GlobalEntry> globals;

  // Text the unit pass puts before and after the rewritten unit.
  std::string prelude, epilogue;

  // Whether a declaration comes from the user's code (not a system header).
  bool isUserCode(clang::SourceLocation loc) const;
  // Traverses each declaration of the unit that is the program's own code.
  template <class Visitor> void traverseUserDecls(Visitor &v) {
    for (clang::Decl *d : ast.getTranslationUnitDecl()->decls())
      if (d->getLocation().isValid() && isUserCode(d->getLocation()))
        v.TraverseDecl(d);
  }
  // Functions whose bodies hm-instrument rewrites, in source order.
  std::vector<const clang::FunctionDecl *> userFunctions() const;
  // "file:line" of a location, for messages the runtime prints.
  std::string where(clang::SourceLocation loc) const;
  // The name the main source file had on the command line.
  std::string sourceName() const;
  // Stable key of a function: its name, qualified by the file if static.
  std::string functionKey(const clang::FunctionDecl *fn) const;
  // Declares |name| with type |type| in C ("int (*name)(void)").
  std::string declare(clang::QualType type, const std::string &name) const;
  // The source text of a range as rewritten so far.
  // |insertsAtEnd| false: without what was inserted after the range's last
  // token (alloc-sites' close of a kept size ending in a call).
  std::string text(clang::SourceRange range, bool insertsAtEnd = true) const;
  // Replaces a range as rewritten so far (renamed names in it included).
  void replace(clang::SourceRange range, const std::string &text);
  // Put |text| into the token at |loc|, at its start or its end, as part of
  // it: text inserted at a range's first character is left out of the
  // range's text (and stays behind when call-sites moves the range), text
  // inserted after its last is taken in, but stays too. So a wrapped store's
  // open and close move with an argument they start or end (`g(*(int *)p =
  // v)`, `g(++*(int *)p)`), and the argument a call's close parenthesis gains
  // (", &site") is not taken by its last argument (`memcpy(d, &n, a && f())`).
  // |wrapEnd| valid: the open of a wrap that ends there, which prependedTo
  // tells (an index written first, `f(x)[(char *)p] = v`, starts the wrapped
  // lvalue with a call).
  void prependToToken(clang::SourceLocation loc, const std::string &text,
                      clang::SourceLocation wrapEnd = {});
  // The opens at |loc| of wraps that end after |after| (all, if invalid).
  std::string prependedTo(clang::SourceLocation loc, clang::SourceLocation after = {}) const;
  // Renames the identifier at |loc| (|oldLength| characters), keeping what
  // was put into its token.
  void renameToken(clang::SourceLocation loc, unsigned oldLength, const std::string &name);
  void appendToToken(clang::SourceLocation loc, const std::string &text);
  // After the token's own text but before what appendToToken put there: the
  // close of a wrap inside the appended ones (an allocation call's wrap, made
  // after call-sites, inside a wrapped store the call ends: `*(T *)arena(n) = v`).
  void appendInsideToken(clang::SourceLocation loc, const std::string &text);
  // What appendToToken put after the token at |loc| (a wrapped store's close
  // after a call that call-sites moves away: `*(int *)f(4) = v`).
  std::string appendedTo(clang::SourceLocation loc) const;

  // Reports an error at |loc|; hm-instrument then fails.
  void error(clang::SourceLocation loc, const std::string &message);
  bool failed() const { return errors > 0; }

private:
  unsigned errors = 0;
  // Outermost first.
  std::map<clang::SourceLocation::UIntTy,
           std::vector<std::pair<clang::SourceLocation, std::string>>> prepended;
  std::map<clang::SourceLocation::UIntTy, std::string> appended;
};

} // namespace hm
#endif
