// Deep and mutual recursion with migration points at the bottom of the recursion.
// RUN: %migrate-matrix --points 1,2,7,20 %s | FileCheck %s
// CHECK: recursion: 12 pairs x 4 points: 48 of 48 migrations match
#include <hm/migrate.h>
#include <stdio.h>

static unsigned long long visits;

static int is_odd(int n);

static int is_even(int n) {
  if (n == 0) {
    migrate_now();
    return 1;
  }
  return is_odd(n - 1);
}

static int is_odd(int n) {
  if (n == 0)
    return 0;
  int r = is_even(n - 1);
  return r;
}

long fib(int n) {
  visits++;
  if (n < 2) {
    if (n == 1 && visits % 3 == 0)
      migrate_now();
    return n;
  }
  long a = fib(n - 1);
  long b = fib(n - 2);
  return a + b;
}

unsigned ackermann(unsigned m, unsigned n) {
  if (m == 0)
    return n + 1;
  if (n == 0)
    return ackermann(m - 1, 1);
  unsigned inner = ackermann(m, n - 1);
  return ackermann(m - 1, inner);
}

int main(void) {
  for (int i = 10; i < 14; i++) {
    long f = fib(i);
    printf("fib(%d) = %ld after %llu visits\n", i, f, visits);
  }
  int e = is_even(25);
  printf("is_even(25) = %d\n", e);
  unsigned a = ackermann(2, 3);
  printf("ackermann(2, 3) = %u\n", a);
  int o = is_odd(40);
  printf("is_odd(40) = %d\n", o);
  return 0;
}
