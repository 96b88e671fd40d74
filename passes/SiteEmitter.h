// SiteEmitter.h — the code that calls libhmrt: sites' capture and restore, poll points, loop headers.
#ifndef HM_PASSES_SITEEMITTER_H
#define HM_PASSES_SITEEMITTER_H

#include "InstrumentContext.h"

#include <string>
#include <vector>

namespace hm::callsites {

struct CallSiteState;

// A variable a site saves or a restore loads, entered in the frame's table.
struct Live {
  std::string name;
  unsigned var;
  bool addressable;
  bool arrayParameter = false; // `int a[]`: a pointer, whose sizeof warns
  bool variableLength = false; // `double a[n]`: its size is known where it runs
  bool zeroed = false;         // dead at the site: saved as zeros
  std::string size() const {
    return arrayParameter ? "sizeof(__typeof__(" + name + "))" : "sizeof " + name;
  }
};

Live liveVar(CallSiteState &s, const clang::VarDecl *vd);
// A variable hm-instrument keeps for the whole function (hm_nK, hm_sjN).
Live keptVar(CallSiteState &s, const std::string &name, clang::QualType type);

// A variable-length array, and a pointer to one, as the image describes them:
// its elements (the frame gives their number), a pointer to its elements
// (what it points to is typed by its block), for a type descriptor cannot
// name the array's length.
clang::QualType portable(const clang::ASTContext &ast, clang::QualType type);

// A variable a loop that declares an addressable one leaves to its sites.
bool loadedAtSites(const InstrumentContext &ctx, const clang::VarDecl *vd);

// Restore binds the variables pointers may point to first, at their new
// addresses, then loads the others by value from one buffer.
std::string restoreText(const FunctionFrame &frame, const std::vector<Live> &vars);

// The text of the site s.items[index]: its restore label, its call and its capture.
std::string siteText(CallSiteState &s, unsigned index);

// A poll point: when a migration was requested from outside, a call site of
// hm_rt_poll() with the variables in scope here. It shares its test with the
// restore dispatch of the function's entry (Frames.cpp) or of a loop's header.
// |point| is the loop it polls in (|header|) or after, or the computed goto it
// polls before; null at the function's entry (every variable is live there).
std::string pollSite(CallSiteState &s, const clang::Stmt *point, bool header = false);

// The test that jumps to |target| while a request is pending or a restore runs.
std::string pollTest(const std::string &target, bool inVariablyModifiedScope);

// The text of loop |loop|'s header, which sends a restore on by |cases| (and
// polls, with |poller| as its poll site, when |poll|).
std::string headerText(const CallSiteState &s, unsigned loop, const std::string &cases,
                       bool poll, const std::string &poller);

// The text of loop |loop|'s preheader, which restores |vars| and tells the
// compiler |facts| about them.
std::string preheaderText(const FunctionFrame &frame, unsigned loop,
                          const std::vector<Live> &vars, const std::string &facts);

} // namespace hm::callsites
#endif
