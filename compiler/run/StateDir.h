// StateDir.h — where a supervised program's checkpoints live: one image,
// replaced whole, and the sizes its output files had when it was written.
#ifndef HM_RUN_STATE_DIR_H
#define HM_RUN_STATE_DIR_H

#include "migrate/ImageSink.h"

#include <memory>
#include <string>

namespace hm::run {

class StateDir {
public:
  explicit StateDir(std::string dir);
  // Creates the directory (this user's alone) if it is not there; "" or why not.
  std::string create() const;
  const std::string &path() const { return dir; }
  // The newest complete image (an incomplete one is never at this path), or "".
  std::string image() const;
  // Where the next image goes: written as .partial and renamed into place
  // once whole, with the output sizes the process said beside it. |leaving|:
  // the program leaves at this image (nothing of it comes after).
  std::unique_ptr<migrate::ImageSink> sink(bool leaving) const;
  // Before a resume from a checkpoint the program went on from: stdout, where
  // it is the same regular file, is cut back to its size at the image (what
  // the program wrote after it, it writes again). "" or what was not done.
  std::string cutOutput() const;
  // The program ended by itself: its checkpoints are of no more use.
  void finished() const;

private:
  std::string dir;
};

} // namespace hm::run
#endif
