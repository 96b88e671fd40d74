// A long whose type the preprocessor picks per target (Lua's Rand64: unsigned
// long where long has 64 bits, unsigned long long elsewhere) holds 64 bits on
// every target: its values move to armhf, and back, at every point. hmcc reads
// the declaration's spelling off the unit preprocessed for the other targets,
// through a macro or a typedef under #if, in a struct field, an array, a
// pointer's pointee, a frame variable and a global. A plain unsigned long is
// still 32 bits on armhf: a value that does not fit is refused at the point.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: peer-widths: 12 pairs x 2 points: 24 of 24 migrations match
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: env PLAIN=1 %t/prog > %t/plain.txt
// RUN: env PLAIN=1 HM_MIGRATE_FOR=arm-linux-gnueabihf HM_MIGRATE_TO=%t/plain.img %t/prog > %t/refused.txt 2> %t/refused.err
// RUN: diff %t/plain.txt %t/refused.txt
// RUN: test ! -e %t/plain.img
// RUN: FileCheck --check-prefix=PLAIN %s < %t/refused.err
// PLAIN: hmcc: migration failed: global 'peer-widths.c:plain' holds 1099511627776 (unsigned long, 8 bytes here), which does not fit in 4 bytes on arm-linux-gnueabihf; the program goes on on x86_64-linux-gnu
#include <hm/migrate.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#if ((ULONG_MAX >> 31) >> 31) >= 3
#define Rand64 unsigned long
typedef unsigned long word64;
#else
#define Rand64 unsigned long long
typedef unsigned long long word64;
#endif

typedef struct {
  Rand64 s[4];
  word64 count;
} RanState;

static word64 seen = 1;
static unsigned long plain;

static Rand64 next(Rand64 *s) {
  const Rand64 r = s[0] * 5;
  s[0] ^= s[1] << 17;
  s[1] = s[0] + 0x9E3779B97F4A7C15ull;
  s[2] ^= r;
  return r;
}

static Rand64 run(RanState *g, word64 *history, int n) {
  Rand64 x = 0;
  for (int i = 0; i < n; ++i) {
    x ^= next(g->s);
    history[g->count++ % 8] = x;
    seen *= x | 1;
  }
  return x;
}

int main(void) {
  if (getenv("PLAIN"))
    plain = 1ul << 20 << 20;
  RanState *g = malloc(sizeof *g);
  word64 *history = calloc(8, sizeof *history);
  g->s[0] = 0x123456789abcdefull;
  g->s[1] = 0xfedcba9876543210ull;
  g->s[2] = 1;
  g->s[3] = ~0ull;
  g->count = 0;
  word64 local = run(g, history, 5);
  migrate_now();
  local ^= run(g, history, 5);
  migrate_now();
  local ^= run(g, history, 3);
  printf("%llx %llx %llx %llx %lu\n", (unsigned long long)local, (unsigned long long)seen,
         (unsigned long long)history[3], (unsigned long long)g->s[3], (unsigned long)plain);
  return 0;
}
