// Frames.cpp — each instrumented function's entry: restore dispatch to its call sites.
#include "Passes.h"

#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"

using namespace clang;

namespace hm {

void runFrames(InstrumentContext &ctx) {
  for (const FunctionFrame &frame : ctx.frames) {
    const auto *body = cast<CompoundStmt>(frame.fn->getBody());
    // The restore's site, read at entry and again at the loop headers on the way.
    std::string prologue = frame.nsites ? " unsigned hm_site;" : "";
    if (frame.isMain) {
      // argv's strings are objects the program's pointers may point into.
      const auto params = frame.fn->parameters();
      std::string args = "0, 0";
      if (params.size() >= 2 && !params[0]->getName().empty() &&
          !params[1]->getName().empty())
        args = ctx.nameOf(params[0]) + ", " + ctx.nameOf(params[1]);
      prologue += " hm_rt_main_enter(" + args + ");";
    }
    // One test at entry covers both a restore in progress and a pending request.
    const bool poll = !frame.entryPoll.empty();
    if (frame.nsites > 0) {
      prologue += std::string(" if (__builtin_expect(hm_rt_mode & ") +
                  (poll ? "(HM_MODE_RESTORE | HM_MODE_PENDING)" : "HM_MODE_RESTORE") +
                  ", 0)) { if (hm_rt_mode & HM_MODE_RESTORE) { "
                  "hm_site = hm_rt_resume(&" + frame.tableName +
                  "); switch (hm_site) {";
      for (unsigned k = 1; k <= frame.nsites; ++k)
        prologue += " case " + std::to_string(k) + ": goto " + frame.entryOf(k) + ";";
      prologue += " default: hm_rt_bad_site(&" + frame.tableName +
                  ", hm_site); } } " + frame.entryPoll + "}";
    }
    if (frame.isMain && frame.nsites > 0) {
      // After main captured at site k and the program goes on here, it resumes
      // at k, its own variables still in place. Each way back is reached only
      // from its site, so it is inside the site's loops: jumping to a loop
      // header from there is a back edge, and the loops stay natural (one
      // shared way back, or one through a preheader, which the entry reaches
      // too, would make every loop of main with a site irreducible).
      // Sites in the scope of a variably modified declaration have theirs after it.
      prologue += " if (0) {";
      for (unsigned k = 1; k <= frame.nsites; ++k)
        if (!frame.againAfterDeclaration.count(k))
          prologue += " " + frame.againText(k);
      prologue += " }";
    }
    ctx.rw->InsertTextAfterToken(body->getLBracLoc(), prologue);
    // Instrumented code lives in sections of its own, so that at a migration
    // point the runtime can tell that every frame up to main is instrumented.
    if (!frame.fn->hasAttr<SectionAttr>() && !ctx.isPinned(frame.fn))
      ctx.rw->InsertText(frame.fn->getSourceRange().getBegin(),
                        frame.isMain ? "__attribute__((section(\"hm_main\"))) "
                                     : "__attribute__((section(\"hm_text\"))) ",
                        /*InsertAfter=*/true);
  }
  // A pinned function calls code that may migrate, so the runtime must see its
  // frame: in hm_pinned, which names it, and never inlined into an instrumented
  // caller, whose section would hide it.
  for (const FunctionDecl *fn : ctx.userFunctions())
    if (ctx.isPinned(fn))
      ctx.rw->InsertText(fn->getSourceRange().getBegin(),
                        fn->hasAttr<SectionAttr>()
                            ? "__attribute__((noinline)) "
                            : "__attribute__((section(\"hm_pinned\"), noinline)) ",
                        /*InsertAfter=*/true);
}

} // namespace hm
