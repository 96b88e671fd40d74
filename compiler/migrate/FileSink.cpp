// FileSink.cpp — an image that goes to a file: PATH.partial, renamed when complete.
#include "ImageSink.h"

#include "image.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hm::migrate {

namespace {

class FileSink : public ImageSink {
public:
  explicit FileSink(std::string path) : path(std::move(path)), partial(this->path + ".partial") {}
  ~FileSink() override {
    if (fd >= 0)
      ::close(fd);
  }

  int open(std::string &why) override {
    fd = createPartialImage(partial); // the runtime's own rule (image.h)
    if (fd < 0)
      why = "cannot create '" + partial + "': " + std::strerror(errno);
    return fd;
  }

  std::string name() const override { return path; }

  std::string take(const Written &written) override {
    const std::uint64_t bytes = written.bytes;
    struct stat st;
    char magic[8];
    if (::fstat(fd, &st) != 0 || static_cast<std::uint64_t>(st.st_size) != bytes)
      return "the image in '" + partial + "' is not the size the process wrote";
    if (::pread(fd, magic, sizeof magic, 0) != sizeof magic || std::memcmp(magic, "HMCCIMG\n", 8))
      return "'" + partial + "' does not hold an image";
    if (::fsync(fd) != 0 && errno != EINVAL)
      return "cannot write '" + partial + "': " + std::strerror(errno);
    return "";
  }

  std::string afterCommit() override {
    if (::rename(partial.c_str(), path.c_str()) != 0)
      return "the image is complete in '" + partial + "' but cannot be renamed to '" + path +
             "': " + std::strerror(errno);
    renamed = true;
    return "";
  }

  void discard() override {
    if (fd >= 0 && !renamed) // only the file this sink created
      ::unlink(partial.c_str());
  }


private:
  std::string path, partial;
  int fd = -1;
  bool renamed = false;
};

} // namespace

std::unique_ptr<ImageSink> fileSink(const std::string &path) {
  return std::make_unique<FileSink>(path);
}

} // namespace hm::migrate
