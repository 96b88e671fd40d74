// plain_union.h — how a union value that names no active member and holds no
// pointer converts on a named destination, foreseen by the sender: as all its
// members at once, which must agree on every bit they both write.
#ifndef HM_RUNTIME_PLAIN_UNION_H
#define HM_RUNTIME_PLAIN_UNION_H

#include "state.h"

#include <hm/abi.h>

#include <string>

namespace hm {

// "" when the members of union |u| that hold no pointer, each reading the value
// at |p| (laid out here) and converted to |there|, write no bit differently
// from one another: then the value reads right there whichever member the
// program meant. Else why not, naming two members that disagree. The receiver
// decides by its own build (convert.cpp, runMerged); this foresees it so that
// a refusal comes at the migration point.
std::string plainMembersDisagree(const hm_type *u, const unsigned char *p,
                                 const TargetModel &there);

// Whether every scalar of |t| has its size and offset on |there| too (then, in
// the same byte order and with no long double between two architectures, the
// receiver copies a union of it: convert.cpp's sameLayout).
bool sameLayoutOn(const hm_type *t, const TargetModel &there, int depth = 0);

} // namespace hm
#endif
