// image.h — the machine-independent image: its structure and Boost serialization.
//
// The structure (header, data model, type table, frames, globals) goes through the
// portable archive; object bytes travel raw, in the sender's native layout, and the
// receiver converts them (see convert.h). Format: docs/image-format.md.
#ifndef HM_RUNTIME_IMAGE_H
#define HM_RUNTIME_IMAGE_H

#include "portable_archive.h"

#include <boost/serialization/nvp.hpp>
#include <boost/serialization/split_member.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/vector.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace hm {

// Raw object bytes: a length, then the bytes as one binary block. A sender points
// at the live object (or at a copy it owns in |data|); a receiver's view points
// into the image file's mapping, so loading copies nothing.
struct Bytes {
  std::vector<unsigned char> data;
  const unsigned char *view = nullptr;
  std::size_t viewSize = 0;

  const unsigned char *ptr() const { return view ? view : data.data(); }
  std::size_t size() const { return view ? viewSize : data.size(); }

  template <class A> void save(A &ar, unsigned) const {
    std::uint64_t n = size();
    ar << boost::serialization::make_nvp("size", n);
    if (n)
      ar.save_binary(ptr(), static_cast<std::size_t>(n));
  }
  template <class A> void load(A &ar, unsigned) {
    std::uint64_t n = 0;
    ar >> boost::serialization::make_nvp("size", n);
    view = ar.take_view(n);
    viewSize = static_cast<std::size_t>(n);
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()
};

// What the receiver needs to know about the sender's machine.
struct DataModel {
  std::string arch;          // target triple of the sender's build
  std::uint8_t big_endian = 0;
  std::uint8_t pointer_size = 0;
  std::uint8_t long_size = 0;
  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(arch) & BOOST_SERIALIZATION_NVP(big_endian) &
        BOOST_SERIALIZATION_NVP(pointer_size) & BOOST_SERIALIZATION_NVP(long_size);
  }
};

// A field of a struct or a member of a union, as the sender laid it out.
struct FieldRecord {
  std::string name;
  std::uint32_t type = 0;       // into Image::types
  std::uint64_t offset = 0;     // bytes
  std::uint64_t bit_offset = 0; // bit-fields: from the start of the record
  std::uint32_t bit_width = 0;  // 0: not a bit-field
  std::int32_t tag_field = -1;  // union fields: the sibling naming the member
  std::vector<std::int64_t> tag_values;
  std::vector<std::uint32_t> tag_members;
  std::vector<std::uint64_t> tag_masks; // empty: all ones

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(name) & BOOST_SERIALIZATION_NVP(type) &
        BOOST_SERIALIZATION_NVP(offset) & BOOST_SERIALIZATION_NVP(bit_offset) &
        BOOST_SERIALIZATION_NVP(bit_width) & BOOST_SERIALIZATION_NVP(tag_field) &
        BOOST_SERIALIZATION_NVP(tag_values) & BOOST_SERIALIZATION_NVP(tag_members) &
        BOOST_SERIALIZATION_NVP(tag_masks);
  }
};

// A type as the sender laid it out (hm_type flattened into a table).
struct TypeRecord {
  std::uint32_t kind = 0;    // enum hm_kind
  std::uint64_t size = 0;    // sender's sizeof
  std::string name;
  std::int64_t elem = -1;    // HM_K_ARRAY: index of the element type
  std::uint64_t count = 0;   // HM_K_ARRAY: number of elements
  std::uint32_t mant_dig = 0; // HM_K_LDOUBLE
  std::uint32_t flags = 0;
  std::vector<FieldRecord> fields; // HM_K_STRUCT, HM_K_UNION

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(kind) & BOOST_SERIALIZATION_NVP(size) &
        BOOST_SERIALIZATION_NVP(name) & BOOST_SERIALIZATION_NVP(elem) &
        BOOST_SERIALIZATION_NVP(count) & BOOST_SERIALIZATION_NVP(mant_dig) &
        BOOST_SERIALIZATION_NVP(flags) & BOOST_SERIALIZATION_NVP(fields);
  }
};

