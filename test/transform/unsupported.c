// What cannot migrate yet is refused at build time, naming the place and the reason.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: not %hm-instrument %t.i -o %t.hm.c -- -w 2>&1 | FileCheck %s
#include <hm/migrate.h>
#include <stdarg.h>

int f(int x) { return x + migrate_now(); }

int sum(int n, ...) {
  // CHECK: unsupported.c:[[@LINE-1]]:5: error: a variadic function that may migrate is not supported: its variable arguments cannot be carried; pass a va_list instead
  va_list ap;
  va_start(ap, n);
  int s = f(va_arg(ap, int));
  va_end(ap);
  return s;
}

int vla(int n) {
  int a[n];
  // CHECK: unsupported.c:[[@LINE-1]]:7: error: a call that may migrate in the scope of a variable-length array is not supported yet
  a[0] = f(n);
  return a[0];
}

int elvis(int n) {
  return n ?: f(n);
  // CHECK: unsupported.c:[[@LINE-1]]:10: error: a call that may migrate in a ?: without a middle operand is not supported yet
}

int stack(int n) {
  char *p = __builtin_alloca(n);
  // CHECK: unsupported.c:[[@LINE-1]]:13: error: alloca in a function that may migrate is not supported: its memory cannot be re-created; use malloc or a fixed-size array
  p[0] = (char)f(n);
  return p[0];
}

int main(void) { return sum(1, 2) + vla(3) + elvis(0) + stack(4); }
