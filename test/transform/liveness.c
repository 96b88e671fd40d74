// A site carries only the variables the function may read again (liveness on
// clang's CFG): a pointer to a block given back is dead, and carried it would
// type whatever block takes its address next. A dead variable the site itself
// restores is left out, and so is one a loop's preheader restores that the
// loop never reads; one it reads elsewhere is saved as zeros if it holds a
// pointer (an integer is saved as it is). What a restore runs again
// (the call's statement from the call on) counts as read; a variable whose
// address is taken, and every variable of a function that calls setjmp, is
// always carried.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -Wall -Werror -isystem %hm-include %t.hm.c
#include <hm/migrate.h>
#include <setjmp.h>
#include <stdlib.h>

struct node { struct node *next; int value; };
struct node *grow(struct node *list);

int after_free(struct node *list) {
  struct node *first = list;
  int n = first->value;
  free(first);
  migrate_now();
  return n;
}
// Only n: list and first are dead.
// CHECK-LABEL: int after_free(struct node *list) {
// CHECK: free(first);
// CHECK-NEXT: { if (0) { hm_restore_1: ; { static const unsigned hm_vl[] = { 1, 0 }; {{.*}} __builtin_memcpy((void *)&n, hm_l + 0, sizeof n); } } migrate_now(); {{.*}} static const unsigned hm_vs[] = { 1, 0 }; {{.*}} __builtin_memcpy(hm_b + 0, (const void *)&n, sizeof n); { int hm_z;

int in_expression(int weight) { return weight + migrate_now(); }
// weight is read before the call, but the restore runs `weight + hm_r1` again.
// CHECK-LABEL: int in_expression(int weight) {
// CHECK-SAME: hm_vs[] = { 1, 0 }; {{.*}}(const void *)&weight, sizeof weight);

struct node *reassigned(struct node *list) {
  struct node *old = list;
  free(old);
  old = grow(0);
  list = grow(list);
  return old ? list : old;
}
// old's freed value is dead at the first site (it is assigned the call's
// value); list is read by the second call.
// CHECK-LABEL: struct node *reassigned(struct node *list) {
// CHECK: free(old);
// CHECK-NEXT: hm_vl[] = { 1, 0 }; {{.*}}(void *)&list, {{.*}} hm_r1 = grow(0); {{.*}} hm_vs[] = { 1, 0 }; {{.*}}(const void *)&list, sizeof list); { struct node *hm_z;
// CHECK-NEXT: hm_vl[] = { 2, 0, 1 }; {{.*}} hm_r2 = grow(list);

long outer_dead(struct node *list, long n) {
  struct node *head = list;
  long count = n;
  long total = 0;
  free(head);
  for (long i = 0; i < count; ++i)
    total += migrate_now();
  return total;
}
// Declared outside the loop, which never reads them (nor does anything after
// it): list, n and head are carried neither by the loop's preheader nor by its
// sites (reuse, below, has one the loop reads: saved as null).
// CHECK-LABEL: long outer_dead(struct node *list, long n) {
// CHECK: hm_pre_1: ; { static const unsigned hm_vl[] = { 3, 0, 1, 2 }; {{.*}} __builtin_memcpy((void *)&count, hm_l + 0, sizeof count); __builtin_memcpy((void *)&total, hm_l + 8, sizeof total); __builtin_memcpy((void *)&i, hm_l + 16, sizeof i); }
// CHECK-NEXT: hm_rt_save_frame(&hm_fn_outer_dead, 2, hm_vs); __builtin_memcpy(hm_b + 0, (const void *)&count, sizeof count); __builtin_memcpy(hm_b + 8, (const void *)&total, sizeof total); __builtin_memcpy(hm_b + 16, (const void *)&i, sizeof i); {
// CHECK-SAME: hm_rt_save_frame(&hm_fn_outer_dead, 1, hm_vs); __builtin_memcpy(hm_b + 0, (const void *)&count, sizeof count); __builtin_memcpy(hm_b + 8, (const void *)&total, sizeof total); __builtin_memcpy(hm_b + 16, (const void *)&i, sizeof i); {

long read_after(struct node *list, long limit) {
  struct node *p = list;
  long sum = 0;
  while (p && sum < limit) {
    sum += p->value;
    p = grow(p);
  }
  free(list);
  return sum + limit;
}
// At the loop's header poll point everything is read again (list after the loop).
// CHECK-LABEL: long read_after(struct node *list, long limit) {
// CHECK: hm_rt_save_frame(&hm_fn_read_after, 3, hm_vs); __builtin_memcpy(hm_b + 0, (const void *)&list, sizeof list); __builtin_memcpy(hm_b + 8, (const void *)&limit, sizeof limit); __builtin_memcpy(hm_b + 16, (const void *)&p, sizeof p); __builtin_memcpy(hm_b + 24, (const void *)&sum, sizeof sum);

int address_taken(void) {
  int *cell = malloc(sizeof *cell);
  int **where = &cell;
  free(*where);
  return migrate_now();
}
// CHECK-LABEL: int address_taken(void) {
// CHECK: hm_rt_save_at(0, (const void *)&cell);

jmp_buf back;
int with_setjmp(struct node *list) {
  struct node *dead = list;
  free(dead);
  if (setjmp(back))
    return 1;
  return migrate_now();
}
// A longjmp comes back to the setjmp by a way the CFG does not show.
// CHECK-LABEL: int with_setjmp(struct node *list) {
// CHECK: hm_rt_save_frame(&hm_fn_with_setjmp, 1, hm_vs); __builtin_memcpy(hm_b + 0, (const void *)&list, sizeof list); __builtin_memcpy(hm_b + 8, (const void *)&dead, sizeof dead);

double relax(double *cells, int n) {
  int cols = n + 2;
  migrate_now();
  double (*grid)[cols] = (double (*)[cols])cells;
  return grid[1][1];
}
// cols is read by the types of grid and of the cast, which the CFG does not show.
// CHECK-LABEL: double relax(double *cells, int n) {
// CHECK: migrate_now(); {{.*}} __builtin_memcpy(hm_b + 0, (const void *)&cells, sizeof cells); __builtin_memcpy(hm_b + 8, (const void *)&cols, sizeof cols);

long reuse(int rounds) {
  long total = 0;
  struct node *p = 0;
  for (int r = 0; r < rounds; ++r) {
    p = grow(0);
    total += p->value;
    free(p);
  }
  return total;
}
// At the header (right before the condition) p is dead: the body assigns it
// before it reads it. Saved as null at the poll point and at the call.
// CHECK-LABEL: long reuse(int rounds) {
// CHECK: hm_rt_save_frame(&hm_fn_reuse, 3, hm_vs); __builtin_memcpy(hm_b + 0, (const void *)&rounds, sizeof rounds); __builtin_memcpy(hm_b + 8, (const void *)&total, sizeof total); __builtin_memset(hm_b + 16, 0, sizeof p);
// CHECK: hm_r2 = grow(0); {{.*}} __builtin_memset(hm_b + 16, 0, sizeof p);

long guarded(struct node *p, long n) {
  long sum = 0;
  while (p && n > 0) {
    p = grow(0);
    sum += p->value + migrate_now();
    --n;
  }
  return sum;
}
// The header polls before the whole condition: p, read by its left operand
// (in a block of its own), is live there, though the body assigns it first.
// CHECK-LABEL: long guarded(struct node *p, long n) {
// CHECK: hm_poll_1: ; {{.*}} __builtin_memcpy(hm_b + 0, (const void *)&p, sizeof p); __builtin_memcpy(hm_b + 8, (const void *)&n, sizeof n);
