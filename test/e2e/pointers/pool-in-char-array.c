// Objects carved out of a global or local char array (a pool allocator over
// `static char pool[N]`, a typed view of a byte buffer): the image carries the
// array as bytes, so a typed pointer into it says a value's bytes are there.
// Before: the list's links in the pool arrived untranslated, and the restore
// crashed after the source had exited, even x86_64 -> x86_64; numbers stored
// through a `double *` into a local buffer arrived byte-swapped on s390x. Now:
// addresses in such bytes are refused at the point (the program goes on), and
// numbers bind the image to the sender's byte order and sizes.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu -DPOOL %s -o %t/pool
// RUN: env HM_MIGRATE_TO=%t/p.img HM_MIGRATE_FOR=x86_64-linux-gnu %t/pool > %t/p.txt 2> %t/p.err
// RUN: test ! -e %t/p.img
// RUN: FileCheck --check-prefix=POOL %s < %t/p.err
// POOL: migration failed: global '{{.*}}pool' holds at byte {{[0-9]+}} the bytes of a value of type struct node that variable 'head' {{.*}} points to: an address kept as bytes is right in no other process
// RUN: FileCheck --check-prefix=POOLOUT %s < %t/p.txt
// POOLOUT: 6 4000
// POOLOUT-NEXT: 4.5 3000
// POOLOUT-NEXT: 3 2000
// POOLOUT-NEXT: 1.5 1000
// POOLOUT-NEXT: 0 0
// Only a void * points into the pool at the capture: the pieces the pool
// handed out as struct node (placed by the call) say it.
// RUN: %hmcc --target=x86_64-linux-gnu -DPOOL -DVOIDREF %s -o %t/voidref
// RUN: env HM_MIGRATE_TO=%t/r.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/voidref > %t/r.txt 2> %t/r.err
// RUN: test ! -e %t/r.img
// RUN: FileCheck --check-prefix=VOIDREF %s < %t/r.err
// VOIDREF: migration failed: global '{{.*}}pool' holds at byte {{[0-9]+}} the bytes of a value of type struct node placed there ({{.*}}): an address kept as bytes is right in no other process
// RUN: FileCheck --check-prefix=POOLOUT %s < %t/r.txt
// RUN: %hmcc --target=x86_64-linux-gnu -DVIEW %s -o %t/view
// RUN: %hmcc --target=aarch64-linux-gnu -DVIEW %s -o %t/view.a64
// RUN: env HM_MIGRATE_TO=%t/v.img HM_MIGRATE_FOR=s390x-linux-gnu %t/view > %t/v.txt 2> %t/v.err
// RUN: test ! -e %t/v.img
// RUN: FileCheck --check-prefix=VIEW %s < %t/v.err
// VIEW: migration failed: variable 'buffer' of {{.*}}fill holds at byte 8 the bytes of a value of type double that variable 'slot' {{.*}} points to: its bytes are right only where the byte order is x86_64-linux-gnu's
// RUN: FileCheck --check-prefix=VIEWOUT %s < %t/v.txt
// Where the byte order and sizes are the same, the bytes are right: it migrates.
// RUN: env HM_MIGRATE_TO=%t/a.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/view > %t/a.txt
// RUN: test -e %t/a.img
// RUN: env HM_RESTORE=%t/a.img %run-aarch64 %t/view.a64 >> %t/a.txt
// RUN: FileCheck --check-prefix=VIEWOUT %s < %t/a.txt
// VIEWOUT: 2.5 hello
// VIEWOUT-NOT: {{.}}
#include <hm/migrate.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#ifdef POOL
static _Alignas(16) char pool[1 << 12];
static size_t top;
static void *pool_alloc(size_t n) {
  void *p = pool + top;
  top += (n + 15) & ~(size_t)15;
  return p;
}
struct node {
  struct node *next;
  double value;
  long count;
};
static void *root;
__attribute__((noinline)) static struct node *build(void) {
  struct node *head = NULL;
  for (int i = 0; i < 5; i++) {
    struct node *n = pool_alloc(sizeof *n);
    n->next = head;
    n->value = i * 1.5;
    n->count = i * 1000;
    head = n;
  }
  return head;
}
int main(void) {
#ifdef VOIDREF
  root = build();
  migrate_now();
  for (struct node *n = root; n; n = n->next)
#else
  struct node *head = build();
  migrate_now();
  for (struct node *n = head; n; n = n->next)
#endif
    printf("%g %ld\n", n->value, n->count);
  return 0;
}
#endif

#ifdef VIEW
__attribute__((noinline)) static void fill(void) {
  _Alignas(8) unsigned char buffer[32];
  strcpy((char *)buffer, "hello");
  double *slot = (double *)(buffer + 8);
  *slot = 2.5; // not a copy the compiler sees: the pointer says it
  migrate_now();
  printf("%g %s\n", *slot, (char *)buffer);
}
int main(void) {
  fill();
  return 0;
}
#endif
