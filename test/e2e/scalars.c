// Every scalar type of the first slice in locals, parameters, arrays, globals and
// statics, at the edges of the ranges all four targets share.
// RUN: %migrate-matrix --points 1,2,3 %s | FileCheck %s
// CHECK: scalars: 12 pairs x 3 points: 36 of 36 migrations match
#include <hm/migrate.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

enum colour { RED = -3, GREEN = 7, BLUE = 1000 };

signed char g_sc = SCHAR_MIN;
unsigned char g_uc = UCHAR_MAX;
short g_s = SHRT_MIN;
unsigned short g_us = USHRT_MAX;
int g_i = INT_MIN;
unsigned g_u = UINT_MAX;
long g_l = LONG_MIN > -2147483647L - 1 ? 0 : -2147483647L - 1;
unsigned long g_ul = 4294967295UL;
long long g_ll = LLONG_MIN;
unsigned long long g_ull = ULLONG_MAX;
_Bool g_b = 1;
float g_f = -1.5e-38f;
double g_d = 1.7976931348623157e308;
enum colour g_e = RED;
char g_c = 'z';
int64_t g_i64 = INT64_MAX;
uint16_t g_u16[5] = {1, 2, 3, 65535, 0};
double g_grid[3][4];
static int g_static_counter;

static void step(int round, double x, float y, _Bool flag, enum colour c,
                 long long big, unsigned char small, char ch) {
  static unsigned long calls;
  int local_array[6] = {INT_MAX, INT_MIN, -1, 0, 1, round};
  short shorts[3] = {SHRT_MAX, -7, (short)round};
  calls++;
  g_static_counter += round;
  migrate_now();
  printf("round %d: x=%.17g y=%.9g flag=%d c=%d big=%lld small=%u ch=%c calls=%lu\n",
         round, x, y, flag, c, big, small, ch, calls);
  for (int i = 0; i < 6; i++)
    printf(" %d", local_array[i]);
  printf(" | %d %d %d\n", shorts[0], shorts[1], shorts[2]);
}

int main(void) {
  for (int r = 0; r < 4; r++)
    for (int c = 0; c < 4; c++)
      if (r < 3)
        g_grid[r][c] = r * 0.1 + c * 1e-300;
  double x = 0.1;
  float y = 3.25f;
  long long big = -9007199254740993LL;
  for (int round = 0; round < 3; round++) {
    step(round, x, y, round % 2 == 0, round == 1 ? GREEN : BLUE, big, 200, 'a' + round);
    x = x * 3 + 1e-17;
    y = -y / 7;
    big += 1000000007LL * round;
    g_sc++; g_uc--; g_s++; g_us--; g_i++; g_u--; g_l++; g_ul--;
    g_ll++; g_ull--; g_b = !g_b; g_f *= 2; g_d /= 3; g_e = BLUE; g_c++;
    g_i64 -= 3; g_u16[round] += 7;
  }
  printf("%d %u %d %u %d %u %ld %lu %lld %llu %d %.9g %.17g %d %c %lld %u %u %d\n",
         g_sc, g_uc, g_s, g_us, g_i, g_u, g_l, g_ul, g_ll, g_ull, g_b, g_f, g_d,
         g_e, g_c, (long long)g_i64, g_u16[0], g_u16[3], g_static_counter);
  for (int r = 0; r < 3; r++)
    printf("%.17g %.17g\n", g_grid[r][1], g_grid[r][3]);
  return 0;
}
