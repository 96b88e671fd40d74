// polls.h — the loops' poll points (HM_POLL in hm/abi.h): no-op instructions the
// runtime turns into jumps while the mode word asks for PENDING or RESTORE.
#ifndef HM_RUNTIME_POLLS_H
#define HM_RUNTIME_POLLS_H

namespace hm {

// Arms the poll points when the mode word holds PENDING or RESTORE, disarms them
// when it holds neither. Safe in the request signal handler, which only arms;
// elsewhere the signals are blocked while the code changes, so that a request
// arriving then cannot be lost to a half-done disarm.
void syncPolls(bool inSignalHandler = false);

// Whether this process may change its code: a hardened one may not (SELinux's
// execmem, systemd's MemoryDenyWriteExecute). Without it a restore cannot pass
// through the loops, so a capture that could have to resume here is refused,
// and a restore stops before it starts. True when there are no poll points.
bool pollsPatchable();

// Platform code (polls_<arch>.cpp): writes at |site| the jump to |target|
// (armed) or the no-op hm/abi.h put there. |thumb|: Thumb-2 code (armhf).
// Other targets have no table (their poll points read the word instead).
void writePoll(unsigned char *site, const unsigned char *target, bool thumb, bool armed);

} // namespace hm
#endif
