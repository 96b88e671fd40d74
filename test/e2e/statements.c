// Calls that migrate in every statement form of the first slice: statements,
// assignments, initialisers, returns, if and switch conditions, for initialisers,
// inside nested loops, switch cases with fall-through, after labels, with
// shadowed names and arguments that have side effects.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: statements: 12 pairs x {{[0-9]+}} points: [[N:[0-9]+]] of [[N]] migrations match
#include <hm/migrate.h>
#include <stdio.h>

static int calls;

int point(int v) {
  calls++;
  migrate_now();
  return v;
}


int twice(int v) { return point(v) * 2; }

int main(void) {
  int x = 1, y = 2;
  int sum = 0;
  x = point(x + 10);
  sum += point(y++);
  int z = twice(y) + point(3);
  printf("x=%d y=%d z=%d sum=%d\n", x, y, z, sum);
  if (point(x) > 5)
    sum += point(100);
  else
    sum -= 1;
  for (int i = point(0); i < 2; i++) {
    for (int j = 0; j < 2; j++) {
      int x = i * 10 + j; /* shadows the outer x */
      x += point(x);
      sum += x;
    }
  }
  printf("after loops: x=%d sum=%d\n", x, sum);
  switch (point(2)) {
  case 1:
    sum += 1000;
  case 2:
    sum += point(20);
  case 3:
    sum += point(30);
    break;
  default:
    sum = -1;
  }
  int k = 0;
again:
  k = k + point(1);
  if (k < 3)
    goto again;
  {
    int y = point(k) + 1; /* shadows the outer y */
    sum += y;
  }
  printf("x=%d y=%d k=%d sum=%d calls=%d\n", x, y, k, sum, calls);
  return point(0);
}
