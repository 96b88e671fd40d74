// The target-code pass compares, per call site, the lines a restore there may
// run with the unit preprocessed for another target: from the start of the
// site's statement (or of the outermost loop around it) to the function's end,
// back to the label of a goto in them, and all of a function that calls
// setjmp; the function's head and the type of a declared number are left out.
// A site where they differ names the target and the first such line.
// RUN: clang-16 --target=x86_64-linux-gnu -E -isystem %hm-include %s -o %t.i
// RUN: clang-16 --target=arm-linux-gnueabihf -E -isystem %hm-include %s -o %t.arm.i
// RUN: clang-16 --target=aarch64-linux-gnu -E -isystem %hm-include %s -o %t.aarch64.i
// RUN: %hm-instrument %t.i -o %t.hm.c --peer=aarch64-linux-gnu=%t.aarch64.i --peer=arm-linux-gnueabihf=%t.arm.i --peer=s390x-linux-gnu= -- -w --target=x86_64-linux-gnu
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -w -isystem %hm-include %t.hm.c
// Without other targets, nothing differs:
// RUN: %hm-instrument %t.i -o %t.alone.hm.c -- -w --target=x86_64-linux-gnu
// RUN: FileCheck --check-prefix=ALONE %s < %t.alone.hm.c
// ALONE-NOT: hm_site_code
#include <hm/migrate.h>
#include <setjmp.h>

#if defined(__x86_64__) || defined(__aarch64__)
#define W 8
#else
#define W 4
#endif

void work(int);

// A site after the only differing line, outside any loop: its values go on
// with the same code.
// CHECK: hm_sc_before[] = { { "s390x-linux-gnu", "the unit could not be preprocessed for s390x-linux-gnu" },
int before(int n) {
  int step = W;
  work(n);
  return step + n;
}

// A site in a loop whose body reads W: the loop runs again after a restore.
// CHECK: hm_sc_in_loop[] = { { "arm-linux-gnueabihf s390x-linux-gnu", "target-code.c:[[@LINE+3]]" },
int in_loop(int n) {
  int s = 0;
  for (int i = 0; i < n; i += W)
    work(i);
  return s;
}

// The rest of the call's statement runs again, from its first line.
// CHECK: hm_sc_statement[] = { { "arm-linux-gnueabihf s390x-linux-gnu", "target-code.c:[[@LINE+3]]" },
int statement(int n) {
  int x;
  x = n * W +
      (work(n), 1);
  return x;
}

// A goto after the site back to a label before the differing line.
// CHECK: hm_sc_back[] = { { "arm-linux-gnueabihf s390x-linux-gnu", "target-code.c:[[@LINE+4]]" },
int back(int n) {
  int s = 0;
again:
  s += W;
  work(n);
  if (s < 100)
    goto again;
  return s;
}

// A goto forward only: the lines before the site do not run again.
// CHECK: hm_sc_forward[] = { { "s390x-linux-gnu", "the unit could not be preprocessed for s390x-linux-gnu" },
int forward(int n) {
  int s = W;
  if (n < 0)
    goto out;
  work(n);
out:
  return s;
}

// setjmp: a longjmp may go back to it, before the site.
// CHECK: hm_sc_jumps[] = { { "arm-linux-gnueabihf s390x-linux-gnu", "target-code.c:[[@LINE+4]]" },
jmp_buf env;
int jumps(int n) {
  volatile int s = 0;
  s += W;
  if (setjmp(env) == 0)
    work(n);
  return s;
}

// A declaration without an initialiser whose type the preprocessor spells out
// per target (__SIZE_TYPE__, as bison's YYSIZE_T), and the function's head:
// their values are carried, converted, and neither runs again.
// CHECK: hm_sc_typed[] = { { "s390x-linux-gnu", "the unit could not be preprocessed for s390x-linux-gnu" },
__SIZE_TYPE__ typed(__SIZE_TYPE__ n) {
  __SIZE_TYPE__ m;
  m = n;
  work((int)m);
  __SIZE_TYPE__ k = m + 1;
  return k;
}

// A pointer's type says what it steps over: a line declaring one counts.
// CHECK: hm_sc_stride[] = { { "arm-linux-gnueabihf s390x-linux-gnu", "target-code.c:[[@LINE+3]]" },
__SIZE_TYPE__ stride(const void *p, int n) {
  work(n);
  const __SIZE_TYPE__ *w = p;
  return w[1];
}

// A goto after the site to a label in a loop before it: the loop runs again,
// from its start.
// CHECK: hm_sc_into_loop[] = { { "arm-linux-gnueabihf s390x-linux-gnu", "target-code.c:[[@LINE+4]]" },
int into_loop(int n) {
  int s = 0;
  while (s < n) {
    s += W;
  again:
    s++;
  }
  work(s);
  if (s < 100)
    goto again;
  return s;
}
