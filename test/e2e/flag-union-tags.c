// Unions whose active member a flag bit of a status word selects, as Lua's
// CallInfo keeps them: `u` holds a Lua frame's saved pc or a C frame's
// continuation, by `callstatus & CIST_C`; `u2` holds transfer information while
// CIST_TRAN is set and one of three ints otherwise. The code says so only in its
// tests (`isLua(ci)`, `ci->callstatus & CIST_TRAN`, `ci == NULL || !(...)`), and
// hmcc reads the tags there. As in Lua, the unit that tests the flags
// (Inputs/flag-union-tags-lib.c) is not the one that allocates the frames (this
// one): the struct's tags hold in every unit. The values differ by member
// between every pair of targets (a negative long beside two ints, two shorts
// beside an int across byte orders), so a wrong member would show in the output.
// A spare CallInfo (Lua keeps them past L->ci, never set) holds garbage: its
// tag names a member whose pointers point nowhere, so the value is dead, not a
// reason to refuse.
// RUN: %migrate-matrix --points all %s %S/Inputs/flag-union-tags-lib.c | FileCheck %s
// CHECK: flag-union-tags: 12 pairs x 6 points: 72 of 72 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "Inputs/flag-union-tags.h"

CallInfo *spare_ci;

static CallInfo *push(CallInfo *ci, unsigned short status) {
  CallInfo *n = calloc(1, sizeof *n);
  n->previous = ci;
  if (ci)
    ci->next = n;
  n->callstatus = status;
  return n;
}

static long walk(CallInfo *top, int depth) {
  long sum = 0;
  for (CallInfo *ci = top; ci; ci = ci->previous) {
    sum = sum * 3 + describe(ci);
    migrate_now();
  }
  if (depth > 0) {
    CallInfo *ci = push(top, (unsigned short)(depth % 2 ? CIST_C : CIST_FRESH));
    fill(ci, depth);
    ci->nresults = (short)-depth;
    sum += walk(ci, depth - 1);
    ci->previous->next = NULL;
    free(ci);
  }
  return sum;
}

int main(void) {
  spare_ci = malloc(sizeof *spare_ci);
  memset(spare_ci, 0x5a, sizeof *spare_ci); /* callstatus has CIST_C: u.c.k is garbage */
  spare_ci->previous = spare_ci->next = NULL;
  CallInfo *base = push(NULL, CIST_C);
  fill(base, 0);
  base->u.c.ctx = -77;
  base->u2.nres = -3;
  printf("%ld\n", walk(base, 2));
  free(base);
  free(spare_ci);
  return 0;
}
