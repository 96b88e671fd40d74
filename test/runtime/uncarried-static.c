// A static whose type is declared in its function, and cannot move to file
// scope with it (another function's struct has its name), cannot be carried:
// hmcc warns when compiling, and libhmrt refuses the migration at the point,
// naming it; the program goes on. A constant one is the same in every process:
// no warning.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc %s -o %t/prog 2> %t/warnings.txt
// RUN: FileCheck --check-prefix=WARN %s < %t/warnings.txt
// WARN-NOT: 'sums'
// WARN: warning: hmcc: static 'total' has a type declared inside its function that cannot move to file scope with it; its value cannot migrate, and migrations of this program are refused
// WARN-NOT: 'names'
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/img %t/prog > %t/out.txt 2> %t/err.txt
// RUN: diff %t/plain.txt %t/out.txt
// RUN: test ! -e %t/img
// RUN: FileCheck %s < %t/err.txt
// CHECK: migration failed: static tally.total at uncarried-static.c:{{[0-9]+}} has a type declared inside its function that cannot move to file scope with it: hmcc cannot carry its value
#include <hm/migrate.h>
#include <stdio.h>

static long count(int k) {
  struct sum {
    long n, squares;
  };
  static struct sum sums;
  static const struct sum names[] = {{1, 2}, {3, 4}};
  sums.n += k;
  sums.squares += (long)k * k + names[k % 2].n;
  return sums.n + sums.squares;
}

static long tally(int k) {
  struct sum {
    int n;
  };
  static struct sum total;
  static const struct sum names[] = {{5}, {6}};
  total.n += k + names[k % 2].n;
  return total.n;
}

int main(void) {
  long r = 0;
  for (int k = 0; k < 6; ++k) {
    r += count(k) + tally(k);
    if (k == 3)
      migrate_now();
  }
  printf("%ld\n", r);
  return 0;
}
