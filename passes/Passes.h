// Passes.h — the list of hm-instrument's passes and how to run them.
#ifndef HM_PASSES_PASSES_H
#define HM_PASSES_PASSES_H

#include "InstrumentContext.h"

#include <vector>

namespace hm {

using PassFunction = void (*)(InstrumentContext &);

struct PassInfo {
  const char *name;
  PassFunction run;
  const char *description;
};

#define HM_PASS(name, function, description) void function(InstrumentContext &);
#include "Passes.def"
#undef HM_PASS

const std::vector<PassInfo> &allPasses();

// Runs every pass in order; stops at the first pass that reported an error.
bool runPasses(InstrumentContext &ctx);

} // namespace hm
#endif
