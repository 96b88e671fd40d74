// Each form of call that may migrate becomes a call site: hoisted into its own
// declaration, restore label before it, capture check after it.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument --no-poll %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -Wall -Werror -isystem %hm-include %t.hm.c
#include <hm/migrate.h>

int leaf(int v) { return v + migrate_now(); }
// CHECK-LABEL: int leaf(int v) {
// CHECK-SAME: if (__builtin_expect(hm_rt_mode & HM_MODE_RESTORE, 0)) { if (hm_rt_mode & HM_MODE_RESTORE) { hm_site = hm_rt_resume(&hm_fn_leaf); switch (hm_site) { case 1: goto hm_restore_1; default: hm_rt_bad_site(&hm_fn_leaf, hm_site); } } }
// The restore reads the variables back from one buffer of the runtime's (their
// list: how many, then their indices), the capture copies them into one, each
// at its offset:
// CHECK-SAME: { int hm_r1; if (0) { hm_restore_1: ; { static const unsigned hm_vl[] = { 1, 0 }; const unsigned char *hm_l = (const unsigned char *)hm_rt_load_vars(hm_vl); __builtin_memcpy((void *)&v, hm_l + 0, sizeof v); } } hm_r1 = migrate_now(); if (__builtin_expect(hm_rt_mode & HM_MODE_CAPTURE, 0)) { static const unsigned hm_vs[] = { 1, 0 }; unsigned char *hm_b = (unsigned char *)hm_rt_save_frame(&hm_fn_leaf, 1, hm_vs); __builtin_memcpy(hm_b + 0, (const void *)&v, sizeof v); { int hm_z; __builtin_memset(&hm_z, 0, sizeof hm_z); return hm_z; } } return v + hm_r1; }

int pure(int v) { return v * 3; }
// A function that cannot reach a migration point is left alone.
// CHECK-LABEL: int pure(int v) { return v * 3; }

void forms(int a) {
  leaf(a);
  // CHECK: { if (0) { hm_restore_1: {{.*}} } leaf(a); if (__builtin_expect(hm_rt_mode & HM_MODE_CAPTURE, 0)) { {{.*}}hm_rt_save_frame(&hm_fn_forms, 1, hm_vs); {{.*}} return; } ; }
  a = leaf(a + 1);
  // An argument with arithmetic is evaluated once, before the restore label.
  // CHECK: { int hm_a2_1; int hm_r2; hm_a2_1 = a + 1; if (0) { hm_restore_2: {{.*}}__builtin_memset((void *)&hm_a2_1, 0, sizeof hm_a2_1); } hm_r2 = leaf(hm_a2_1); {{.*}} a = hm_r2; }
  int b = leaf(a) + pure(a);
  // CHECK: int hm_r3; if (0) { hm_restore_3: {{.*}} } hm_r3 = leaf(a); {{.*}} int b = hm_r3 + pure(a);
  if (leaf(b))
    b++;
  // CHECK: { int hm_r4; {{.*}} hm_r4 = leaf(b); {{.*}} if (hm_r4)
  // CHECK-NEXT: b++; }
  int c = leaf(leaf(b));
  // The inner call's result is an argument of the outer one: dead at the outer site.
  // CHECK: int hm_r5; int hm_r6; {{.*}} hm_r5 = leaf(b); {{.*}} if (0) { hm_restore_6: {{.*}}__builtin_memset((void *)&hm_r5, 0, sizeof hm_r5); } hm_r6 = leaf(hm_r5); {{.*}} int c = hm_r6;
  (void)c;
}

// Two calls in one expression: the first result is live at the second site.
int pair(void) { return leaf(1) + leaf(2); }
// CHECK-LABEL: int pair(void)
// CHECK-SAME: hm_r1 = leaf(1);
// CHECK-SAME: if (0) { hm_restore_2: ; { static const unsigned hm_vl[] = { 1, 0 }; {{.*}} __builtin_memcpy((void *)&hm_r1, hm_l + 0, sizeof hm_r1); } }
// CHECK-SAME: return hm_r1 + hm_r2;

int main(void) {
  forms(1);
  return pair();
}
// main captures its own frame last, then writes the image.
// If the program goes on here (a checkpoint, a failed migration), main resumes
// at the same site, by a way back of its own.
// CHECK-LABEL: int main(void) { unsigned hm_site; hm_rt_main_enter(0, 0);
// CHECK-SAME: if (0) { hm_again_1: hm_site = hm_rt_resume(&hm_fn_main); goto hm_restore_1; hm_again_2: hm_site = hm_rt_resume(&hm_fn_main); goto hm_restore_2; }
// CHECK: hm_rt_capture_complete(); goto hm_again_1;

// The variables' table gives each one's offset in the buffer, the function's its size:
// CHECK: { "v", &hm_t{{[0-9]+}}, "call-forms.c:9", 0, 0 },
// CHECK: static const struct hm_func hm_fn_leaf = { "leaf", hm_vars_leaf, 1, 1, 4 };
// CHECK: static const struct hm_func hm_fn_pair = { "pair", hm_vars_pair, 1, 2, 4 };
// CHECK: __attribute__((constructor)) static void hm_register_self(void) { hm_rt_register_unit(&hm_unit_self); }
