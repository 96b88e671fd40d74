// A loop whose call clang may make once, before the loop, has no poll point in
// it (an asm goto is a store to the optimiser: it kept the call in the loop);
// it polls once right after the loop instead. Such a loop writes no memory
// (only locals whose address is never taken), calls only functions that only
// read, and on every iteration calls one with arguments the loop never changes.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -Wall -Werror -isystem %hm-include %t.hm.c
#include <string.h>

struct tree { int value; struct tree *left, *right; };

// Only reads: a recursion, and a function with a tight loop and a library call.
static long total(const struct tree *t) {
  return t ? t->value + total(t->left) + total(t->right) : 0;
}
static long weight(const struct tree *t, const char *name) {
  long n = (long)strlen(name);
  while (t) {
    n += t->value;
    t = t->left;
  }
  return n;
}
// Writes memory: not a function that only reads.
static long count;
static long counted(const struct tree *t) {
  count++;
  return t ? 1 : 0;
}

long repeated(const struct tree *t, int times) {
  long sum = 0;
  for (int i = 0; i < times; i++)
    sum += total(t) + weight(t, "x");
  return sum;
}
// CHECK-LABEL: long repeated(const struct tree *t, int times) {
// CHECK-NOT: HM_POLL(hm_poll_
// CHECK: { for (int i = 0; i < times; i++)
// CHECK-NEXT: sum += total(t) + weight(t, {{.*}}); HM_POLL(hm_xpoll_[[X:[0-9]+]]); if (0) { hm_xpoll_[[X]]: ; {{.*}} hm_rt_poll(); {{.*}} } }
// CHECK-NEXT: return sum;

// A while loop and a do loop, whose call is in the condition.
long waits(const struct tree *t, long limit) {
  long n = 0;
  while (total(t) > n && n < limit)
    n++;
  do
    n--;
  while (weight(t, "y") < n);
  return n;
}
// CHECK-LABEL: long waits(const struct tree *t, long limit) {
// CHECK-NOT: HM_POLL(hm_poll_
// CHECK: { while (total(t) > n && n < limit)
// CHECK-NEXT: n++; HM_POLL(hm_xpoll_{{[0-9]+}}); {{.*}} }
// CHECK-NEXT: { do
// CHECK-NEXT: n--;
// CHECK-NEXT: while (weight(t, {{.*}}) < n); HM_POLL(hm_xpoll_{{[0-9]+}}); {{.*}} }
// CHECK-NEXT: return n;

// Each of these keeps its poll point at the loop's header: the arguments
// change, the call is not made on every iteration, the loop writes memory, it
// calls a function that writes memory, it may leave early, its argument is a
// local declared in the loop.
long varies(const struct tree *t, int times) {
  long sum = 0;
  for (int i = 0; i < times; i++) {
    sum += total(t + i);
    if (sum > 100)
      sum -= total(t);
  }
  return sum;
}
// CHECK-LABEL: long varies(
// CHECK: HM_POLL(hm_poll_
// CHECK-NOT: hm_xpoll
// CHECK-LABEL: return sum;
long sometimes(const struct tree *t, int times) {
  long sum = 0;
  for (int i = 0; i < times; i++)
    if (i & 1)
      sum += total(t);
  return sum;
}
// CHECK-LABEL: long sometimes(
// CHECK: HM_POLL(hm_poll_
// CHECK-NOT: hm_xpoll
// CHECK-LABEL: return sum;
long stores(const struct tree *t, long *out, int times) {
  for (int i = 0; i < times; i++)
    out[i] = total(t);
  return out[0];
}
// CHECK-LABEL: long stores(
// CHECK: HM_POLL(hm_poll_
// CHECK-NOT: hm_xpoll
// CHECK-LABEL: return out[0];
long calls_writer(const struct tree *t, int times) {
  long sum = 0;
  for (int i = 0; i < times; i++)
    sum += counted(t) + total(t);
  return sum;
}
// CHECK-LABEL: long calls_writer(
// CHECK: HM_POLL(hm_poll_
// CHECK-NOT: hm_xpoll
// CHECK-LABEL: return sum;
long leaves(const struct tree *t, int times) {
  long sum = 0;
  for (int i = 0; i < times; i++) {
    if (sum > 1000)
      break;
    sum += total(t);
  }
  return sum;
}
// CHECK-LABEL: long leaves(
// CHECK: HM_POLL(hm_poll_
// CHECK-NOT: hm_xpoll
// CHECK-LABEL: return sum;

long declares(const struct tree *t, int times) {
  long sum = 0;
  for (int i = 0; i < times; i++) {
    const struct tree *at = t + (i & 1);
    sum += total(at);
  }
  return sum;
}
// CHECK-LABEL: long declares(
// CHECK: HM_POLL(hm_poll_
// CHECK-NOT: hm_xpoll
// CHECK-LABEL: return sum;

// Inside a loop, the loop around it polls for it.
long nested(const struct tree *t, int times, long *out) {
  for (int j = 0; j < times; j++) {
    long sum = 0;
    for (int i = 0; i < times; i++)
      sum += total(t);
    out[j] = sum;
  }
  return out[0];
}
// CHECK-LABEL: long nested(
// CHECK: for (; ; j++) { HM_POLL(hm_poll_
// CHECK-NOT: hm_xpoll
// CHECK: for (int i = 0; i < times; i++)
// CHECK-NEXT: sum += total(t);
// CHECK-NOT: hm_xpoll
// CHECK-LABEL: return out[0];
