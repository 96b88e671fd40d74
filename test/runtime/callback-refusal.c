// A migration point reached through a frame hmcc did not build (the C library's
// qsort calling a comparator) is refused, and the program goes on; the next
// point, reached from main, migrates, on every architecture.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x86
// RUN: %hmcc --target=aarch64-linux-gnu %s -o %t/a64
// RUN: %hmcc --target=s390x-linux-gnu %s -o %t/s390x
// RUN: %hmcc --target=arm-linux-gnueabihf %s -o %t/arm
// RUN: env HM_MIGRATE_TO=%t/1.img %t/x86 2> %t/x86.err | FileCheck --check-prefix=SORTED %s
// RUN: FileCheck --check-prefix=REFUSED %s < %t/x86.err
// RUN: test ! -e %t/1.img
// REFUSED: hmcc: migration refused: the migration point was reached through a function hmcc did not build (the C library calling back into the program: a qsort comparator, an atexit or signal handler), which cannot be unwound and re-entered; the program goes on
// SORTED: sorted 1 2 3 5 7 9
// SORTED-NEXT: done 0
// RUN: env HM_MIGRATE_TO=%t/2.img HM_MIGRATE_AT=2 %run-armhf %t/arm > %t/out
// RUN: env HM_RESTORE=%t/2.img %run-s390x %t/s390x >> %t/out
// RUN: FileCheck --check-prefix=MOVED %s < %t/out
// MOVED: sorted 1 2 3 5 7 9
// MOVED-NEXT: done 1
// RUN: env HM_MIGRATE_TO=%t/3.img %run-aarch64 %t/a64 2>&1 >/dev/null | FileCheck --check-prefix=REFUSED %s
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

static int calls;

static int compare(const void *a, const void *b) {
  if (++calls == 3)
    migrate_now();
  return *(const int *)a - *(const int *)b;
}

int main(void) {
  int v[6] = {5, 2, 9, 1, 7, 3};
  qsort(v, 6, sizeof v[0], compare);
  printf("sorted");
  for (int i = 0; i < 6; i++)
    printf(" %d", v[i]);
  printf("\n");
  int moved = migrate_now();
  printf("done %d\n", moved);
  return 0;
}
