// translate.h — the receiver's side of pointers: the sender's address map, the new
// home of every object, and the translation of each pointer the converter meets.
#ifndef HM_RUNTIME_TRANSLATE_H
#define HM_RUNTIME_TRANSLATE_H

#include "hm/abi.h"
#include "image.h"
#include "layout.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace hm {

// The type this program gives variable |vr| of a frame of |fn|: its table's, or
// for a variable-length array, an array of the length the image gives it.
const hm_type *receiverVarType(const Image &image, const VarRecord &vr, const hm_func *fn);

class Translator {
public:
  explicit Translator(Image &image);

  // Allocates the image's heap blocks in this process (typed by their sites or by
  // the pointers that reached them); nothing of the program is touched yet.
  void allocateHeap();
  // Converts the heap blocks' contents and the globals into place.
  void restoreHeapAndGlobals(class Converter &converter);

  // A frame variable now lives at |addr|: pointers to it can be translated.
  void bind(std::size_t frame, std::uint32_t var, void *addr);
  // The receiver address for sender address |value|; 0 for a dead pointer. A
  // pointer to a local not yet bound is written at |dst| later, when |mayDefer|.
  std::uint64_t translate(std::uint64_t value, bool function, unsigned char *dst,
                          bool mayDefer, const hm_type *pointee = nullptr);
  // Gives each heap block, global and function here the number its address had
  // on the sender (hm_rt_number), once the heap is allocated.
  void numberObjects() const;
  // Writes the deferred pointers, once every frame is back.
  void finish();
  // Gives back the heap blocks allocateHeap made (a check in process that goes
  // on, the fuzzer's): they are no one's.
  void discardHeap();

  std::size_t heapBlocks() const { return blocks.size(); }

private:
  enum class Kind : std::uint8_t { Global, Stack, Heap, Landmark };
  // 24 bytes: a million heap blocks have one each.
  struct Object {
    std::uint64_t addr, size;   // the sender's
    std::uint32_t index;        // globals, stack (into stackVars), heap, landmarks
    Kind kind;
  };
  struct StackVar {
    std::size_t frame;
    std::size_t record;  // into the frame's vars
    void *bound = nullptr;
  };
  // A heap block here, 24 bytes. Its sender size is its span's; its size here,
  // and its flexible array member, follow from |elem| (blockSize, isFam).
  struct Block {
    union {
      unsigned char *addr;              // once allocateHeap allocated it
      const hm_alloc_site *site;        // before: what to allocate it as
    };
    const hm_type *elem = nullptr;   // null: raw bytes
    std::uint64_t n : 39;            // elements, or the flexible array's elements
    std::uint64_t fromSite : 1;      // an allocation site laid it out (no struct hack)
    std::uint64_t type : 18;         // the sender's element type, into image.types
    std::uint64_t align : 6;         // log2 of the alignment asked for; 0: malloc's
  };
  // A part of a block that holds several objects (SegmentRecord): the first at
  // the same offset here as on the sender (raw bytes before it keep their
  // size), each other one after the one before it as followingOffset says.
  struct Seg {
    std::uint64_t offset, count; // count: converted here; the image's may be more
    std::uint64_t imageCount;
    std::uint64_t here = 0;      // its offset here, once laid out
    std::uint32_t fields = 0;    // nonzero: one struct, its leading fields only
    std::uint32_t block, record;  // record: into image.segments
    const hm_type *elem = nullptr; // this program's type, once known
    const hm_type *header = nullptr; // elem is what header's tag said (downcasts.cpp)
    const hm_alloc_site *placed = nullptr; // the call that placed it, placed here again
  };
  struct Fixup {
    unsigned char *dst;
    std::size_t stackVar;
    std::uint64_t offset;  // receiver offset inside the variable
  };

  Image &image;
  std::vector<Object> objects;  // globals, stack variables, landmarks, by sender address
  std::vector<StackVar> stackVars;
  std::vector<HeapSpan> spans;  // the heap blocks on the sender, by address (the image's order)
  std::vector<Block> blocks;    // the same blocks here
  std::size_t allocated = 0;    // blocks [0, allocated) hold addresses, not sites
  std::vector<Fixup> fixups;
  std::vector<Seg> segs;        // by block, then offset
  // Blocks typed by the call that placed their first object: placed here again,
  // so that this process can migrate on.
  std::vector<std::pair<std::size_t, const hm_alloc_site *>> placedBlocks;

