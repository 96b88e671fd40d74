// A request is never lost without a word: one that comes while the program's own
// constructors run waits for the first poll point (the handler is installed
// before them), and a run that ends with a migration asked for and not made says
// so on stderr.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %t/prog > %t/plain.txt
//
// A request from a constructor: the program is not killed, and migrates at its
// first poll point.
// RUN: env EARLY_REQUEST=1 HM_MIGRATE_TO=%t/early.img %t/prog > %t/early1.txt
// RUN: env HM_RESTORE=%t/early.img %t/prog > %t/early2.txt
// RUN: cat %t/early1.txt %t/early2.txt | diff %t/plain.txt -
//
// A request made after the last poll point:
// RUN: env LATE_REQUEST=1 HM_MIGRATE_TO=%t/late.img HM_MIGRATE_AT=99 %t/prog > %t/late.txt 2> %t/late.err
// RUN: diff %t/plain.txt %t/late.txt
// RUN: test ! -e %t/late.img
// RUN: FileCheck --check-prefix=LATE %s < %t/late.err
// LATE: hmcc: a requested migration was not made: the program ended before it reached a poll point where its stack could be captured
//
// A migration point HM_MIGRATE_AT names that the run never reaches:
// RUN: env HM_MIGRATE_TO=%t/far.img HM_MIGRATE_AT=9 %t/prog > %t/far.txt 2> %t/far.err
// RUN: diff %t/plain.txt %t/far.txt
// RUN: FileCheck --check-prefix=FAR %s < %t/far.err
// FAR: hmcc: no migration was made: HM_MIGRATE_AT=9 names a migration point the program did not reach (it reached 2)
//
// A run that asks for nothing says nothing:
// RUN: %t/prog 2> %t/quiet.err > /dev/null
// RUN: not test -s %t/quiet.err
#include <hm/migrate.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void early(void) {
  if (getenv("EARLY_REQUEST"))
    kill(getpid(), SIGUSR1);
}

static long sum(int n) {
  long s = 0;
  for (int i = 0; i < n; ++i)
    s += (long)i * i % 7;
  return s;
}

int main(void) {
  long total = 0;
  for (int round = 0; round < 3; ++round) {
    total += sum(1000 + round);
    printf("round %d: %ld\n", round, total);
  }
  migrate_now();
  migrate_now();
  if (getenv("LATE_REQUEST"))
    hm_request_migration();
  printf("done: %ld\n", total);
  return 0;
}
