// A function whose frame cannot be captured and re-entered is "pinned": compiled
// as written, in section hm_pinned, never inlined, and listed for the runtime,
// which refuses or defers a migration while it is on the stack. The build goes
// on; where the function reaches migrate_now(), hm-instrument warns with the reason.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument %t.i -o %t.hm.c -- -w 2> %t.err
// RUN: FileCheck --check-prefix=WARN %s < %t.err
// RUN: FileCheck %s < %t.hm.c
// RUN: FileCheck --check-prefix=SECTION %s < %t.hm.c
// RUN: clang-16 -c -Wall -Werror -isystem %hm-include %t.hm.c -o %t.o
#include <hm/migrate.h>
#include <setjmp.h>
#include <stdarg.h>

int f(int x) { return x + migrate_now(); }

int sum(int n, ...) {
  // WARN-DAG: pinned.c:[[@LINE-1]]:5: warning: hmcc: 'sum' cannot be on the stack at a migration point (it is variadic: its variable arguments cannot be carried); a migrate_now() reached while it runs is refused
  va_list ap;
  va_start(ap, n);
  int s = f(va_arg(ap, int));
  va_end(ap);
  return s;
}

// A va_list parameter points into a variadic caller's arguments.
int vsum(int n, va_list ap) { return f(n + va_arg(ap, int)); }
// WARN-DAG: pinned.c:[[@LINE-1]]:5: warning: hmcc: 'vsum' {{.*}}(it holds a va_list: its place in the variable arguments cannot be carried)

// Variable-length arrays migrate (e2e/variable-length-arrays.c), but not one
// declared in a for loop's initialisation, which a restore cannot run again alone.
int vla(int n) {
  for (int (*row)[n] = 0; !row; row++)
  // WARN-DAG: pinned.c:[[@LINE-1]]:8: warning: hmcc: 'vla' {{.*}}(it declares a variably modified type in a for loop's initialisation, with a call that may migrate in its scope)
    return f(n);
  return 0;
}

int elvis(int n) {
  return n ?: f(n);
  // WARN-DAG: pinned.c:[[@LINE-1]]:10: warning: hmcc: 'elvis' {{.*}}(it has a call that may migrate in a ?: without a middle operand)
}

int statement_expression(int n) {
  return ({ int y = f(n); y + 1; });
  // WARN-DAG: pinned.c:[[@LINE-1]]:10: warning: hmcc: 'statement_expression' {{.*}}(it has a call that may migrate in a statement expression)
}

int several(int n) {
  int b = 0;
  for (int i = f(n), j = 2; i < j; i++)
    b += i;
  // WARN-DAG: pinned.c:[[@LINE-2]]:8: warning: hmcc: 'several' {{.*}}(it has a call that may migrate in a declaration of several variables)
  return b;
}

int stack(int n) {
  char *p = __builtin_alloca(n);
  p[0] = (char)f(n);
  return p[0];
}
// WARN-DAG: pinned.c:[[@LINE-5]]:5: warning: hmcc: 'stack' {{.*}}(it calls alloca: that memory cannot be re-created)

// A setjmp a restore runs again migrates (e2e/setjmp.c); one in a loop's
// condition cannot be run again alone.
static jmp_buf on_error;
int guarded(int n) {
  while (setjmp(on_error) == 0)
    return f(n);
  return -1;
}
// WARN-DAG: pinned.c:[[@LINE-4]]:10: warning: hmcc: 'guarded' {{.*}}(it calls setjmp where a restore could not run it again (C allows it in an if or a switch condition, or as a statement of its own))

_Noreturn void fail(int n) {
  f(n);
  longjmp(on_error, 1);
}
// WARN-DAG: pinned.c:[[@LINE-4]]:16: warning: hmcc: 'fail' {{.*}}(it does not return: its callers cannot be unwound through it)

// A computed goto no longer pins its function: computed-goto.c.
// WARN-NOT: 'dispatch'

// Only its poll points are lost: no warning, the request waits for it to return.
int loops(int n, ...) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += loops(i - 1);
  return s;
}
// WARN-NOT: 'loops'

// The caller of a pinned function needs no call site for it.
int caller(void) { return sum(1, 2) + stack(3); }
// CHECK-NOT: hm_fn_caller =

// SECTION-DAG: __attribute__((section("hm_pinned"), noinline)) int sum(int n, ...)
// SECTION-DAG: __attribute__((section("hm_pinned"), noinline)) int loops(int n, ...)
// SECTION-DAG: __attribute__((section("hm_text"))) int f(int x)
// CHECK: static const struct hm_pinned hm_pinned_fns[] = {
// CHECK-NEXT: { "sum", "pinned.c:{{[0-9]+}}", "it is variadic: its variable arguments cannot be carried", (void (*)(void))sum },
// CHECK: { "main", "pinned.c:[[@LINE+1]]", "it has a call that may migrate in a statement expression", (void (*)(void))main },
int main(void) { return ({ int r = caller() + vla(3) + elvis(0) + f(0); r; }) + several(1) + guarded(2) + loops(3); }
