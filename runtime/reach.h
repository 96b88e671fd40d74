// reach.h — what an image must carry: the heap reachable from the stack and the
// globals, and every pointer in it checked for what it points to.
#ifndef HM_RUNTIME_REACH_H
#define HM_RUNTIME_REACH_H

#include "heap.h"
#include "layout.h"
#include "state.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace hm {

// The pointer whose type told an untyped block's type.
struct Referrer {
  static constexpr std::int32_t kNone = INT32_MIN;
  // An object a call placed (placements.h): |at| is its hm_alloc_site.
  static constexpr std::int32_t kPlaced = -2;
  std::int32_t frame = kNone; // into the frames, outermost first; -1: in memory
  std::uint32_t var = 0;
  std::uint64_t at = 0;       // offset in the variable, or sender address
  bool set() const { return frame != kNone && frame != kPlaced; }
  const hm_alloc_site *placedBy() const {
    return frame == kPlaced ? reinterpret_cast<const hm_alloc_site *>(at) : nullptr;
  }
};

// How a block of |size| bytes holds elements of |elem|: |count| of them, and when
// |elem| ends in a flexible array member, |tail| elements of that member. |one|:
// its allocation site said one element, then raw bytes (HM_SITE_ONE).
struct BlockShape {
  std::size_t count = 0, tail = 0;
  const hm_type *famElem = nullptr;
  std::size_t famOffset = 0;
};
// Whether |b|'s site says it holds one element of its type, then raw bytes.
inline bool oneElement(const HeapBlock &b) { return b.site && (b.site->flags & HM_SITE_ONE); }
// How |b| holds |elem|s: elements, or one struct and its flexible array's.
BlockShape shapeOf(const hm_type *elem, const HeapBlock &b);

struct Landmark {
  std::uint8_t kind;
  std::string key;
  const void *addr;
  std::size_t size;
};

// Part of a heap block that holds several objects: |count| elements of |type|
// from |offset| (a pool's struct, then its int[10]; an object after its
// allocator's header). What no segment covers travels as bytes.
struct Segment {
  std::uint64_t offset = 0, count = 0;
  const hm_type *type = nullptr;
  Referrer ref;      // the pointer that said so
  bool site = false; // the block's allocation site said so
  // Elements some pointer points into (or the site says): a segment extends as
  // an array up to the next one, and gives way to an object that starts past these.
  std::uint64_t known = 1;
  // Nonzero: one struct of which only the first |fields| fields are there, the
  // rest being the next object's room (Lua's Udata, whose user bytes start
  // where a Udata with no user values ends: its gclist is not there).
  std::uint32_t fields = 0;
  // At most this many elements: a placed piece's (one T then its bytes, or the
  // elements its size holds); past them, raw bytes up to the next object.
  std::uint64_t most = ~std::uint64_t(0);
  // The piece's bytes after those elements (a string's text past its header):
  // data that a receiver keeps before the next object, not padding.
  std::uint64_t tail = 0;
};


// Kept small: a million small blocks have a few dozen bytes each here.
struct Reach {
  std::vector<HeapBlock> blocks;         // every live block, by address
  std::vector<const hm_type *> elems;    // what each holds; null: raw bytes
  std::vector<Referrer> refs;            // the pointer that typed each; empty: none did
  std::vector<std::uint32_t> order;      // the reached ones, by address
  std::vector<Landmark> landmarks;
  std::vector<UnionChoiceRecord> unions; // sorted
  std::vector<ElementsBeforeRecord> befores; // sorted
  std::vector<std::uint64_t> dead;       // sorted: pointer values to no object
  std::vector<std::uint64_t> ends;       // sorted: one past an object, at no other
  // Blocks that hold several objects (elems[b] is null for them), by offset.
  std::unordered_map<std::uint32_t, std::vector<Segment>> segments;
  // Why the image is right only where the byte order is the sender's (a block
  // of integers read at two widths: it travels as bytes), or "".
  std::string byteOrderBound;
  bool copiesBound = false; // some of it from typed values copied into char memory
  // Why bytes of no known type travel (a block only void pointers reach): right
  // only where the byte order and every scalar's size are the sender's, or "".
  std::string layoutBound;
  // The scalars whose bytes that concerns, each with the first reason: their
  // size must be the same there, or, for a byte pointer into one, hold the
  // byte it points to (in the same byte order, byte k of a narrower or wider
  // integer holds the same bits while the value fits).
  struct ByteBound {
    static constexpr std::uint64_t kWhole = ~std::uint64_t(0);
    const hm_type *scalar;
    std::uint64_t byte; // the last byte that must keep its place, or kWhole
    std::string why;
  };
  std::vector<ByteBound> byteBoundScalars;

  Referrer referrer(std::size_t block) const { return refs.empty() ? Referrer{} : refs[block]; }
};

// Walks everything reachable from |frames| (outermost first) and the globals.
// Throws hm::Error when a value cannot be carried: a pointer into memory hmcc
// does not manage or into the middle of a scalar, an address kept in an integer,
// a union that holds pointers without naming its active member, ...
Reach reachFromRoots(const std::vector<Frame> &frames);

// The landmarks of this process: literals, functions, argv, stdio.
std::vector<Landmark> localLandmarks();

} // namespace hm
#endif
