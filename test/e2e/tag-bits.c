// Lua's TValue: a tag byte whose low bits are the type, bit 4 the variant and
// bit 6 "collectable". The code tests `tt & 64` before it reads the GC pointer
// and whole tags before it reads a number, but never tests a light C function's
// tag: a test of the whole tag speaks for that tag only, and the function
// pointer stays a pointer (hmcc once read `tt & 64 == 0 -> number` off these
// tests and moved the function's address as a number: Lua armhf -> x86_64 then
// called the sender's address). Every pair, every point.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: tag-bits: 12 pairs x 2 points: 24 of 24 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T_INT 3
#define T_FLT (3 | 1 << 4)
#define T_LCF (6 | 1 << 4)
#define T_STR (4 | 1 << 6)
#define iscollectable(o) ((o)->tt & (1 << 6))

typedef struct GC {
  int len;
  char text[20];
} GC;
typedef double (*CFn)(double);
typedef union {
  GC *gc;
  void *p;
  CFn f;
  long long i;
  double n;
} Value;
typedef struct {
  Value v;
  unsigned char tt;
} TValue;

static double twice(double x) { return 2 * x; }
static double half(double x) { return x / 2; }

static TValue slots[6];

// The tag is a parameter: no assignment pair names LCF's member.
static void set(TValue *o, int tt, Value v) {
  o->v = v;
  o->tt = (unsigned char)tt;
}

static long long lengths(void) {
  long long n = 0;
  for (int k = 0; k < 6; ++k)
    if (iscollectable(&slots[k]))
      n += slots[k].v.gc->len;
  return n;
}

static int firstLetter(const TValue *o) { return iscollectable(o) ? o->v.gc->text[0] : 0; }
static int lastLetter(const TValue *o) {
  return iscollectable(o) ? o->v.gc->text[o->v.gc->len - 1] : 0;
}

static double number(const TValue *o) {
  if (o->tt == T_FLT)
    return o->v.n;
  if (o->tt == T_INT)
    return (double)o->v.i;
  return 0;
}

static GC *newString(const char *s) {
  GC *g = malloc(sizeof *g);
  g->len = (int)strlen(s);
  snprintf(g->text, sizeof g->text, "%s", s);
  return g;
}

int main(void) {
  set(&slots[0], T_LCF, (Value){.f = twice});
  set(&slots[1], T_LCF, (Value){.f = half});
  set(&slots[2], T_FLT, (Value){.n = 3.5});
  set(&slots[3], T_INT, (Value){.i = 40});
  set(&slots[4], T_STR, (Value){.gc = newString("migrate")});
  double x = slots[0].v.f(number(&slots[2]));
  migrate_now();
  x = slots[1].v.f(x + number(&slots[3]));
  migrate_now();
  x = slots[0].v.f(x);
  printf("%g %lld %c%c\n", x, lengths(), firstLetter(&slots[4]), lastLetter(&slots[4]));
  return 0;
}
