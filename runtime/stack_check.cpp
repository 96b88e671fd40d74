// stack_check.cpp — walks the native stack with the unwinder at a migration point.
//
// hm-instrument puts instrumented functions in section hm_text and main in
// hm_main; the linker brackets them with __start_/__stop_ symbols. Walking out
// from the migration point, the frames must be: the runtime's, then hm_text
// ones, then main. Anything else in between (the C library calling back into
// the program) cannot be unwound and re-entered, so the migration is refused.
#include "stack_check.h"

#include <cstdint>
#include <unwind.h>

extern "C" {
extern const char __start_hm_text[] __attribute__((weak));
extern const char __stop_hm_text[] __attribute__((weak));
extern const char __start_hm_main[] __attribute__((weak));
extern const char __stop_hm_main[] __attribute__((weak));
}

namespace hm {

namespace {

enum class Where { Runtime, Instrumented, Main, Other };

Where classify(std::uintptr_t pc) {
  auto in = [pc](const char *a, const char *b) {
    return a && b && pc >= reinterpret_cast<std::uintptr_t>(a) &&
           pc < reinterpret_cast<std::uintptr_t>(b);
  };
  if (in(__start_hm_main, __stop_hm_main))
    return Where::Main;
  if (in(__start_hm_text, __stop_hm_text))
    return Where::Instrumented;
  return Where::Other;
}

struct Walk {
  enum State { BeforeProgram, InProgram, Done, Foreign } state = BeforeProgram;
  unsigned frames = 0;
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
  default:
    break;
  }
  return w.state == Walk::Done || w.state == Walk::Foreign ? _URC_END_OF_STACK
                                                            : _URC_NO_REASON;
}

} // namespace

std::string checkStackInstrumented() {
  if (!__start_hm_main)
    return ""; // nothing to compare with: a program without instrumented main
  Walk w;
  _Unwind_Backtrace(step, &w);
  switch (w.state) {
  case Walk::Done:
    return "";
  case Walk::Foreign:
    return "the migration point was reached through a function hmcc did not build "
           "(the C library calling back into the program: a qsort comparator, an "
           "atexit or signal handler), which cannot be unwound and re-entered";
  default:
    return "the migration point is not reached from main (an atexit handler, a "
           "signal handler or another thread)";
  }
}

} // namespace hm
