// A declaration of several variables whose initialisers call what may migrate
// becomes one declaration per variable, in C's order: a migration in the second
// initialiser saves and restores the first variable, on every architecture pair.
// A global declared before its definition with an incomplete type (`extern int
// a[];`, a tentative `static int t[];`) travels with the definition's type.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: declarations: 12 pairs x {{[0-9]+}} points: [[N:[0-9]+]] of [[N]] migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const int code[];
const int code[] = {10, 20, 30, 40};
extern int arr[];
static int later[];
static const int *pc = code + 2;

typedef unsigned long ulong_t;
static int calls;

static int point(int v) {
  ++calls;
  migrate_now();
  return v + calls;
}

static char *copy(const char *s) {
  migrate_now();
  char *d = malloc(strlen(s) + 1);
  strcpy(d, s);
  return d;
}

int main(void) {
  arr[3] = 7;
  later[1] = 9;
  int a = point(1), *pa = &a, b[3] = {point(2), a, 7};
  const char *name = "declarations", *dup = copy(name), *tail = dup + 4;
  ulong_t big = (ulong_t)point(3) * 1000, none, small = big / 1000 + (ulong_t)point(4);
  none = 0;
  double x = 0.5, y = x * point(5), z;
  z = x + y;
  printf("a=%d *pa=%d b={%d,%d,%d}\n", a, *pa, b[0], b[1], b[2]);
  printf("name=%s dup=%s tail=%s same=%d\n", name, dup, tail, tail == dup + 4);
  printf("big=%lu none=%lu small=%lu\n", big, none, small);
  printf("x=%.2f y=%.2f z=%.2f calls=%d\n", x, y, z, calls);
  printf("*pc=%d arr[3]=%d later[1]=%d\n", *pc, arr[3], later[1]);
  free(dup);
  return 0;
}

int arr[5];
static int later[3];