struct VarRecord {
  std::uint32_t index = 0;   // in the function's variable table
  std::string name;          // checked against the receiver's table
  std::uint32_t type = 0;    // into Image::types
  std::uint64_t address = 0; // the sender's address, when pointers may point to it
  Bytes bytes;

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(index) & BOOST_SERIALIZATION_NVP(name) &
        BOOST_SERIALIZATION_NVP(type) & BOOST_SERIALIZATION_NVP(address) &
        BOOST_SERIALIZATION_NVP(bytes);
  }
};

struct FrameRecord {
  std::string func;          // function key
  std::uint32_t site = 0;    // call site the frame is suspended at
  std::vector<VarRecord> vars;

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(func) & BOOST_SERIALIZATION_NVP(site) &
        BOOST_SERIALIZATION_NVP(vars);
  }
};

struct GlobalRecord {
  std::string key;
  std::uint32_t type = 0;
  std::uint64_t address = 0;
  std::uint8_t constant = 0; // no bytes: the receiver has the same constant
  Bytes bytes;

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(key) & BOOST_SERIALIZATION_NVP(type) &
        BOOST_SERIALIZATION_NVP(address) & BOOST_SERIALIZATION_NVP(constant) &
        BOOST_SERIALIZATION_NVP(bytes);
  }
};

// A heap block reachable from the program's state. It holds |count| elements of
// |type|, and, when |type| ends in a flexible array member, |tail| elements of
// that member; whatever is left over travels as raw bytes.
struct HeapRecord {
  std::uint64_t address = 0;
  std::uint64_t size = 0;
  std::uint32_t type = 0;     // element type, into Image::types
  std::uint64_t count = 0;
  std::uint64_t tail = 0;
  std::uint8_t typed = 0;     // 0: raw bytes; else count/tail elements of type
  // typed == kPointerWords: a block only untyped pointers reach whose every
  // word is null or an address (a table of pointers behind a void *): the
  // receiver converts it as its own void *[], whatever the image's type says.
  static constexpr std::uint8_t kPointerWords = 2;
  std::int32_t site = -1;     // into Image::sites, when the allocation site said the type
  std::int32_t placed_site = -1; // else the call that placed its first object (a site too)
  std::uint8_t align = 0;     // log2 of the alignment it was allocated with; 0: malloc's
  // Else the pointer that told the type: in frame ref_frame's variable ref_var at
  // offset ref_at, or, when ref_frame is -1, at sender address ref_at.
  std::uint8_t has_ref = 0;
  std::int32_t ref_frame = -1;
  std::uint32_t ref_var = 0;
  std::uint64_t ref_at = 0;
  Bytes bytes;
};

// Where a heap block was on the sender: the receiver's index of the heap.
struct HeapSpan {
  std::uint64_t address = 0, size = 0;
};

// The heap blocks the capture reached, by address. A sender does not build
// them all at once but hands |produce|, which makes record i when the archive
// writes it (one record in memory at a time). A receiver keeps only each block's
// |spans| and where the records lie in the image: HeapRecordReader decodes them
// again, one at a time, when they are wanted (a million small blocks would
// otherwise cost a hundred bytes each, on top of the heap itself).
struct HeapTable {
  std::size_t produced = 0;
  std::function<HeapRecord(std::size_t)> produce;
  std::vector<HeapSpan> spans;
  const char *first = nullptr; // the first record's bytes, in the image
  std::size_t length = 0;      // all records' bytes

  std::size_t size() const { return produce ? produced : spans.size(); }

