// Poll points: at the back edge of loops that call something or hold a loop (a
// tight innermost loop is left to the loop around it), and at the entry of
// recursive functions that hold a loop. A loop-free function is not polled (its
// tests would cost as much as its body), nor is one that cannot call itself
// again (the loops around its call poll), unless -fhm-poll-entries
// (--poll-entries) asks. -fno-hm-poll (--no-poll) places none.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -Wall -Werror -isystem %hm-include %t.hm.c
// RUN: %hm-instrument --no-poll %t.i -o %t.none.c -- -w
// RUN: FileCheck --check-prefix=NONE %s < %t.none.c
// RUN: %hm-instrument --poll-entries %t.i -o %t.entries.c -- -w
// RUN: FileCheck --check-prefix=ENTRIES %s < %t.entries.c
// NONE-NOT: hm_rt_poll
#include <stdio.h>

static long leaf(long x) { return x * 3 + 1; }
// CHECK-LABEL: static long leaf(long x) { return x * 3 + 1; }

// A loop-free recursion is left alone by default:
static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
// CHECK-LABEL: static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
// ENTRIES-LABEL: static long fib(int n) {
// ENTRIES-SAME: if (__builtin_expect(hm_rt_mode & (HM_MODE_RESTORE | HM_MODE_PENDING), 0))
// ENTRIES-SAME: hm_rt_poll();

long work(int n) {
  long s = 0;
  for (int i = 0; i < n; i++) {
    for (int j = 0; j < n; j++)
      s += i ^ j;
    s = leaf(s) + fib(3);
  }
  return s;
}
// CHECK-LABEL: long work(int n) {
// work may be called from outside any loop (it is extern): it polls on entry.
// The entry poll shares its test with the restore dispatch; a restore of the
// loop's poll point goes to the loop's preheader:
// CHECK-SAME: if (__builtin_expect(hm_rt_mode & (HM_MODE_RESTORE | HM_MODE_PENDING), 0)) { if (hm_rt_mode & HM_MODE_RESTORE) { {{.*}} case 2: goto hm_pre_[[H:[0-9]+]]; {{.*}} } if (0) { hm_restore_1: ; { {{.*}}hm_rt_load_vars(hm_vl); __builtin_memcpy((void *)&n, hm_l + 0, sizeof n); } } hm_rt_poll();
// The preheader, before the loop, loads the variables declared outside it
// (the initialisation moves before it, so a restore does not run it again) and
// states what the loop guarantees about its counter. The outer loop polls at
// its header, where the back edge arrives, with a no-op the runtime makes a jump
// while a request is pending or a restore enters the loop (HM_POLL); its
// condition moves below, and nothing the
// loop carries from one iteration to the next is loaded inside it:
// CHECK: { int i = 0; if (0) { hm_pre_[[H]]: ; { {{.*}} __builtin_memcpy((void *)&n, {{.*}} __builtin_memcpy((void *)&s, {{.*}} __builtin_memcpy((void *)&i, hm_l + {{[0-9]+}}, sizeof i); } __builtin_assume((long long)i >= 0LL); } for (; ; i++) { HM_POLL(hm_poll_[[P:[0-9]+]]); if (0) { hm_poll_[[P]]: ; if (hm_rt_mode & HM_MODE_RESTORE) switch (hm_site) { case 2: goto hm_restore_2; } if (0) { hm_restore_2: ; } hm_rt_poll(); {{.*}} } if (!(i < n)) { break; }
// The tight inner loop has none:
// CHECK-NEXT: for (int j = 0; j < n; j++)
// CHECK-NEXT: s += i ^ j;
// CHECK-NEXT: s = leaf(s) + fib(3);
// CHECK-NEXT: } } }
// CHECK-NEXT: return s;

// A recursion whose loop is tight polls on entry: a request would otherwise
// wait for the whole recursion to return.
static void quick(int *a, int lo, int hi) {
  if (lo >= hi)
    return;
  int pivot = a[hi], i = lo;
  for (int j = lo; j < hi; j++)
    if (a[j] < pivot) {
      int t = a[i];
      a[i++] = a[j];
      a[j] = t;
    }
  a[hi] = a[i];
  a[i] = pivot;
  quick(a, lo, i - 1);
  quick(a, i + 1, hi);
}
// CHECK-LABEL: static void quick(int *a, int lo, int hi) {
// CHECK-SAME: if (__builtin_expect(hm_rt_mode & (HM_MODE_RESTORE | HM_MODE_PENDING), 0)) { if (hm_rt_mode & HM_MODE_RESTORE) {
// CHECK-SAME: hm_rt_poll();

