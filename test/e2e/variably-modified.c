// Variably modified types: parameters `double a[n][m]`, pointers to arrays of
// n elements, typedefs of them, declared in main, in loops and in nested blocks,
// with migration points in their scope, on every architecture pair; a request
// taken at a poll point in their scope; a checkpoint that goes on in main.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: variably-modified: 12 pairs x 13 points: 156 of 156 migrations match
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu -O2 %s -o %t/x86
// RUN: %hmcc --target=s390x-linux-gnu -O2 %s -o %t/s390x
// RUN: %t/x86 > %t/plain.txt
// RUN: env VM_REQUEST=1 HM_MIGRATE_AT=1000 HM_MIGRATE_TO=%t/req.img %t/x86 > %t/req1.txt
// RUN: env HM_RESTORE=%t/req.img %run-s390x %t/s390x > %t/req2.txt
// RUN: cat %t/req1.txt %t/req2.txt | diff %t/plain.txt -
// RUN: FileCheck --check-prefix=PART %s < %t/req1.txt
// PART: a[1][4] 19
// PART-NOT: links
// RUN: env HM_CHECKPOINT=%t/ck.img HM_MIGRATE_AT=9 %t/x86 | diff %t/plain.txt -
// RUN: env HM_RESTORE=%t/ck.img %run-s390x %t/s390x | FileCheck --check-prefix=CK %s
// CK: links 119
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct cell {
  long id;
  struct cell *next;
  double w;
};

static double total(int n, int m, double a[n][m]) {
  double s = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < m; j++) {
      s += a[i][j] * (i + 1);
      if (j == m - 1)
        migrate_now();
    }
  return s;
}

static void scale(int m, double (*row)[m], double f) {
  migrate_now();
  for (int j = 0; j < m; j++)
    (*row)[j] *= f;
}

static long links(int n, struct cell c[n]) {
  long s = 0;
  for (int i = 0; i < n; i++) {
    s += c[i].id * 3 + (c[i].next ? c[i].next->id : -1);
    migrate_now();
  }
  return s;
}

int main(void) {
  int n = 4, m = 5;
  double (*a)[m] = malloc(n * sizeof *a);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < m; j++)
      a[i][j] = i * m + j + 0.5;
  m = 99; // the type keeps the length it had
  printf("sizeof *a %zu\n", sizeof *a / sizeof(double));
  printf("total %g\n", total(n, 5, a));
  scale(5, a + 1, 2.0);
  printf("a[1][4] %g a[2][0] %g\n", a[1][4], a[2][0]);
  m = 3;
  typedef long row_t[m];
  row_t *r = calloc(2, sizeof(row_t));
  // A request made here is taken at the next poll point: in t's scope.
  if (getenv("VM_REQUEST"))
    hm_request_migration();
  for (int k = 0; k < 2; k++) {
    double (*t)[k + 2] = malloc(sizeof(double[k + 2]));
    for (int j = 0; j < k + 2; j++) {
      (*t)[j] = j * 1.25;
      r[k][j % 3] += j;
      migrate_now();
    }
    printf("t %zu %g r %ld %ld %ld\n", sizeof *t / sizeof(double), (*t)[k + 1], r[k][0],
           r[k][1], r[k][2]);
    free(t);
  }
  {
    int len = 3;
    struct cell (*c)[len] = malloc(sizeof *c);
    for (int i = 0; i < len; i++) {
      (*c)[i].id = 10 + i;
      (*c)[i].next = i ? &(*c)[i - 1] : NULL;
      (*c)[i].w = i / 4.0;
    }
    {
      typedef struct cell trio[len];
      trio *same = c;
      printf("links %ld\n", links(len, *same));
      printf("w %g %zu\n", (*same)[2].w, sizeof(trio) / sizeof(struct cell));
    }
    free(c);
  }
  printf("sizeof row_t %zu\n", sizeof(row_t) / sizeof(long));
  free(r);
  free(a);
  return 0;
}
