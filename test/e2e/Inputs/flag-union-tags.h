// The frames of flag-union-tags.c: Lua's CallInfo, reduced.
#ifndef FLAG_UNION_TAGS_H
#define FLAG_UNION_TAGS_H

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

extern const int code[];
long describe(const CallInfo *ci);
void fill(CallInfo *ci, int depth);

#endif
