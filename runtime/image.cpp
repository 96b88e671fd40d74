// image.cpp — encodes and decodes image files: header, checksum, portable archive.
#include "image.h"
#include "config.h"
#include "diag.h"
#include "portable_archive.h"

#include <boost/archive/archive_exception.hpp>
#include "crc32c.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sstream>

namespace hm {

namespace {
constexpr std::size_t kHeaderSize = kImageHeaderSize;

void putBE(std::string &out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t getBE(const char *in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v = (v << 8) | static_cast<unsigned char>(in[at + i]);
  return v;
}
std::uint32_t crc32c(const char *data, std::size_t n) {
  Crc32c crc;
  crc.update(data, n);
  return crc.value();
}
} // namespace

namespace {
// Writes through a buffer to a file descriptor, computing the CRC on the way.
class FileCrcBuf : public std::streambuf {
public:
  FileCrcBuf(int fd, const std::string &path)
      : fd(fd), path(path), buf(new char[kSize]) { // not zeroed: a small image touches one page
    setp(buf.get(), buf.get() + kSize);
  }
  void flushAll() {
    const std::size_t n = static_cast<std::size_t>(pptr() - pbase());
    if (n) {
      crc.update(pbase(), n);
      writeOut(pbase(), n);
      total += n;
    }
    setp(buf.get(), buf.get() + kSize);
  }
  std::uint64_t size() const { return total; }
  std::uint32_t checksum() const { return crc.value(); }

protected:
  int_type overflow(int_type c) override {
    flushAll();
    if (c != traits_type::eof()) {
      *pptr() = static_cast<char>(c);
      pbump(1);
    }
    return c;
  }
  std::streamsize xsputn(const char *s, std::streamsize n) override {
    if (n >= static_cast<std::streamsize>(kSize)) {
      flushAll(); // large blocks go straight from the object to the file
      crc.update(s, static_cast<std::size_t>(n));
      writeOut(s, static_cast<std::size_t>(n));
      total += static_cast<std::uint64_t>(n);
      return n;
    }
    if (n <= epptr() - pptr()) { // most writes: a few bytes that fit
      std::memcpy(pptr(), s, static_cast<std::size_t>(n));
      pbump(static_cast<int>(n));
      return n;
    }
    return std::streambuf::xsputn(s, n);
  }

private:
  void writeOut(const char *p, std::size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd, p, n);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        fail("cannot write image '{}': {}", path, std::strerror(errno));
      p += w;
      n -= static_cast<std::size_t>(w);
    }
  }
  int fd;
  const std::string &path;
  static constexpr std::size_t kSize = 256 << 10;
  std::unique_ptr<char[]> buf;
  Crc32c crc;
  std::uint64_t total = 0;
};
} // namespace

std::uint64_t writeImage(const Image &image, int fd, const std::string &path) {
  if (::lseek(fd, static_cast<off_t>(kHeaderSize), SEEK_SET) < 0)
    fail("cannot write image '{}': {}", path, std::strerror(errno));
  FileCrcBuf buf(fd, path);
  {
    std::ostream os(&buf);
    portable_oarchive ar(os);
    ar << image;
  }
  buf.flushAll();
  std::string header(kImageMagic, sizeof kImageMagic);
  putBE(header, kImageFormatVersion, 4);
  putBE(header, buf.size(), 8);
  putBE(header, buf.checksum(), 4);
  if (::pwrite(fd, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size()))
    fail("cannot write image '{}': {}", path, std::strerror(errno));
  return kHeaderSize + buf.size();
}

int createPartialImage(const std::string &partial) {
  const int flags = O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  int fd = ::open(partial.c_str(), flags, 0600);
  struct stat st;
  if (fd < 0 && errno == EEXIST && ::lstat(partial.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
      st.st_uid == ::geteuid() && ::unlink(partial.c_str()) == 0)
    fd = ::open(partial.c_str(), flags, 0600);
  return fd;
}

Image decodeImage(const char *data, std::size_t size, const std::string &what) {
  if (size < sizeof kImageMagic ||
      std::memcmp(data, kImageMagic, sizeof kImageMagic) != 0)
    fail("{} is not an hmcc image (no image header)", what);
  if (size < kHeaderSize)
    fail("{} is truncated: {} bytes, shorter than an image header", what,
         size);
  const auto version = getBE(data, 8, 4);
  if (version != kImageFormatVersion)
    fail("{} has image format version {}; this runtime reads version {}", what,
         version, kImageFormatVersion);
  const auto length = getBE(data, 12, 8);
  const auto stored = getBE(data, 20, 4);
  const std::uint64_t have = size - kHeaderSize;
  if (length > have)
    fail("{} is truncated: {} of {} payload bytes", what, have, length);
  if (length < have)
    fail("{} has {} unexpected bytes after its end", what, have - length);
  if (crc32c(data + kHeaderSize, length) != stored)
    fail("{} is damaged: checksum mismatch", what);

  Image image;
  try {
    MemoryBuf buf(data + kHeaderSize, length);
    portable_iarchive ar(buf);
    ar >> image;
    if (buf.remaining() != 0)
      fail("{} is malformed: {} bytes left after the image", what,
           buf.remaining());
  } catch (const boost::archive::archive_exception &e) {
    fail("{} is malformed: {}", what, e.what());
  } catch (const std::bad_alloc &) {
    fail("{} is malformed: a size in it is out of range", what);
  }
  return image;
}

struct HeapRecordReader::State {
  MemoryBuf buf;
  portable_iarchive ar;
  explicit State(const HeapTable &heap) : buf(heap.first, heap.length), ar(buf) {}
};

HeapRecordReader::HeapRecordReader(const HeapTable &heap)
    : state(std::make_unique<State>(heap)) {}
HeapRecordReader::~HeapRecordReader() = default;

const HeapRecord &HeapRecordReader::next() {
  // decodeImage read every record once: a failure here is the file changing
  // under the mapping.
  try {
    HeapTable::read(state->ar, record);
  } catch (const boost::archive::archive_exception &e) {
    fail("the image's heap records changed since they were read: {}", e.what());
  }
  return record;
}

const unsigned char *HeapRecordReader::position() const {
  return reinterpret_cast<const unsigned char *>(state->ar.position());
}

} // namespace hm
