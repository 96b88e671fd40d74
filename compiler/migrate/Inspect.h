// Inspect.h — `hm-migrate inspect`: what an image holds, for people and scripts.
#ifndef HM_MIGRATE_INSPECT_H
#define HM_MIGRATE_INSPECT_H

#include <string>

namespace hm::migrate {

// Prints the image at |path| on stdout (JSON when |json|); returns the exit
// status (ExitCodes.h): kBadImage, with the reason on stderr, when it cannot be read.
int inspectImage(const std::string &path, bool json);

} // namespace hm::migrate
#endif
