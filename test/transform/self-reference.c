// An initialiser may name the variable it initialises for its type (C's scope
// starts at the declarator): its calls are hoisted before the declaration, so
// there the name becomes a null pointer's target of the same type.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -Wall -Werror -isystem %hm-include %t.hm.c
#include <hm/migrate.h>

struct entry {
  int key;
  struct entry *next;
};

void *grab(unsigned long n) {
  migrate_now();
  return 0;
}

int main(void) {
  struct entry *e = grab(sizeof *e);
  // CHECK: hm_a1_1 = sizeof *(*(struct entry **)0);
  // A call that hands out memory for a T places one there, wrapped where the
  // hoisted call now is.
  // CHECK: hm_r1 = hm_rt_place(grab((unsigned long)hm_rt_keep_size(hm_a1_1, &hm_site_0)), &hm_site_0);
  // CHECK: struct entry *e = hm_r1;
  long n = (long)grab(sizeof n) + (long)sizeof n;
  // CHECK: hm_a2_1 = sizeof (*(long *)0);
  // CHECK: long n = (long)hm_rt_number(hm_r2) + (long)sizeof (*(long *)0);
  // Inside a condition call-sites rewrites as a whole (SQLite's
  // `if (create && (pBest = sqlite3DbMallocZero(db, sizeof(*pBest) + n)) != 0)`),
  // the wrap goes with the moved call, and the unit compiles (last RUN line).
  // CHECK: = hm_rt_place(grab((unsigned long)hm_rt_keep_size(hm_a3_1, &hm_site_1)), &hm_site_1);
  struct entry *f;
  if (n > 0 && (f = grab(sizeof(*f) + 8)) != 0)
    n += f != e;
  return e ? e->key : (int)n;
}
