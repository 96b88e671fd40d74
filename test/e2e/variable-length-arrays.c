// Variable-length arrays with migration points in their scope: in main, in
// leaves, of structs pointing into them, of pointers, declared again in a loop,
// in each frame of a recursion, of a length a call that may migrate computes;
// their lengths as they were declared, on every architecture pair, and at a
// checkpoint, where main goes on with them in place.
// RUN: %migrate-matrix --checkpoints --points all %s | FileCheck %s
// CHECK: variable-length-arrays: 27 of 27 checkpoints go on
// CHECK: variable-length-arrays: 12 pairs x 27 points: 324 of 324 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pt { long id; double x; struct pt *peer; };

static double smooth(int n, const double *in) {
  double tmp[n];           // a scratch VLA in a migrating leaf
  for (int i = 0; i < n; i++) {
    tmp[i] = (in[i] + in[(i + 1) % n]) / 2;
    if (i == n / 2) migrate_now();
  }
  double s = 0;
  for (int i = 0; i < n; i++) s += tmp[i] * (i + 1);
  return s;
}

static long walk(int n) {
  struct pt pts[n];        // a VLA of structs that point into it
  char *names[n];          // a VLA of pointers to the heap
  for (int i = 0; i < n; i++) {
    pts[i].id = 100 + i;
    pts[i].x = i * 0.5;
    pts[i].peer = &pts[(i + 1) % n];
    names[i] = malloc(8);
    snprintf(names[i], 8, "p%d", i);
  }
  struct pt *cur = &pts[1];
  long s = 0;
  for (int k = 0; k < 2 * n; k++) {
    s += cur->id + (long)(cur->x * 4);
    cur = cur->peer;
    migrate_now();
  }
  printf("walk %s %s\n", names[0], names[n - 1]);
  for (int i = 0; i < n; i++) free(names[i]);
  return s;
}

// Each frame of a recursion has its own array.
static long nested(int d) {
  long part[d + 1];
  for (int i = 0; i <= d; i++)
    part[i] = d * 10 + i;
  long below = d ? nested(d - 1) : 0;
  migrate_now();
  long s = below;
  for (int i = 0; i <= d; i++)
    s += part[i] * (d + 1);
  return s;
}

// A length computed by a call that may migrate.
static int length(int n) {
  migrate_now();
  return n + 1;
}

int main(int argc, char **argv) {
  int n = argc > 5 ? atoi(argv[1]) : 6;
  double grid[n][n + 1];   // two variable lengths in main
  double *cell = &grid[2][3];
  for (int i = 0; i < n; i++)
    for (int j = 0; j <= n; j++)
      grid[i][j] = i * 10 + j;
  n += 100;                // the array keeps its length
  printf("sizeof grid %zu\n", sizeof grid / sizeof(double));
  n -= 100;
  printf("smooth %g\n", smooth(n, grid[1]));
  migrate_now();
  *cell += 0.25;
  printf("cell %g %g\n", *cell, grid[2][3]);
  printf("walk %ld\n", walk(n - 1));
  for (int r = 1; r <= 2; r++) {
    int row[r * 3];        // declared again each time round
    for (int j = 0; j < r * 3; j++) {
      row[j] = r * j;
      migrate_now();
    }
    printf("row %d %d %zu\n", row[0], row[r * 3 - 1], sizeof row / sizeof(int));
  }
  printf("nested %ld\n", nested(3));
  {
    unsigned char bytes[length(n)];
    for (int i = 0; i < (int)sizeof bytes; i++)
      bytes[i] = (unsigned char)(200 + i);
    migrate_now();
    printf("bytes %zu %d\n", sizeof bytes, bytes[sizeof bytes - 1]);
  }
  printf("end %g\n", grid[n - 1][n]);
  return 0;
}
