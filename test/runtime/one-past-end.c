// A pointer one past the end of a heap array (Lua's Table.lastfree, an `end`
// cursor) and a block of the same size allocated right after it: libhmrt's
// small blocks leave a byte between them, as glibc's headers do, so the pointer
// is the array's end and never the next block's start. Migrated to aarch64
// and armhf at the point, the cursor still counts the array's elements and the
// next block keeps its values.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/x86
// RUN: %hmcc --target=aarch64-linux-gnu -O1 %s -o %t/a64
// RUN: %hmcc --target=arm-linux-gnueabihf -O1 %s -o %t/arm
// RUN: %t/x86 > %t/plain.txt
// RUN: FileCheck %s < %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/a.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/x86 > %t/a1.txt
// RUN: env HM_RESTORE=%t/a.img %run-aarch64 %t/a64 > %t/a2.txt
// RUN: cat %t/a1.txt %t/a2.txt | diff %t/plain.txt -
// RUN: env HM_MIGRATE_TO=%t/b.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/x86 > %t/b1.txt
// RUN: env HM_RESTORE=%t/b.img %run-armhf %t/arm > %t/b2.txt
// RUN: cat %t/b1.txt %t/b2.txt | diff %t/plain.txt -
// CHECK: before: 4 free, owner 7
// CHECK-NEXT: after: 4 free, owner 7 seven
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct node { long long key; struct node *next; long long value; }; // 24 bytes on x86_64
struct table { struct node *nodes, *lastfree; };
struct owner { long long id; const char *name; long long pad[10]; }; // 96 bytes on x86_64

int main(void) {
  struct table *t = malloc(sizeof *t);
  t->nodes = calloc(4, sizeof(struct node)); // 96 bytes, then one of the same size
  struct owner *o = malloc(sizeof *o);
  o->id = 7;
  o->name = "seven";
  t->lastfree = t->nodes + 4;
  printf("before: %d free, owner %lld\n", (int)(t->lastfree - t->nodes), o->id);
  fflush(stdout);
  migrate_now();
  printf("after: %d free, owner %lld %s\n", (int)(t->lastfree - t->nodes), o->id, o->name);
  return 0;
}
