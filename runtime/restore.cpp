// restore.cpp — start from an image: check it, rebuild the heap and the globals,
// then re-enter the saved stack frame by frame.
#include "config.h"
#include "convert.h"
#include "diag.h"
#include "options.h"
#include "request.h"
#include "state.h"
#include "descriptors.h"
#include "translate.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <sstream>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hm {

// The image file, mapped read-only: the decoded image's bytes point into it, and
// the pages of blocks already converted are given back (Translator::release).
struct MappedFile {
  const char *data = nullptr;
  std::size_t size = 0;
  MappedFile() = default;
  MappedFile(const MappedFile &) = delete;
  MappedFile &operator=(const MappedFile &) = delete;
  ~MappedFile() {
    if (data && size)
      ::munmap(const_cast<char *>(data), size);
  }
  void open(const std::string &path) {
    const int fd = path == "-" ? receiveStream(0, options().handshake) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      fail("cannot read image '{}': {}", path, std::strerror(errno));
    map(fd, path);
  }
  // Maps the file |fd| is open on, and closes it.
  void map(int fd, const std::string &path) {
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      const int e = errno;
      ::close(fd);
      fail("cannot read image '{}': {}", path, std::strerror(e));
    }
    size = static_cast<std::size_t>(st.st_size);
    if (size) {
      void *p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        const int e = errno;
        ::close(fd);
        size = 0;
        fail("cannot read image '{}': {}", path, std::strerror(e));
      }
      data = static_cast<const char *>(p);
    }
    ::close(fd);
  }
  // An image that comes on a stream (hm-migrate's, over ssh) is read exactly to
  // its end, so what follows is the program's, into memory that behaves as a
  // file's pages (they come back when touched again, dropPages). Returns it
  // opened, or throws.
  static int receiveStream(int in, bool handshake) {
    // hm-migrate starts this before it asks the source: the connection, this
    // build and its runtime are there before the source unwinds anything.
    // With this build's target: the source checks at its point what holds
    // only where the data model is its own (HM_MIGRATE_FOR).
    const std::string waiting = fmt::format("HMCC-WAITING {}\n", HM_TARGET_TRIPLE);
    if (handshake && ::write(1, waiting.data(), waiting.size()) != static_cast<ssize_t>(waiting.size()))
      fail("cannot tell hm-migrate that the image may come: {}", std::strerror(errno));
    const int fd = ::memfd_create("hmcc-image", MFD_CLOEXEC);
    if (fd < 0)
      fail("cannot receive the image: {}", std::strerror(errno));
    std::uint64_t left = kImageHeaderSize, length = 0;
    char buf[1 << 16];
    bool header = true;
    while (left > 0) {
      const ssize_t n = ::read(in, buf, static_cast<std::size_t>(
                                            std::min<std::uint64_t>(left, sizeof buf)));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        ::close(fd);
        fail("the image stream ended {} bytes before the image did", left);
      }
      if (::write(fd, buf, static_cast<std::size_t>(n)) != n) {
        const int e = errno;
        ::close(fd);
        fail("cannot receive the image: {}", std::strerror(e));
      }
      left -= static_cast<std::uint64_t>(n);
      if (header && left == 0) {
        // The payload's length, big-endian after the magic and the version.
        if (::pread(fd, buf, kImageHeaderSize, 0) != static_cast<ssize_t>(kImageHeaderSize) ||
            std::memcmp(buf, kImageMagic, sizeof kImageMagic) != 0) {
          ::close(fd);
          fail("the image stream does not begin with an hmcc image header");
        }
        std::uint32_t version = 0;
        for (int i = 8; i < 12; ++i)
          version = version << 8 | static_cast<unsigned char>(buf[i]);
        for (int i = 12; i < 20; ++i)
          length = length << 8 | static_cast<unsigned char>(buf[i]);
        // The stream is untrusted: nothing is taken that this format does not
        // read, or that this machine could not hold.
        const std::uint64_t memory = static_cast<std::uint64_t>(::sysconf(_SC_PHYS_PAGES)) *
                                     static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
        if (version != kImageFormatVersion || length > memory) {
          ::close(fd);
          fail(version != kImageFormatVersion
                   ? fmt::format("the image stream has format version {}; this runtime reads "
                                 "version {}", version, kImageFormatVersion)
                   : fmt::format("the image stream says it is {} bytes, more than this "
                                 "machine's memory", length));
        }
        header = false;
        left = length;
      }
    }
    return fd;
  }
  // The pages come back from the page cache when touched again.
  void dropPages() const {
    if (data && size)
      ::madvise(const_cast<char *>(data), size, MADV_DONTNEED);
  }
};

