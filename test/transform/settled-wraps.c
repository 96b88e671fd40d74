// Wraps made after call-sites (an allocation call that says what it allocates,
// a cast of a call's value to a number) around calls that cannot migrate, in
// text call-sites moves (an argument of a call that may migrate): they were
// inserted where the call had been, into the middle of other text, and broke
// the build; now made before call-sites moves the text, both where a cast
// takes the number of an allocation call, not where the cast's operand ends
// with a call that may migrate (made after, around its temporary). A pinned function's
// calls keep their wraps (the dry run on it took them as made).
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -c -w -isystem %hm-include %t.hm.c -o %t.o
#include <hm/migrate.h>
#include <stdint.h>
#include <stdlib.h>

struct node { long v; struct node *next; };
static char pool[4096];
static size_t used;
static void *pool_get(char *p, size_t n) { void *r = p + used; used += n; return r; }
static int hop(int v) { migrate_now(); return v; }
static void push(struct node *n) { migrate_now(); n->next = 0; }
static void *grab(size_t n) { migrate_now(); return malloc(n); }

int moved(double *q) {
  int r = hop(realloc(q, 2 * sizeof(double)) != 0);
  // CHECK: [[A:hm_a[0-9]+_1]] = hm_rt_typed(realloc(q, 2 * sizeof(double)), &hm_site_{{[0-9]+}}) != 0;
  // CHECK: hm_r{{[0-9]+}} = hop([[A]]);
  push((struct node *)pool_get(pool, sizeof(struct node)));
  // CHECK: [[B:hm_a[0-9]+_1]] = (struct node *)hm_rt_place(pool_get(pool, {{.*}}), &hm_site_{{[0-9]+}});
  // CHECK: push([[B]]);
  return r + hop((int)((uintptr_t)pool_get(pool, 1) % 7));
  // CHECK: [[C:hm_a[0-9]+_1]] = (int)((uintptr_t)hm_rt_number(pool_get(pool, 1)) % 7);
  // CHECK: hop([[C]]);
}

static int **slot(int x) { migrate_now(); static int *p[4]; return &p[x]; }

uintptr_t both(double *q, int x) {
  int r = hop((uintptr_t)realloc(q, 2 * sizeof(double)) % 2);
  // CHECK: = (uintptr_t)hm_rt_number(hm_rt_typed(realloc(q, 2 * sizeof(double)), &hm_site_{{[0-9]+}})) % 2;
  uintptr_t u = (uintptr_t)++*(char **)pool_get(pool, 8);
  // CHECK: uintptr_t u = (uintptr_t)hm_rt_number(++(*(char **)hm_rt_bytes_of((void *)&(*(char **)pool_get(pool, 8)), &hm_site_{{[0-9]+}})));
  return (uintptr_t)*slot(x) + r + u;
  // CHECK: return (uintptr_t)hm_rt_number(*hm_r{{[0-9]+}}) + r + u;
}

// A wrapped store inside the callee of a call through a pointer that may
// migrate: its open goes with the callee (it went before the temporary).
static int (*const fps[2])(int) = { hop, hop };
int callee(char *p, int i) {
  return i[(int *)p]++[fps](1);
  // CHECK: [[F:hm_f[0-9]+]] = (*(int *)hm_rt_bytes_of((void *)&(i[(int *)p]), &hm_site_{{[0-9]+}}))++[fps];
  // CHECK: = [[F]](1);
}

void *pinned(void *k) {
  struct node *n = (struct node *)grab(sizeof(struct node));
  // CHECK: struct node *n = (struct node *)hm_rt_place(grab(sizeof(struct node)), &hm_site_{{[0-9]+}});
  unsigned slot = (unsigned)(uintptr_t)grab(8) % 64;
  // CHECK: unsigned slot = (unsigned)(uintptr_t)hm_rt_number(grab(8)) % 64;
  void *x = k ?: grab(1);
  return slot ? (void *)n : x;
}