int main(void) {
  int v[4] = {3, 1, 2, 0};
  quick(v, 0, 3);
  printf("%ld %d\n", work(100), v[0]);
  return 0;
}

// A loop whose work is all in its condition polls too:
static int step(int *s) {
  int spins = 0;
  while (spins < *s % 7)
    spins++;
  return --*s > spins;
}
void drain(int s) {
  while (step(&s))
    ;
}
// CHECK-LABEL: void drain(int s) {
// CHECK: while (1) { HM_POLL(hm_poll_[[Q:[0-9]+]]); if (0) { hm_poll_[[Q]]: ;
// CHECK-SAME: hm_rt_poll();
// CHECK-SAME: if (!(step(&s))) { break; }

// A loop of a few iterations inside another loop stands for its body: with only
// tight loops and calls of bounded functions (no loop, no call to the program)
// in it, it is left to the loop around it, which polls. A bounded function's
// call is no reason for any loop to poll.
static unsigned mixin(unsigned h, unsigned v) { return (h ^ v) * 16777619u; }
unsigned chains(const unsigned *a, int n) {
  unsigned h = 0;
  for (int i = 0; i < n; i++) {
    for (int c = 0; c < 8 && a[i] > (unsigned)c; c++) {
      int k = 0;
      while (k < n && a[k] != (unsigned)c)
        k++;
      h = mixin(h, (unsigned)k);
    }
    for (int j = 0; j < n; j++)
      h = mixin(h, a[j]);
  }
  return h;
}
// CHECK-LABEL: unsigned chains(const unsigned *a, int n) {
// CHECK: for (; ; i++) { HM_POLL(hm_poll_{{[0-9]+}});
// CHECK: for (int c = 0; c < 8 && a[i] > (unsigned)c; c++) {
// CHECK-NEXT: int k = 0;
// CHECK: for (int j = 0; j < n; j++)
// CHECK-NEXT: h = mixin(h, a[j]);

// Outside any loop, a loop of few iterations polls when it holds a loop: its
// inner loop may be long, and nothing around it polls.
unsigned long rounds(unsigned long h) {
  for (int r = 0; r < 4; r++)
    for (unsigned long i = 0; i < 100000000; i++)
      h = (h ^ i) * 1099511628211ul;
  return h;
}
// CHECK-LABEL: unsigned long rounds(unsigned long h) {
// CHECK: { int r = 0; if (0) { hm_pre_1: ;
// CHECK: HM_POLL(hm_poll_1);

// So does one at the top of a static function that is only ever called from
// inside loops: the loops around its calls poll for it (and it stays a function
// the compiler may inline); it gets no entry poll either. `int s = symbol(...)`
// is such a call too.
static unsigned refill(unsigned *acc, int n) {
  while (*acc < (unsigned)n)
    *acc += 8;
  return *acc & 1;
}
static int symbol(unsigned *acc) {
  int code = 0;
  for (int len = 1; len <= 15; len++) {
    code = code << 1 | (int)refill(acc, 1);
    if (code > 3)
      return len;
  }
  return -1;
}
// CHECK-LABEL: static int symbol(unsigned *acc) {
// CHECK-NEXT: int code = 0;
// CHECK-NEXT: for (int len = 1; len <= 15; len++) {
void decode(unsigned *acc, int *out) {
  for (int i = 0; i < 1000; i++) {
    int s = symbol(acc);
    if (s < 0)
      return;
    out[i] = s;
  }
}
// CHECK-LABEL: void decode(unsigned *acc, int *out) {
// CHECK: HM_POLL(

// A static function with a loop that calls the program gets an entry poll when
// it may be called from outside any loop (here from a for loop's
// initialisation, which runs once), and the loop of few iterations in it polls.
static long heavy(long x) {
  for (long j = 0; j < 100000000; j++)
    x = x * 31 + j;
  return x;
}
static int pick(void) {
  int s = 0;
  for (int k = 0; k < 64; k++)
    s += heavy(k) & 1;
  return s;
}
long once(void) {
  long t = 0;
  for (int i = pick(); i < 1; i++)
    t++;
  return t;
}
// CHECK-LABEL: static int pick(void) {
// CHECK-SAME: if (__builtin_expect(hm_rt_mode & (HM_MODE_RESTORE | HM_MODE_PENDING), 0))
// CHECK-SAME: hm_rt_poll();
// CHECK: HM_POLL(hm_poll_1);
