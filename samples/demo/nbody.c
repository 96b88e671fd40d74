/* nbody.c — a small gravitational simulation that migrates while it runs.
 * Built with hmcc for each architecture; every call to migrate_now() is a point
 * where an outside request (HM_MIGRATE_TO) can move it to another machine. */
#include <hm/migrate.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define BODIES 5
#define STEPS_PER_EPOCH 20000 /* or argv[1] */
#define EPOCHS 6

static double pos[BODIES][3], vel[BODIES][3], mass[BODIES];
static unsigned long long steps_done;
static long steps_per_epoch = STEPS_PER_EPOCH;

static void init(void) {
  const double pi = 3.141592653589793, days = 365.24, solar = 4 * pi * pi;
  const double p[BODIES][7] = {
      {0, 0, 0, 0, 0, 0, 1},
      {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
       1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
       9.54791938424326609e-04},
      {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
       -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
       2.85885980666130812e-04},
      {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
       2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
       4.36624404335156298e-05},
      {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
       2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
       5.15138902046611451e-05}};
  for (int i = 0; i < BODIES; i++) {
    for (int k = 0; k < 3; k++) {
      pos[i][k] = p[i][k];
      vel[i][k] = p[i][3 + k] * days;
    }
    mass[i] = p[i][6] * solar;
  }
  for (int k = 0; k < 3; k++) {
    double m = 0;
    for (int i = 1; i < BODIES; i++)
      m += vel[i][k] * mass[i];
    vel[0][k] = -m / solar;
  }
}

static double energy(void) {
  double e = 0;
  for (int i = 0; i < BODIES; i++) {
    e += 0.5 * mass[i] *
         (vel[i][0] * vel[i][0] + vel[i][1] * vel[i][1] + vel[i][2] * vel[i][2]);
    for (int j = i + 1; j < BODIES; j++) {
      double dx = pos[i][0] - pos[j][0], dy = pos[i][1] - pos[j][1],
             dz = pos[i][2] - pos[j][2];
      e -= mass[i] * mass[j] / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

static void advance(double dt) {
  for (int i = 0; i < BODIES; i++)
    for (int j = i + 1; j < BODIES; j++) {
      double d[3], d2 = 0;
      for (int k = 0; k < 3; k++) {
        d[k] = pos[i][k] - pos[j][k];
        d2 += d[k] * d[k];
      }
      double mag = dt / (d2 * sqrt(d2));
      for (int k = 0; k < 3; k++) {
        vel[i][k] -= d[k] * mass[j] * mag;
        vel[j][k] += d[k] * mass[i] * mag;
      }
    }
  for (int i = 0; i < BODIES; i++)
    for (int k = 0; k < 3; k++)
      pos[i][k] += dt * vel[i][k];
  steps_done++;
}

/* One epoch of the simulation; returns the energy drift it saw. */
static double epoch(int number, double dt) {
  double start = energy();
  for (long s = 0; s < steps_per_epoch; s++)
    advance(dt);
  int arrived = migrate_now();
  if (arrived)
    fprintf(stderr, "nbody: epoch %d continues on %s\n", number, hm_arch());
  return energy() - start;
}

int main(int argc, char **argv) {
  if (argc > 1)
    steps_per_epoch = atol(argv[1]);
  init();
  double drift_total = 0;
  printf("energy before: %.12f\n", energy());
  for (int e = 0; e < EPOCHS; e++) {
    double drift = epoch(e, 0.01);
    drift_total += drift;
    printf("epoch %d: energy %.12f drift %+.3e\n", e, energy(), drift);
  }
  printf("energy after %llu steps: %.12f (total drift %+.3e)\n", steps_done, energy(),
         drift_total);
  return 0;
}
