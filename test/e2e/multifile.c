// Two units: mutual recursion across them, and a static function of the same name
// in each.
// RUN: %migrate-matrix --points 1,3,6 %s %S/Inputs/multifile-lib.c | FileCheck %s
// CHECK: multifile: 12 pairs x 3 points: 36 of 36 migrations match
#include <hm/migrate.h>
#include <stdio.h>

int down(int n, int depth); // in multifile-lib.c
int total_calls;

static int helper(int x) { return x * 2 + 1; }

int up(int n, int depth) {
  total_calls++;
  if (n <= 0) {
    migrate_now();
    return depth;
  }
  int r = down(n - 1, depth + 1);
  return helper(r);
}

int main(void) {
  for (int i = 1; i <= 6; i++) {
    int r = up(i, 0);
    printf("up(%d) = %d, %d calls\n", i, r, total_calls);
  }
  return 0;
}
