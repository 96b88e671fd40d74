// A function hmcc cannot make migratable (here a variadic one) runs as written.
// A migration request that arrives while it is on the stack waits until it has
// returned, then migrates at the next poll point; a migrate_now() under it is
// refused and the program goes on. A request under a pinned main is refused.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x86
// RUN: %hmcc --target=s390x-linux-gnu %s -o %t/s390x
// RUN: %hmcc --target=arm-linux-gnueabihf %s -o %t/arm
// RUN: %hmcc --target=aarch64-linux-gnu %s -o %t/a64
// RUN: %t/x86 > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/1.img %t/x86 > %t/out1 2> %t/err1
// RUN: FileCheck --check-prefix=SENDER %s < %t/err1
// SENDER-DAG: hmcc: migration deferred: 'pinned-frames.c:logged' (pinned-frames.c:[[@LINE+33]]) is on the stack, and hmcc could not make it migratable: it is variadic: its variable arguments cannot be carried; it is tried again until that frame has returned
// SENDER-DAG: hmcc: migration refused: 'pinned-frames.c:logged' (pinned-frames.c:[[@LINE+32]]) is on the stack, {{.*}}; the program goes on on x86_64-linux-gnu
// RUN: env HM_RESTORE=%t/1.img %run-s390x %t/s390x > %t/out2
// RUN: cat %t/out1 %t/out2 | diff %t/plain.txt -
// RUN: FileCheck --check-prefix=SPLIT %s < %t/out1
// SPLIT: round 0: logged 5, total 10
// SPLIT-NOT: round 1
// RUN: env HM_MIGRATE_TO=%t/2.img %run-armhf %t/arm > %t/out3 2> /dev/null
// RUN: env HM_RESTORE=%t/2.img %run-aarch64 %t/a64 > %t/out4
// RUN: cat %t/out3 %t/out4 | diff %t/plain.txt -
//
// RUN: %hmcc -DPINNED_MAIN %s -o %t/pinned-main 2> %t/build.err
// RUN: env HM_MIGRATE_TO=%t/3.img %t/pinned-main > %t/out5 2> %t/err5
// RUN: diff %t/plain.txt %t/out5
// RUN: FileCheck --check-prefix=MAIN %s < %t/err5
// MAIN: hmcc: migration refused: 'main' (pinned-frames.c:{{[0-9]+}}) is on the stack, and hmcc could not make it migratable: it calls alloca: {{.*}}; the program goes on on x86_64-linux-gnu
// RUN: test ! -e %t/3.img
#include <hm/migrate.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static int total;

// Its loop polls. The request arrives in the first round, under logged().
static void tally(int k) {
  for (int i = 0; i < k; i++) {
    if (i == 2 && k == 5)
      hm_request_migration();
    total += i;
  }
}

static int logged(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int k = va_arg(ap, int);
  va_end(ap);
  tally(k);
  return migrate_now() + k;
}

int main(int argc, char **argv) {
  (void)argv;
#ifdef PINNED_MAIN
  int *scratch = __builtin_alloca(argc * sizeof(int));
  scratch[0] = 0;
#endif
  for (int round = 0; round < 3; round++) {
    int r = logged("%d", 5 + round);
    printf("round %d: logged %d, total %d\n", round, r, total);
    // The request is tried again at this loop's poll point.
    for (int w = 0; w < 500 && round == 0; w++)
      usleep(1000);
  }
  printf("done, total %d\n", total);
  return 0;
}
