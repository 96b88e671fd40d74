// hm-instrument writes a cast of a pointer to an integer as a cast of
// hm_rt_number(p) where the integer is a number (a hash, an index, a value kept),
// and leaves it where the integer goes back into a pointer: an integer-to-pointer
// cast of it, a variable such a cast reads, an offset added to a pointer. A
// constant (`(size_t)&((T *)0)->f`) stays as it is.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -Wall -Werror -isystem %hm-include %t.hm.c
#include <hm/migrate.h>
#include <stddef.h>
#include <stdint.h>

struct pair { int a, b; };
int table[64];

int numbers(const void *p, int (*f)(void)) {
  // CHECK: unsigned h = (unsigned)((uintptr_t)hm_rt_number(p) >> 4) % 64;
  unsigned h = (unsigned)((uintptr_t)p >> 4) % 64;
  // CHECK: size_t k = (size_t)hm_rt_number(f);
  size_t k = (size_t)f;
  // CHECK: return table[h] + table[(uintptr_t)hm_rt_number(p) % 64] + (int)k;
  return table[h] + table[(uintptr_t)p % 64] + (int)k;
}

char *addresses(char *p, char *base) {
  // CHECK: char *up = (char *)(((uintptr_t)p + 15) & ~(uintptr_t)15);
  char *up = (char *)(((uintptr_t)p + 15) & ~(uintptr_t)15);
  // CHECK: uintptr_t bits = (uintptr_t)up;
  uintptr_t bits = (uintptr_t)up;
  bits |= 1;
  // CHECK: size_t field = (size_t)&((struct pair *)0)->b;
  size_t field = (size_t)&((struct pair *)0)->b;
  // CHECK: return (char *)(bits & ~(uintptr_t)1) + ((uintptr_t)p - (uintptr_t)base) + field;
  return (char *)(bits & ~(uintptr_t)1) + ((uintptr_t)p - (uintptr_t)base) + field;
}

// Calls that may migrate move into statements of their own: the number is
// taken of what they leave behind, and travels with an argument they copy.
void *grab(int n) {
  migrate_now();
  return table + n;
}
int use(size_t h) { return (int)h + migrate_now(); }

int hoisting(void) {
  // CHECK: fixed{{.*}} = (long)&table;
  static long fixed = (long)&table;
  // CHECK: size_t a = (size_t)hm_rt_number(hm_r{{[0-9]+}});
  size_t a = (size_t)grab(1);
  // CHECK: = (size_t)hm_rt_number(table);
  // CHECK: = use(hm_a{{[0-9_]+}})
  int b = use((size_t)table);
  return (int)a + b + (int)fixed;
}

int main(void) {
  char c[32];
  return numbers(c, main) + (addresses(c, c) != 0) + hoisting() + migrate_now();
}
