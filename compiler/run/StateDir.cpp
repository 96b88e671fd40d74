// StateDir.cpp — a supervised program's checkpoints: one image and its output marks.
#include "StateDir.h"

#include "image.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace hm::run {

namespace {

// Beside the image (state.img.output), lines "KEY VALUE": the image's size and
// CRC-32C ("image -1": none yet, a fresh start), the path of the file stdout
// was on and its size then, and whether the program left at that image.
struct OutputMarks {
  long long image = -1, out = -1;
  unsigned long long crc = 0;
  std::string outPath;
  bool left = false;
  bool read = false;
};

long long number(const std::string &text) {
  char *end = nullptr;
  errno = 0;
  const long long n = std::strtoll(text.c_str(), &end, 10);
  return errno || *end || end == text.c_str() ? -2 : n;
}

OutputMarks readMarks(const std::string &path) {
  OutputMarks m;
  FILE *f = std::fopen(path.c_str(), "re");
  if (!f)
    return m;
  char line[4200];
  while (std::fgets(line, sizeof line, f)) {
    std::string text(line);
    if (!text.empty() && text.back() == '\n')
      text.pop_back();
    const std::size_t space = text.find(' ');
    if (space == std::string::npos)
      continue;
    const std::string key = text.substr(0, space), value = text.substr(space + 1);
    if (key == "image")
      m.image = number(value);
    else if (key == "crc")
      m.crc = static_cast<unsigned long long>(number(value));
    else if (key == "stdout")
      m.out = number(value);
    else if (key == "stdout-path")
      m.outPath = value;
    else if (key == "left")
      m.left = value == "1";
  }
  std::fclose(f);
  m.read = true;
  return m;
}

// The file |link| (a /proc/.../fd/N) is open on.
std::string linkTarget(const std::string &link) {
  char target[4096];
  const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
  return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : "";
}

// An image file's size and CRC-32C, from its header (image.h: magic 8,
// version 4, length 8, CRC 4, big-endian); false if it has none.
bool imageIdentity(const std::string &path, long long &size, unsigned long long &crc) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return false;
  unsigned char head[24];
  struct stat st;
  const bool ok = ::fstat(fd, &st) == 0 && ::pread(fd, head, sizeof head, 0) == sizeof head;
  ::close(fd);
  if (!ok)
    return false;
  size = st.st_size;
  crc = (unsigned long long)head[20] << 24 | head[21] << 16 | head[22] << 8 | head[23];
  return true;
}

// Writes |text| to |path| through |path|.partial (this user's alone, never
// through a link), synced, and renamed into place unless |rename| is false.
std::string writeMarks(const std::string &path, const std::string &text, bool rename = true) {
  const std::string partial = path + ".partial";
  const int fd = createPartialImage(partial);
  if (fd < 0)
    return "cannot create '" + partial + "': " + std::strerror(errno);
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  ::close(fd);
  if (!ok)
    return "cannot write '" + partial + "'";
  if (rename && ::rename(partial.c_str(), path.c_str()) != 0)
    return "cannot rename '" + partial + "': " + std::strerror(errno);
  return "";
}

std::string marksText(long long image, unsigned long long crc, const std::string &outPath,
                      long long out, bool left) {
  std::ostringstream text;
  text << "image " << image << "\ncrc " << crc << "\nstdout-path " << outPath << "\nstdout "
       << out << "\nleft " << (left ? 1 : 0) << "\n";
  return text.str();
}

// The file sink; the marks are written before the process is told to go on
// or leave (a failure is an abort: the program goes on), and renamed into
// place with the image.
class MarkingSink : public migrate::ImageSink {
public:
  MarkingSink(std::unique_ptr<ImageSink> inner, std::string image, pid_t pid, bool leaving)
      : inner(std::move(inner)), image(std::move(image)), marks(this->image + ".output"),
        pid(pid), leaving(leaving) {}
  int open(std::string &why) override { return inner->open(why); }
  std::string name() const override { return inner->name(); }
  std::string take(const migrate::Written &w) override {
    if (std::string why = inner->take(w); !why.empty())
      return why;
    long long size = 0;
    unsigned long long crc = 0;
    if (!imageIdentity(image + ".partial", size, crc))
      return "cannot read the image's header in '" + image + ".partial'";
    // The process stands still at its point: its stdout is what it wrote to.
    const std::string out = linkTarget("/proc/" + std::to_string(pid) + "/fd/1");
    return writeMarks(marks, marksText(size, crc, out, w.stdoutSize, leaving), false);
  }
  std::string afterCommit() override {
    if (::rename((marks + ".partial").c_str(), marks.c_str()) != 0)
      return "cannot rename '" + marks + ".partial': " + std::strerror(errno);
    return inner->afterCommit();
  }
  void discard() override {
    ::unlink((marks + ".partial").c_str());
    inner->discard();
  }

private:
  std::unique_ptr<ImageSink> inner;
  std::string image, marks;
  pid_t pid;
  bool leaving;
};

} // namespace

StateDir::StateDir(std::string dir) : dir(std::move(dir)) {}

std::string StateDir::create() const {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return "cannot create '" + dir + "': " + std::strerror(errno);
  struct stat st;
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return "'" + dir + "' is not a directory";
  if (st.st_uid != ::geteuid())
    return "'" + dir + "' is not yours: its images could be another user's";
  if (st.st_mode & 022)
    return "'" + dir + "' may be written by others: they could plant images there";
  return "";
}

std::string StateDir::image() const {
  const std::string path = dir + "/state.img";
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? path : "";
}

std::unique_ptr<migrate::ImageSink> StateDir::sink(pid_t pid, bool leaving) const {
  return std::make_unique<MarkingSink>(migrate::fileSink(dir + "/state.img"), dir + "/state.img",
                                       pid, leaving);
}

std::string StateDir::prepareOutput(bool resuming) const {
  const std::string marksPath = dir + "/state.img.output";
  const OutputMarks m = readMarks(marksPath);
  long long size = -1;
  unsigned long long crc = 0;
  const bool haveImage = resuming && imageIdentity(dir + "/state.img", size, crc);
  std::string said;
  struct stat st;
  const std::string here = linkTarget("/proc/self/fd/1");
  if (resuming && (!m.read || !haveImage || m.image != size || m.crc != crc)) {
    said = "no output marks for this image: what the program wrote after it may come twice";
  } else if (m.read && (resuming || m.image == -1) && !m.left && m.out >= 0 &&
             m.outPath == here && ::fstat(1, &st) == 0 &&
             S_ISREG(st.st_mode) && st.st_size > m.out) {
    if (::ftruncate(1, m.out) != 0)
      said = std::string("cannot cut stdout back to its size at the checkpoint: ") +
             std::strerror(errno);
  }
  // This run goes on from here: if it dies before its first checkpoint, the
  // next one cuts back to this.
  if (::fstat(1, &st) == 0 && S_ISREG(st.st_mode)) {
    if (std::string why = writeMarks(marksPath, marksText(haveImage ? size : -1, crc, here,
                                                          st.st_size, false));
        !why.empty() && said.empty())
      said = why;
  }
  return said;
}

void StateDir::finished() const {
  for (const char *name : {"/state.img", "/state.img.output"})
    ::unlink((dir + name).c_str());
}

} // namespace hm::run