  // Refuses an image whose objects overlap (landmarks aside).
  void checkNoOverlap() const;
  // The segments of block |b|: [first, last) of |segs|.
  std::pair<std::size_t, std::size_t> segmentsOf(std::size_t b) const;
  // The segment of block |b| whose elements hold sender offset |offset|, or null.
  const Seg *segmentAt(std::size_t b, std::uint64_t offset) const;
  // Types a segment from this program's build; then each is laid out here.
  void typeSegment(Seg &s, const std::vector<std::int32_t> &siteOf,
                   const std::vector<const hm_alloc_site *> &sites);
  void layOutSegments();
  void copyTextFromLastMember(const ImageType &there, const hm_type *here,
                              const unsigned char *src, unsigned char *dst, std::size_t block,
                              std::uint64_t offset) const;
  // A block no allocation site laid out that holds one struct and its text,
  // which runs on from its last char array (mawk's STRING): the sender's
  // offset of that member, from where the text moves as one run to where the
  // member is here; else kNoText.
  std::uint64_t textOffsetThere(const Block &b) const;
  static constexpr std::uint64_t kNoText = ~std::uint64_t(0);
  // Where sender offset |offset| of raw bytes in block |b|, which holds several
  // objects, is here: after the object before it, as far from its end.
  std::uint64_t rawOffsetHere(std::size_t b, std::uint64_t offset) const;
  // The sender's end of segment |s|, and its end here.
  std::uint64_t endThere(const Seg &s) const;
  std::uint64_t endHere(const Seg &s) const {
    return s.here + (s.fields ? prefixEnd(s.elem, s.fields) : s.count * s.elem->size);
  }
  // The bytes segment |s| (record |r|) covers on the sender.
  std::uint64_t bytesThere(const Seg &s) const;
  std::uint64_t recordBytes(const SegmentRecord &r) const;
  bool hasSegments(std::size_t b) const {
    if (segs.empty())
      return false;
    const auto [first, last] = segmentsOf(b);
    return first != last;
  }
  mutable std::size_t nearBlock = 0; // the heap block found last: where searches start

  // The object holding sender address |v|, or else one ending at it.
  std::optional<Object> find(std::uint64_t v) const;
  // The last heap block starting at or before |v|; spans.size() if none.
  std::size_t heapBlockBefore(std::uint64_t v) const;
  Object heapObject(std::size_t b) const {
    return {spans[b].address, spans[b].size, static_cast<std::uint32_t>(b), Kind::Heap};
  }
  // |v| is both one past the end of an object and the start of |next|: which
  // one the pointer means, by what it points to.
  Object disambiguate(const Object &next, std::uint64_t v, const hm_type *pointee) const;
  const hm_type *receiverType(const Object &o) const;
  const hm_type *pointeeAt(std::int64_t frame, std::uint32_t var, std::uint64_t at) const;
  bool locatePointer(ImageType t, std::uint64_t offset, Path &path, UnionChoiceRecord key,
                     std::uint64_t base, int depth = 0) const;
  // What a pointer to |pointee| typed, when the sender read the object's header
  // tag and typed it as the image's |type|: this program's struct of that name,
  // if its code says that a tag of |pointee| may name it. Else |pointee|.
  const hm_type *downcast(const hm_type *pointee, std::uint32_t type,
                          const hm_type *&header) const;
  // After conversion: each of |n| objects of |elem| at |at| holds a tag that says
  // |elem| (a crafted image cannot make the program cast them to larger ones).
  void checkTags(const hm_type *header, const hm_type *elem, const unsigned char *at,
                 std::uint64_t n, std::uint64_t size, std::size_t block) const;
  std::unordered_map<std::size_t, const hm_type *> blockHeaders; // block -> header
  mutable std::unordered_map<std::string, FILE *> reopened; // stream landmarks' keys
  // kNowhere: a byte pointer inside an address, restored as null.
  std::uint64_t mapOffset(const Object &o, std::uint64_t offset) const;
  static constexpr std::uint64_t kNowhere = ~std::uint64_t(0);
  std::uint64_t landmarkAddress(const LandmarkRecord &l) const;
  // How many bytes a pointer may point into landmark |l|, at |address| here.
  static std::uint64_t landmarkSizeHere(const LandmarkRecord &l, std::uint64_t address);
  // The size here of a block of |senderSize| bytes on the sender.
  std::uint64_t blockSize(const Block &b, std::uint64_t senderSize) const;
};

} // namespace hm
#endif
