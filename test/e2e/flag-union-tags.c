// Unions whose active member a flag bit of a status word selects, as Lua's
// CallInfo keeps them: `u` holds a Lua frame's saved pc or a C frame's
// continuation, by `callstatus & CIST_C`; `u2` holds transfer information while
// CIST_TRAN is set and one of three ints otherwise. The code says so only in its
// tests (`isLua(ci)`, `ci->callstatus & CIST_TRAN`, `ci == NULL || !(...)`), and
// hmcc reads the tags there. The values differ by member between every pair of
// targets (a negative long beside two ints, two shorts beside an int across byte
// orders), so a wrong member would show in the output.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: flag-union-tags: 12 pairs x 6 points: 72 of 72 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

#define CIST_C (1 << 1)
#define CIST_FRESH (1 << 2)
#define CIST_TRAN (1 << 8)
#define isLua(ci) (!((ci)->callstatus & CIST_C))

typedef int (*KFunction)(int status, long ctx);

typedef struct CallInfo {
  struct CallInfo *previous, *next;
  union {
    struct { /* only for "Lua" frames */
      const int *savedpc;
      volatile int trap;
      int nextraargs;
    } l;
    struct { /* only for "C" frames */
      KFunction k;
      long old_errfunc;
      long ctx;
    } c;
  } u;
  union {
    int funcidx;
    int nyield;
    int nres;
    struct {
      unsigned short ftransfer;
      unsigned short ntransfer;
    } transferinfo;
  } u2;
  short nresults;
  unsigned short callstatus;
} CallInfo;

static const int code[] = {10, 20, 30, 40, 50, 60, 70, 80};

static int finish(int status, long ctx) { return status + (int)(ctx % 1000); }

static CallInfo *push(CallInfo *ci, unsigned short status) {
  CallInfo *n = calloc(1, sizeof *n);
  n->previous = ci;
  if (ci)
    ci->next = n;
  n->callstatus = status;
  return n;
}

static long describe(const CallInfo *ci) {
  long h = ci->nresults;
  if (isLua(ci))
    h = h * 31 + (ci->u.l.savedpc - code) * 7 + ci->u.l.trap + ci->u.l.nextraargs;
  else
    h = h * 31 + ci->u.c.k(2, ci->u.c.ctx) + ci->u.c.old_errfunc;
  if (ci == NULL || !(ci->callstatus & CIST_TRAN))
    h = h * 17 + ci->u2.nres;
  else
    h = h * 17 + ci->u2.transferinfo.ftransfer * 100 + ci->u2.transferinfo.ntransfer;
  return h;
}

static long walk(CallInfo *top, int depth) {
  long sum = 0;
  for (CallInfo *ci = top; ci; ci = ci->previous) {
    sum = sum * 3 + describe(ci);
    migrate_now();
  }
  if (depth > 0) {
    CallInfo *ci = push(top, (unsigned short)(depth % 2 ? CIST_C : CIST_FRESH));
    if (ci->callstatus & CIST_C) {
      ci->u.c.k = finish;
      ci->u.c.old_errfunc = -5L * depth;
      ci->u.c.ctx = 0x12345L + depth;
      ci->u2.funcidx = 0x10002 + depth;
    } else {
      ci->u.l.savedpc = code + depth;
      ci->u.l.trap = depth;
      ci->u.l.nextraargs = -depth;
      ci->callstatus |= CIST_TRAN;
      ci->u2.transferinfo.ftransfer = (unsigned short)(3 + depth);
      ci->u2.transferinfo.ntransfer = (unsigned short)(700 + depth);
    }
    ci->nresults = (short)-depth;
    sum += walk(ci, depth - 1);
    ci->previous->next = NULL;
    free(ci);
  }
  return sum;
}

int main(void) {
  CallInfo *base = push(NULL, CIST_C);
  base->u.c.k = finish;
  base->u.c.ctx = -77;
  base->u2.nres = -3;
  printf("%ld\n", walk(base, 2));
  free(base);
  return 0;
}