// What a restore from an image keeps until the innermost frame is back.
struct ImageRestore {
  MappedFile file; // before |image|, whose bytes point into it
  Image image;
  std::unique_ptr<Converter> converter;
  std::unique_ptr<Translator> translator;
  std::vector<const hm_func *> funcs;   // per frame
  std::vector<unsigned char> scratch;   // hm_rt_load_vars's answer
};

namespace {

std::unique_ptr<ImageRestore> gRestore;

// Checks everything about the frames that can be checked before re-entry.
void checkFrames(ImageRestore &r) {
  const Image &image = r.image;
  if (image.fingerprint != programFingerprint())
    fail("the image was made by a different program or a different build of "
         "its source: {}",
         describeFingerprintMismatch(image));
  if (image.frames.empty())
    fail("the image holds no stack frames");
  for (const FrameRecord &fr : image.frames) {
    const hm_func *func = findFunction(fr.func);
    if (!func)
      fail("the image has a frame of '{}', which this program does not have", fr.func);
    if (fr.site == 0 || fr.site > func->nsites)
      fail("the image's frame of '{}' is at call site {}, which it does not have",
           fr.func, fr.site);
    if (image.model.arch != HM_TARGET_TRIPLE)
      if (const hm_site_code *code = codeDiffersOn(func, fr.site, image.model.arch))
        fail("the image has a frame of '{}', whose code is not the same on {} (the "
             "preprocessor gives other code for {} here): its values mean something else "
             "here",
             fr.func, image.model.arch.empty() ? "an unnamed target" : image.model.arch,
             code->at);
    for (const VarRecord &vr : fr.vars) {
      if (vr.index >= func->nvars || vr.name != func->vars[vr.index].name)
        fail("the image's frame of '{}' has a variable '{}' this program's does not "
             "have", fr.func, vr.name);
      if (vr.type >= image.types.size())
        fail("image is malformed: variable '{}' of '{}' has type {} of {}", vr.name,
             fr.func, vr.type, image.types.size());
      receiverVarType(image, vr, func); // a variable-length array must be an array
    }
    r.funcs.push_back(func);
  }
  if (r.funcs.front() != findFunction("main"))
    fail("the image's outermost frame is '{}', not 'main'", r.funcs.front()->key);
}

// The program goes on with the arguments it was captured with, as it had left
// them (getopt permutes argv; a program may write into its strings), whatever
// this process was started with.
void takeArguments(const Image &image) {
  Runtime &rt = runtime();
  if (image.argv_order.size() != 2 * image.args.size())
    fail("image is malformed: {} argument strings and {} argv entries", image.args.size(),
         image.argv_order.size() / 2);
  if (image.args.size() > static_cast<std::size_t>(INT32_MAX / 2))
    fail("image is malformed: {} arguments", image.args.size());
  rt.restoredArgs = image.args;
  rt.restoredArgv.assign(image.args.size() + 1, nullptr);
  rt.argStrings.clear();
  rt.argSizes.clear();
  for (std::string &s : rt.restoredArgs) {
    if (s.empty() || s.back() != '\0')
      fail("image is malformed: an argument string does not end with a 0 byte");
    rt.argStrings.push_back(s.data());
    rt.argSizes.push_back(s.size());
  }
  for (std::size_t i = 0; i < image.args.size(); ++i) {
    const std::int64_t which = image.argv_order[2 * i], at = image.argv_order[2 * i + 1];
    if (which == -1 && at == 0)
      continue;
    if (which < 0 || static_cast<std::uint64_t>(which) >= image.args.size() || at < 0 ||
        static_cast<std::uint64_t>(at) >= rt.argSizes[which])
      fail("image is malformed: argv[{}] names argument {} at offset {}", i, which, at);
    rt.restoredArgv[i] = rt.argStrings[which] + at;
  }
  rt.argc = static_cast<int>(image.args.size());
  rt.argv = rt.argStrings.empty() && !rt.argv ? nullptr : rt.restoredArgv.data();
}

// Decodes the image |r.file| holds and checks it; converts the heap and the
// globals into place. Everything a restore does before the frames.
void prepare(ImageRestore &r, const std::string &what, bool takeInput) {
  r.image = decodeImage(r.file.data, r.file.size, what);
  r.file.dropPages(); // read whole for the checksum; each block reads its own again
  checkFrames(r);
  if (r.image.byte_order_bound && r.image.model.big_endian != localDataModel().big_endian)
    fail("the image holds bytes that are right only where the byte order is {}'s "
         "(it was made for such a destination), and {} has the other one",
         r.image.model.arch, HM_TARGET_TRIPLE);
  if ((r.image.byte_order_bound & Image::kBoundSizes) &&
      (r.image.model.pointer_size != localDataModel().pointer_size ||
       r.image.model.long_size != localDataModel().long_size))
    fail("the image holds bytes of no type hmcc knows, right only where pointers and longs "
         "have {}'s sizes (it was made for such a destination), and {} has others",
         r.image.model.arch, HM_TARGET_TRIPLE);
  if ((r.image.byte_order_bound & Image::kBoundCopies) && !options().checkOnly)
    inheritByteOrderBound(r.image.model.arch);
  // Before pointers to stdin are translated: they point to the stdin that reads it.
  if (takeInput)
    prependInput(r.image.input.ptr(), r.image.input.size());
  takeArguments(r.image);
  // Before streams are opened again (the translation does): their numbers stay
  // free. A check opens nothing an untrusted image names (a FIFO would block it).
  if (!options().checkOnly)
    reopenDescriptors(r.image.descriptors);
  r.converter = std::make_unique<Converter>(r.image);
  r.translator = std::make_unique<Translator>(r.image);
  r.translator->allocateHeap();
  r.translator->restoreHeapAndGlobals(*r.converter);
  r.translator->numberObjects();
}

// HM_RESTORE_CHECK: every frame's variables converted into scratch memory as a
// restore would convert them into the frames, and nothing of the program run.
void convertFramesIntoScratch(ImageRestore &r) {
  std::vector<std::vector<unsigned char>> scratch;
  std::vector<std::pair<std::size_t, const VarRecord *>> vars;
  for (std::size_t frame = 0; frame < r.image.frames.size(); ++frame)
    for (const VarRecord &vr : r.image.frames[frame].vars) {
      const hm_type *here = receiverVarType(r.image, vr, r.funcs[frame]);
      scratch.emplace_back(here->size + 1);
      r.translator->bind(frame, vr.index, scratch.back().data());
      vars.emplace_back(frame, &vr);
    }
  for (std::size_t i = 0; i < vars.size(); ++i) {
    const auto &[frame, vr] = vars[i];
    const hm_func *func = r.funcs[frame];
    r.converter->place(static_cast<std::int32_t>(frame), vr->index, 0, vr->bytes.ptr());
    r.converter->convert(vr->type, vr->bytes, receiverVarType(r.image, *vr, func),
                         scratch[i].data(), r.translator.get(), true, "variable",
                         func->vars[vr->index].name,
                         fmt::format(" of {} ({})", func->key, func->vars[vr->index].where));
  }
  r.translator->finish();
}

[[noreturn]] void finishCheck(ImageRestore &r) {
  convertFramesIntoScratch(r);
  note("the image restores into this program: {} frames, {} heap blocks, {} globals, "
       "made on {}", r.image.frames.size(), r.translator->heapBlocks(),
       r.image.globals.size(), r.image.model.arch);
  std::_Exit(0);
}

void restoreFromImage(const std::string &path) {
  fatalStatus() = options().restoreFailedStatus; // until the whole stack is back
  // Before reading anything: no image can restore here.
  if (!pollsPatchable())
    fatal("cannot restore: this process may not change its code (mprotect refused), "
          "and a restore passes through the loops' poll points; the image is kept");
  Runtime &rt = runtime();
  rt.started = std::chrono::steady_clock::now();
  auto r = std::make_unique<ImageRestore>();
  try {
    r->file.open(path);
    if (path == "-")
      rt.started = std::chrono::steady_clock::now(); // from the whole image here
    prepare(*r, fmt::format("image '{}'", path), true);
    if (options().checkOnly)
      finishCheck(*r);
    if (options().logging)
      note("restoring on {} an image from {}: {} frames, {} heap blocks",
           HM_TARGET_TRIPLE, r->image.model.arch, r->image.frames.size(),
           r->translator->heapBlocks());
  } catch (const std::exception &e) {
    fatal("cannot restore: {}", e.what());
  }
  gRestore = std::move(r);
  rt.cursor = 0;
  rt.restoring_from_image = true;
  setMode(HM_MODE_RESTORE);
}

const VarRecord *varRecord(std::size_t frame, unsigned var) {
  for (const VarRecord &vr : gRestore->image.frames[frame].vars)
    if (vr.index == var)
      return &vr;
  return nullptr;
}

} // namespace

