// PeerText.h — the unit as the preprocessor gives it for each other target, line by line.
#ifndef HM_PASSES_PEERTEXT_H
#define HM_PASSES_PEERTEXT_H

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hm {

class InstrumentContext;

// One line of a source file, by what the preprocessor made of it: a hash of its
// text (0: no text came from it; blank lines count as none, the preprocessor
// elides runs of them as it likes) and the text as written (its columns are
// the AST's), the last time the line came, and how many times it came (a
// header included twice gives its lines twice).
struct SourceLine {
  std::uint64_t hash = 0;
  llvm::StringRef text;
  unsigned count = 0;
};
// Per file (as the line markers name it), its lines by number.
using SourceLines = llvm::StringMap<std::vector<SourceLine>>;

SourceLines splitLines(llvm::StringRef preprocessed);
const SourceLine &lineAt(const SourceLines &lines, llvm::StringRef file, unsigned line);

// The unit preprocessed for one other target. |lines| is empty when the
// preprocessor failed there.
struct PeerUnit {
  std::string triple;
  std::unique_ptr<llvm::MemoryBuffer> buffer; // the lines' text points into it
  std::optional<SourceLines> lines;
};

// Read once per unit and kept in the context: the unit's own lines, and each peer's.
struct UnitTexts {
  SourceLines own;
  std::vector<PeerUnit> peers;
};
const UnitTexts &unitTexts(InstrumentContext &ctx);

} // namespace hm
#endif
