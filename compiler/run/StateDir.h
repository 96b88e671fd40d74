// StateDir.h — where a supervised program's checkpoints live: one image,
// replaced whole, and beside it what its stdout was when it was written.
#ifndef HM_RUN_STATE_DIR_H
#define HM_RUN_STATE_DIR_H

#include "migrate/ImageSink.h"

#include <memory>
#include <string>
#include <sys/types.h>

namespace hm::run {

class StateDir {
public:
  explicit StateDir(std::string dir);
  // Creates the directory (this user's alone) if it is not there; "" or why
  // it cannot be used (another user's, or others may write in it).
  std::string create() const;
  const std::string &path() const { return dir; }
  // The newest complete image (an incomplete one is never at this path), or "".
  std::string image() const;
  // Where the next image of process |pid| goes: written as .partial and
  // renamed into place once whole. Beside it, before the process is told to
  // go on or leave: the image's checksum, the path of the file the process's
  // stdout is on and its size (all the program wrote before its point).
  // |leaving|: the program leaves at this image (nothing of it comes after).
  std::unique_ptr<migrate::ImageSink> sink(pid_t pid, bool leaving) const;
  // Before the program starts, from image() or afresh: stdout, when it is the
  // same regular file as at the image (or at the last fresh start), is cut
  // back to its size there: what a run that died wrote after it comes again.
  // Then the marks say that this run goes on from there. "" or what was not done.
  std::string prepareOutput(bool resuming) const;
  // The program ended by itself: its checkpoints are of no more use.
  void finished() const;

private:
  std::string dir;
};

} // namespace hm::run
#endif