// The innermost frame is back: pointers to locals of deeper frames are written,
// and the image is let go.
void finishRestore() {
  if (!gRestore)
    return;
  try {
    gRestore->translator->finish();
    std::string notes = gRestore->converter->notes();
    if (!notes.empty())
      note("note: {}", notes);
  } catch (const std::exception &e) {
    fatal("cannot restore: {}", e.what());
  }
  gRestore.reset();
}

void checkImageInProcess(const char *data, std::size_t size) {
  if (!options().checkOnly)
    fail("an image is checked in process only with HM_RESTORE_CHECK=1");
  // In a file's pages, as a restore maps its image: the conversion gives pages
  // behind it back, which an anonymous copy would lose.
  const int fd = ::memfd_create("hmcc-check", MFD_CLOEXEC);
  if (fd < 0)
    fail("cannot check an image: {}", std::strerror(errno));
  for (std::size_t done = 0; done < size;) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n <= 0) {
      const int e = errno;
      ::close(fd);
      fail("cannot check an image: {}", std::strerror(e));
    }
    done += static_cast<std::size_t>(n);
  }
  ImageRestore r;
  r.file.map(fd, "the image in memory");
  struct GiveBack {
    ImageRestore &r;
    ~GiveBack() {
      if (r.translator)
        r.translator->discardHeap();
    }
  } giveBack{r};
  prepare(r, "the image in memory", false);
  convertFramesIntoScratch(r);
}

