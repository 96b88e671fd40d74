// Cases an independent review found wrong, kept as regressions: a for loop whose
// increment may migrate inside an if whose condition may migrate; a flexible
// array member holding pointers to untyped blocks; an untyped block reached
// first through an interior int * and then through its struct type; a struct
// with a const member returned from a call that may migrate; a one-past-the-end
// pointer whose address is also the start of the next global (on armhf).
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: review-cases: 12 pairs x {{[0-9]+}} points: [[N:[0-9]+]] of [[N]] migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct P { long x; int y; };
struct Vec { int n; struct P *items[]; };
struct R { short s; long l; int i; };
struct C { const int id; int v; };

static struct R *rec;
int ga[3] = {1, 2, 3};
long gb = 77;
int *gend = ga + 3;
static void *untyped(size_t n) { return malloc(n); }
static int step(int x) { migrate_now(); return x + 1; }
static struct C make(int k) { struct C c = {k, k * 2}; migrate_now(); return c; }

int main(void) {
  int n = 0, i;
  if (step(0))
    for (i = 0; i < 3; i = step(i))
      n += i;
  printf("n=%d\n", n);

  struct Vec *v = malloc(sizeof(struct Vec) + 3 * sizeof(struct P *));
  v->n = 3;
  for (int k = 0; k < 3; k++) {
    v->items[k] = untyped(sizeof(struct P));
    v->items[k]->x = 1000L * k + 1;
    v->items[k]->y = -k;
  }
  int *pi;
  rec = untyped(3 * sizeof(struct R));
  for (int k = 0; k < 3; k++) {
    rec[k].s = (short)k;
    rec[k].l = 100000L * k + 7;
    rec[k].i = -k;
  }
  pi = &rec[1].i;
  migrate_now();
  for (int k = 0; k < v->n; k++)
    printf("%ld %d\n", v->items[k]->x, v->items[k]->y);
  for (int k = 0; k < 3; k++)
    printf("%d %ld %d\n", rec[k].s, rec[k].l, rec[k].i);
  printf("%d\n", *pi);
  struct C c = make(3);
  printf("%d %d\n", c.id, c.v);
  int sum = 0;
  for (int *p = ga; p != gend && sum < 1000; p++)
    sum += *p;
  printf("end %d sum %d gb %ld\n", (int)(gend - ga), sum, gb);
  return 0;
}
