// &&, ||, ?:, the comma operator and loop conditions keep C's evaluation order
// when a call in them may migrate: they become if statements and loop bodies.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument --no-poll %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -Wall -Werror -Wno-unused-value -isystem %hm-include %t.hm.c
#include <hm/migrate.h>

int f(int x) { return x + migrate_now(); }

int forms(int n, int (*fp)(int)) {
  int ok = n > 0 && f(n);
  // CHECK: int hm_c1; int hm_r1; if (n > 0) { if (0) { hm_restore_1: {{.*}} } hm_r1 = f(n); {{.*}} hm_c1 = (hm_r1) != 0; } else hm_c1 = 0; int ok = hm_c1;
  int any = n || f(1);
  // CHECK: if (!(n)) { {{.*}} hm_r2 = f(1); {{.*}} hm_c2 = (hm_r2) != 0; } else hm_c2 = 1; int any = hm_c2;
  int pick = n ? f(2) : 3;
  // CHECK: if (n) { {{.*}} hm_r3 = f(2); {{.*}} hm_c3 = hm_r3; } else { hm_c3 = 3; } int pick = hm_c3;
  int last = (n++, f(n));
  // CHECK: (void)(n++); {{.*}} hm_r4 = f(n); {{.*}} int last = (hm_r4);
  while (f(n) < 3)
    n++;
  // A loop with call sites gets a preheader before it and a header at the top
  // of its body, through which a restore enters it (the loop keeps a single
  // entry); its condition moves below the header.
  // CHECK: { if (0) { hm_pre_[[H:[0-9]+]]: ; {{.*}}&n{{.*}} } while (1) { if (__builtin_expect(hm_rt_mode & HM_MODE_RESTORE, 0)) { if (hm_rt_mode & HM_MODE_RESTORE) switch (hm_site) { case 5: goto hm_restore_5; } } int hm_r5; {{.*}} hm_r5 = f(n); {{.*}} if (!(hm_r5 < 3)) { break; }
  // CHECK-NEXT: n++; } }
  for (int i = 0; i < f(4); i += f(i))
    if (i == 2)
      continue;
  // CHECK: { int i = 0; if (0) { hm_pre_{{[0-9]+}}: ; {{.*}} } for (; ; )
  // CHECK-NEXT: { {{.*}} case 6: goto hm_restore_6; case 7: goto hm_restore_7; } } int hm_r6; {{.*}} hm_r6 = f(4); {{.*}} if (!(i < hm_r6)) { break; }
  // CHECK-SAME: if (i == 2)
  // CHECK-NEXT: goto hm_next_[[L:[0-9]+]]; hm_next_[[L]]: __attribute__((unused)); int hm_r7; {{.*}} hm_r7 = f(i); {{.*}} i += hm_r7; } }
  do
    n--;
  while (f(n) > 0);
  // CHECK: { if (0) { hm_pre_{{[0-9]+}}: ; {{.*}} } do
  // CHECK-NEXT: { {{.*}} } n--; hm_next_{{[0-9]+}}: __attribute__((unused)); int hm_r8; {{.*}} hm_r8 = f(n); {{.*}} if (!(hm_r8 > 0)) { break; } }
  // CHECK-NEXT: while (1); }
  int through = fp(n);
  // A call through a pointer may reach a migration point: it is a call site.
  // CHECK: hm_r9 = fp(n); {{.*}} int through = hm_r9;
  int (*table[2])(int) = {f, fp};
  through += table[n & 1](n);
  // The pointer is evaluated once, before the restore label, and restored with
  // the frame: the restore calls through it again.
  // CHECK: hm_f10 = table[n & 1]; if (0) { hm_restore_10: {{.*}}__builtin_memcpy((void *)&hm_f10, hm_l + {{[0-9]+}}, sizeof hm_f10); } } hm_r10 = hm_f10(n);
  return ok + any + pick + last + through;
}

int main(void) { return forms(1, f); }