std::size_t restoringFrames() {
  return gRestore ? gRestore->funcs.size() : runtime().frames.size();
}

} // namespace hm

using namespace hm;

extern "C" HM_EXPORT void hm_rt_main_enter(int argc, char **argv) {
  static bool entered = false;
  if (entered)
    return; // a recursive call of main
  entered = true;
  Runtime &rt = runtime();
  rt.argc = argc;
  rt.argv = argv;
  for (int i = 0; argv && i < argc; ++i) {
    rt.argStrings.push_back(argv[i]);
    rt.argSizes.push_back(std::strlen(argv[i]) + 1);
  }
  installRequestHandler();
  const Options &o = options();
  if (!o.restore.empty())
    restoreFromImage(o.restore);
}

extern "C" HM_EXPORT unsigned hm_rt_resume(const hm_func *func) {
  Runtime &rt = runtime();
  const std::size_t n = restoringFrames();
  if (rt.cursor >= n)
    fatal("cannot restore: the restore entered '{}' after the last saved frame", func->key);
  const hm_func *expected = gRestore ? gRestore->funcs[rt.cursor] : rt.frames[rt.cursor].func;
  if (expected != func)
    fatal("cannot restore: the restore entered '{}' where the image has a frame of '{}'",
          func->key,
          expected->key);
  const unsigned site =
      gRestore ? gRestore->image.frames[rt.cursor].site : rt.frames[rt.cursor].site;
  ++rt.cursor;
  return site;
}

