// A byte pointer inside a `long` (bc keeps a char * into its digit storage,
// which malloc may have handed out again to a struct of longs): the receiver
// finds that byte where the byte order is the sender's and its long still has
// that byte (a value that fits keeps its low bytes at any width). With the
// destination named, the sender checks both at the migration point, and the
// program goes on; to a destination where they hold, it migrates.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %hmcc -O2 --target=aarch64-linux-gnu %s -o %t/prog.a64
// RUN: %hmcc -O2 --target=arm-linux-gnueabihf %s -o %t/prog.arm
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/arm.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog > %t/arm-1.txt
// RUN: env HM_RESTORE=%t/arm.img %run-armhf %t/prog.arm > %t/arm-2.txt
// RUN: cat %t/arm-1.txt %t/arm-2.txt | diff %t/plain.txt -
// RUN: env HM_MIGRATE_TO=%t/a64.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/prog > %t/a64-1.txt
// RUN: env HM_RESTORE=%t/a64.img %run-aarch64 %t/prog.a64 > %t/a64-2.txt
// RUN: cat %t/a64-1.txt %t/a64-2.txt | diff %t/plain.txt -
//
// Byte 5 of a long that has 4 bytes there, and any byte in the other byte order:
// RUN: %t/prog 5 > %t/plain5.txt
// RUN: env HM_MIGRATE_TO=%t/high.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog 5 > %t/high.txt 2> %t/high.err
// RUN: diff %t/plain5.txt %t/high.txt
// RUN: test ! -e %t/high.img
// RUN: FileCheck --check-prefix=WIDTH %s < %t/high.err
// WIDTH: migration failed: variable 'digit' (char *) of main at {{.*}} points to byte 5 of a scalar (long): a long has 4 bytes on arm-linux-gnueabihf, and no byte 5; the program goes on
// RUN: env HM_MIGRATE_TO=%t/s390x.img HM_MIGRATE_FOR=s390x-linux-gnu %t/prog > %t/s390x.txt 2> %t/s390x.err
// RUN: diff %t/plain.txt %t/s390x.txt
// RUN: test ! -e %t/s390x.img
// RUN: FileCheck --check-prefix=ORDER %s < %t/s390x.err
// ORDER: migration failed: variable 'digit' (char *) of main at {{.*}} points to byte 2 of a scalar (long): its bytes are right only where the byte order is x86_64-linux-gnu's, and s390x-linux-gnu has the other one; the program goes on
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct label_group {
  long addresses[8];
  struct label_group *next;
};

int main(int argc, char **argv) {
  struct label_group *g = malloc(sizeof *g);
  for (int i = 0; i < 8; i++)
    g->addresses[i] = 0x01020304L + i;
  g->next = NULL;
  char *digit = (char *)&g->addresses[3] + (argc > 1 ? atoi(argv[1]) : 2);
  printf("%ld %d\n", g->addresses[3], digit[0]);
  migrate_now();
  printf("%ld %d\n", g->addresses[5], digit[0]);
  return 0;
}
