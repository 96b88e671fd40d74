// Builds.cpp — which build of a program is for which architecture.
#include "Builds.h"

#include <cstring>
#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace hm::migrate {

namespace {

const Architecture kArchitectures[] = {
    {"x86_64", "x86_64-linux-gnu", 62, "qemu-x86_64"},
    {"aarch64", "aarch64-linux-gnu", 183, "qemu-aarch64"},
    {"s390x", "s390x-linux-gnu", 22, "qemu-s390x"},
    {"armhf", "arm-linux-gnueabihf", 40, "qemu-arm"},
};

bool executable(const std::string &path) { return ::access(path.c_str(), X_OK) == 0; }

} // namespace

const Architecture *architectureNamed(const std::string &name) {
  // uname -m: armv7l, or armv8l for a 32-bit userland on a 64-bit kernel.
  const std::string n =
      name == "armv7l" || name == "armv8l" || name == "arm" || name == "armv7" ? "armhf" : name;
  for (const Architecture &a : kArchitectures)
    if (n == a.name || n == a.triple)
      return &a;
  return nullptr;
}

const Architecture *hostArchitecture() {
  utsname u;
  return ::uname(&u) == 0 ? architectureNamed(u.machine) : nullptr;
}

const Architecture *architectureOf(const std::string &path) {
  unsigned char head[20];
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  const bool read = fd >= 0 && ::pread(fd, head, sizeof head, 0) == sizeof head;
  if (fd >= 0)
    ::close(fd);
  if (!read || std::memcmp(head, "\177ELF", 4) != 0)
    return nullptr;
  const unsigned machine = head[5] == 2 ? (head[18] << 8 | head[19]) : (head[19] << 8 | head[18]);
  for (const Architecture &a : kArchitectures)
    if (a.machine == machine)
      return &a;
  return nullptr;
}

std::string emulatorFor(const std::string &program) {
  const Architecture *a = architectureOf(program);
  return a && a != hostArchitecture() ? a->qemu : "";
}

std::string buildFor(const std::string &program, const Architecture &arch,
                     std::vector<std::string> &looked) {
  const std::size_t slash = program.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : program.substr(0, slash);
  const std::string base = slash == std::string::npos ? program : program.substr(slash + 1);
  looked = {program + "." + arch.name, dir + "/" + arch.triple + "/" + base, program};
  for (const std::string &path : looked)
    if (executable(path) && architectureOf(path) == &arch)
      return path;
  return "";
}

} // namespace hm::migrate
