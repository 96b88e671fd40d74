// Checkpoint-and-continue: HM_CHECKPOINT writes an image at the chosen point and
// the process carries on; the image restores elsewhere and finishes the same way.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x86
// RUN: %hmcc --target=aarch64-linux-gnu %s -o %t/a64
// RUN: %t/x86 > %t/plain.txt
// RUN: env HM_CHECKPOINT=%t/ck.img HM_MIGRATE_AT=2 %t/x86 > %t/ck.txt
// RUN: diff %t/plain.txt %t/ck.txt
// RUN: env HM_RESTORE=%t/ck.img %run-aarch64 %t/a64 | FileCheck %s
// CHECK: step 1 restored 1
// CHECK-NEXT: step 2 restored 0
// CHECK-NEXT: step 3 restored 0
// CHECK-NEXT: total 20
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  int *total = calloc(1, sizeof *total);
  for (int step = 0; step < 4; step++) {
    *total += step * step;
    int restored = migrate_now();
    if (step >= 1)
      printf("step %d restored %d\n", step, restored);
  }
  printf("total %d\n", *total + 6);
  return 0;
}
