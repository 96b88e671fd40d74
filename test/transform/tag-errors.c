// HM_UNION_TAG mistakes are build errors that say what is wrong.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: not %hm-instrument %t.i -o %t.hm.c -- -w 2>&1 | FileCheck %s
#include <hm/migrate.h>

struct a {
  int kind;
  union { int i; float f; } u HM_UNION_TAG("knd: 0=i 1=f");
  // CHECK: tag-errors.c:[[@LINE-1]]:29: error: HM_UNION_TAG: 'knd' is not an integer field beside 'u'
} va;

struct b {
  int kind;
  union { int i; float f; } u HM_UNION_TAG("kind: 0=i 1=g");
  // CHECK: tag-errors.c:[[@LINE-1]]:29: error: HM_UNION_TAG: cannot read '1=g' (want VALUE=member, VALUE an integer or an enumerator, within the mask if there is one)
} vb;

struct c {
  int kind;
  int not_union HM_UNION_TAG("kind: 0=i");
  // CHECK: tag-errors.c:[[@LINE-1]]:7: error: HM_UNION_TAG names a field that is not a union
} vc;

struct d {
  unsigned flags;
  union { int i; float f; } u HM_UNION_TAG("flags & F_ONE: 0=i 4=f");
  // CHECK: tag-errors.c:[[@LINE-1]]:29: error: HM_UNION_TAG: cannot read the mask 'F_ONE' (want an integer or an enumerator)
} vd;

struct e {
  unsigned flags;
  union { int i; float f; } u HM_UNION_TAG("flags & 2: 0=i 4=f");
  // CHECK: tag-errors.c:[[@LINE-1]]:29: error: HM_UNION_TAG: cannot read '4=f' (want VALUE=member, VALUE an integer or an enumerator, within the mask if there is one)
} ve;

int main(void) { return migrate_now(); }
