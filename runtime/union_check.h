// union_check.h — untagged unions without pointers that a named destination could
// not convert, found at the migration point.
#ifndef HM_RUNTIME_UNION_CHECK_H
#define HM_RUNTIME_UNION_CHECK_H

#include "reach.h"
#include "state.h"

#include <string>
#include <vector>

namespace hm {

// Throws hm::Error naming the first non-zero value of a union that names no
// active member, holds no pointer, and whose members convert differently
// between this target and |dest| (the receiver would refuse it once this
// process has gone).
void checkUntaggedUnions(const std::vector<Frame> &frames, const Reach &reach,
                         const std::string &dest);

} // namespace hm
#endif
