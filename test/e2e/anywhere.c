// Calls that may migrate wherever C allows a call: arguments of other calls,
// conditions of if/while/do/for/switch, for initialisers and increments, &&, ||,
// ?:, the comma operator, compound assignments with side effects, casts, and
// calls through function pointers; nothing is evaluated twice or skipped.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: anywhere: 12 pairs x {{[0-9]+}} points: [[N:[0-9]+]] of [[N]] migrations match
#include <hm/migrate.h>
#include <stdio.h>

static int trace[64], ntrace;

static int f(int x) {
  trace[ntrace++ % 64] = x;
  migrate_now();
  return x + 1;
}

static int g(int x, int y) { return f(x) * 10 + y; }

static int twice(int (*fn)(int), int x) { return fn(fn(x)); }

int main(void) {
  int a[5] = {0, 0, 0, 0, 0};
  int i = 0, s = 0;
  s += g(f(1), f(2));                      /* arguments, nested calls */
  a[i++] += f(i);                          /* side effects around the call */
  if (f(s) > 5 && f(s + 1) > 0)            /* && keeps its short circuit */
    s++;
  if (s < 0 || f(-s) < 0)                  /* || likewise */
    s += 2;
  int pick = s % 2 ? f(100) : f(200);      /* one branch only */
  int comma = (i += 3, f(i));              /* left operand first */
  while (f(i) < 8)                          /* loop condition */
    i += 2;
  int n = 0;
  do
    n++;
  while (f(n) < 4 && n < 10);
  for (int k = f(0); k < f(3); k += f(k) - k) { /* init, condition, increment */
    if (k == 2)
      continue;
    s += k;
  }
  switch (f(s % 3)) {                      /* switch condition */
  case 1:
    s += 1;
    /* fall through */
  case 2:
    s += f(2);
    break;
  default:
    s -= 1;
  }
  long widened = (long)f((int)(s & 7));    /* casts */
  int (*fp)(int) = f;
  int through = fp(5) + twice(f, 6);       /* through pointers */
  int (*table[2])(int) = {f, f};
  through += table[s & 1](7);
  printf("a=%d,%d i=%d s=%d pick=%d comma=%d n=%d widened=%ld through=%d\n", a[0], a[1],
         i, s, pick, comma, n, widened, through);
  printf("trace");
  for (int t = 0; t < ntrace && t < 64; t++)
    printf(" %d", trace[t]);
  printf(" (%d calls)\n", ntrace);
  return 0;
}
