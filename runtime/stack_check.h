// stack_check.h — whether every frame between a migration point and main is one
// hm-instrument made (a qsort comparator or a signal handler is not).
#ifndef HM_RUNTIME_STACK_CHECK_H
#define HM_RUNTIME_STACK_CHECK_H

#include <string>

namespace hm {

// "" when the stack can be captured, else why not.
std::string checkStackInstrumented();

} // namespace hm
#endif
