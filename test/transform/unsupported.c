// Calls that may migrate where this slice cannot hoist them are refused with the
// place and the reason.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: not %hm-instrument %t.i -o %t.hm.c -- -w 2>&1 | FileCheck %s
#include <hm/migrate.h>

int f(int x) { return x + migrate_now(); }

int main(void) {
  int n = 0;
  while (f(n) < 3)
    n++;
  // CHECK: unsupported.c:[[@LINE-2]]:10: error: a call that may migrate in the condition of a while loop is not supported yet
  int ok = n > 0 && f(n);
  // CHECK: unsupported.c:[[@LINE-1]]:21: error: a call that may migrate in the right operand of && is not supported yet
  int pick = n ? f(1) : 2;
  // CHECK: unsupported.c:[[@LINE-1]]:18: error: a call that may migrate in a branch of ?: is not supported yet
  for (int i = 0; i < 3; i += f(i))
    ;
  // CHECK: unsupported.c:[[@LINE-2]]:26: error: a call that may migrate in the increment of a for loop is not supported yet
  return ok + pick;
}
