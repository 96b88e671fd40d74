// Conformance: every C object type of the data-types issue, at the edges of its
// range, in locals, parameters, globals and statics, across all 12 pairs.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: types: 12 pairs x {{[0-9]+}} points: [[N:[0-9]+]] of [[N]] migrations match
#include <complex.h>
#include <float.h>
#include <hm/migrate.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef int32_t i32;
typedef i32 counter_t;          /* a typedef chain */
typedef const counter_t ccount; /* qualifiers on the way */

enum small { S_A, S_B = 200 };
enum neg { N_MIN = -100000, N_MAX = 100000 };

struct bits {
  unsigned a : 1;
  signed b : 3;
  unsigned c : 7;
  signed d : 13;
  unsigned e : 31;
  long long f : 40;
  unsigned char g : 2;
};

struct __attribute__((packed)) packed {
  char c;
  int i;
  short s;
  double d;
};

struct aligned {
  char c;
  int i __attribute__((aligned(16)));
  char tail;
};

struct vec3 { double x, y, z; };

struct nested {
  struct vec3 pos[2];
  short grid[2][3];
  struct { int lo, hi; } range;     /* anonymous type, named member */
  union { int32_t i; float f; uint32_t u; }; /* anonymous union: a pun */
  volatile unsigned char flags;
  const char name[6];
};

struct msg { int len; char data[]; }; /* flexible array member */

union pun { int32_t i; float f; };

enum vkind { V_INT, V_DBL, V_CHARS };
struct variant {
  enum vkind kind;
  union {
    long long i;
    double d;
    char chars[8];
  } as HM_UNION_TAG("kind: V_INT=i V_DBL=d V_CHARS=chars");
};

int8_t g_i8[2] = {INT8_MIN, INT8_MAX};
uint8_t g_u8 = UINT8_MAX;
int16_t g_i16[2] = {INT16_MIN, INT16_MAX};
uint16_t g_u16 = UINT16_MAX;
int32_t g_i32[2] = {INT32_MIN, INT32_MAX};
uint32_t g_u32 = UINT32_MAX;
int64_t g_i64[2] = {INT64_MIN, INT64_MAX};
uint64_t g_u64 = UINT64_MAX;
long g_long[2] = {-2147483647L - 1, 2147483647L};
unsigned long g_ulong = 4294967295UL;
long long g_ll[2] = {LLONG_MIN, LLONG_MAX};
size_t g_size = 4294967295U;
ptrdiff_t g_diff = -2147483647 - 1;
char g_chars[4] = {'\x80', '\xff', 'A', 0};
signed char g_sc = -128;
_Bool g_bool[3] = {0, 1, 1};
enum small g_small = S_B;
enum neg g_neg[2] = {N_MIN, N_MAX};
float g_floats[8];
double g_doubles[8];
long double g_ld[5] = {1.5L, -0.0L, 0.0L, 1e300L, -3.0L};
double complex g_z = 1.5 - 2.25 * I;
float complex g_zf = -0.5f + 8.0f * I;
struct bits g_bits = {1, -4, 127, -4096, 2147483647u, -549755813888LL, 3};
struct bits g_bits2 = {0, 3, 1, 4095, 1, 549755813887LL, 1};
struct packed g_packed = {'p', -123456789, -321, 2.5};
struct aligned g_aligned = {'a', 77, 'z'};
struct nested g_nested = {{{1, 2, 3}, {-4, -5, -6}}, {{1, -2, 3}, {-4, 5, -6}},
                          {-10, 10}, {.i = -1}, 0x5a, "node"};
union pun g_pun = {.f = -0.0f};
struct variant g_var[3] = {{V_INT, {.i = LLONG_MIN + 1}},
                           {V_DBL, {.d = -1.25e-300}},
                           {V_CHARS, {.chars = "migrate"}}};
ccount g_const = 5;
static counter_t g_counter;

static void init_floats(void) {
  float f[8] = {-0.0f, INFINITY, -INFINITY, NAN, FLT_TRUE_MIN, FLT_MAX, FLT_MIN, 0.1f};
  double d[8] = {-0.0, INFINITY, -INFINITY, NAN, DBL_TRUE_MIN, DBL_MAX, DBL_MIN, 0.1};
  memcpy(g_floats, f, sizeof f);
  memcpy(g_doubles, d, sizeof d);
}

