/* A small bytecode interpreter: a dispatch loop over a register machine. */
#include <stdio.h>
enum { LOADI, ADD, MUL, DEC, JNZ, HALT };
struct insn { int op, a, b, c; };
static long run(const struct insn *code, long n) {
  long r[4] = {n, 0, 3, 0};
  for (int pc = 0;;) {
    const struct insn *i = &code[pc++];
    switch (i->op) {
    case LOADI: r[i->a] = i->b; break;
    case ADD: r[i->a] = r[i->b] + r[i->c]; break;
    case MUL: r[i->a] = r[i->b] * r[i->c]; break;
    case DEC: r[i->a]--; break;
    case JNZ: if (r[i->a]) pc = i->b; break;
    case HALT: return r[1];
    }
  }
}
int main(void) {
  /* r1 += r0 * r2; r0--; loop while r0 */
  static const struct insn code[] = {{MUL, 3, 0, 2, }, {ADD, 1, 1, 3}, {DEC, 0, 0, 0},
                                     {JNZ, 0, 0, 0}, {HALT, 0, 0, 0}};
  long total = 0;
  for (int r = 0; r < 400; r++)
    total += run(code, 100000 + r);
  printf("%ld\n", total);
  return 0;
}
