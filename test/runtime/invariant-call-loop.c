// A loop whose call clang may make once before it (a read-only recursion over
// an unchanging tree, the same argument every time) has no poll point inside
// it: it polls once after it (transform/invariant-calls.c). A request made
// before the loop is served there, and the program moves to s390x and to
// aarch64 with the sum it had made; the output is the unmigrated one.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %hmcc -O2 --target=s390x-linux-gnu %s -o %t/prog.s390x
// RUN: %hmcc -O2 --target=aarch64-linux-gnu %s -o %t/prog.aarch64
// RUN: %t/prog > %t/plain.txt
// RUN: env REQUEST=1 HM_MIGRATE_TO=%t/s390x.img %t/prog > %t/s390x-1.txt
// RUN: env HM_RESTORE=%t/s390x.img %run-s390x %t/prog.s390x > %t/s390x-2.txt
// RUN: cat %t/s390x-1.txt %t/s390x-2.txt | diff %t/plain.txt -
// RUN: FileCheck --check-prefix=BEFORE %s < %t/s390x-1.txt
// RUN: FileCheck --check-prefix=AFTER %s < %t/s390x-2.txt
// BEFORE: tree of 131071 nodes
// BEFORE-NOT: sum
// AFTER: sum 15728280 after 40 walks
// RUN: env REQUEST=1 HM_MIGRATE_TO=%t/aarch64.img %run-s390x %t/prog.s390x > %t/aarch64-1.txt
// RUN: env HM_RESTORE=%t/aarch64.img %run-aarch64 %t/prog.aarch64 > %t/aarch64-2.txt
// RUN: cat %t/aarch64-1.txt %t/aarch64-2.txt | diff %t/plain.txt -
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct tree { int value; struct tree *left, *right; };

static struct tree *make(int depth, int *next) {
  if (depth == 0)
    return NULL;
  struct tree *t = malloc(sizeof *t);
  t->value = (*next)++ % 7;
  t->left = make(depth - 1, next);
  t->right = make(depth - 1, next);
  return t;
}

static long walk(const struct tree *t) {
  return t ? t->value + walk(t->left) + walk(t->right) : 0;
}

int main(void) {
  int nodes = 0;
  struct tree *root = make(17, &nodes);
  printf("tree of %d nodes\n", nodes);
  fflush(stdout);
  if (getenv("REQUEST"))
    hm_request_migration();
  long sum = 0;
  for (int i = 0; i < 40; i++)
    sum += walk(root);
  printf("sum %ld after 40 walks\n", sum);
  return 0;
}
