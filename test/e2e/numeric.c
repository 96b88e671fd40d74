// A numerical kernel: 1-D heat diffusion with a migration point every few steps.
// RUN: %migrate-matrix --points 1,4,9 %s | FileCheck %s
// CHECK: numeric: 12 pairs x 3 points: 36 of 36 migrations match
#include <hm/migrate.h>
#include <math.h>
#include <stdio.h>

#define N 256

static double field[N];

static double energy(void) {
  double e = 0;
  for (int i = 0; i < N; i++)
    e += field[i] * field[i];
  return e;
}

static void relax(int steps, double alpha) {
  double next[N];
  for (int s = 0; s < steps; s++) {
    for (int i = 1; i < N - 1; i++)
      next[i] = field[i] + alpha * (field[i - 1] - 2 * field[i] + field[i + 1]);
    for (int i = 1; i < N - 1; i++)
      field[i] = next[i];
    if (s % 25 == 24)
      migrate_now();
  }
}

int main(void) {
  for (int i = 0; i < N; i++)
    field[i] = sin(i * 0.05) + (i == N / 2 ? 10.0 : 0.0);
  for (int epoch = 0; epoch < 4; epoch++) {
    relax(100, 0.24);
    printf("epoch %d energy %.15e centre %.15e\n", epoch, energy(), field[N / 2]);
  }
  return 0;
}
