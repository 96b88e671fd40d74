// Blocks whose allocator says nothing are typed by the pointers that reach
// them. Here a frame's struct head * types block A, a pointer in A types B,
// and B's struct big * back to A would tell A better; but the receiver types
// B only through A, so it could type neither first. The capture kept that
// pointer as A's witness, and every receiver refused the image after the
// source had exited ("heap blocks and objects typed by pointers in each
// other", seen on Lua x86_64 -> s390x). The better witness is not taken: the
// migration is refused at the point (B's pointer does not fit A as typed), and
// the program goes on. Where struct big begins with A's struct head (NESTED),
// A becomes two objects and B's pointer types the first of them: the capture
// finds the circle before writing the image, and refuses.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s %S/Inputs/raw-alloc.c -o %t/prog
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/s390x.img HM_MIGRATE_FOR=s390x-linux-gnu %t/prog > %t/out.txt 2> %t/err.txt
// RUN: diff %t/plain.txt %t/out.txt
// RUN: test ! -e %t/s390x.img
// RUN: FileCheck %s < %t/err.txt
// CHECK: migration failed: a heap block of {{[0-9]+}} bytes (struct other), at .back points 0 bytes into a heap block of {{[0-9]+}} bytes, into the struct head there, as a struct big: the block's objects overlap; the program goes on
// RUN: %hmcc -O2 -DNESTED %s %S/Inputs/raw-alloc.c -o %t/nested
// RUN: %t/nested > %t/plain-nested.txt
// RUN: env HM_MIGRATE_TO=%t/nested.img HM_MIGRATE_FOR=s390x-linux-gnu %t/nested > %t/out-nested.txt 2> %t/err-nested.txt
// RUN: diff %t/plain-nested.txt %t/out-nested.txt
// RUN: test ! -e %t/nested.img
// RUN: FileCheck --check-prefix=NESTED %s < %t/err-nested.txt
// NESTED: migration failed: a heap block of {{[0-9]+}} bytes (objects of several types) is typed by a pointer in memory whose own type a pointer in it told: a receiver could type neither first; the program goes on
#include <hm/migrate.h>
#include <stdio.h>

struct other;
struct head { struct other *o; };
#ifdef NESTED
struct big { struct head h; long y; struct other *o2; };
#define FIRST(a) (a)->h.o
#else
struct big { struct other *o; long y; struct other *o2; };
#define FIRST(a) (a)->o
#endif
struct other { struct big *back; long v; };

void *raw(unsigned long n);

int main(void) {
  // Sizes without sizeof(T): the allocator is not taken to place a T.
  struct big *a = raw(3 * sizeof(long));
  struct other *b = raw(2 * sizeof(long));
  struct other *c = raw(2 * sizeof(long));
  FIRST(a) = b;
  a->y = 0;
  a->o2 = c;
  b->back = a;
  b->v = 7;
  c->back = a;
  c->v = 9;
  struct head *h = (struct head *)a;
  migrate_now();
  printf("%ld %ld %ld\n", h->o->v, ((struct big *)h)->o2->v, h->o->back->o2->v);
  return 0;
}
