// state.h — the runtime's internal state shared by capture, restore and the registry.
#ifndef HM_RUNTIME_STATE_H
#define HM_RUNTIME_STATE_H

#include "hm/abi.h"
#include "image.h"
#include "polls.h"
#include "request.h"

#include <chrono>
#include <cstdio>
#include <cstdint>
#include <string>
#include <vector>

namespace hm {

// A frame in this process's own layout: the bytes of each saved variable.
struct Frame {
  const hm_func *func = nullptr;
  unsigned site = 0;
  struct Slot {
    unsigned var;
    std::size_t offset;
    const void *addr; // where the variable lives, when pointers may point to it
    const hm_type *type; // the variable's; a variable-length array's, with its length
    bool variableLength = false;
    std::vector<unsigned char> own; // a variable-length array's bytes
    const unsigned char *data(const Frame &f) const {
      return variableLength ? own.data() : f.bytes.data() + offset;
    }
  };
  std::vector<Slot> slots;
  std::vector<unsigned char> bytes;
  // The slot of variable |var|, or null when the frame's site did not save it.
  Slot *slotOf(unsigned var) {
    for (Slot &s : slots)
      if (s.var == var)
        return &s;
    return nullptr;
  }
  const Slot *slotOf(unsigned var) const { return const_cast<Frame *>(this)->slotOf(var); }
};

// A global's restored bytes, in this process's layout.
struct GlobalValue {
  const hm_global *global;
  std::vector<unsigned char> bytes;
};

struct Runtime {
  std::vector<Frame> frames;        // capture: innermost first; restore: outermost first
  std::size_t cursor = 0;           // restore: next frame to resume
  bool restoring_from_image = false;
  int fd = -1;                      // capture: the open image file
  std::string partial_path;         // capture: written there, then renamed
  unsigned long points_reached = 0; // migration points reached in this process
  unsigned long refusals = 0;       // migrations refused (and said so) in this process
  std::chrono::steady_clock::time_point started;
  std::string destination;          // capture: where the image goes
  bool checkpoint = false;          // capture: the process goes on afterwards
  bool captured = false;            // a capture has started in this process
  bool requested = false;           // capture: asked from outside (it may wait)
  int channel = -1;                 // capture: the requester's connection (hm-migrate), or -1
  std::string destinationTriple;    // capture: the destination's triple, when the requester said
  Destination deferred;             // a request waiting for a state that allows it: its destination
  std::string deferredWhy;          // why it waits
  unsigned deferrals = 0;           // how often it has waited
  // main's arguments: pointers may point into the array and into the strings.
  // The strings are the ones main was given, wherever the program has moved them
  // in the array (getopt permutes it); after a restore, the image's own.
  int argc = 0;
  char **argv = nullptr;
  std::vector<char *> argStrings;
  std::vector<std::size_t> argSizes; // each with its terminating 0, as main found it
  std::vector<std::string> restoredArgs; // a restore's copies of the image's strings
  std::vector<char *> restoredArgv;
};

Runtime &runtime();

// stdin_input.cpp: what stdin's buffer holds that the program has not read; on
// restore, bytes stdin gives before its own descriptor's.
std::vector<unsigned char> unreadInput();
void prependInput(const unsigned char *bytes, std::size_t size);
// The descriptor stream |f| reads (-1: none), and in |inHand| whether it has
// input already (its buffer, or what a restore put before stdin).
int inputDescriptor(FILE *f, bool &inHand);

// registry.cpp
const std::vector<const hm_unit *> &units();
const hm_func *findFunction(const std::string &key);
// Whether what may run after |func|'s call site |site| is other code on
// |triple| (the preprocessor gives other lines there); with no triple, whether
// it is on any target. Says where, or null.
const hm_site_code *codeDiffersOn(const hm_func *func, unsigned site,
                                  const std::string &triple);
// The type of a variable-length array of |count| elements of |elem|: made once,
// kept for the process's life.
const hm_type *variableLengthType(const hm_type *elem, std::uint64_t count);
// The offset of variable |var| in |func|'s frame buffer; fatal when the tables
// the instrumented code was built with do not hold it (|use|: "saved", "loaded").
std::size_t bufferOffset(const hm_func *func, unsigned var, const char *use);
const hm_global *findGlobal(const std::string &key);
// Each global variable of the program once: a tentative definition in several
// units (`int g;` in a.c and b.c, -fcommon) is one variable the linker merged.
const std::vector<const hm_global *> &programGlobals();
const hm_alloc_site *findAllocSite(const std::string &key);
// "units a.c and b.c" (or "two units named a.c") when two units define |key|
// as different things, or "".
std::string ambiguousKey(const std::string &key);
const hm_literal *findLiteral(const std::string &key);
const hm_function *findFunctionAddress(const std::string &key);
// The pinned function whose code holds |pc| (the nearest start below it), or null.
const hm_pinned *findPinned(std::uintptr_t pc);
std::uint64_t programFingerprint();
std::vector<UnitRecord> unitRecords();
std::string describeFingerprintMismatch(const Image &image);

// union_tags.cpp: field |i| of |record|, with the union tag another unit read
// for the same struct when the field has none of its own.
const hm_field &taggedField(const hm_type *record, unsigned i);

// downcasts.cpp: the struct an object reached through a pointer to |header| is,
// as its tag says (struct hm_downcast), or null when no unit's code says.
const hm_type *downcastOf(const hm_type *header, const unsigned char *object,
                          std::uint64_t avail);
// The receiver's side: the struct named |name| some tag value of |header| says,
// and whether |value| says |type|.
const hm_type *downcastNamed(const hm_type *header, const std::string &name);
bool downcastAllows(const hm_type *header, const hm_type *type, long long value);
// Whether the object's header tag says it is another struct than |pointee| (an
// UpVal * whose target's tag says Table): such a pointer is not one.
bool tagContradicts(const hm_type *pointee, const unsigned char *object,
                    std::uint64_t avail);
// Whether |header| has a table of downcasts and the object's tag is none of
// its values: no object the program's code knows starts there (Lua's dead
// table key, a GCObject * to memory handed out again as a node array).
bool tagNamesNone(const hm_type *header, const unsigned char *object, std::uint64_t avail);
// Whether an object of |t| begins with |header|: its fields first, at the
// same offsets (C's common initial sequence), or a |header| as its first member.
bool beginsWithHeader(const hm_type *t, const hm_type *header);
// The tag of an object that begins with |header|, in this machine's layout.
bool readTag(const hm_type *header, const unsigned char *object, std::uint64_t avail,
             long long &value);

// The mode word (hm/abi.h): the runtime changes the mode and keeps a pending
// request; the request signal handler only ors HM_MODE_PENDING in.
inline int currentMode() {
  return __atomic_load_n(&hm_rt_mode, __ATOMIC_RELAXED) & ~HM_MODE_PENDING;
}
// The loops' poll points follow the word (polls.h).
inline void setMode(int mode) {
  int old = __atomic_load_n(&hm_rt_mode, __ATOMIC_RELAXED);
  while (!__atomic_compare_exchange_n(&hm_rt_mode, &old, (old & HM_MODE_PENDING) | mode,
                                      true, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
    ;
  syncPolls();
}
inline void raisePending(bool inSignalHandler = false) {
  __atomic_fetch_or(&hm_rt_mode, HM_MODE_PENDING, __ATOMIC_SEQ_CST);
  syncPolls(inSignalHandler);
}
inline void takePending() {
  __atomic_fetch_and(&hm_rt_mode, ~HM_MODE_PENDING, __ATOMIC_SEQ_CST);
  syncPolls();
}
inline bool pending() { return __atomic_load_n(&hm_rt_mode, __ATOMIC_SEQ_CST) & HM_MODE_PENDING; }

// The destination's target triple when known (the requester's, else
// HM_MIGRATE_FOR), or "" (capture.cpp).
const std::string &destinationTriple();
// This process was restored from an image whose bytes were right only where
// the byte order and the scalars' sizes were its sender's (the copies that put
// them there were recorded by the sender only): a later capture keeps that
// bound (capture.cpp).
void inheritByteOrderBound(const std::string &sender);
// The targets a capture checks what the receiver would refuse for: the
// destination named, else every target hmcc builds for (capture.cpp).
std::vector<std::string> destinationTargets();

// data_model.cpp
const DataModel &localDataModel();
// A destination's data model, from its target triple (HM_MIGRATE_FOR).
struct TargetModel {
  bool bigEndian = false;
  unsigned pointerSize = 8, longSize = 8, longDoubleSize = 16;
  unsigned longDoubleAlign = 16;
};
// Where an object that followed another in a heap block goes on |to|: on |from|
// the one before ended at |end| and it began at |start|; on |to| the one before
// ends at |endTo|. The gap is padding to some alignment, which the program may
// have taken from a constant or a type: every alignment that explains it on
// |from| must give the same place on |to|, else 0 (cannot tell). A gap no
// alignment explains is a fixed slot's: the object keeps its offset, if the one
// before still ends by it. Two pieces an allocator of the program's handed
// out (placed calls) follow each other at the alignment all pieces of their
// block keep (|pieceAlign|, nonzero for them: see pieceAlignment); else, when
// alignments disagree, the object keeps its offset if the one before still
// ends by it.
std::uint64_t followingOffset(std::uint64_t end, std::uint64_t start, std::uint64_t endTo,
                              const TargetModel &from, const TargetModel &to,
                              std::uint64_t pieceAlign = 0);
// The alignment, up to 16, that the pieces at |offsets| of a block all keep
// from its start: the allocator's rounding, as far as the sender shows it.
template <class Offsets> std::uint64_t pieceAlignment(const Offsets &offsets) {
  std::uint64_t align = 16;
  for (const std::uint64_t offset : offsets)
    if (offset)
      align = std::min(align, offset & -offset);
  return align;
}
TargetModel targetModel(const std::string &triple);
// The size a scalar of |t| (as laid out here) has on |m|.
std::uint64_t scalarSizeOn(const hm_type *t, const TargetModel &m);
// The size and alignment a value of |t| has on |m|: scalars take theirs there,
// aligned to their size; records are laid out again in order. An estimate
// (bit-fields keep their bytes), enough to tell whether an object still fits.
std::pair<std::uint64_t, std::uint64_t> layoutOn(const hm_type *t, const TargetModel &m,
                                                 int depth = 0);
// Where the first |fields| fields of struct |t| end on |m| (the same estimate).
std::uint64_t prefixEndOn(const hm_type *t, unsigned fields, const TargetModel &m);


double millisecondsSince(std::chrono::steady_clock::time_point t);

// restore.cpp: once the innermost frame is back.
void finishRestore();
std::size_t restoringFrames();
// HM_RESTORE_CHECK's work on the image of |size| bytes at |data|, in this
// process, which goes on (the fuzzer, test/fuzz): decoded, checked, heap and
// globals converted into place and every frame's variables into scratch
// memory, then the heap given back. Throws hm::Error when a restore would
// refuse it. Needs HM_RESTORE_CHECK=1: nothing the image names is opened.
void checkImageInProcess(const char *data, std::size_t size);

} // namespace hm
#endif
