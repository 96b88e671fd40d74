// request.h — migration requested from outside: a signal, or a request file that
// the hm-migrate command writes before sending it.
#ifndef HM_RUNTIME_REQUEST_H
#define HM_RUNTIME_REQUEST_H

#include <chrono>
#include <string>

namespace hm {

// Installs the handler of the migration signal (at main's entry).
void installRequestHandler();
// The migration signal installed, or 0.
int requestSignal();
// Where a requested migration goes: HM_MIGRATE_TO, else the request file
// $TMPDIR/hmcc-migrate-<pid> (consumed). "" when neither says.
std::string requestedDestination();
// Raises the request again in a while (1 ms, doubling with |attempt| up to
// 100 ms), through the migration signal; false when no signal is installed.
bool retryRequestLater(unsigned attempt, double attemptMs = 0);
// While a request waits, libhmrt keeps a copy of stderr to report on (diag.h).
void holdStderr(bool hold);
// The request was served or refused: the next one starts its own patience.
void requestFinished();
// Whether a request refused by the state it found may still be tried again:
// HM_MIGRATE_PATIENCE has not run out since it came.
bool requestMayWait();
// Milliseconds from the request to |now|.
double requestLatencyMs(std::chrono::steady_clock::time_point now);

} // namespace hm
#endif
