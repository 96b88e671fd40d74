// A byte pointer inside a `long` (bc keeps a char * into its digit storage,
// which malloc may have handed out again to a struct of longs): the receiver
// finds that byte only where a long has the sender's size and byte order. With
// the destination named, the sender checks the size too, at the migration
// point, and the program goes on; to a destination where it holds, it migrates.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %hmcc -O2 --target=aarch64-linux-gnu %s -o %t/prog.a64
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/arm.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog > %t/arm.txt 2> %t/arm.err
// RUN: diff %t/plain.txt %t/arm.txt
// RUN: test ! -e %t/arm.img
// RUN: FileCheck --check-prefix=WIDTH %s < %t/arm.err
// WIDTH: migration failed: variable 'digit' (char *) of main at {{.*}} points to byte 2 of a scalar (long): its bytes are right only where a long has 8 bytes, as on x86_64-linux-gnu; it has 4 on arm-linux-gnueabihf; the program goes on
// RUN: env HM_MIGRATE_TO=%t/a64.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/prog > %t/a64-1.txt
// RUN: env HM_RESTORE=%t/a64.img qemu-aarch64 %t/prog.a64 > %t/a64-2.txt
// RUN: cat %t/a64-1.txt %t/a64-2.txt | diff %t/plain.txt -
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct label_group {
  long addresses[8];
  struct label_group *next;
};

int main(void) {
  struct label_group *g = malloc(sizeof *g);
  for (int i = 0; i < 8; i++)
    g->addresses[i] = 0x0102030405060708L + i;
  g->next = NULL;
  char *digit = (char *)&g->addresses[3] + 2;
  printf("%ld %d\n", g->addresses[3], digit[0]);
  migrate_now();
  printf("%ld %d\n", g->addresses[5], digit[0]);
  return 0;
}