namespace {

// In this same process: the bytes the capture saved of variable |var|.
const Frame::Slot &savedSlot(const Frame &f, unsigned var) {
  const Frame::Slot *s = f.slotOf(var);
  if (!s)
    fatal("cannot restore: the restore of '{}' found no saved value of variable {}",
          f.func->key, var);
  return *s;
}

// From an image: variable |var| of the current frame converted into |dst|.
void convertVar(std::size_t frame, unsigned var, unsigned char *dst, bool mayDefer) {
  const hm_func *func = gRestore->funcs[frame];
  const VarRecord *vr = varRecord(frame, var);
  if (!vr)
    fatal("cannot restore: the image has no value of variable '{}' of {}, which the "
          "restore of its frame reads",
          func->vars[var].name, func->key);
  try {
    gRestore->converter->place(static_cast<std::int32_t>(frame), var, 0, vr->bytes.ptr());
    gRestore->converter->convert(vr->type, vr->bytes, receiverVarType(gRestore->image, *vr, func), dst,
                                 gRestore->translator.get(), mayDefer, "variable",
                                 func->vars[var].name,
                                 fmt::format(" of {} ({})", func->key,
                                             func->vars[var].where));
  } catch (const std::exception &e) {
    fatal("cannot restore: {}", e.what());
  }
}

} // namespace

extern "C" HM_EXPORT void hm_rt_bind(unsigned var, void *addr) {
  Runtime &rt = runtime();
  const std::size_t frame = rt.cursor - 1;
  if (!gRestore) {
    // This same process: the frames come back where they were.
    const Frame &f = rt.frames[frame];
    const Frame::Slot &s = savedSlot(f, var);
    if (s.addr != addr)
      fatal("variable '{}' of {} came back at another address; cannot go on",
            f.func->vars[var].name, f.func->key);
    fillButMachineState(static_cast<unsigned char *>(addr), s.data(f), s.type);
    return;
  }
  gRestore->translator->bind(frame, var, addr);
  convertVar(frame, var, static_cast<unsigned char *>(addr), true);
}

extern "C" HM_EXPORT void hm_rt_bind_vla(unsigned var, void *addr, unsigned long size) {
  Runtime &rt = runtime();
  const std::size_t frame = rt.cursor - 1;
  const hm_type *here = nullptr;
  const hm_func *func = nullptr;
  if (!gRestore) {
    func = rt.frames[frame].func;
    here = savedSlot(rt.frames[frame], var).type;
  } else {
    func = gRestore->funcs[frame];
    if (const VarRecord *vr = varRecord(frame, var))
      here = receiverVarType(gRestore->image, *vr, func);
  }
  if (here && here->size != size)
    fatal("cannot restore: the variable-length array '{}' of {} ({}) is {} bytes here, "
          "and its image is {} bytes ({})", func->vars[var].name, func->key,
          func->vars[var].where, size, here->size, here->name);
  hm_rt_bind(var, addr);
}

extern "C" HM_EXPORT const void *hm_rt_load_vars(const unsigned *vars) {
  Runtime &rt = runtime();
  const std::size_t frame = rt.cursor - 1;
  if (!gRestore) {
    // This same process: the saved buffer holds them, at their offsets.
    const Frame &f = rt.frames[frame];
    for (unsigned i = 1; i <= vars[0]; ++i)
      savedSlot(f, vars[i]);
    return f.bytes.data();
  }
  const hm_func *func = gRestore->funcs[frame];
  if (gRestore->scratch.size() < func->buffer_size) // what is not listed is not read
    gRestore->scratch.resize(func->buffer_size);
  for (unsigned i = 1; i <= vars[0]; ++i)
    convertVar(frame, vars[i], gRestore->scratch.data() + bufferOffset(func, vars[i], "loaded"),
               false);
  return gRestore->scratch.data();
}

extern "C" HM_EXPORT void hm_rt_bad_site(const hm_func *func, unsigned site) {
  fatal("restore of '{}' at call site {}, which it does not have", func->key, site);
}
