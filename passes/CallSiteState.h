// CallSiteState.h — what the pieces of the call-site rewrite share about one function.
//
// The statement walk (CallSites.cpp) drives the rewrite of a function; the
// hoister (Hoister.cpp), the emitter of the code that calls libhmrt
// (SiteEmitter.cpp) and the restore chain's re-run links (RestoreLinks.cpp)
// read and extend this state as it goes. Loop facts (LoopFacts.cpp) need none.
#ifndef HM_PASSES_CALLSITESTATE_H
#define HM_PASSES_CALLSITESTATE_H

#include "Hoister.h"
#include "InstrumentContext.h"
#include "Liveness.h"
#include "RestoreLinks.h"

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace hm::callsites {

bool isUnevaluated(const clang::Stmt *s);
bool containsMigratingCall(InstrumentContext &ctx, const clang::Stmt *s);

// Variables in scope, by block; |depth| counts the loops around the block.
struct Scope {
  std::vector<const clang::VarDecl *> vars;
  unsigned depth;
  std::vector<std::pair<std::string, clang::QualType>> kept; // hm_nK, hm_sjN: restored on the way
  std::vector<VariablyModified> declarations;
  std::vector<Setjmp> setjmps;
  // Both, in source order: (is a setjmp, index into its list).
  std::vector<std::pair<bool, std::size_t>> reruns;
};

struct CallSiteState {
  CallSiteState(InstrumentContext &ctx, FunctionFrame &frame) : ctx(ctx), frame(frame) {}

  InstrumentContext &ctx;
  FunctionFrame &frame;
  unsigned sizeNames = 0;
  std::set<const clang::CallExpr *> unplacedSetjmps; // setjmps not (yet) in a form run again
  std::vector<Scope> scopes;
  // The loops around the statement being rewritten, outermost first; a loop
  // that declares a variable whose address is taken leaves the loads of its
  // outer pointer variables to its sites (see leaveLoop()).
  std::vector<bool> loopHoldsAddressable;
  std::vector<const clang::Stmt *> loops; // the same loops' statements
  unsigned labels = 0;
  unsigned lastHeader = 0; // the number of the loop whose header was made last
  // Per statement being rewritten:
  std::vector<Item> items;
  std::vector<Temp> temps;
  std::pair<clang::SourceLocation, std::string> refusal; // the first reason, if any
  std::unique_ptr<FunctionLiveness> liveness;

  bool has(const clang::Stmt *s) { return containsMigratingCall(ctx, s); }
  // Whether the function may read |vd| again after the site |item| (its
  // liveness, computed on first use).
  bool mayRead(const clang::VarDecl *vd, const Item &item);
  // Whether |vd|, restored by the preheader of the loop at |depth| (of
  // loops), is read nowhere in that loop nor after it: then no site in it,
  // nor the preheader, carries it.
  bool deadThroughout(const clang::VarDecl *vd, unsigned depth);
  void unsupported(const clang::Stmt *s, const std::string &where);
  // The function cannot be instrumented: it is compiled as written (pinned).
  void refuse(clang::SourceLocation loc, const std::string &why);

  void openScope();
  bool declaresAddressable(const clang::Stmt *s) const;
  bool inVariablyModifiedScope() const;
  // Inserts |text| after statement |s|, past its semicolon if it has one.
  void closeAfter(clang::Stmt *s, const std::string &text);
  // The dispatch cases of the sites after |first| from a link of the restore's
  // chain, each to the next link in (or its site); the outer links send them
  // to hm_pre_|label| from now on.
  std::string routeThrough(unsigned first, unsigned label);
};

} // namespace hm::callsites
#endif