static void print_double(const char *what, double d) {
  if (isnan(d))
    printf("%s nan%s\n", what, signbit(d) ? "-" : "");
  else
    printf("%s %a\n", what, d);
}

static void dump(const char *when) {
  printf("== %s\n", when);
  printf("i8 %d %d u8 %u i16 %d %d u16 %u\n", g_i8[0], g_i8[1], g_u8, g_i16[0], g_i16[1], g_u16);
  printf("i32 %d %d u32 %u i64 %lld %lld u64 %llu\n", g_i32[0], g_i32[1], g_u32,
         (long long)g_i64[0], (long long)g_i64[1], (unsigned long long)g_u64);
  printf("long %ld %ld ulong %lu ll %lld %lld size %zu diff %td\n", g_long[0], g_long[1],
         g_ulong, g_ll[0], g_ll[1], g_size, g_diff);
  printf("chars %d %d %d sc %d bool %d %d %d small %d neg %d %d\n",
         (unsigned char)g_chars[0], (unsigned char)g_chars[1], g_chars[2], g_sc,
         g_bool[0], g_bool[1], g_bool[2], g_small, g_neg[0], g_neg[1]);
  for (int i = 0; i < 8; i++) {
    print_double("float", g_floats[i]);
    print_double("double", g_doubles[i]);
  }
  for (int i = 0; i < 5; i++)
    print_double("long double", (double)g_ld[i]);
  printf("complex %a %a %a %a\n", creal(g_z), cimag(g_z), crealf(g_zf), cimagf(g_zf));
  printf("bits %u %d %u %d %u %lld %u\n", g_bits.a, g_bits.b, g_bits.c, g_bits.d,
         g_bits.e, (long long)g_bits.f, g_bits.g);
  printf("bits2 %u %d %u %d %u %lld %u\n", g_bits2.a, g_bits2.b, g_bits2.c, g_bits2.d,
         g_bits2.e, (long long)g_bits2.f, g_bits2.g);
  printf("packed %c %d %d %a aligned %c %d %c\n", g_packed.c, g_packed.i, g_packed.s,
         g_packed.d, g_aligned.c, g_aligned.i, g_aligned.tail);
  printf("nested %a %a %d %d %d %d %u %x %s\n", g_nested.pos[1].z, g_nested.pos[0].y,
         g_nested.grid[1][2], g_nested.range.lo, g_nested.range.hi, g_nested.i,
         g_nested.u, g_nested.flags, g_nested.name);
  printf("pun %08x variant %lld %a %s const %d counter %d\n", (unsigned)g_pun.i,
         g_var[0].as.i, g_var[1].as.d, g_var[2].as.chars, g_const, g_counter);
}

static struct vec3 scale(struct vec3 v, double k) {
  struct vec3 r = {v.x * k, v.y * k, v.z * k};
  migrate_now();
  return r;
}

static struct bits flip(struct bits b, struct packed p, union pun u, struct variant var) {
  static struct vec3 last;
  struct msg m = {3};
  struct vec3 v = {p.d, (double)p.i, (double)u.i};
  last = scale(v, 0.5);
  b.b = (signed)-b.b / 2;
  b.f = -b.f;
  b.e ^= 0x55555555u;
  printf("flip: %c %d %a %a %a %lld %d\n", p.c, p.s, last.x, last.y, last.z,
         var.kind == V_INT ? var.as.i : -1LL, m.len);
  return b;
}

int main(void) {
  init_floats();
  dump("start");
  for (int round = 0; round < 3; round++) {
    long double ld = g_ld[round] * 4;
    double complex z = g_z * (double)(round + 1);
    struct nested local = g_nested;
    local.pos[0].x += round;
    g_bits = flip(g_bits, g_packed, g_pun, g_var[round == 0 ? 0 : 1]);
    g_bits2 = flip(g_bits2, g_packed, g_pun, g_var[0]);
    g_counter += round;
    g_ld[round] = ld;
    g_z = z;
    g_nested.pos[0] = local.pos[0];
    g_i64[round % 2] ^= 0x0123456789abcdefLL;
    g_pun.i += 0x10000;
    migrate_now();
  }
  dump("end");
  return 0;
}
