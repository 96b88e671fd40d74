// stack_check.cpp — walks the native stack with the unwinder at a migration point.
//
// hm-instrument puts instrumented functions in section hm_text and main in
// hm_main; the linker brackets them with __start_/__stop_ symbols (a shared
// library's units carry their library's own bounds). Walking out
// from the migration point, the frames must be: the runtime's, then hm_text
// ones, then main. Anything else in between (the C library calling back into
// the program, or a function of the program hm-instrument pinned, in hm_pinned)
// cannot be unwound and re-entered, so the migration is refused.
#include "stack_check.h"
#include "config.h"
#include "diag.h"
#include "state.h"

#include <cstdint>
#include <string_view>
#include <unwind.h>

extern "C" {
extern const char __start_hm_text[] __attribute__((weak));
extern const char __stop_hm_text[] __attribute__((weak));
extern const char __start_hm_main[] __attribute__((weak));
extern const char __stop_hm_main[] __attribute__((weak));
extern const char __start_hm_pinned[] __attribute__((weak));
extern const char __stop_hm_pinned[] __attribute__((weak));
}

namespace hm {

namespace {

enum class Where { Runtime, Instrumented, Main, Pinned, Other };

Where classify(std::uintptr_t pc) {
  auto in = [pc](const char *a, const char *b) {
    return a && b && pc >= reinterpret_cast<std::uintptr_t>(a) &&
           pc < reinterpret_cast<std::uintptr_t>(b);
  };
  if (in(__start_hm_main, __stop_hm_main))
    return Where::Main;
  if (in(__start_hm_text, __stop_hm_text))
    return Where::Instrumented;
  // A shared library built with hmcc: its units name its own hm_text.
  for (const hm_unit *u : units())
    if (u->text_begin != __start_hm_text && in(u->text_begin, u->text_end))
      return Where::Instrumented;
  if (in(__start_hm_pinned, __stop_hm_pinned))
    return Where::Pinned;
  return Where::Other;
}

struct Walk {
  enum State { BeforeProgram, InProgram, Done, Foreign } state = BeforeProgram;
  unsigned frames = 0;
  const hm_pinned *pinned = nullptr; // the innermost pinned frame in the way
  bool pinnedMain = false;
};

_Unwind_Reason_Code step(_Unwind_Context *context, void *arg) {
  Walk &w = *static_cast<Walk *>(arg);
  // The return address points after the call; back up into it.
  std::uintptr_t pc = _Unwind_GetIP(context);
  if (pc)
    --pc;
  if (++w.frames > 100000)
    return _URC_END_OF_STACK;
  const Where where = classify(pc);
  if (where == Where::Pinned) {
    // Named by the registry; walk on to tell whether it is main.
    const hm_pinned *p = findPinned(pc);
    if (!w.pinned)
      w.pinned = p;
    if (p && std::string_view(p->key) == "main") {
      w.pinnedMain = true;
      w.pinned = p;
      return _URC_END_OF_STACK;
    }
    if (w.state == Walk::InProgram || w.state == Walk::BeforeProgram)
      w.state = Walk::Foreign;
    return _URC_NO_REASON;
  }
  switch (w.state) {
  case Walk::BeforeProgram:
    if (where == Where::Main)
      w.state = Walk::Done;
    else if (where == Where::Instrumented)
      w.state = Walk::InProgram;
    break;
  case Walk::InProgram:
    if (where == Where::Main)
      w.state = Walk::Done;
    else if (where == Where::Other)
      w.state = Walk::Foreign;
    break;
  case Walk::Foreign:
    if (w.pinned && where == Where::Main)
      w.state = Walk::Done; // below a pinned frame: main is there
    break;
  default:
    break;
  }
  if (w.state == Walk::Done)
    return _URC_END_OF_STACK;
  // A foreign frame ends the walk, unless a pinned one was seen: then main is
  // looked for, in case main itself is pinned.
  return w.state == Walk::Foreign && !w.pinned ? _URC_END_OF_STACK : _URC_NO_REASON;
}

} // namespace

StackVerdict checkStackInstrumented() {
  Walk w;
  _Unwind_Backtrace(step, &w);
  if (w.pinned)
    return {fmt::format("'{}' ({}) is on the stack, and hmcc could not make it migratable: "
                        "{}",
                        w.pinned->key, w.pinned->where, w.pinned->why),
            !w.pinnedMain};
  if (!__start_hm_main)
    return {"main was not built by hmcc", false};
  switch (w.state) {
  case Walk::Done:
    return {};
  case Walk::Foreign:
    return {"the migration point was reached through a function hmcc did not build "
            "(the C library calling back into the program: a qsort comparator, an "
            "atexit or signal handler), which cannot be unwound and re-entered",
            true};
  default:
    return {"the migration point is not reached from main (an atexit handler, a "
            "signal handler or another thread)",
            false};
  }
}

} // namespace hm
