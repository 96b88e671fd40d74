// Tentative definitions of one variable in several units (`int g;` in two
// files, -fcommon, as older C code has them) are one variable the linker
// merged: it travels once, with the largest size a unit gave it.
// RUN: %migrate-matrix --points all --cflags=-fcommon %s %S/Inputs/tentative-lib.c | FileCheck %s
// CHECK: tentative-definitions: 12 pairs x 2 points: 24 of 24 migrations match
#include <hm/migrate.h>
#include <stdio.h>

int counter;
int table[4];
void bump(int k); // in Inputs/tentative-lib.c, which declares table[8]
long total(void); // of all 8

int main(void) {
  printf("start\n");
  counter = 5;
  table[1] = 2;
  bump(1);
  migrate_now();
  bump(2);
  migrate_now();
  bump(3);
  long sum = 0;
  for (int i = 0; i < 4; ++i)
    sum += table[i];
  printf("counter=%d sum=%ld total=%ld\n", counter, sum, total());
  return 0;
}
