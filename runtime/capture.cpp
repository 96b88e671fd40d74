// capture.cpp — migration points and capture: frames by unwinding, then the image.
#include "config.h"
#include "descriptors.h"
#include "convert.h"
#include "libc_state.h"
#include "numbers.h"
#include "reach.h"
#include "destination_check.h"
#include "layout.h"
#include "request.h"
#include "stack_check.h"
#include "diag.h"
#include "options.h"
#include "state.h"
#include "hm/targets.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unordered_map>
#include <unistd.h>

extern "C" {
int hm_rt_mode = HM_MODE_RUN; // hidden (hm/abi.h): instrumented code reads it directly
HM_EXPORT int *const hm_rt_shared_mode = &hm_rt_mode; // for shared libraries
}

// Function-local statics hmcc cannot carry (include/hm/abi.h).
extern "C" const char __start_hm_uncarried[] __attribute__((weak));
extern "C" const char __stop_hm_uncarried[] __attribute__((weak));

namespace hm {

Runtime &runtime() {
  static Runtime rt;
  return rt;
}

namespace {

// Whether a captured process can be written out for another process to restore.
// In-process continuation needs no such check: there, raw bytes are exact.
void checkExportable(const std::vector<Frame> &frames) {
  // A frame whose code is another on the destination: its values (an index
  // counted in words of W bytes) mean something else there. It returns soon:
  // a request waits for it.
  const std::string &dest = destinationTriple();
  for (const Frame &f : frames)
    if (const hm_site_code *code = codeDiffersOn(f.func, f.site, dest)) {
      if (dest.empty())
        throw TransientError(fmt::format(
            "'{}' is on the stack, and its code is not the same on {} (the preprocessor "
            "gives other code for {} there), and the destination is not named "
            "(HM_MIGRATE_FOR)",
            f.func->key, code->differs_on, code->at));
      throw TransientError(fmt::format(
          "'{}' is on the stack, and its code is not the same on {} (the preprocessor gives "
          "other code for {} there): its values would mean something else there",
          f.func->key, dest, code->at));
    }
  for (const Frame &f : frames) {
    std::string file = ambiguousKey(f.func->key);
    if (!file.empty())
      fail("{} both define '{}': the image could not say which one is on the stack; "
           "rename one of the files",
           file, f.func->key);
  }
  for (const hm_global *g : programGlobals()) {
    std::string file = ambiguousKey(g->key);
    if (!file.empty())
      fail("{} both define '{}' as different variables: the image could not say "
           "which one is which; rename one of them",
           file, g->key);
  }
  for (const char *p = __start_hm_uncarried; p && p < __stop_hm_uncarried; p += std::strlen(p) + 1)
    if (*p)
      fail("static {} has a type declared inside its function that cannot move to file "
           "scope with it: hmcc cannot carry its value (give the type a name no other "
           "struct of its unit has, or declare it outside the function)",
           p);
  for (const Frame &f : frames)
    for (const Frame::Slot &s : f.slots) {
      const hm_var &v = f.func->vars[s.var];
      std::string why = unsupportedReason(s.type);
      if (!why.empty())
        fail("variable '{}' ({}) of {} at {} cannot migrate: {}", v.name,
             s.type->name, f.func->key, v.where, why);
    }
  for (const hm_global *gp : programGlobals()) {
      const hm_global &g = *gp;
      if (g.constant)
        continue;
      std::string why = unsupportedReason(g.type);
      if (!why.empty())
        fail("global '{}' ({}) at {} cannot migrate: {}", g.key, g.type->name,
             g.where, why);
    }
}

// A block that holds several objects: on the receiver each object goes after
// the one before it, where every alignment that explains the gap here puts it
// there (followingOffset). Checked here, before anything is unwound, for the
// destination named (HM_MIGRATE_FOR), else for every target hmcc builds for:
// the receiver would refuse once this process has gone.
void checkSegmentsLayOut(const Reach &reach) {
  if (reach.segments.empty())
    return;
  const TargetModel here = targetModel(HM_TARGET_TRIPLE);
  for (const std::string &target : destinationTargets()) {
    if (target == HM_TARGET_TRIPLE)
      continue;
    const TargetModel there = targetModel(target);
    std::unordered_map<const hm_type *, std::uint64_t> sizeThere;
    const auto size = [&](const hm_type *t) {
      auto [it, fresh] = sizeThere.try_emplace(t, 0);
      if (fresh)
        it->second = layoutOn(t, there).first;
      return it->second;
    };
    for (const auto &[b, segs] : reach.segments) {
      std::vector<std::uint64_t> pieces;
      for (const Segment &s : segs)
        if (s.ref.placedBy())
          pieces.push_back(s.offset);
      const std::uint64_t align = pieceAlignment(pieces);
      // A piece's text that runs on from its struct's last char array through
      // the padding goes on after the struct only where the padding is as long.
      for (const Segment &s : segs) {
        const hm_type *t = s.type;
        const hm_field *last = s.tail ? trailingText(t) : nullptr;
        if (!last)
          continue;
        const std::uint64_t roomHere = t->size - last->offset;
        const std::uint64_t roomThere = size(t) - prefixEndOn(t, t->nfields - 1, there);
        if (roomHere != roomThere)
          fail("a heap block of {} bytes holds a {} at byte {} whose text runs on from its "
               "last member through {} bytes of padding, which are {} on {}: where the text "
               "goes on there cannot be told",
               reach.blocks[b].size, t->name, s.offset, roomHere, roomThere, target);
      }
      std::uint64_t at = segs.empty() ? 0 : segs[0].offset;
      for (std::size_t k = 1; k < segs.size(); ++k) {
        const Segment &p = segs[k - 1];
        const std::uint64_t end = p.offset + p.tail +
                                  (p.fields ? prefixEnd(p.type, p.fields) : p.count * p.type->size);
        const std::uint64_t endTo =
            at + p.tail +
            (p.fields ? prefixEndOn(p.type, p.fields, there) : p.count * size(p.type));
        at = followingOffset(end, segs[k].offset, endTo, here, there,
                             p.ref.placedBy() && segs[k].ref.placedBy() ? align : 0);
        if (!at)
          fail("a heap block of {} bytes holds objects of several types: the {} at byte {} "
               "comes {} bytes after the end of the {} before it, which may be padding to "
               "any of several alignments that differ on {}: where it would go there "
               "cannot be told",
               reach.blocks[b].size, segs[k].type->name, segs[k].offset,
               segs[k].offset - end, p.type->name, target);
      }
    }
  }
}

struct TypeTable {
  std::vector<TypeRecord> &out;
  std::unordered_map<const hm_type *, std::uint32_t> index;
  const hm_type *last = nullptr; // heap blocks come in runs of one type
  std::uint32_t lastId = 0;

