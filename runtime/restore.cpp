// restore.cpp — start from an image: check it, convert it, re-enter the saved stack.
#include "config.h"
#include "convert.h"
#include "diag.h"
#include "options.h"
#include "state.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace hm {
namespace {

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    fail("cannot read image '{}': {}", path, std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Converts every frame and global of |image| before any user code runs, so that
// a bad image stops the restore before anything has changed.
void convertImage(const Image &image, Runtime &rt,
                  std::vector<GlobalValue> &globals) {
  Converter converter(image);
  if (image.fingerprint != programFingerprint())
    fail("the image was made by a different program or a different build of "
         "its source: {}",
         describeFingerprintMismatch(image));
  if (image.frames.empty())
    fail("the image holds no stack frames");
  for (const FrameRecord &fr : image.frames) {
    const hm_func *func = findFunction(fr.func);
    if (!func)
      fail("the image has a frame of '{}', which this program does not have",
           fr.func);
    if (fr.site == 0 || fr.site > func->nsites)
      fail("the image's frame of '{}' is at call site {}, which it does not have",
           fr.func, fr.site);
    Frame f;
    f.func = func;
    f.site = fr.site;
    for (const VarRecord &vr : fr.vars) {
      if (vr.index >= func->nvars || vr.name != func->vars[vr.index].name)
        fail("the image's frame of '{}' has a variable '{}' this program's "
             "does not have",
             fr.func, vr.name);
      const hm_var &v = func->vars[vr.index];
      std::size_t offset = f.bytes.size();
      f.bytes.resize(offset + v.type->size);
      f.slots.push_back({vr.index, offset});
      converter.convert(vr.type, vr.bytes.data, v.type, f.bytes.data() + offset,
                        "variable", v.name,
                        fmt::format(" of {} ({})", func->key, v.where));
    }
    rt.frames.push_back(std::move(f));
  }
  if (rt.frames.front().func != findFunction("main"))
    fail("the image's outermost frame is '{}', not 'main'",
         rt.frames.front().func->key);
  for (const GlobalRecord &gr : image.globals) {
    const hm_global *g = findGlobal(gr.key);
    if (!g)
      fail("the image has a global '{}' this program does not have", gr.key);
    GlobalValue gv{g, std::vector<unsigned char>(g->type->size)};
    converter.convert(gr.type, gr.bytes.data, g->type, gv.bytes.data(), "global",
                      gr.key, fmt::format(" ({})", g->where));
    globals.push_back(std::move(gv));
  }
  std::string notes = converter.notes();
  if (!notes.empty())
    note("note: {}", notes);
}

void restoreFromImage(const std::string &path) {
  Runtime &rt = runtime();
  rt.started = std::chrono::steady_clock::now();
  std::vector<GlobalValue> globals;
  try {
    const std::string what = fmt::format("image '{}'", path);
    Image image = decodeImage(readFile(path), what);
    convertImage(image, rt, globals);
    if (options().logging)
      note("restoring on {} an image from {}", HM_TARGET_TRIPLE,
           image.model.arch);
  } catch (const std::exception &e) {
    fatal("cannot restore: {}", e.what());
  }
  for (const GlobalValue &g : globals)
    std::memcpy(g.global->addr, g.bytes.data(), g.bytes.size());
  rt.cursor = 0;
  rt.restoring_from_image = true;
  hm_rt_mode = HM_MODE_RESTORE;
}

} // namespace
} // namespace hm

using namespace hm;

extern "C" HM_EXPORT void hm_rt_main_enter(void) {
  static bool entered = false;
  if (entered)
    return; // a recursive call of main
  entered = true;
  const Options &o = options();
  if (!o.restore.empty())
    restoreFromImage(o.restore);
}

extern "C" HM_EXPORT unsigned hm_rt_resume(const hm_func *func) {
  Runtime &rt = runtime();
  if (rt.cursor >= rt.frames.size())
    fatal("restore entered '{}' after the last saved frame", func->key);
  const Frame &f = rt.frames[rt.cursor];
  if (f.func != func)
    fatal("restore entered '{}' where the image has a frame of '{}'", func->key,
          f.func->key);
  ++rt.cursor;
  return f.site;
}

extern "C" HM_EXPORT const void *hm_rt_load_slot(unsigned var) {
  Runtime &rt = runtime();
  const Frame &f = rt.frames[rt.cursor - 1];
  for (const Frame::Slot &s : f.slots)
    if (s.var == var)
      return f.bytes.data() + s.offset;
  fatal("restore of '{}' found no saved value of variable '{}'", f.func->key,
        var < f.func->nvars ? f.func->vars[var].name : "?");
}

extern "C" HM_EXPORT void hm_rt_bad_site(const hm_func *func, unsigned site) {
  fatal("restore of '{}' at call site {}, which it does not have", func->key,
        site);
}
