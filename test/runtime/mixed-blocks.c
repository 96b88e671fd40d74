// A heap block whose objects overlap (a pointer typed as one thing into the middle
// of another object some pointer says is there) is refused at the migration
// point, naming the pointer and the block, and the program goes on with its
// values. Blocks that hold several objects side by side migrate
// (e2e/pointers/several-objects.c).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/overlap.img %t/prog > %t/overlap.txt 2> %t/overlap.err
// RUN: diff %t/plain.txt %t/overlap.txt
// RUN: test ! -e %t/overlap.img
// RUN: FileCheck %s < %t/overlap.err
// CHECK: hmcc: migration failed: variable 'wide' (long long *) of main at mixed-blocks.c:{{[0-9]+}} points 4 bytes into a heap block of 64 bytes, into the struct pair there, as a long long: the block's objects overlap; the program goes on on x86_64-linux-gnu
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pair {
  int first, second;
};

int main(void) {
  char *block = malloc(64);
  memset(block, 0, 64);
  struct pair *pair = (struct pair *)block;
  pair->first = 1;
  pair->second = 2;
  long long *wide = (long long *)(block + 4); // overlaps both ints
  migrate_now();
  printf("%d %d %lld\n", pair->first, pair->second, *wide);
  return 0;
}