  // Records go field by field, as primitives: Boost's per-object bookkeeping
  // would cost more than the record itself for a million small blocks.
  template <class A> void save(A &ar, unsigned) const {
    const std::uint64_t n = size();
    ar << boost::serialization::make_nvp("count", n);
    for (std::size_t i = 0; i < n; ++i) {
      const HeapRecord r = produce(i);
      // The fields and the bytes' length in one write: the bytes Bytes::save
      // and field-by-field saving would make, which read() reads.
      IntegerRun run;
      eachField(r, run);
      run(static_cast<std::uint64_t>(r.bytes.size()));
      ar.save_binary(run.data(), run.size());
      if (r.bytes.size())
        ar.save_binary(r.bytes.ptr(), r.bytes.size());
    }
  }
  template <class A> void load(A &ar, unsigned) {
    std::uint64_t n = 0;
    ar >> boost::serialization::make_nvp("count", n);
    ar.check_available(n); // every record takes bytes
    spans.resize(static_cast<std::size_t>(n));
    first = ar.position();
    HeapRecord r;
    for (HeapSpan &s : spans) {
      read(ar, r);
      s = {r.address, r.size};
    }
    length = static_cast<std::size_t>(ar.position() - first);
  }
  template <class A> static void read(A &ar, HeapRecord &r) {
    std::uint64_t n = 0;
    ar.load_integers([&](auto &in) {
      eachField(r, in);
      in(n);
    });
    r.bytes.view = ar.take_view(n);
    r.bytes.viewSize = static_cast<std::size_t>(n);
  }
  // A record's integers, in the image's order.
  template <class R, class F> static void eachField(R &r, F &&f) {
    f(r.address);
    f(r.size);
    f(r.type);
    f(r.count);
    f(r.tail);
    f(r.typed);
    f(r.site);
    f(r.placed_site);
    f(r.has_ref);
    f(r.ref_frame);
    f(r.ref_var);
    f(r.ref_at);
    f(r.align);
  }
  BOOST_SERIALIZATION_SPLIT_MEMBER()
};

// Other things pointers may point to: string literals, functions, argv, stdio.
struct LandmarkRecord {
  std::uint8_t kind = 0;      // enum LandmarkKind
  std::string key;
  std::uint64_t address = 0;
  std::uint64_t size = 0;

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(kind) & BOOST_SERIALIZATION_NVP(key) &
        BOOST_SERIALIZATION_NVP(address) & BOOST_SERIALIZATION_NVP(size);
  }
};
enum LandmarkKind : std::uint8_t {
  kLiteral = 1, kFunction = 2, kArgv = 3, kStdio = 4, kEnv = 5,
  kStream = 6 // a stream fopen opened: key "stream MODE OFFSET EOF PATH" (streams.h)
};

// Which member a union that names none holds, as the sender saw its bytes: a
// pointer member whose value points to an object the image carries, or none.
struct UnionChoiceRecord {
  static constexpr std::int32_t kNoPointer = -1;
  std::int32_t frame = -1;  // a frame variable's union (outermost first); -1: memory
  std::uint32_t var = 0;
  std::uint64_t at = 0;     // the offset in the variable, or the sender address
  // How many such unions hold this one: one inside another's chosen member at
  // the same address (Lua's StackValue, then its TValue's Value) is another.
  std::uint32_t level = 0;
  std::int32_t member = kNoPointer;

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(frame) & BOOST_SERIALIZATION_NVP(var) &
        BOOST_SERIALIZATION_NVP(at) & BOOST_SERIALIZATION_NVP(level) &
        BOOST_SERIALIZATION_NVP(member);
  }
  bool operator<(const UnionChoiceRecord &o) const {
    return frame != o.frame ? frame < o.frame
           : var != o.var   ? var < o.var
           : at != o.at     ? at < o.at
                            : level < o.level;
  }
};

// An object whose number (hm_rt_number, numbers.h) is not its address: the
// sender was itself restored. Every other object's number is its address.
struct NumberRecord {
  enum Kind : std::uint8_t { kHeap = 0, kGlobal = 1, kLandmark = 2 };
  std::uint8_t kind = kHeap;
  std::uint64_t index = 0; // into Image::heap, globals or landmarks
  std::uint64_t number = 0;

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(kind) & BOOST_SERIALIZATION_NVP(index) &
        BOOST_SERIALIZATION_NVP(number);
  }
};

