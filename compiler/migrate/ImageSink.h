// ImageSink.h — where a requested image goes: the descriptor the process writes
// it to, and what makes it final (the commit of the two phases).
#ifndef HM_MIGRATE_IMAGE_SINK_H
#define HM_MIGRATE_IMAGE_SINK_H

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hm::migrate {

// What the process said it wrote (WRITTEN): the image's size, and the sizes
// of the regular files its stdout and stderr are on at its point (-1: none).
struct Written {
  std::uint64_t bytes = 0;
  long long stdoutSize = -1, stderrSize = -1;
};

class ImageSink {
public:
  virtual ~ImageSink() = default;
  // The descriptor handed to the process (-1 and |why| when it cannot be made).
  virtual int open(std::string &why) = 0;
  // What messages call the destination.
  virtual std::string name() const = 0;
  // The destination build's target triple, once open() found it; "" if unknown.
  virtual std::string destinationTriple() const { return ""; }
  // The process wrote its image: "" when the image is now the destination's
  // (the process may leave), else why not (the process goes on).
  virtual std::string take(const Written &written) = 0;
  // The process has taken the commit (a migration has left): "" or what went wrong.
  virtual std::string afterCommit() { return ""; }
  // Nothing was taken: leave nothing behind.
  virtual void discard() = 0;
  // After the commit, what the process relays: the destination's stdin,
  // stdout, stderr and the connection's exit status (none for a file).
  virtual std::vector<int> relay() { return {}; }
};

// An image file at |path|: written as PATH.partial (created anew, this user's
// alone, never through a link) and renamed into place once the process has
// left (or, for a checkpoint, once it is complete): an image at PATH never
// stands beside a process that goes on.
std::unique_ptr<ImageSink> fileSink(const std::string &path);

// A destination on another machine: the build of the same program at |path|.
struct RemoteDestination {
  std::string host;  // [user@]host
  std::string port;  // "" : ssh's default
  std::string path;
};
// [user@]host:PATH or ssh://[user@]host[:port]/PATH; false for a local path
// (one with a '/' before its first ':', or none).
bool parseRemote(const std::string &dest, RemoteDestination &out);

// How a move over ssh is made.
struct SshSettings {
  std::vector<std::string> sshOptions; // ssh's -o options
  std::vector<std::string> execWith;   // the destination runs PATH under this (e.g. qemu-s390x)
  std::string cwd;                     // the process's working directory, the same there
  // The program's runtime options (HM_MIGRATE_SIGNAL, ...), set there too.
  std::vector<std::pair<std::string, std::string>> carried;
  // --detach: the destination's stdout and stderr append to these files there,
  // and the source leaves instead of relaying.
  std::string detachOutput, detachErrors;
  // How long the destination may take, from the connection to its start
  // (start-up, login, restore), before the move is given up: seconds, 0: none.
  double deadline = 0;
};

// The image streams through ssh (the user's keys and config) into the program
// on the destination; nothing is written to disk. It is the destination's when
// the destination has restored the whole stack and started (the two phases:
// request_protocol.h, HM_RESTORE_HANDSHAKE).
std::unique_ptr<ImageSink> sshSink(const RemoteDestination &dest, SshSettings settings);

} // namespace hm::migrate
#endif
