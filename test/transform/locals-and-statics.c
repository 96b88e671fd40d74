// Shadowed locals get names of their own; function-local statics move to file
// scope, on the function's first line, and are registered as globals.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -Wall -Werror -isystem %hm-include %t.hm.c
#include <hm/migrate.h>

int counter = 3;
static double ratio;
const int limit = 10; // a constant: registered, its bytes do not travel

int work(int x) {
  static int calls = 0;
  calls++;
  {
    int x = calls * 2;
    register int r = x + migrate_now();
    if (r > 100)
      return r;
  }
  return x; // the parameter: live at the site, though shadowed there
}
// CHECK: static int hm_s1_work_calls = 0; __attribute__((section("hm_text"))) int work(int x) {
// CHECK: hm_s1_work_calls++;
// CHECK: int x_hm1 = hm_s1_work_calls * 2;
// CHECK: __builtin_memcpy(hm_b + 0, (const void *)&x, sizeof x); __builtin_memcpy(hm_b + 4, (const void *)&x_hm1, sizeof x_hm1);
// CHECK: int r = x_hm1 + hm_r1;

int main(void) { return work(1) + counter + (int)ratio + limit; }

// CHECK: { "x", &hm_t0, "locals-and-statics.c:13", 0, 0 },
// CHECK: { "x_hm1", &hm_t0, "locals-and-statics.c:17", 4, 0 },
// CHECK: static const struct hm_global hm_globals[] = {
// CHECK-NEXT: { "counter", &hm_t0, (void *)&counter, "locals-and-statics.c:9", 0 },
// CHECK-NEXT: { "locals-and-statics.c:ratio", &hm_t{{[0-9]+}}, (void *)&ratio, "locals-and-statics.c:10", 0 },
// CHECK-NEXT: { "limit", &hm_t0, (void *)&limit, "locals-and-statics.c:11", 1 },
// CHECK-NEXT: { "locals-and-statics.c:work.calls", &hm_t0, (void *)&hm_s1_work_calls, "locals-and-statics.c:14", 0 },
// CHECK-NEXT: };
