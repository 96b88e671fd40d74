// Builds.h — which build of a program is for which architecture, and what
// runs it on this machine (itself, or its qemu-user).
#ifndef HM_MIGRATE_BUILDS_H
#define HM_MIGRATE_BUILDS_H

#include <string>
#include <vector>

namespace hm::migrate {

// An architecture hmcc builds for.
struct Architecture {
  const char *name;    // as users say it: x86_64, aarch64, s390x, armhf
  const char *triple;  // hmcc --target
  unsigned machine;    // ELF e_machine
  const char *qemu;    // the qemu-user that runs it elsewhere
};

// By name, triple or `uname -m` (armv7l is armhf); nullptr if hmcc has none.
const Architecture *architectureNamed(const std::string &name);
// This machine's.
const Architecture *hostArchitecture();
// The ELF file |path|'s, or nullptr (not an ELF file of one of them).
const Architecture *architectureOf(const std::string &path);

// The qemu-user that runs the ELF file |program| here, or "" (this machine's
// architecture, or not known).
std::string emulatorFor(const std::string &program);

// The build of |program| for |arch|: PROGRAM.<name> (x86_64, aarch64, s390x,
// armhf), DIR/<triple>/BASE, or PROGRAM itself when it is one. "" when none
// is, with the paths looked at in |looked|.
std::string buildFor(const std::string &program, const Architecture &arch,
                     std::vector<std::string> &looked);

} // namespace hm::migrate
#endif
