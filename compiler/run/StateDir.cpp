// StateDir.cpp — a supervised program's checkpoints: one image and its output sizes.
#include "StateDir.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace hm::run {

namespace {

// Beside an image: its size, and the size and path of the regular files
// stdout and stderr were on when it was written (size -1: not a regular
// file). Lines "KEY VALUE"; they belong to the image of that size only, and
// cut only the files of those paths (the same on any node of a shared file
// system).
struct OutputMarks {
  long long image = -1, out = -1, err = -1;
  std::string outPath, errPath;
  bool left = false; // the program left at this image: nothing of it came after
};

OutputMarks readMarks(const std::string &path) {
  OutputMarks m;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t space = line.find(' ');
    const std::string key = line.substr(0, space), value = line.substr(space + 1);
    const long long n = std::strtoll(value.c_str(), nullptr, 10);
    if (key == "image")
      m.image = n;
    else if (key == "stdout")
      m.out = n;
    else if (key == "stderr")
      m.err = n;
    else if (key == "stdout-path")
      m.outPath = value;
    else if (key == "stderr-path")
      m.errPath = value;
    else if (key == "left")
      m.left = n != 0;
  }
  return m;
}

// The file |fd| is open on, by path.
std::string pathOf(int fd) {
  char target[4096];
  const ssize_t n =
      ::readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), target, sizeof target - 1);
  return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : "";
}

// The file sink, which also writes the marks, just before the image is
// renamed into place.
class MarkingSink : public migrate::ImageSink {
public:
  MarkingSink(std::unique_ptr<ImageSink> inner, std::string marks, bool leaving)
      : inner(std::move(inner)), marks(std::move(marks)), leaving(leaving) {}
  int open(std::string &why) override { return inner->open(why); }
  std::string name() const override { return inner->name(); }
  std::string take(const migrate::Written &w) override {
    written = w;
    return inner->take(w);
  }
  std::string afterCommit() override {
    const std::string partial = marks + ".partial";
    {
      std::ofstream out(partial, std::ios::trunc);
      // The program's stdout and stderr are this process's (it started it).
      out << "image " << written.bytes << "\nstdout " << written.stdoutSize << "\nstderr "
          << written.stderrSize << "\nstdout-path " << pathOf(1) << "\nstderr-path "
          << pathOf(2) << "\nleft " << (leaving ? 1 : 0) << "\n";
      if (!out.flush())
        return "cannot write '" + partial + "'";
    }
    if (::rename(partial.c_str(), marks.c_str()) != 0)
      return "cannot rename '" + partial + "': " + std::strerror(errno);
    return inner->afterCommit();
  }
  void discard() override { inner->discard(); }

private:
  std::unique_ptr<ImageSink> inner;
  std::string marks;
  bool leaving;
  migrate::Written written;
};

std::string cut(int fd, long long size, const std::string &path, const char *name) {
  struct stat st;
  if (size < 0 || path != pathOf(fd) || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_size <= size)
    return "";
  if (::ftruncate(fd, size) != 0)
    return std::string("cannot cut ") + name + " back to its size at the checkpoint: " +
           std::strerror(errno);
  return "";
}

} // namespace

StateDir::StateDir(std::string dir) : dir(std::move(dir)) {}

std::string StateDir::create() const {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return "cannot create '" + dir + "': " + std::strerror(errno);
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return "'" + dir + "' is not a directory";
  if (st.st_uid != ::geteuid())
    return "'" + dir + "' is not yours: its images could be another user's";
  return "";
}

std::string StateDir::image() const {
  const std::string path = dir + "/state.img";
  return ::access(path.c_str(), R_OK) == 0 ? path : "";
}

std::unique_ptr<migrate::ImageSink> StateDir::sink(bool leaving) const {
  return std::make_unique<MarkingSink>(migrate::fileSink(dir + "/state.img"),
                                       dir + "/state.img.output", leaving);
}

std::string StateDir::cutOutput() const {
  struct stat st;
  const std::string img = dir + "/state.img";
  const OutputMarks m = readMarks(img + ".output");
  if (::stat(img.c_str(), &st) != 0 || m.image != static_cast<long long>(st.st_size))
    return "no output sizes for this image: output after its checkpoint may come twice";
  if (m.left)
    return "";
  // stderr is cut only as the same file as stdout: where it is a file of its
  // own, it holds what hmrun and the job said after the checkpoint too, and
  // the program's diagnostics after it come again.
  return cut(1, m.out, m.outPath, "stdout");
}

void StateDir::finished() const {
  for (const char *name : {"/state.img", "/state.img.output"})
    ::unlink((dir + name).c_str());
}

} // namespace hm::run
