// ImageSink.h — where a requested image goes: the descriptor the process writes
// it to, and what makes it final (the commit of the two phases).
#ifndef HM_MIGRATE_IMAGE_SINK_H
#define HM_MIGRATE_IMAGE_SINK_H

#include <cstdint>
#include <memory>
#include <string>

namespace hm::migrate {

class ImageSink {
public:
  virtual ~ImageSink() = default;
  // The descriptor handed to the process (-1 and |why| when it cannot be made).
  virtual int open(std::string &why) = 0;
  // What messages call the destination.
  virtual std::string name() const = 0;
  // The process wrote |bytes| bytes: "" when the image is now the destination's
  // (the process may leave), else why not (the process goes on).
  virtual std::string take(std::uint64_t bytes) = 0;
  // Nothing was taken: leave nothing behind.
  virtual void discard() = 0;
};

// An image file at |path|: written as PATH.partial (created anew, this user's
// alone, never through a link) and renamed into place once complete.
std::unique_ptr<ImageSink> fileSink(const std::string &path);

} // namespace hm::migrate
#endif
