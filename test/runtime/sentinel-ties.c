// An untagged union whose members read its bytes alike, one as a number kept
// in a pointer (`a` = 3) and one as ints (`kind` = 3, `flags` = 0): which is
// meant cannot be told. For aarch64 (same layout and byte order) both write
// the same bytes and the image is written; for s390x the capture refuses at the
// point, naming the union, and the program goes on with its values.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/x86
// RUN: %t/x86 > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/s390x.img HM_MIGRATE_FOR=s390x-linux-gnu %t/x86 > %t/out.txt 2> %t/err.txt
// RUN: diff %t/plain.txt %t/out.txt
// RUN: FileCheck %s < %t/err.txt
// RUN: not test -e %t/s390x.img
// RUN: env HM_MIGRATE_TO=%t/aarch64.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/x86 > %t/out2.txt
// RUN: test -s %t/aarch64.img
// CHECK: hmcc: migration failed: a heap block of {{[0-9]+}} bytes (union shape), at {{.*}} is a union shape whose members read its bytes alike but one as a number kept in a pointer {{.*}} convert differently on s390x-linux-gnu
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

union shape {
  struct { void *a, *b; } pp;
  struct { int kind, flags; void *c; } ip;
};

int main(void) {
  int target = 42;
  union shape *shape = malloc(sizeof *shape);
  shape->ip.kind = 3;
  shape->ip.flags = 0;
  shape->ip.c = &target;
  migrate_now();
  printf("%d %d %d\n", shape->ip.kind, shape->ip.flags, *(int *)shape->ip.c);
  return 0;
}
