// InvariantCalls.h — loops whose call the compiler may make once, before the loop.
//
// clang moves a call out of a loop when the call only reads memory, has the
// same arguments every iteration, runs on every iteration, and nothing in the
// loop writes memory (Olden's treeadd sums an unchanging tree forty times; the
// plain build sums it once). A poll point in the loop is an asm goto, which the
// optimiser must take to write memory: it kept the call in the loop, for 3.4
// times the instructions. Such a loop polls once after it instead
// (InstrumentContext::pollsAfter).
#ifndef HM_PASSES_INVARIANTCALLS_H
#define HM_PASSES_INVARIANTCALLS_H

#include "InstrumentContext.h"

namespace hm {

// Whether |fn|, of this unit, only reads memory: it writes only its own locals
// whose address it never takes, reads nothing volatile, turns no pointer into a
// number, and calls only such functions of the unit (itself included) and C
// library functions that only read (strlen, strcmp, ...); a loop in it calls no
// function of the unit (it would poll). Every such function is found at once, as
// the largest set closed under those rules.
bool onlyReads(const InstrumentContext &ctx, const clang::FunctionDecl *fn);

// Whether |loop| writes no memory (only its function's locals whose address is
// never taken), calls only functions that only read, on every iteration makes a
// call of a function of the unit with arguments the loop never changes, and
// does nothing else that takes time: no inner loop, no call that may run long
// with other arguments each time (a loop with such work keeps its poll point).
bool hasInvariantCall(const InstrumentContext &ctx, const clang::Stmt *loop);

} // namespace hm
#endif