  std::uint32_t add(const hm_type *t) {
    if (t == last)
      return lastId;
    auto it = index.find(t);
    if (it != index.end()) {
      last = t;
      lastId = it->second;
      return lastId;
    }
    TypeRecord r;
    r.kind = t->kind;
    r.size = t->size;
    r.name = t->name;
    r.count = t->count;
    r.mant_dig = t->mant_dig;
    // Reserve the index first: a record may refer to itself through its fields.
    auto id = static_cast<std::uint32_t>(out.size());
    out.push_back(r);
    index.emplace(t, id);
    if ((t->kind == HM_K_ARRAY || t->kind == HM_K_POINTER) && t->elem)
      r.elem = add(t->elem);
    r.flags = t->flags;
    for (unsigned i = 0; i < t->nfields; ++i) {
      const hm_field &f = t->fields[i];
      FieldRecord fr;
      fr.name = f.name;
      fr.type = add(f.type);
      fr.offset = f.offset;
      fr.bit_offset = f.bit_offset;
      fr.bit_width = f.bit_width;
      const hm_field &tag = taggedField(t, i);
      fr.tag_field = tag.tag_field;
      fr.tag_values.assign(tag.tag_values, tag.tag_values + tag.ntags);
      fr.tag_members.assign(tag.tag_members, tag.tag_members + tag.ntags);
      if (tag.tag_masks)
        fr.tag_masks.assign(tag.tag_masks, tag.tag_masks + tag.ntags);
      r.fields.push_back(std::move(fr));
    }
    out[id] = std::move(r);
    return id;
  }
};

// main's argument strings and the array that points into them (Image::args).
void recordArguments(Image &image) {
  const Runtime &rt = runtime();
  if (!rt.argv)
    return;
  for (std::size_t k = 0; k < rt.argStrings.size(); ++k)
    image.args.emplace_back(rt.argStrings[k], rt.argSizes[k]);
  for (int i = 0; i < rt.argc; ++i) {
    const char *p = rt.argv[i];
    std::int64_t which = -1, at = 0;
    for (std::size_t k = 0; p && which < 0 && k < rt.argStrings.size(); ++k)
      if (p >= rt.argStrings[k] && p < rt.argStrings[k] + rt.argSizes[k]) {
        which = static_cast<std::int64_t>(k);
        at = p - rt.argStrings[k];
      }
    if (p && which < 0)
      fail("argv[{}] points to a string that is not one of main's arguments; hmcc "
           "carries argv only as main's own strings, in any order", i);
    image.argv_order.push_back(which);
    image.argv_order.push_back(at);
  }
}

static std::string gInheritedBound; // the first sender whose bound this process keeps

// The heap, globals and frames reached from |frames|, and whether the
// destination can take them. What the program's state decides may hold at a
// later poll point (a stale pointer overwritten, in-place work over, a frame
// that says more): a request tries again there.
Reach analyseState(const std::vector<Frame> &frames, Image &image) {
  try {
    Reach reach = reachFromRoots(frames);
    if (!gInheritedBound.empty()) {
      // The copies' bytes were right here and on their sender (and nowhere else
      // the sender would not have let them go): they stay right there.
      const std::string &dest = destinationTriple();
      if (dest != HM_TARGET_TRIPLE && dest != gInheritedBound)
        fail("this process was restored from an image whose bytes (typed values copied "
             "into char memory) were right only where the byte order and sizes were "
             "{}'s; they go on only to {} or {}, and the destination is {}",
             gInheritedBound, gInheritedBound, HM_TARGET_TRIPLE,
             dest.empty() ? "not named (HM_MIGRATE_FOR)" : dest);
      image.byte_order_bound |= Image::kBoundByteOrder | Image::kBoundCopies;
    }
    if (!reach.byteOrderBound.empty()) {
      // Right only where the byte order is this one (and the scalars whose bytes
      // it holds have their size here): checked here when the destination is
      // named, and by the receiver before anything (the image says).
      const std::string &dest = destinationTriple();
      if (dest.empty())
        fail("{}: its bytes are right only where the byte order is {}'s, and the "
             "destination is not named (HM_MIGRATE_FOR)",
             reach.byteOrderBound, HM_TARGET_TRIPLE);
      const TargetModel there = targetModel(dest);
      if (there.bigEndian != (image.model.big_endian != 0))
        fail("{}: its bytes are right only where the byte order is {}'s, and {} has the "
             "other one",
             reach.byteOrderBound, HM_TARGET_TRIPLE, dest);
      for (const Reach::ByteBound &b : reach.byteBoundScalars) {
        const std::uint64_t size = scalarSizeOn(b.scalar, there);
        if (b.byte == Reach::ByteBound::kWhole && size != b.scalar->size)
          fail("{}: its bytes are right only where a {} has {} bytes, as on {}; it has {} "
               "on {}",
               b.why, b.scalar->name, b.scalar->size, HM_TARGET_TRIPLE, size, dest);
        if (b.byte != Reach::ByteBound::kWhole && size <= b.byte)
          fail("{}: a {} has {} bytes on {}, and no byte {}", b.why, b.scalar->name, size,
               dest, b.byte);
      }
      const TargetModel here = targetModel(HM_TARGET_TRIPLE);
      if (!reach.layoutBound.empty() &&
          (there.pointerSize != here.pointerSize || there.longSize != here.longSize ||
           there.longDoubleSize != here.longDoubleSize ||
           there.longDoubleAlign != here.longDoubleAlign))
        fail("{}: they are right only where every scalar has the size it has on {}, and {} "
             "has {}-byte pointers, {}-byte longs and {}-byte long doubles",
             reach.layoutBound, HM_TARGET_TRIPLE, dest, there.pointerSize, there.longSize,
             there.longDoubleSize);
      image.byte_order_bound |= Image::kBoundByteOrder;
      if (reach.copiesBound)
        image.byte_order_bound |= Image::kBoundCopies;
      if (!reach.layoutBound.empty())
        image.byte_order_bound |= Image::kBoundSizes;
    }
    checkSegmentsLayOut(reach);
    checkForDestination(frames, reach, destinationTriple());
    return reach;
  } catch (const TransientError &) {
    throw;
  } catch (const Error &e) {
    throw TransientError(e.what());
  }
}

// Builds the image of |frames| (outermost first) and streams it to |fd|; heap
// records are made one at a time as the archive writes them.
std::uint64_t writeCapturedImage(const std::vector<Frame> &frames, int fd,
                                 const std::string &path) {
  Image image;
  image.model = localDataModel();
  image.fingerprint = programFingerprint();
  image.units = unitRecords();
  Reach reach = analyseState(frames, image);
  TypeTable types{image.types, {}};
  for (const Frame &f : frames) {
    FrameRecord fr;
    fr.func = f.func->key;
    fr.site = f.site;
    for (const Frame::Slot &s : f.slots) {
      const hm_var &v = f.func->vars[s.var];
      VarRecord vr;
      vr.index = s.var;
      vr.name = v.name;
      vr.type = types.add(s.type);
      vr.address = reinterpret_cast<std::uintptr_t>(s.addr);
      const unsigned char *p = s.data(f);
      vr.bytes.data.assign(p, p + s.type->size);
      fr.vars.push_back(std::move(vr));
    }
    image.frames.push_back(std::move(fr));
  }
  for (const hm_global *gp : programGlobals()) {
      const hm_global &g = *gp;
      GlobalRecord gr;
      gr.key = g.key;
      gr.type = types.add(g.type);
      gr.address = reinterpret_cast<std::uintptr_t>(g.addr);
      gr.constant = g.constant != 0;
      if (!g.constant) {
        gr.bytes.view = static_cast<const unsigned char *>(g.addr);
        gr.bytes.viewSize = g.type->size;
      }
      if (const std::uint64_t n = numberOf(gr.address); n != gr.address)
        image.numbers.push_back({NumberRecord::kGlobal, image.globals.size(), n});
      image.globals.push_back(std::move(gr));
    }
  // Types and sites go before the heap in the archive: add them first.
  std::unordered_map<const hm_alloc_site *, std::int32_t> siteIndex;
  for (std::size_t n = 0; n < reach.order.size(); ++n) {
    const std::size_t i = reach.order[n];
    const auto indexSite = [&](const hm_alloc_site *site) {
      if (siteIndex.try_emplace(site, static_cast<std::int32_t>(image.sites.size())).second)
        image.sites.push_back(site->key);
      return siteIndex.at(site);
    };
    if (reach.elems[i])
      types.add(reach.elems[i]);
    if (const hm_alloc_site *site = reach.blocks[i].site)
      indexSite(site);
    if (const hm_alloc_site *placed = reach.referrer(i).placedBy())
      indexSite(placed);
    auto segs = reach.segments.find(static_cast<std::uint32_t>(i));
    if (segs == reach.segments.end())
      continue;
    for (const Segment &s : segs->second) {
      SegmentRecord r;
      r.block = static_cast<std::uint32_t>(n);
      r.offset = s.offset;
      r.type = types.add(s.type);
      r.count = s.count;
      r.fields = s.fields;
      r.tail = s.tail;
      r.site = s.site;
      if (const hm_alloc_site *placed = s.ref.placedBy())
        r.placed_site = indexSite(placed);
      r.has_ref = s.ref.set();
      if (s.ref.set()) {
        r.ref_frame = s.ref.frame;
        r.ref_var = s.ref.var;
        r.ref_at = s.ref.at;
      }
      image.segments.push_back(r);
    }
  }
  image.heap.produced = reach.order.size();
  image.heap.produce = [&](std::size_t i) {
    const std::size_t at = reach.order[i];
    const HeapBlock &b = reach.blocks[at];
    const hm_type *elem = reach.elems[at];
    HeapRecord h;
    h.address = reinterpret_cast<std::uintptr_t>(b.addr);
    // The heap streams before the numbers in the archive: they can still grow.
    if (const std::uint64_t n = numberOf(h.address); n != h.address)
      image.numbers.push_back({NumberRecord::kHeap, i, n});
    h.size = b.size;
    h.typed = elem == pointerWordType() ? HeapRecord::kPointerWords : elem != nullptr;
    if (elem) {
      const BlockShape shape = shapeOf(elem, b);
      h.type = types.add(elem);
      h.count = shape.count;
      h.tail = shape.tail;
    }
    if (b.site)
      h.site = siteIndex.at(b.site);
    const Referrer ref = reach.referrer(at);
    if (const hm_alloc_site *placed = ref.placedBy())
      h.placed_site = siteIndex.at(placed);
    h.has_ref = ref.set();
    if (ref.set()) {
      h.ref_frame = ref.frame;
      h.ref_var = ref.var;
      h.ref_at = ref.at;
    }
    h.align = static_cast<std::uint8_t>(heapAlignLog2(b.addr));
    h.bytes.view = static_cast<const unsigned char *>(b.addr); // written straight from the block
    h.bytes.viewSize = b.size;
    return h;
  };
  image.input.data = unreadInput();
  recordArguments(image);
  if (std::string why = describeDescriptors(image.descriptors, runtime().fd); !why.empty())
    fail("{}", why); // checked before anything was unwound; changed since
  image.unions = std::move(reach.unions);
  image.befores = std::move(reach.befores);
  image.dead = std::move(reach.dead);
  image.ends = std::move(reach.ends);
  for (const Landmark &l : reach.landmarks) {
    const auto address = reinterpret_cast<std::uintptr_t>(l.addr);
    if (const std::uint64_t n = numberOf(address); n != address)
      image.numbers.push_back({NumberRecord::kLandmark, image.landmarks.size(), n});
    image.landmarks.push_back({l.kind, l.key, address, l.size});
  }
  return writeImage(image, fd, path);
}

// The image is written to PATH.partial, created anew for this process's user
// alone, never through a symbolic link; a partial image a failed capture of
// this user left behind is replaced. A write past the file size limit fails
// (EFBIG) instead of killing the process with SIGXFSZ: the capture fails over.
static int createPartial(const std::string &partial) {
  static bool xfszIgnored = false;
  if (!xfszIgnored) {
    std::signal(SIGXFSZ, SIG_IGN);
    xfszIgnored = true;
  }
  return createPartialImage(partial);
}

} // namespace

const std::string &destinationTriple() {
  const Runtime &rt = runtime();
  return rt.destinationTriple.empty() ? options().migrate_for : rt.destinationTriple;
}

std::vector<std::string> destinationTargets() {
  const std::string &dest = destinationTriple();
  return dest.empty() ? std::vector<std::string>{HM_TRIPLE_LIST} : std::vector<std::string>{dest};
}

namespace {

// The stack was unwound but the process stays (a checkpoint, or a migration that
// failed): rebuild it in this process from the frames just captured. A
// requester hears why a migration failed.
void continueHere(Runtime &rt, const std::string &reason) {
  if (rt.fd >= 0) {
    ::close(rt.fd);
    if (!rt.partial_path.empty())
      ::unlink(rt.partial_path.c_str());
    rt.fd = -1;
  }
  if (rt.channel >= 0) {
    if (!reason.empty())
      tellRequester(rt.channel, "FAILED", reason);
    ::close(rt.channel);
    rt.channel = -1;
  }
  rt.destinationTriple.clear();
  if (!reason.empty()) {
    note("migration failed: {}; the program goes on on {}", reason, HM_TARGET_TRIPLE);
    requestFinished();
    rt.deferrals = 0;
    ++rt.refusals;
  }
  std::reverse(rt.frames.begin(), rt.frames.end());
  rt.cursor = 0; // main goes back to its own site (hm_again_K) and resumes there
  rt.restoring_from_image = false;
  setMode(HM_MODE_RESTORE);
}

// Starts a capture to |dest|: checks the stack and opens the destination before
// unwinding anything, so that a refusal costs the program nothing. A request
// (|mayWait|) that finds a frame in the way that will return waits for it.
// |errnoValue|: errno where the program reached the point, which travels too.
enum class Start { Started, Refused, Waiting };
Start startCapture(Runtime &rt, Destination dest, bool mayWait, int errnoValue) {
  StackVerdict v = pollsPatchable() ? checkStackInstrumented()
                                    : StackVerdict{"this process may not change its code "
                                                   "(mprotect refused), which resuming "
                                                   "after a capture needs",
                                                   false};
  if (v.why.empty())
    if (const char *why = hm_libc_uncarried())
      v = StackVerdict{why, false};
  if (v.why.empty()) {
    std::vector<DescriptorRecord> descriptors;
    if (std::string why = describeDescriptors(descriptors, -1); !why.empty())
      v = StackVerdict{why, false};
  }
  if (!v.why.empty()) {
    if (mayWait && v.passing && retryRequestLater(rt.deferrals)) {
      if (rt.deferrals++ == 0) {
        note("migration deferred: {}; it is tried again until that frame has returned",
             v.why);
        tellRequester(dest.channel, "DEFERRED", v.why);
      }
      rt.deferred = std::move(dest);
      holdStderr(true);
      rt.deferredWhy = v.why;
      return Start::Waiting;
    }
    note("migration refused: {}; the program goes on on {}", v.why, HM_TARGET_TRIPLE);
    tellRequester(dest.channel, "REFUSED", v.why);
    closeDestination(dest);
    ++rt.refusals;
    rt.deferred = Destination();
    rt.deferredWhy.clear();
    rt.deferrals = 0;
    requestFinished();
    return Start::Refused;
  }
  rt.deferred = Destination();
  rt.deferredWhy.clear();
  if (dest.fd >= 0) {
    // The requester's descriptor (a file it created, or memory it streams on):
    // what an earlier attempt wrote there goes.
    rt.partial_path.clear();
    rt.fd = dest.fd;
    if (::ftruncate(rt.fd, 0) != 0 && errno != EINVAL)
      rt.fd = -1;
  } else {
    rt.partial_path = dest.path + ".partial";
    rt.fd = createPartial(rt.partial_path);
  }
  if (rt.fd < 0) {
    const std::string why =
        fmt::format("cannot create image '{}': {}", dest.path, std::strerror(errno));
    note("migration failed: {}; the program goes on on {}", why, HM_TARGET_TRIPLE);
    tellRequester(dest.channel, "REFUSED", why);
    closeDestination(dest);
    rt.deferrals = 0;
    requestFinished();
    ++runtime().refusals;
    return Start::Refused;
  }
  rt.destination = dest.path;
  rt.checkpoint = dest.checkpoint;
  rt.channel = dest.channel;
  rt.destinationTriple = dest.triple;
  rt.requested = mayWait;
  std::fflush(nullptr);
  hm_libc_before_capture(errnoValue, requestSignal());
  rt.frames.clear();
  setMode(HM_MODE_CAPTURE);
  return Start::Started;
}

// The size of the regular file |fd| is open on, or "-".
std::string outputSize(int fd) {
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    return "-";
  return std::to_string(st.st_size);
}

// The innermost frame of a restore: the whole stack is back.
int finishResume(Runtime &rt) {
  if (rt.cursor != restoringFrames())
    fatal("cannot restore: the restore reached the migration point with {} of {} frames "
          "resumed",
          rt.cursor, restoringFrames());
  const bool fromImage = rt.restoring_from_image;
  finishRestore();
  if (fromImage)
    if (const char *why = hm_libc_after_restore(requestSignal()))
      fatal("cannot restore: {}", why);
  if (fromImage && options().logging) // before the handshake: its stderr still goes to hm-migrate
    note("restored on {} in {:.3f} ms", HM_TARGET_TRIPLE, millisecondsSince(rt.started));
  if (fromImage && options().handshake)
    awaitCommit();
  fatalStatus() = 1; // from here a failure is the program's
  rt.frames.clear();
  rt.cursor = 0;
  setMode(HM_MODE_RUN);
  errno = hm_libc_errno(); // the program goes on with the errno it had at the point
  return fromImage ? 1 : 0;
}

// The runtime's own work must not change errno where the program goes on.
struct KeepErrno {
  const int value = errno;
  ~KeepErrno() { errno = value; }
};

} // namespace

void inheritByteOrderBound(const std::string &sender) {
  if (gInheritedBound.empty())
    gInheritedBound = sender;
}

} // namespace hm

