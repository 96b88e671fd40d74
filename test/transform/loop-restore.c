// A restore enters a loop through its preheader, which loads the variables
// declared outside the loop, and its header, which goes on to the site: no
// variable a loop carries is loaded inside it. Counting loops state their
// counter's range where the preheader loads it. (Migrated in e2e/loop-restores.c.)
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument --no-poll %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -Wall -Werror -isystem %hm-include %t.hm.c
#include <hm/migrate.h>

int f(int x) {
  migrate_now();
  return x;
}

long counting(void) {
  long s = 0;
  for (int i = 0; i < 10; i++)
    for (int j = 9; j >= 0; j--)
      s += f(i * j);
  for (unsigned u = 0; u != 8; u += 2)
    s += f((int)u);
  int k;
  for (k = 1; k <= 5; ++k)
    s += f(k);
  return s;
}
// CHECK-LABEL: long counting(void) {
// The entry sends a restore of the nested loops' site to the outer preheader:
// CHECK-SAME: case 1: goto hm_pre_[[OUTER:[0-9]+]];
// The initialisation moves before the preheader; the preheader loads what is
// declared outside the loop (s) and the counter, with its range:
// CHECK: { int i = 0; if (0) { hm_pre_[[OUTER]]: ; { {{.*}}hm_rt_load_vars(hm_vl); __builtin_memcpy((void *)&s, {{.*}} __builtin_memcpy((void *)&i, {{.*}}); } __builtin_assume((long long)i >= 0LL); __builtin_assume((long long)i <= 10LL); } for (; ; i++)
// The outer header sends it on to the inner preheader, which loads j only:
// CHECK-NEXT: { if (__builtin_expect(hm_rt_mode & HM_MODE_RESTORE, 0)) { if (hm_rt_mode & HM_MODE_RESTORE) switch (hm_site) { case 1: goto hm_pre_[[INNER:[0-9]+]]; } } if (!(i < 10)) { break; } { int j = 9; if (0) { hm_pre_[[INNER]]: ; { {{.*}} __builtin_memcpy((void *)&j, hm_l + {{[0-9]+}}, sizeof j); } __builtin_assume((long long)j <= 9LL); __builtin_assume((long long)j >= -1LL); } for (; ; j--)
// and the site loads nothing the loops carry:
// CHECK-NEXT: { {{.*}} case 1: goto hm_restore_1; } } if (!(j >= 0)) { break; } { int hm_a1_1; int hm_r1; hm_a1_1 = i * j; if (0) { hm_restore_1: ; __builtin_memset((void *)&hm_a1_1, 0, sizeof hm_a1_1); } hm_r1 = f(hm_a1_1);
// A step of two: the start only.
// CHECK: __builtin_memcpy((void *)&u, {{.*}}); } __builtin_assume((unsigned long long)u >= 0ULL); } for (; ; u += 2)
// An assignment as the initialisation, and <=: the header sees k == 6 last.
// CHECK: { k = 1; if (0) { hm_pre_{{[0-9]+}}: ; {{.*}}__builtin_memcpy((void *)&k, {{.*}}); } __builtin_assume((long long)k >= 1LL); __builtin_assume((long long)k <= 6LL); } for (; ; ++k)

long not_counting(int n) {
  long s = 0;
  for (int i = 0; i < 10; i++) {
    if (f(i)) i++;
    s += i;
  }
  switch (n) {
  case 0:
    for (int i = 0; i < 4; i++) {
    case 1:
      s += f(n);
    }
  }
  return s;
}
// No range where the body changes the counter, or where a jump from outside
// (a case label, as in Duff's device) can enter the loop:
// CHECK-LABEL: long not_counting(int n) {
// CHECK: __builtin_memcpy((void *)&i, hm_l + {{[0-9]+}}, sizeof i); } } for (; ; i++)
// CHECK: __builtin_memcpy((void *)&i_hm1, hm_l + {{[0-9]+}}, sizeof i_hm1); } } for (; ; i_hm1++)

char *cursor(const char *text) {
  static char keep[8];
  char *p = keep;
  for (int r = 0; r < 2; r++) {
    char word[8];
    word[0] = text[r];
    p = word;
    f(*p);
    keep[r] = *p;
  }
  return keep;
}
// A pointer declared outside a loop may point to an array declared inside it,
// which is bound only at the site: the site loads the pointers, after binding.
// CHECK-LABEL: char *cursor(const char *text) {
// CHECK: if (0) { hm_pre_{{[0-9]+}}: ; { static const unsigned hm_vl[] = { 1, {{[0-9]+}} }; {{[^}]*}}__builtin_memcpy((void *)&r, {{[^}]*}} } {{[^}]*}} }
// CHECK: hm_restore_1: ; hm_rt_bind({{[0-9]+}}, (void *)&word); { {{.*}} __builtin_memcpy((void *)&text, {{.*}} __builtin_memcpy((void *)&p, {{.*}} } {{.*}} } f(hm_a1_1);
