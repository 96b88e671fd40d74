// Check.h — `hm-migrate check`: would an image restore into a build?
#ifndef HM_MIGRATE_CHECK_H
#define HM_MIGRATE_CHECK_H

#include <string>
#include <vector>

namespace hm::migrate {

// Runs |program| (under |execWith|, or the qemu-user of its architecture when
// it is foreign) with HM_RESTORE_CHECK: the restore's own checks and
// conversions, and nothing of the program. Returns the exit status (ExitCodes.h).
int checkImage(const std::string &image, const std::string &program,
               const std::vector<std::string> &execWith);

} // namespace hm::migrate
#endif
