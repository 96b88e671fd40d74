// A union that names no active member and holds no pointer converts on the
// receiver only where its members convert alike (or keep their layout, with
// the same byte order). With the destination named (HM_MIGRATE_FOR), a value
// it could not convert is refused at the migration point, naming it, and the
// program goes on; a destination where the members convert alike migrates.
// Lua's CallInfo.u2: an int, or two shorts, as a bit of another field says.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: %hmcc -O1 --target=aarch64-linux-gnu %s -o %t/prog.aarch64
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_FOR=s390x-linux-gnu HM_MIGRATE_TO=%t/s390x.img %t/prog > %t/s390x.txt 2> %t/s390x.err
// RUN: diff %t/plain.txt %t/s390x.txt
// RUN: test ! -e %t/s390x.img
// RUN: FileCheck %s < %t/s390x.err
// CHECK: hmcc: migration failed: a heap block of 16 bytes holds a union (unnamed union at {{.*}}untagged-union-check.c:{{[0-9]+}}:{{[0-9]+}}) that names no active member, holds no pointer, and whose members convert differently between x86_64-linux-gnu and s390x-linux-gnu; name its tag with HM_UNION_TAG; the program goes on on x86_64-linux-gnu
// RUN: env HM_MIGRATE_FOR=aarch64-linux-gnu HM_MIGRATE_TO=%t/aarch64.img %t/prog > %t/aarch64-1.txt
// RUN: env HM_RESTORE=%t/aarch64.img %run-aarch64 %t/prog.aarch64 > %t/aarch64-2.txt
// RUN: cat %t/aarch64-1.txt %t/aarch64-2.txt | diff %t/plain.txt -
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct info {
  unsigned short status; // bit 1: transfer
  union {
    int funcidx;
    struct {
      unsigned short first, count;
    } transfer;
  } u2;
};

int main(void) {
  struct info *ci = malloc(2 * sizeof *ci);
  ci[0].status = 2;
  ci[0].u2.transfer.first = 3;
  ci[0].u2.transfer.count = 40;
  ci[1].status = 0;
  ci[1].u2.funcidx = 70000;
  printf("before\n");
  migrate_now();
  printf("%u %u %d\n", ci[0].u2.transfer.first, ci[0].u2.transfer.count, ci[1].u2.funcidx);
  return 0;
}
