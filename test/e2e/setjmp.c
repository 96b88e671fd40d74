// setjmp and longjmp, as interpreters use them for errors: a global jmp_buf
// armed in main (`int r = setjmp(b)`, and `switch (setjmp(b))`), a protected
// call with a jmp_buf on the stack (Lua's luaD_rawrunprotected), migration
// points in both branches. A restore runs each setjmp again for the new frame
// (and longjmps to it when it had come back by a longjmp); the jmp_buf's bytes
// never travel. Every pair, every point, and a checkpoint at each.
// RUN: %migrate-matrix --checkpoints --points all %s | FileCheck %s
// CHECK: setjmp: 44 of 44 checkpoints go on
// CHECK: setjmp: 12 pairs x 44 points: 528 of 528 migrations match
#include <hm/migrate.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf on_error;
static int errors;

struct guard {
  struct guard *prev;
  jmp_buf here;
  int status;
};
static struct guard *guards;

static void fail(const char *why) {
  printf("error: %s\n", why);
  errors++;
  longjmp(on_error, errors);
}

static long eval(long x) {
  migrate_now();
  if (x % 7 == 0)
    fail("multiple of 7");
  return x * 3 + 1;
}

static void throw_to(int status) {
  guards->status = status;
  longjmp(guards->here, 1);
}

// A protected call, like Lua's luaD_rawrunprotected: a jmp_buf on the stack.
static int protect(long x, long *out) {
  struct guard g;
  g.prev = guards;
  g.status = 0;
  guards = &g;
  if (setjmp(g.here) == 0) {
    migrate_now();
    if (x > 40)
      throw_to(2);
    *out = x + 100;
    migrate_now();
  }
  guards = g.prev;
  migrate_now();
  return g.status;
}

int main(void) {
  volatile long total = 0; // changed after the setjmp, read after a longjmp
  volatile int round = 0;
  int caught = setjmp(on_error);
  if (caught)
    printf("recovered %d (round %d)\n", caught, round);
  migrate_now();
  while (round < 12) {
    int r = round++;
    total += eval(r);
    long v = 0;
    int status = protect(r * 5, &v);
    printf("round %d total %ld protect %d %ld\n", r, total, status, v);
  }
  switch (setjmp(on_error)) {
  case 0:
    migrate_now();
    fail("at the end");
    break;
  default:
    migrate_now();
    printf("end total %ld errors %d\n", total, errors);
  }
  return 0;
}
