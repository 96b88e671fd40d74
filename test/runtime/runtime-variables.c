// libhmrt's own environment variables (HM_MIGRATE_TO, ...) are no receiver's:
// a word that reads as a pointer into one is stale (a Lua empty slot's bits,
// memory a getenv answer was in handed out again) and is no union's pointer,
// where every receiver once refused it after this process had gone; a typed
// pointer into one is refused at the migration point, and the program goes on.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: %hmcc -O1 --target=aarch64-linux-gnu %s -o %t/prog.aarch64
// RUN: env HM_MIGRATE_TO=%t/none.img HM_MIGRATE_AT=2 %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/stale.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/prog > %t/stale-1.txt
// RUN: env HM_RESTORE=%t/stale.img %run-aarch64 %t/prog.aarch64 > %t/stale-2.txt
// RUN: cat %t/stale-1.txt %t/stale-2.txt | diff %t/plain.txt -
// RUN: env TYPED=1 HM_MIGRATE_TO=%t/typed.img %t/prog > %t/typed.txt 2> %t/typed.err
// RUN: test ! -e %t/typed.img
// RUN: env TYPED=1 HM_MIGRATE_TO=%t/none.img HM_MIGRATE_AT=2 %t/prog 2>/dev/null | diff - %t/typed.txt
// RUN: FileCheck %s < %t/typed.err
// CHECK: hmcc: migration failed: variable 'own' (const char *) of main at runtime-variables.c:{{[0-9]+}} points into 'env:HM_MIGRATE_TO', libhmrt's own variable, which a receiver need not have (or has with another value); the program goes on on x86_64-linux-gnu
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

union word {
  long long i;
  char *p;
};

int main(void) {
  union word *slots = calloc(4, sizeof *slots);
  const char *own = getenv("HM_MIGRATE_TO");
  slots[0].p = (char *)own; // the stale word
  slots[1].i = 7;
  if (!getenv("TYPED"))
    own = "none";
  printf("before\n");
  migrate_now();
  printf("%lld %s\n", slots[1].i, own[0] == 'n' ? "none" : "own");
  return 0;
}
