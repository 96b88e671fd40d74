// reach.h — what an image must carry: the heap reachable from the stack and the
// globals, and every pointer in it checked for what it points to.
#ifndef HM_RUNTIME_REACH_H
#define HM_RUNTIME_REACH_H

#include "heap.h"
#include "state.h"

#include <cstdint>
#include <string>
#include <vector>

namespace hm {

// The pointer whose type told an untyped block's type.
struct Referrer {
  bool set = false;
  std::int64_t frame = -1;  // into the frames, outermost first; -1: in memory
  std::uint32_t var = 0;
  std::uint64_t at = 0;     // offset in the variable, or sender address
};

struct ReachedBlock {
  const unsigned char *addr;
  std::size_t size;
  const hm_alloc_site *site;
  const hm_type *elem = nullptr;     // null: raw bytes
  std::size_t count = 0, tail = 0;   // elements; flexible array elements
  const hm_type *famElem = nullptr;
  std::size_t famOffset = 0;
  Referrer ref;
  bool fromStart = false;            // typed by a pointer to the block's start
};

struct Landmark {
  std::uint8_t kind;
  std::string key;
  const void *addr;
  std::size_t size;
};

struct Reach {
  std::vector<ReachedBlock> blocks;  // every live block, by address
  std::vector<std::size_t> order;    // the reached ones, in the order they were reached
  std::vector<Landmark> landmarks;
};

// Walks everything reachable from |frames| (outermost first) and the globals.
// Throws hm::Error when a value cannot be carried: a pointer into memory hmcc
// does not manage or into the middle of a scalar, an address kept in an integer,
// a union that holds pointers without naming its active member, ...
Reach reachFromRoots(const std::vector<Frame> &frames);

// The landmarks of this process: literals, functions, argv, stdio.
std::vector<Landmark> localLandmarks();

// Fills in count, tail and the flexible array member of |b| for element type |t|.
void shapeBlock(ReachedBlock &b, const hm_type *t);

} // namespace hm
#endif