using namespace hm;

extern "C" HM_EXPORT int migrate_now(void) {
  Runtime &rt = runtime();
  if (currentMode() == HM_MODE_RESTORE)
    return finishResume(rt);
  if (currentMode() == HM_MODE_CAPTURE)
    return 0;
  KeepErrno keep;
  const Options &o = options();
  ++rt.points_reached;
  if (rt.points_reached != o.migrate_at_point)
    return 0;
  rt.started = std::chrono::steady_clock::now();
  Destination dest;
  dest.path = o.migrate_to.empty() ? o.checkpoint : o.migrate_to;
  dest.checkpoint = o.migrate_to.empty();
  if (!dest.path.empty())
    startCapture(rt, std::move(dest), false, keep.value);
  return 0;
}

// A poll point that found a request pending (a signal, or hm_request_migration).
extern "C" HM_EXPORT int hm_rt_poll(void) {
  Runtime &rt = runtime();
  if (currentMode() == HM_MODE_RESTORE)
    return finishResume(rt);
  KeepErrno keep;
  if (!pending()) // an armed poll point with nothing pending (its disarm failed)
    return 0;
  takePending();
  if (currentMode() == HM_MODE_CAPTURE)
    return 0;
  // A request that waited for a frame keeps the destination it was given.
  Destination dest = rt.deferred.empty() ? requestedDestination() : std::move(rt.deferred);
  rt.deferred = Destination();
  if (!stillRequesters(dest)) {
    note("a migration request that waited is dropped: the program has closed the "
         "descriptors hm-migrate gave it; the program goes on on {}", HM_TARGET_TRIPLE);
    dest = Destination(); // not closed: the numbers are the program's now
    requestFinished();
    return 0;
  }
  if (dest.empty()) {
    if (dest.said)
      return 0;
    note("a migration was requested, but no destination: set HM_MIGRATE_TO or use "
         "hm-migrate; the program goes on on {}", HM_TARGET_TRIPLE);
    return 0;
  }
  rt.started = std::chrono::steady_clock::now();
  if (options().logging && rt.deferrals == 0)
    note("request to capture: {:.3f} ms", requestLatencyMs(rt.started));
  startCapture(rt, std::move(dest), true, keep.value);
  return 0;
}

