// ProcessMarker.cpp — finds libhmrt's ELF note in the files a process maps.
#include "ProcessMarker.h"

#include <hm/request_protocol.h>

#include <cstdint>
#include <fcntl.h>
#include <unistd.h>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

namespace hm::migrate {

namespace {

// An ELF file, read where asked in its own class and byte order (a process
// maps big files: libc, qemu).
struct ElfReader {
  int fd = -1;
  bool wide = false, big = false;

  explicit ElfReader(const std::string &path) : fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~ElfReader() {
    if (fd >= 0)
      ::close(fd);
  }
  bool read(std::uint64_t at, void *out, std::size_t size) const {
    return fd >= 0 && ::pread(fd, out, size, static_cast<off_t>(at)) == static_cast<ssize_t>(size);
  }
  std::uint64_t get(std::uint64_t at, unsigned size) const {
    unsigned char b[8];
    if (size > 8 || !read(at, b, size))
      return 0;
    std::uint64_t v = 0;
    for (unsigned i = 0; i < size; ++i)
      v |= std::uint64_t(b[big ? size - 1 - i : i]) << (8 * i);
    return v;
  }
  std::uint64_t word(std::uint64_t at) const { return get(at, wide ? 8 : 4); }
};

} // namespace

bool fileHasRuntimeMarker(const std::string &path) {
  ElfReader elf(path);
  unsigned char ident[6];
  if (!elf.read(0, ident, sizeof ident) || std::memcmp(ident, "\177ELF", 4) != 0)
    return false;
  elf.wide = ident[4] == 2;
  elf.big = ident[5] == 2;
  const std::uint64_t shoff = elf.word(elf.wide ? 0x28 : 0x20);
  const unsigned shentsize = elf.get(elf.wide ? 0x3a : 0x2e, 2);
  const unsigned shnum = elf.get(elf.wide ? 0x3c : 0x30, 2);
  const unsigned shstrndx = elf.get(elf.wide ? 0x3e : 0x32, 2);
  if (!shoff || shentsize < (elf.wide ? 64u : 40u) || shstrndx >= shnum)
    return false;
  auto section = [&](unsigned i) { return shoff + std::uint64_t(i) * shentsize; };
  auto offsetOf = [&](unsigned i) { return elf.word(section(i) + (elf.wide ? 0x18 : 0x10)); };
  auto sizeOf = [&](unsigned i) { return elf.word(section(i) + (elf.wide ? 0x20 : 0x14)); };
  const std::uint64_t names = offsetOf(shstrndx);
  const std::string wanted = HM_MARKER_SECTION;
  std::vector<char> name(wanted.size() + 1);
  for (unsigned i = 0; i < shnum; ++i) {
    if (!elf.read(names + elf.get(section(i), 4), name.data(), name.size()) ||
        std::memcmp(name.data(), wanted.c_str(), name.size()) != 0)
      continue;
    // A note whose owner is "hmcc".
    char owner[5];
    const std::uint64_t at = offsetOf(i);
    return sizeOf(i) >= 20 && elf.get(at, 4) == 5 && elf.read(at + 12, owner, 5) &&
           std::memcmp(owner, "hmcc", 5) == 0;
  }
  return false;
}

bool hasRuntimeMarker(pid_t pid, std::string &why) {
  const std::string proc = "/proc/" + std::to_string(pid);
  if (fileHasRuntimeMarker(proc + "/exe"))
    return true;
  // Under qemu-user the executable is qemu; the program it runs is mapped.
  // Only there: another program that maps a build of hmcc's (a pager, a
  // debugger) is not one.
  char exe[4096];
  const ssize_t n = ::readlink((proc + "/exe").c_str(), exe, sizeof exe - 1);
  const std::string exeName = n > 0 ? std::string(exe, static_cast<std::size_t>(n)) : "";
  if (exeName.substr(exeName.rfind('/') + 1).rfind("qemu-", 0) != 0) {
    why = "its executable has no libhmrt note";
    return false;
  }
  std::ifstream maps(proc + "/maps");
  std::set<std::string> seen;
  std::string line;
  while (std::getline(maps, line)) {
    // (qemu maps the guest's code readable only: any mapping of a file counts.)
    const std::size_t slash = line.find('/');
    if (slash == std::string::npos)
      continue;
    std::string path = line.substr(slash);
    if (path.size() > 10 && path.compare(path.size() - 10, 10, " (deleted)") == 0)
      continue;
    if (seen.insert(path).second && fileHasRuntimeMarker(path))
      return true;
  }
  why = seen.empty() ? "its memory map cannot be read"
                     : "neither its executable nor any file it maps has libhmrt's note";
  return false;
}

} // namespace hm::migrate
