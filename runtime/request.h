// request.h — migration requested from outside: a signal, from hm-migrate (with
// the socket it listens on: request_channel.cpp) or with HM_MIGRATE_TO set.
#ifndef HM_RUNTIME_REQUEST_H
#define HM_RUNTIME_REQUEST_H

#include <chrono>
#include <string>
#include <vector>

namespace hm {

// Where a capture goes: a path the runtime writes (HM_MIGRATE_TO, HM_CHECKPOINT),
// or the descriptor a requester (hm-migrate) gave, with its connection.
struct Destination {
  std::string path;    // the image's path, or the requester's name for its destination
  int fd = -1;         // the requester's: the image goes there
  int channel = -1;    // the requester's connection: the capture reports on it
  bool checkpoint = false;
  std::string triple;  // the destination's target triple, when the requester knows it
  bool said = false;   // empty, and why was said already
  // What |fd| and |channel| were when they came: a request that waits must not
  // take a number the program has closed and opened again for its own file.
  unsigned long fdDev = 0, fdIno = 0, channelDev = 0, channelIno = 0;
  bool empty() const { return path.empty() && fd < 0; }
};

// Installs the handler of the migration signal (at main's entry).
void installRequestHandler();
// The migration signal installed, or 0.
int requestSignal();
// Where a requested migration goes: the requester that queued the signal with
// a nonce, else HM_MIGRATE_TO; empty when neither says.
Destination requestedDestination();

// request_channel.cpp
// Connects to the requester that signalled with |nonce| and reads its request;
// empty (and said why) when none listens, or the socket is not this user's or root's.
Destination connectRequester(unsigned nonce);
// One line of the protocol to the requester (nothing when |channel| < 0).
void tellRequester(int channel, const char *word, const std::string &text);
// After WRITTEN: "" when the requester commits, else why the program goes on.
// A commit over a connection brings |relay|: the destination's stdin, stdout,
// stderr, the connection's exit status, and the keeper's control pipe.
std::string awaitVerdict(int channel, std::vector<int> &relay);
// Closes what |d| holds and empties it.
void closeDestination(Destination &d);
// Whether |d|'s descriptors are still the ones the requester gave (a request
// that waited: the program may have closed them and opened others there).
bool stillRequesters(const Destination &d);

// handshake.cpp
// A destination hm-migrate started, with the whole stack restored: says it is
// ready, and returns only once the move is committed (else this copy ends,
// having run nothing of the program). Detached (HM_RESTORE_OUTPUT), it
// returns in a new process, in a session of its own, with stdio on the files.
void awaitCommit();

// relay.cpp
// The process has moved over a connection: relays until the destination ends,
// then exits with its status.
[[noreturn]] void relayContinuation(const std::vector<int> &relay);
// Raises the request again in a while (1 ms, doubling with |attempt| up to
// 100 ms), through the migration signal; false when no signal is installed.
bool retryRequestLater(unsigned attempt, double attemptMs = 0);
// While a request waits, libhmrt keeps a copy of stderr to report on (diag.h).
void holdStderr(bool hold);
// The request was served or refused: the next one starts its own patience.
void requestFinished();
// The nonce of the last request hm-migrate queued, taken (0: none).
unsigned takeRequestNonce();
// Whether a request refused by the state it found may still be tried again:
// HM_MIGRATE_PATIENCE has not run out since it came.
bool requestMayWait();
// Milliseconds from the request to |now|.
double requestLatencyMs(std::chrono::steady_clock::time_point now);

} // namespace hm
#endif