extern "C" HM_EXPORT void *hm_rt_save_frame(const hm_func *func, unsigned site,
                                            const unsigned *live) {
  Frame f;
  f.func = func;
  f.site = site;
  f.bytes.resize(func->buffer_size);
  f.slots.reserve(live[0]);
  for (unsigned i = 1; i <= live[0]; ++i) {
    Frame::Slot slot;
    slot.var = live[i];
    slot.offset = bufferOffset(func, live[i], "saved");
    slot.addr = nullptr;
    slot.type = func->vars[live[i]].type;
    f.slots.push_back(std::move(slot));
  }
  Runtime &rt = runtime();
  rt.frames.push_back(std::move(f));
  return rt.frames.back().bytes.data();
}

extern "C" HM_EXPORT void hm_rt_save_at(unsigned var, const void *addr) {
  Frame &f = runtime().frames.back();
  Frame::Slot *s = f.slotOf(var);
  if (!s)
    fatal("instrumented code saved variable {} of {}, which its site does not list", var,
          f.func->key);
  s->addr = addr;
  std::memcpy(f.bytes.data() + s->offset, addr, f.func->vars[var].type->size);
}

extern "C" HM_EXPORT void hm_rt_save_vla(unsigned var, const void *addr, unsigned long size) {
  Frame &f = runtime().frames.back();
  Frame::Slot *s = f.slotOf(var);
  const hm_var &v = f.func->vars[var];
  if (!s || !(v.flags & HM_V_VARIABLE_LENGTH) || !v.type->size || size % v.type->size)
    fatal("instrumented code saved variable {} of {} as a variable-length array of {} "
          "bytes, which its tables do not describe", var, f.func->key, size);
  s->addr = addr;
  s->type = variableLengthType(v.type, size / v.type->size);
  s->variableLength = true;
  const auto *p = static_cast<const unsigned char *>(addr);
  s->own.assign(p, p + size);
}

