// stack_check.h — whether every frame between a migration point and main is one
// hm-instrument made (a qsort comparator or a signal handler is not).
#ifndef HM_RUNTIME_STACK_CHECK_H
#define HM_RUNTIME_STACK_CHECK_H

#include <string>

namespace hm {

struct StackVerdict {
  std::string why; // "" when the stack can be captured, else why not
  // The frame in the way can return (a comparator, a pinned function below
  // main): a request may wait for it. Not when main itself is in the way.
  bool passing = false;
};

StackVerdict checkStackInstrumented();

} // namespace hm
#endif
