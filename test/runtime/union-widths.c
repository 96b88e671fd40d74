// An untagged union with a pointer and two integer members of one width, which
// hold no pointer here: converted as each member, not as the first alone. To
// armhf, 2^31 fits its unsigned long but not its long, and which one the
// program meant cannot be told: refused by the receiver, and at the migration
// point when the destination is named; 7 fits both and migrates.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: %hmcc -O1 --target=arm-linux-gnueabihf %s -o %t/prog.arm
// RUN: env HM_MIGRATE_TO=%t/late.img %t/prog
// RUN: not env HM_RESTORE=%t/late.img %run-armhf %t/prog.arm 2>&1 | FileCheck --check-prefix=LATE %s
// LATE: hmcc: cannot restore: variable 'word.l' of main (union-widths.c:[[@LINE+19]]): value 2147483648 (long, 8 bytes on x86_64-linux-gnu) does not fit in long (4 bytes on arm-linux-gnueabihf)
// RUN: env HM_MIGRATE_TO=%t/point.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog > %t/point.txt 2> %t/point.err
// RUN: test ! -e %t/point.img
// RUN: FileCheck --check-prefix=POINT %s < %t/point.err
// POINT: migration failed: variable 'word' (union word) of main at {{.*}}, at .p is a union word that holds no pointer here, names no active member, and converts differently on arm-linux-gnueabihf: read as its member 'l', it does not fit there (name its tag with HM_UNION_TAG); the program goes on
// RUN: env HM_MIGRATE_TO=%t/small.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog --small
// RUN: env HM_RESTORE=%t/small.img %run-armhf %t/prog.arm --small | FileCheck --check-prefix=SMALL %s
// SMALL: 7 7
#include <hm/migrate.h>
#include <stdio.h>
#include <string.h>

union word {
  void *p;
  unsigned long u;
  long l;
};

int main(int argc, char **argv) {
  union word word;
  word.u = argc > 1 && strcmp(argv[1], "--small") == 0 ? 7 : 0x80000000UL;
  migrate_now();
  printf("%lu %ld\n", word.u, word.l);
  return 0;
}
