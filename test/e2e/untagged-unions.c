// Unions that hold pointers and name no active member, as interpreters and
// parsers keep them (Lua's Value, a bison value stack): the sender reads each
// value's bytes and the image says which member it holds, a pointer member whose
// value points to an object the image carries, or none; a member that is a
// struct is the one when all its pointers point to known objects (Lua's
// CallInfo.u: a Lua frame's saved pc, a C frame's continuation). Lua's shapes
// convert between all pairs.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: untagged-unions: 12 pairs x 3 points: 36 of 36 migrations match
// A parser's value stack (int, double, char *, a node pointer) holds values
// whose non-pointer members convert differently (int against double): they
// migrate where the layouts are the same (x86_64 and aarch64).
// RUN: %migrate-matrix --points all --cflags "-O2 -DPARSER" --targets x86_64-linux-gnu,aarch64-linux-gnu %s | FileCheck --check-prefix=PARSER %s
// PARSER: untagged-unions: 2 pairs x 3 points: 6 of 6 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
  struct node *left, *right;
  int op;
  double value;
};

typedef union {
  void *p;              // light userdata or an object
  int (*f)(int);        // a C function
  long long i;
  double n;
} Value;

#ifdef PARSER
typedef union {
  int ival;
  double dval;
  char *sval;
  struct node *nptr;
} YYSTYPE;
static YYSTYPE values[16];
#endif

static int increment(int x) { return x + 1; }

// Lua's CallInfo: what its union holds depends on a bit of another field.
struct call_info {
  int status; // 1: a C function's frame
  union {
    struct {
      const int *saved_pc;
      int trap, extra_args;
    } l;
    struct {
      int (*k)(int);
      long old_errfunc;
      long ctx;
    } c;
  } u;
};

static Value registers[6];

static long long sum(Value *v, int n) {
  long long s = 0;
  for (int i = 0; i < n; ++i) {
    migrate_now(); // 2, 3
    s += v[i].i;
  }
  return s;
}

int main(void) {
  struct node *tree = malloc(sizeof *tree);
  tree->left = tree->right = NULL;
  tree->op = '+';
  tree->value = 1.25;
  char *name = strdup("hello");
  registers[0].p = tree;
  registers[1].i = -7;
  registers[2].n = 3.75;
  registers[3].f = increment;
  registers[4].p = name + 2; // inside a string
  registers[5].i = 1LL << 40;
  Value *heap = malloc(4 * sizeof *heap);
  heap[0].p = &registers[2];
  heap[1].n = -0.5;
  heap[2].i = 12345;
  heap[3].p = heap; // itself
  Value local = registers[0];
  int *code = malloc(8 * sizeof *code);
  for (int i = 0; i < 8; ++i)
    code[i] = i * i;
  struct call_info *calls = malloc(3 * sizeof *calls);
  calls[0].status = 0;
  calls[0].u.l.saved_pc = code + 3;
  calls[0].u.l.trap = 1;
  calls[0].u.l.extra_args = 2;
  calls[1].status = 1;
  calls[1].u.c.k = increment;
  calls[1].u.c.old_errfunc = -16;
  calls[1].u.c.ctx = 99;
  calls[2] = calls[0];
  calls[2].u.l.saved_pc = code + 7;
#ifdef PARSER
  YYSTYPE *sp = values;
  (sp++)->ival = 42;
  (sp++)->dval = 2.5;
  (sp++)->sval = name;
  (sp++)->nptr = tree;
#endif
  migrate_now(); // 1
  printf("%d %g %lld %g %d %s %lld\n", ((struct node *)registers[0].p)->op,
         ((struct node *)local.p)->value, registers[1].i, registers[2].n,
         registers[3].f(4), (char *)registers[4].p, registers[5].i);
  printf("%g %g %lld %d\n", ((Value *)heap[0].p)->n, heap[1].n, heap[2].i,
         (Value *)heap[3].p == heap);
  printf("sum %lld\n", sum(heap + 1, 2));
  printf("calls: %d %d %d, %d %ld %ld, %d\n", *calls[0].u.l.saved_pc, calls[0].u.l.trap,
         calls[0].u.l.extra_args, calls[1].u.c.k(41), calls[1].u.c.old_errfunc,
         calls[1].u.c.ctx, *calls[2].u.l.saved_pc);
#ifdef PARSER
  printf("%d %g %s %c %ld\n", values[0].ival, values[1].dval, values[2].sval,
         values[3].nptr->op, (long)(sp - values));
#endif
  return 0;
}
