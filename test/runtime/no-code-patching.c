// A process that may not change its code (systemd's MemoryDenyWriteExecute;
// here prctl PR_SET_MDWE) cannot arm its loops' poll points. A migration is
// then refused before anything is unwound, and the program goes on; a restore
// stops before it starts, with the reason, and keeps the image.
// REQUIRES: no-exec-gain
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/m.img HM_MIGRATE_AT=3 %no-exec-gain %t/prog > %t/out.txt 2> %t/err.txt
// RUN: diff %t/plain.txt %t/out.txt
// RUN: FileCheck --check-prefix=REFUSED %s < %t/err.txt
// REFUSED: hmcc: migration refused: this process may not change its code (mprotect refused), which resuming after a capture needs; the program goes on on x86_64-linux-gnu
// RUN: test ! -e %t/m.img
// The image of an unhindered run does not restore where code cannot change:
// RUN: env HM_MIGRATE_TO=%t/ok.img HM_MIGRATE_AT=3 %t/prog > %t/part1.txt
// RUN: env HM_RESTORE=%t/ok.img not %no-exec-gain %t/prog > %t/part2.txt 2> %t/restore.err
// RUN: FileCheck --check-prefix=RESTORE %s < %t/restore.err
// RESTORE: hmcc: cannot restore: this process may not change its code (mprotect refused), and a restore passes through the loops' poll points; the image is kept
// RUN: test -s %t/ok.img
// Unhindered, it restores and finishes the run:
// RUN: env HM_RESTORE=%t/ok.img %t/prog > %t/part3.txt
// RUN: cat %t/part1.txt %t/part3.txt | diff %t/plain.txt -
#include <hm/migrate.h>
#include <stdio.h>

static long step(long x) { return x * 7 % 1001; }

int main(void) {
  long acc = 1;
  for (int round = 0; round < 5; round++) {
    for (int i = 0; i < 1000; i++)
      acc = step(acc + i);
    migrate_now();
    printf("round %d: %ld\n", round, acc);
  }
  return 0;
}
