// With the destination named (HM_MIGRATE_FOR), what its receiver would refuse
// once this process had gone is refused at the migration point, naming it, and
// the program goes on; a destination that can take the values migrates.
// - A union that names no active member and holds no pointer converts where
//   its members convert alike (or keep their layout, with the same byte
//   order), and otherwise only a value its members all read alike there.
//   Lua's CallInfo.u2: an int, or two shorts, as a bit of another field says.
// - A long (size_t, ...) converts only where its value fits: Lua's GMatchState
//   keeps garbage in capture slots it has not used.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: %hmcc -O1 --target=aarch64-linux-gnu %s -o %t/prog.aarch64
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_FOR=s390x-linux-gnu HM_MIGRATE_TO=%t/s390x.img %t/prog > %t/s390x.txt 2> %t/s390x.err
// RUN: diff %t/plain.txt %t/s390x.txt
// RUN: test ! -e %t/s390x.img
// RUN: FileCheck %s < %t/s390x.err
// CHECK: hmcc: migration failed: a heap block of 16 bytes holds a union (unnamed union at {{.*}}destination-check.c:{{[0-9]+}}:{{[0-9]+}}) that names no active member and holds no pointer, and converts differently between x86_64-linux-gnu and s390x-linux-gnu: its members 'funcidx' and 'transfer' read its bytes as different values there (name its tag with HM_UNION_TAG); the program goes on on x86_64-linux-gnu
// RUN: env HM_MIGRATE_FOR=arm-linux-gnueabihf BIG=1 HM_MIGRATE_TO=%t/big.img %t/prog > %t/big.txt 2> %t/big.err
// RUN: env BIG=1 %t/prog | diff - %t/big.txt
// RUN: test ! -e %t/big.img
// RUN: FileCheck --check-prefix=BIG %s < %t/big.err
// BIG: hmcc: migration failed: global 'destination-check.c:total' holds 1099511627776 (size_t, 8 bytes here), which does not fit in 4 bytes on arm-linux-gnueabihf; the program goes on on x86_64-linux-gnu
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

static size_t total;

int main(void) {
  if (getenv("BIG"))
    total = (size_t)1 << 40;
  struct info *ci = malloc(2 * sizeof *ci);
  ci[0].status = 2;
  ci[0].u2.transfer.first = 3;
  ci[0].u2.transfer.count = 40;
  ci[1].status = 0;
  ci[1].u2.funcidx = 70000;
  printf("before\n");
  migrate_now();
  printf("%u %u %d %zu\n", ci[0].u2.transfer.first, ci[0].u2.transfer.count,
         ci[1].u2.funcidx, total);
  return 0;
}
