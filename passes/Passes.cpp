// Passes.cpp — the registry of passes, built from Passes.def.
#include "Passes.h"

namespace hm {

const std::vector<PassInfo> &allPasses() {
  static const std::vector<PassInfo> passes = {
#define HM_PASS(name, function, description) {name, function, description},
#include "Passes.def"
#undef HM_PASS
  };
  return passes;
}

bool runPasses(InstrumentContext &ctx) {
  for (const PassInfo &pass : allPasses()) {
    pass.run(ctx);
    if (ctx.failed())
      return false;
  }
  return true;
}

} // namespace hm
