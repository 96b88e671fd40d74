// Supervisor.h — runs a program built with hmcc under a scheduler's rules:
// resumes it from its newest checkpoint, checkpoints it now and then, and on
// the scheduler's warning has it leave its image and end so that the job can
// be requeued, on this architecture or another.
#ifndef HM_RUN_SUPERVISOR_H
#define HM_RUN_SUPERVISOR_H

#include "migrate/Builds.h"

#include <string>
#include <vector>

namespace hm::run {

struct JobOptions {
  std::string stateDir;                      // checkpoints: StateDir
  const migrate::Architecture *arch = nullptr; // the build to run
  std::vector<std::string> command;          // PROGRAM ARGS (PROGRAM as the user named it)
  double every = 0;                          // seconds between checkpoints; 0: none
  std::vector<int> leaveSignals;             // checkpoint, end and requeue
  bool requeue = true;                       // in a Slurm job: scontrol requeue after leaving
  int leftStatus = 0;                        // hmrun's status once the program left
  bool verbose = false;                      // say on stderr what is done
};

// hmrun's exit status: the program's, or |leftStatus| once it left its image.
int runJob(const JobOptions &options);

} // namespace hm::run
#endif
