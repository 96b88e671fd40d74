// destination_check.h — values a named destination could not take, found at the
// migration point: untagged unions it converts differently, longs beyond its range.
#ifndef HM_RUNTIME_DESTINATION_CHECK_H
#define HM_RUNTIME_DESTINATION_CHECK_H

#include "reach.h"
#include "state.h"

#include <string>
#include <vector>

namespace hm {

// Throws hm::Error naming the first value |dest|'s receiver would refuse once
// this process has gone: a non-zero union that names no active member, holds
// no pointer, and whose members convert its value differently there; a long (size_t, ...)
// whose value does not fit there.
void checkForDestination(const std::vector<Frame> &frames, const Reach &reach,
                         const std::string &dest);

} // namespace hm
#endif