// A descriptor the program opened on a file (descriptors.h): opened again on the
// receiver at the same number, with the same access, at the same offset.
struct DescriptorRecord {
  std::int32_t fd = -1;
  std::string path;          // absolute
  std::int32_t flags = 0;    // access mode (0-2), 4: append, 8: close-on-exec, 16: non-blocking
  std::uint64_t offset = 0;

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(fd) & BOOST_SERIALIZATION_NVP(path) &
        BOOST_SERIALIZATION_NVP(flags) & BOOST_SERIALIZATION_NVP(offset);
  }
};

// Part of a heap block that holds several objects (the block's record is then
// untyped): |count| elements of |type| from |offset|, the same offset in every
// layout. The receiver types it from its own build: the block's allocation site
// (|site|), the call that placed it there (|placed_site|, into Image::sites), or
// the pointer that said what it is (|ref_*|, as HeapRecord's).
struct SegmentRecord {
  std::uint32_t block = 0;   // index in the heap table
  std::uint64_t offset = 0;
  std::uint32_t type = 0;
  std::uint64_t count = 0;
  std::uint32_t fields = 0;  // nonzero: one struct, of which only these leading fields
  std::uint64_t tail = 0;    // the piece's bytes after its elements (a string's text)
  std::uint8_t site = 0;
  std::int32_t placed_site = -1;
  std::uint8_t has_ref = 0;
  std::int32_t ref_frame = 0;
  std::uint32_t ref_var = 0;
  std::uint64_t ref_at = 0;

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(block) & BOOST_SERIALIZATION_NVP(offset) &
        BOOST_SERIALIZATION_NVP(type) & BOOST_SERIALIZATION_NVP(count) &
        BOOST_SERIALIZATION_NVP(fields) & BOOST_SERIALIZATION_NVP(tail) &
        BOOST_SERIALIZATION_NVP(site) &
        BOOST_SERIALIZATION_NVP(placed_site) &
        BOOST_SERIALIZATION_NVP(has_ref) & BOOST_SERIALIZATION_NVP(ref_frame) &
        BOOST_SERIALIZATION_NVP(ref_var) & BOOST_SERIALIZATION_NVP(ref_at);
  }
};

// A pointer to the element before a heap block's start (mawk's regex stack:
// `empty = base - 1`), which no object holds: the receiver makes it |count|
// of its own elements before where that block is here. Where the pointer is,
// as a union choice says it.
struct ElementsBeforeRecord {
  std::int32_t frame = -1;  // a frame variable's pointer (outermost first); -1: memory
  std::uint32_t var = 0;
  std::uint64_t at = 0;     // the offset in the variable, or the sender address
  std::uint64_t bytes = 0;  // how far before the block it points on the sender
  std::uint32_t count = 0;  // in elements of its type

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(frame) & BOOST_SERIALIZATION_NVP(var) &
        BOOST_SERIALIZATION_NVP(at) & BOOST_SERIALIZATION_NVP(bytes) &
        BOOST_SERIALIZATION_NVP(count);
  }
  bool operator<(const ElementsBeforeRecord &o) const {
    return frame != o.frame ? frame < o.frame : var != o.var ? var < o.var : at < o.at;
  }
};

// One translation unit of the program, to say what differs when fingerprints do.
struct UnitRecord {
  std::string source;
  std::uint64_t fingerprint = 0;

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(source) & BOOST_SERIALIZATION_NVP(fingerprint);
  }
};

