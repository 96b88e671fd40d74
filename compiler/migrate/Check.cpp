// Check.cpp — asks a build whether an image restores into it, without running it.
#include "Check.h"
#include "Builds.h"
#include "ExitCodes.h"
#include "ProcessMarker.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hm::migrate {


int checkImage(const std::string &image, const std::string &program,
               const std::vector<std::string> &execWith) {
  if (::access(program.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "hm-migrate: cannot run '%s': %s\n", program.c_str(),
                 std::strerror(errno));
    return kUsage;
  }
  if (!fileHasRuntimeMarker(program)) {
    std::fprintf(stderr, "hm-migrate: '%s' was not built with hmcc: no image restores into it\n",
                 program.c_str());
    return kRefused;
  }
  std::vector<std::string> command = execWith;
  if (command.empty())
    if (std::string qemu = emulatorFor(program); !qemu.empty())
      command.push_back(qemu);
  // A name without a slash is the file checked above, not one on PATH.
  command.push_back(program.find('/') == std::string::npos ? "./" + program : program);
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child < 0) {
    std::fprintf(stderr, "hm-migrate: cannot start '%s': %s\n", program.c_str(),
                 std::strerror(errno));
    return kRefused;
  }
  if (child == 0) {
    ::setenv("HM_RESTORE", image.c_str(), 1);
    ::setenv("HM_RESTORE_CHECK", "1", 1);
    ::unsetenv("HM_MIGRATE_TO");
    ::unsetenv("HM_CHECKPOINT");
    std::vector<char *> argv;
    for (std::string &a : command)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    std::fprintf(stderr, "hm-migrate: cannot start '%s': %s\n", argv[0], std::strerror(errno));
    std::_Exit(127);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return kDone;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    return kUsage;
  if (WIFSIGNALED(status))
    std::fprintf(stderr, "hm-migrate: '%s' died of signal %d while it checked the image\n",
                 program.c_str(), WTERMSIG(status));
  return kRefused;
}

} // namespace hm::migrate
