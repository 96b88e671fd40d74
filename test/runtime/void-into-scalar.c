// A `void *` is a byte pointer: into the middle of a scalar (an untagged
// union's word, Lua's dead table key read as its Value's `void *p`, at a reused
// string's hash), it points to the same byte of that scalar on a receiver
// whose byte order is the same, whatever its layout, and is refused at the
// migration point on one of the other order (both were refused before).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: %hmcc -O1 --target=arm-linux-gnueabihf %s -o %t/prog.arm
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/arm.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog > %t/arm-1.txt
// RUN: env HM_RESTORE=%t/arm.img %run-armhf %t/prog.arm > %t/arm-2.txt
// RUN: cat %t/arm-1.txt %t/arm-2.txt | diff %t/plain.txt -
// RUN: env HM_MIGRATE_TO=%t/s.img HM_MIGRATE_FOR=s390x-linux-gnu %t/prog > %t/s.txt 2> %t/s.err
// RUN: test ! -e %t/s.img
// RUN: diff %t/plain.txt %t/s.txt
// RUN: FileCheck %s < %t/s.err
// CHECK: hmcc: migration failed: {{.*}} points to byte 2 of a scalar (int): its bytes are right only where the byte order is x86_64-linux-gnu's, and s390x-linux-gnu has the other one; the program goes on on x86_64-linux-gnu
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct record {
  long a; // 8 bytes here, 4 on armhf: b moves
  int b;
  short c;
};
union word {
  long long i;
  void *p;
  double n;
};

int main(void) {
  struct record *x = malloc(sizeof *x);
  x->a = 1;
  x->b = 0x01020304;
  x->c = 5;
  union word *u = calloc(2, sizeof *u);
  u[0].p = (char *)&x->b + 2;
  u[1].i = 9;
  printf("before\n");
  migrate_now();
  printf("%ld %d %lld %ld\n", (long)((char *)u[0].p - (char *)&x->b), *(unsigned char *)u[0].p,
         u[1].i, x->a);
  return 0;
}
