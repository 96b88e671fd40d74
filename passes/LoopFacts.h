// LoopFacts.h — what a counting loop guarantees about its induction variable.
#ifndef HM_PASSES_LOOPFACTS_H
#define HM_PASSES_LOOPFACTS_H

#include "InstrumentContext.h"

#include "llvm/ADT/APSInt.h"

#include <optional>
#include <string>

namespace hm::callsites {

// What a counting loop `for (i = A; i < B; i++)` (A, B constants, i changed
// only by the increment) guarantees about i at any of its sites, told to the
// compiler where a restore loads it: a loaded value is otherwise unknown, so
// i could be negative, and `i % 13` or `a[i]` would need signed arithmetic
// and sign extensions every iteration. "" when the loop is not such a loop.
std::string inductionRange(const InstrumentContext &ctx, const clang::ForStmt *f);

// |e|'s value when it is an integer constant of at most 63 significant bits,
// extended to 64.
std::optional<llvm::APSInt> constant(const clang::ASTContext &ast, const clang::Expr *e);

} // namespace hm::callsites
#endif
