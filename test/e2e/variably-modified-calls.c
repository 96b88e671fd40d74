// A callee with a parameter `double a[n][m]` computes its bounds from the
// arguments on entry: a restore passes computed arguments (g->cols, m + 0) as
// they were. A variable-length array and a setjmp in one block are run again
// in their order; a pointer to a local declared after the setjmp is loaded at
// the site.
// RUN: %migrate-matrix --checkpoints --points all %s | FileCheck %s
// CHECK: variably-modified-calls: 9 of 9 checkpoints go on
// CHECK: variably-modified-calls: 12 pairs x 9 points: 108 of 108 migrations match
#include <hm/migrate.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

struct grid {
  int rows, cols;
  double *data;
};

static double weigh(int n, int m, double a[n][m]) {
  double s = 0;
  for (int i = 0; i < n; i++) {
    migrate_now();
    for (int j = 0; j < m; j++)
      s += a[i][j] * (j + 1);
  }
  return s;
}

static jmp_buf again;

static double solve(int n) {
  double w[n];
  volatile int tries = 0;
  if (setjmp(again))
    tries++;
  double line[4];
  double *cur = line;
  for (int i = 0; i < n; i++) {
    w[i] = i * 0.5 + tries;
    cur[i % 4] = w[i];
    migrate_now();
  }
  if (tries == 0)
    longjmp(again, 1);
  return w[n - 1] + cur[0] + tries;
}

int main(void) {
  struct grid g = {3, 4, malloc(12 * sizeof(double))};
  for (int k = 0; k < 12; k++)
    g.data[k] = k;
  struct grid *p = &g;
  printf("weigh %g\n", weigh(p->rows, p->cols + 0, (double (*)[p->cols])p->data));
  printf("solve %g\n", solve(3));
  free(g.data);
  return 0;
}
