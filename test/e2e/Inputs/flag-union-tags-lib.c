// The unit of flag-union-tags.c that tests CallInfo's flags: the other one
// allocates the frames, and takes the tags this unit's code says.
#include <stddef.h>

#include "flag-union-tags.h"

static int finish(int status, long ctx) { return status + (int)(ctx % 1000); }

const int code[] = {10, 20, 30, 40, 50, 60, 70, 80};

long describe(const CallInfo *ci) {
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

void fill(CallInfo *ci, int depth) {
  if (ci->callstatus & CIST_C) {
    ci->u.c.k = finish;
    ci->u.c.old_errfunc = -5L * depth;
    ci->u.c.ctx = 0x12345L + depth;
  } else {
    ci->u.l.savedpc = code + depth;
    ci->u.l.trap = depth;
    ci->u.l.nextraargs = -depth;
  }
  ci->u2.funcidx = 0x10002 + depth;
  if (!isLua(ci))
    return;
  ci->callstatus |= CIST_TRAN;
  ci->u2.transferinfo.ftransfer = (unsigned short)(3 + depth);
  ci->u2.transferinfo.ntransfer = (unsigned short)(700 + depth);
}
