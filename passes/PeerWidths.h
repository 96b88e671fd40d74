// PeerWidths.h — whether a `long` that a declaration spells is a `long` on every target.
#ifndef HM_PASSES_PEERWIDTHS_H
#define HM_PASSES_PEERWIDTHS_H

#include "clang/AST/TypeLoc.h"
#include "llvm/ADT/StringRef.h"

namespace hm {

class InstrumentContext;

// Whether |spelled| is a long (or an array of longs, or a pointer to one) that
// the preprocessor spells per target so that it has this target's width on
// every other one too: Lua's Rand64 is `unsigned long` where long has 64 bits
// and `unsigned long long` elsewhere. Its size is then its own everywhere, not
// the data model's long (HM_F_LONG), and the capture checks it by that. False
// when a peer's spelling cannot be read.
bool fixedWidthLong(InstrumentContext &ctx, clang::TypeLoc spelled);

// Whether |name| (leading underscores dropped) is a C library typedef that is
// long or unsigned long on some target: size_t, ssize_t, ptrdiff_t, intptr_t,
// uintptr_t (size_t is unsigned int on 32-bit ARM).
bool libcLongTypedef(llvm::StringRef name);

} // namespace hm
#endif
