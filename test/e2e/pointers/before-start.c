// A pointer one element before a heap block's start, as mawk's regex matcher
// keeps its empty stack (`RE_run_stack_empty = RE_run_stack_base - 1`, and a
// push is `++stackp`): no object holds it, and it lies in the block before or
// in no block at all. It comes back one element of this build before where the
// block is here; before, it came back inside the block before (or null) and
// the first push wrote there.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: before-start: 12 pairs x 2 points: 24 of 24 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  const char *s;
  long ss;
  int u;
} rt_state;

static rt_state *stack_base, *stack_limit, *stack_empty;
static char *neighbour; // allocated just before the stack

static void stack_init(void) {
  neighbour = malloc(40);
  for (int i = 0; i < 40; i++)
    neighbour[i] = (char)('a' + i % 26);
  neighbour[39] = 0;
  stack_base = malloc(64 * sizeof(rt_state));
  stack_limit = stack_base + 64;
  stack_empty = stack_base - 1;
}

static long run(const char *text, int at) {
  rt_state *sp = stack_empty;
  long total = 0;
  for (int i = 0; text[i]; i++) {
    if (text[i] == '(') {
      ++sp;
      sp->s = text + i;
      sp->ss = i;
      sp->u = at;
    } else if (text[i] == ')' && sp != stack_empty) {
      total += (i - sp->ss) * (sp->s[1] == '(' ? 3 : 1);
      --sp;
    }
    if (i == at)
      migrate_now();
  }
  return total + (sp == stack_empty ? 1000 : (long)(sp - stack_base));
}

int main(void) {
  stack_init();
  static const char text[] = "(a(b)c)((d)(e(f)))(g)";
  printf("%ld\n", run(text, 1));
  migrate_now();
  printf("%ld %d %s\n", run(text, 99), stack_empty + 1 == stack_base,
         neighbour + 30);
  return 0;
}
