// What stdin had read ahead and the program not yet used travels with the
// image: a program reading a pipe a number at a time migrates after the third,
// and the receiver, whose own stdin is empty, reads the rest from the image.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x86
// RUN: %hmcc --target=s390x-linux-gnu %s -o %t/s390x
// RUN: %hmcc --target=arm-linux-gnueabihf %s -o %t/arm
// RUN: printf '3 1 4 1 5 9 2 6 5 3 5\n8 9 7 9\n' > %t/in.txt
// RUN: %t/x86 < %t/in.txt > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/1.img HM_MIGRATE_AT=3 %t/x86 < %t/in.txt > %t/out1
// RUN: env HM_RESTORE=%t/1.img %run-s390x %t/s390x < /dev/null > %t/out2
// RUN: cat %t/out1 %t/out2 | diff %t/plain.txt -
// RUN: FileCheck %s < %t/out2
// CHECK: read 1 -> sum 9
// CHECK: read 9 -> sum 77
// CHECK: count 15
// And on from there, from s390x to armhf:
// RUN: env HM_MIGRATE_TO=%t/2.img HM_MIGRATE_AT=5 %t/x86 < %t/in.txt > %t/out3
// RUN: env HM_RESTORE=%t/2.img HM_MIGRATE_TO=%t/3.img HM_MIGRATE_AT=4 %run-s390x %t/s390x < /dev/null > %t/out4
// RUN: env HM_RESTORE=%t/3.img %run-armhf %t/arm < /dev/null > %t/out5
// RUN: cat %t/out3 %t/out4 %t/out5 | diff %t/plain.txt -
// A stdin on a regular file longer than stdio's buffer: the receiver, given
// the same file, goes on from where the sender had read it to (not from its
// start); given another file, it says so and reads that as the rest.
// RUN: seq 1 30000 > %t/big.txt
// RUN: %t/x86 < %t/big.txt > %t/big-plain.txt
// RUN: env HM_MIGRATE_TO=%t/big.img HM_MIGRATE_AT=20000 %t/x86 < %t/big.txt > %t/big1
// RUN: env HM_RESTORE=%t/big.img %run-s390x %t/s390x < %t/big.txt > %t/big2
// RUN: cat %t/big1 %t/big2 | diff %t/big-plain.txt -
// RUN: cp %t/big.txt %t/copy.txt
// RUN: env HM_RESTORE=%t/big.img %run-armhf %t/arm < %t/copy.txt 2>&1 > /dev/null | FileCheck --check-prefix=OTHER %s
// OTHER: hmcc: stdin is '{{.*}}copy.txt' here, not '{{.*}}big.txt' as where the image was made: it is read from its start, as the rest of the input
#include <hm/migrate.h>
#include <stdio.h>

int main(void) {
  long sum = 0;
  int n, count = 0;
  while (scanf("%d", &n) == 1) {
    sum += n;
    count++;
    printf("read %d -> sum %ld\n", n, sum);
    migrate_now();
  }
  printf("count %d\n", count);
  return 0;
}
