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

std::string encodeImage(const Image &image) {
  std::ostringstream payload;
  {
    portable_oarchive ar(payload);
    ar << image;
  }
  const std::string body = payload.str();
  std::string out(kImageMagic, sizeof kImageMagic);
  putBE(out, kImageFormatVersion, 4);
  putBE(out, body.size(), 8);
  putBE(out, crc32(body.data(), body.size()), 4);
  out += body;
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
