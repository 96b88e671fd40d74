// ProcessMarker.h — is a running process a program linked with libhmrt?
#ifndef HM_MIGRATE_PROCESS_MARKER_H
#define HM_MIGRATE_PROCESS_MARKER_H

#include <string>
#include <sys/types.h>

namespace hm::migrate {

// Whether an ELF file the process maps (its executable, or the program qemu-user
// runs) has libhmrt's note (HM_MARKER_SECTION). |why| says what was looked at
// when it has not.
bool hasRuntimeMarker(pid_t pid, std::string &why);

// Whether the ELF file at |path| has the note.
bool fileHasRuntimeMarker(const std::string &path);

} // namespace hm::migrate
#endif
