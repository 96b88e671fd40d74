// polls_other.cpp — targets the runtime does not patch: HM_POLL reads the mode
// word there, and section hm_polls is empty.
#include "polls.h"

#if !defined(__x86_64__) && !defined(__aarch64__) && !defined(__s390x__) && !defined(__arm__)
namespace hm {
void writePoll(unsigned char *, const unsigned char *, bool, bool) {}
} // namespace hm
#endif
