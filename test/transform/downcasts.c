// hm-instrument reads which struct each value of a header's tag means off the
// casts the code makes under a test of the tag: a switch case (a group of
// labels shares its body), an if, an &&; a cast `(T *)o` or a member of a union
// `o` is cast to. A value whose casts disagree is left out; a group with no
// cast says nothing; the header itself and unions are not votes.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -Wall -Werror -isystem %hm-include %t.hm.c
#include <hm/migrate.h>

struct obj { struct obj *next; unsigned char tt; };
struct str { struct obj *next; unsigned char tt; char s[8]; };
struct tab { struct obj *next; unsigned char tt; struct obj *items; };
struct fun { struct obj *next; unsigned char tt; int (*f)(int); };
struct odd { struct obj *next; unsigned char tt; long v; };
union any { struct obj o; struct str s; struct tab t; struct fun f; };

enum { T_STR = 4, T_LSTR = 20, T_TAB = 5, T_FUN = 6, T_ODD = 7, T_NONE = 8 };

long size(struct obj *o) {
  switch (o->tt) {
  case T_STR:
  case T_LSTR:
    return sizeof ((struct str *)o)->s;
  case T_TAB:
    return ((union any *)o)->t.items != 0;
  case T_ODD: // casts to two structs: left out
    return ((struct odd *)o)->v + ((struct tab *)o)->items->tt;
  case T_NONE:
    return 0;
  }
  if (o->tt == T_FUN)
    return ((struct fun *)o)->f(1);
  return o->tt == T_ODD && ((struct odd *)o)->v;
}

// CHECK: static const struct hm_downcast hm_downcasts[] = {
// CHECK-NEXT: { &[[OBJ:hm_t[0-9]+]], 1, 4LL, &[[STR:hm_t[0-9]+]] },
// CHECK-NEXT: { &[[OBJ]], 1, 5LL, &{{hm_t[0-9]+}} },
// CHECK-NEXT: { &[[OBJ]], 1, 6LL, &{{hm_t[0-9]+}} },
// CHECK-NEXT: { &[[OBJ]], 1, 20LL, &[[STR]] },
// CHECK-NEXT: };
// CHECK: .downcasts = hm_downcasts,
// CHECK-NEXT: .ndowncasts = 4,