struct Image {
  DataModel model;
  std::uint64_t fingerprint = 0;     // of the whole program
  std::vector<UnitRecord> units;
  std::vector<TypeRecord> types;
  std::vector<FrameRecord> frames;   // outermost (main) first
  std::vector<GlobalRecord> globals;
  std::vector<std::string> sites;    // allocation site keys the heap names
  HeapTable heap;
  std::vector<LandmarkRecord> landmarks;
  Bytes input; // what stdin had read ahead and the program not yet consumed
  // main's argument strings, their bytes as the program left them, and what the
  // array argv holds: for each element, the string (-1: null) and an offset in it.
  std::vector<std::string> args;
  std::vector<std::int64_t> argv_order;
  std::vector<UnionChoiceRecord> unions; // sorted, one per union value that needs one
  std::vector<SegmentRecord> segments;   // by block, then offset
  std::vector<ElementsBeforeRecord> befores; // sorted
  // Sorted: the values the sender found in pointers that point to no object
  // (freed, never set). Those alone are restored null; any other pointer to no
  // object the image carries is a refusal (an object missing, a value changed).
  std::vector<std::uint64_t> dead;
  // Sorted: the values the sender found in pointers one past the end of an
  // object and in no other. A receiver takes a pointer to where no object of
  // the image starts as one past the end of the object before only when its
  // value is listed (else an object that started there may have been left out).
  std::vector<std::uint64_t> ends;
  std::vector<DescriptorRecord> descriptors; // by number
  std::vector<NumberRecord> numbers;         // last: the heap adds to it as it streams
  // Bits (kBound...): 1, right only where the byte order is model's; 2, and
  // some of those bytes are typed values the program copied into char memory,
  // which only the process that copied them knows: a process restored from it
  // keeps the bound (2 alone means 3); 4, and where pointers and longs have
  // model's sizes (bytes of no type hmcc knows).
  enum : std::uint8_t { kBoundByteOrder = 1, kBoundCopies = 2, kBoundSizes = 4 };
  std::uint8_t byte_order_bound = 0;

  template <class A> void serialize(A &ar, unsigned) {
    ar &BOOST_SERIALIZATION_NVP(model) & BOOST_SERIALIZATION_NVP(fingerprint) &
        BOOST_SERIALIZATION_NVP(units) & BOOST_SERIALIZATION_NVP(types) &
        BOOST_SERIALIZATION_NVP(frames) & BOOST_SERIALIZATION_NVP(globals) &
        BOOST_SERIALIZATION_NVP(sites) & BOOST_SERIALIZATION_NVP(heap) &
        BOOST_SERIALIZATION_NVP(landmarks) & BOOST_SERIALIZATION_NVP(input) &
        BOOST_SERIALIZATION_NVP(args) & BOOST_SERIALIZATION_NVP(argv_order) &
        BOOST_SERIALIZATION_NVP(unions) & BOOST_SERIALIZATION_NVP(segments) &
        BOOST_SERIALIZATION_NVP(befores) & BOOST_SERIALIZATION_NVP(dead) &
        BOOST_SERIALIZATION_NVP(ends) &
        BOOST_SERIALIZATION_NVP(descriptors) & BOOST_SERIALIZATION_NVP(byte_order_bound) &
        BOOST_SERIALIZATION_NVP(numbers);
  }
};

// The file: magic, format version, payload length, CRC-32C of the payload, payload.
// Streams the file to |fd| (positioned at its start) without building it in
// memory; returns its size. Throws hm::Error on a write error.
std::uint64_t writeImage(const Image &image, int fd, const std::string &path);
// Creates |partial|, where an image is written before it is renamed into
// place: anew, for this user alone (0600), never through a link; a partial
// file this user left behind is replaced, anything else is not touched. Opened
// for reading and writing; -1 with errno when it cannot be.
int createPartialImage(const std::string &partial);
// Throws hm::Error naming what is wrong: not an image, other version, truncated,
// damaged (checksum), or malformed structure. The image's bytes are views into
// |file|, which must outlive it.
Image decodeImage(const char *file, std::size_t size, const std::string &what);

// Decodes a received image's heap records again, in order, one at a time.
class HeapRecordReader {
public:
  explicit HeapRecordReader(const HeapTable &heap);
  ~HeapRecordReader();
  HeapRecordReader(const HeapRecordReader &) = delete;
  HeapRecordReader &operator=(const HeapRecordReader &) = delete;
  // The next record; its bytes are a view into the image.
  const HeapRecord &next();
  // The image bytes read so far end here.
  const unsigned char *position() const;

private:
  struct State;
  std::unique_ptr<State> state;
  HeapRecord record;
};

} // namespace hm
#endif
