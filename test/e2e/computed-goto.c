// A threaded interpreter (goto *table[op], as Lua's stock build dispatches)
// migrates: its computed gotos poll as loop headers do, the label table stays in
// the function's constants, and a restore re-enters the handler it left.
// RUN: %migrate-matrix --points all --checkpoints %s | FileCheck %s
// CHECK: computed-goto: 4 of 4 checkpoints go on
// CHECK: computed-goto: 12 pairs x 4 points: 48 of 48 migrations match
// On request, at random times: the dispatch itself polls.
// RUN: %migrate-matrix --points none --requests 12 --args 3000000 %s | FileCheck --check-prefix=REQ %s
// REQ: computed-goto: 12 requests at random times: {{[1-9][0-9]*}} migrated and match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

enum op { PUSH, ADD, MUL, DUP, JNZ, DEC, SWAP, DROP, POINT, PRINT, HALT };
struct insn {
  enum op op;
  long arg;
};

static long run(const struct insn *code, long *stack) {
  static const void *const dispatch[] = {&&push, &&add, &&mul, &&dup, &&jnz, &&dec,
                                         &&swap, &&drop, &&point, &&print, &&halt};
  const struct insn *pc = code;
  long *sp = stack;
  long steps = 0;
#define NEXT goto *dispatch[(++steps, (pc++)->op)]
  NEXT;
push:
  *sp++ = pc[-1].arg;
  NEXT;
add:
  sp[-2] += sp[-1];
  --sp;
  NEXT;
mul:
  sp[-2] = sp[-2] * sp[-1] % 1000003;
  --sp;
  NEXT;
dup:
  sp[0] = sp[-1];
  ++sp;
  NEXT;
jnz:
  if (*--sp)
    pc = code + pc[-1].arg;
  NEXT;
dec:
  sp[-1] -= 1;
  NEXT;
swap: {
  long t = sp[-1];
  sp[-1] = sp[-2];
  sp[-2] = t;
  NEXT;
}
drop:
  --sp;
  NEXT;
point:
  migrate_now();
  NEXT;
print:
  printf("top %ld after %ld steps\n", sp[-1], steps);
  NEXT;
halt:
  return sp[-1] + steps;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 3;
  printf("start\n");
  fflush(stdout);
  // acc = 1; for (i = n; i; --i) acc = acc * 3 + i; with a point in the loop
  // when n is small.
  const struct insn program[] = {
      {PUSH, 1}, {PUSH, n},                        // acc i
      {DUP, 0}, {JNZ, 5}, {HALT, 0},               // 2: while (i)
      {SWAP, 0}, {PUSH, 3}, {MUL, 0},              // 5: i acc*3
      {SWAP, 0}, {DUP, 0}, {PUSH, 0}, {ADD, 0},    // acc*3 i i
      {SWAP, 0}, {DROP, 0},                        // acc*3 i   (i kept)
      {SWAP, 0}, {PUSH, 0}, {ADD, 0}, {SWAP, 0},   // same, with work
      {n < 10 ? POINT : DUP, 0}, {n < 10 ? PRINT : DROP, 0},
      {DEC, 0}, {DUP, 0}, {JNZ, 5},                // --i, loop
      {DROP, 0}, {PRINT, 0}, {HALT, 0}};
  long *stack = calloc(64, sizeof *stack);
  printf("result %ld\n", run(program, stack));
  migrate_now();
  printf("done\n");
  free(stack);
  return 0;
}
