// Hash.h — FNV-1a over text: the same on every host (unit fingerprints, line hashes).
#ifndef HM_PASSES_HASH_H
#define HM_PASSES_HASH_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace hm {

inline std::uint64_t fnv1a(llvm::StringRef s, std::uint64_t h = 0xcbf29ce484222325ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

} // namespace hm
#endif
