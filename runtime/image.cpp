// image.cpp — encodes and decodes image files: header, checksum, portable archive.
#include "image.h"
#include "config.h"
#include "diag.h"
#include "portable_archive.h"

#include <boost/archive/archive_exception.hpp>
#include <boost/crc.hpp>

#include <cstring>
#include <sstream>

namespace hm {

namespace {
constexpr std::size_t kHeaderSize = 8 + 4 + 8 + 4;

void putBE(std::string &out, std::uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t getBE(const std::string &in, std::size_t at, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v = (v << 8) | static_cast<unsigned char>(in[at + i]);
  return v;
}
std::uint32_t crc32(const char *data, std::size_t n) {
  boost::crc_32_type crc;
  crc.process_bytes(data, n);
  return crc.checksum();
}
} // namespace

namespace {
// Appends what is written to a string, so that the payload lands in the image
// buffer directly, after room for the header.
class AppendBuf : public std::streambuf {
public:
  explicit AppendBuf(std::string &out) : out(out) {}

protected:
  std::streamsize xsputn(const char *s, std::streamsize n) override {
    out.append(s, static_cast<std::size_t>(n));
    return n;
  }
  int_type overflow(int_type c) override {
    if (c != traits_type::eof())
      out.push_back(static_cast<char>(c));
    return c;
  }

private:
  std::string &out;
};

std::size_t estimatedSize(const Image &image) {
  std::size_t n = 4096;
  for (const FrameRecord &f : image.frames)
    for (const VarRecord &v : f.vars)
      n += v.bytes.data.size() + 64;
  for (const GlobalRecord &g : image.globals)
    n += g.bytes.data.size() + 64;
  for (const HeapRecord &h : image.heap)
    n += h.bytes.data.size() + 128;
  return n;
}
} // namespace

std::string encodeImage(const Image &image) {
  std::string out;
  out.reserve(estimatedSize(image));
  out.append(kHeaderSize, '\0');
  {
    AppendBuf buf(out);
    std::ostream os(&buf);
    portable_oarchive ar(os);
    ar << image;
  }
  const std::size_t length = out.size() - kHeaderSize;
  std::string header(kImageMagic, sizeof kImageMagic);
  putBE(header, kImageFormatVersion, 4);
  putBE(header, length, 8);
  putBE(header, crc32(out.data() + kHeaderSize, length), 4);
  out.replace(0, kHeaderSize, header);
  return out;
}

Image decodeImage(const std::string &file, const std::string &what) {
  if (file.size() < sizeof kImageMagic ||
      std::memcmp(file.data(), kImageMagic, sizeof kImageMagic) != 0)
    fail("{} is not an hmcc image (no image header)", what);
  if (file.size() < kHeaderSize)
    fail("{} is truncated: {} bytes, shorter than an image header", what,
         file.size());
  const auto version = getBE(file, 8, 4);
  if (version != kImageFormatVersion)
    fail("{} has image format version {}; this runtime reads version {}", what,
         version, kImageFormatVersion);
  const auto length = getBE(file, 12, 8);
  const auto stored = getBE(file, 20, 4);
  const std::uint64_t have = file.size() - kHeaderSize;
  if (length > have)
    fail("{} is truncated: {} of {} payload bytes", what, have, length);
  if (length < have)
    fail("{} has {} unexpected bytes after its end", what, have - length);
  if (crc32(file.data() + kHeaderSize, length) != stored)
    fail("{} is damaged: checksum mismatch", what);

  Image image;
  try {
    MemoryBuf buf(file.data() + kHeaderSize, length);
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

} // namespace hm