extern "C" HM_EXPORT void hm_rt_capture_complete(void) {
  Runtime &rt = runtime();
  const std::string path = rt.destination;
  std::vector<int> relay; // a move over a connection: the destination's stdio
  try {
    checkExportable(rt.frames);
    const std::vector<Frame> outermostFirst(rt.frames.rbegin(), rt.frames.rend());
    const std::uint64_t size = writeCapturedImage(outermostFirst, rt.fd, path);
    if (::fsync(rt.fd) != 0 && errno != EINVAL && errno != EROFS)
      fail("cannot write image '{}': {}", path, std::strerror(errno));
    if (rt.channel >= 0) {
      // The requester's file or stream: it decides when the image is complete
      // (renamed into place, or taken by the destination), and until it
      // commits, this process can go on.
      ::close(rt.fd);
      rt.fd = -1;
      // With the sizes of stdout and stderr where they are regular files: all
      // the program wrote before its point (it was flushed), nothing after.
      // A supervisor that resumes from this image cuts its output back there.
      tellRequester(rt.channel, "WRITTEN",
                    fmt::format("{} {} {}", size, outputSize(1), outputSize(2)));
      if (!rt.checkpoint)
        if (std::string why = awaitVerdict(rt.channel, relay); !why.empty())
          fail("{}", why);
    } else {
      if (::close(rt.fd) != 0)
        fail("cannot write image '{}': {}", path, std::strerror(errno));
      rt.fd = -1;
      if (::rename(rt.partial_path.c_str(), path.c_str()) != 0)
        fail("cannot create image '{}': {}", path, std::strerror(errno));
    }
    rt.captured = true;
    rt.deferrals = 0;
    rt.deferred = Destination();
    rt.deferredWhy.clear();
    requestFinished();
    if (options().logging)
      note("captured on {}: {} bytes in {:.3f} ms", HM_TARGET_TRIPLE, size,
           millisecondsSince(rt.started));
    if (rt.checkpoint) {
      continueHere(rt, ""); // a checkpoint: the program goes on here
      return;
    }
  } catch (const TransientError &e) {
    // A request tries again at later poll points, where the state may allow
    // it, until HM_MIGRATE_PATIENCE runs out.
    if (rt.requested && requestMayWait() &&
        retryRequestLater(rt.deferrals, millisecondsSince(rt.started))) {
      if (rt.deferrals++ == 0) {
        note("migration deferred: {}; it is tried again at the next poll points", e.what());
        tellRequester(rt.channel, "DEFERRED", e.what());
      }
      // The requester's descriptor and connection wait with the request.
      rt.deferred.path = path;
      rt.deferred.checkpoint = rt.checkpoint;
      rt.deferred.triple = rt.destinationTriple;
      if (rt.channel >= 0) {
        rt.deferred.fd = rt.fd;
        rt.deferred.channel = rt.channel;
        rt.fd = rt.channel = -1;
      }
      holdStderr(true);
      rt.deferredWhy = e.what();
      continueHere(rt, "");
      return;
    }
    continueHere(rt, e.what());
    return;
  } catch (const Error &e) {
    continueHere(rt, e.what());
    return;
  } catch (const std::exception &e) {
    continueHere(rt, e.what());
    return;
  }
  std::fflush(nullptr);
  // atexit handlers and destructors belong to the process that finishes the run.
  if (!relay.empty())
    relayContinuation(relay);
  ::_exit(0);
}
