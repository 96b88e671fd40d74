// Objects a call of the program's own places inside a heap block migrate:
// (T *)f(..., sizeof(T)) says a T lives where f's result points, which no
// pointer type says when the program keeps only a pointer to the block's
// header. The shapes are Lua's: userdata (a header, then the user's bytes at
// offsetof(short header, bindata), the full header's later fields not being
// there), and the main state allocated as one struct through the allocator's
// function pointer. Every pair of targets lays the user's bytes out anew.
// zlib's ZALLOC(strm, items, sizeof(Pos)) places an array of items elements.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: placed-objects: 12 pairs x 2 points: 24 of 24 migrations match
#include <hm/migrate.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct table;
union uvalue {
  double n;
  void *p;
};
// The full header, and the short one a userdata without user values has.
struct udata {
  struct udata *next;
  unsigned char tt, marked;
  unsigned short nuvalue;
  size_t len;
  struct table *metatable;
  struct udata *gclist;
  union uvalue uv[1];
};
struct udata0 {
  struct udata *next;
  unsigned char tt, marked;
  unsigned short nuvalue;
  size_t len;
  struct table *metatable;
  union {
    double n;
    void *p;
    long l;
  } bindata;
};
#define memoffset(nuv)                                                                   \
  ((nuv) == 0 ? offsetof(struct udata0, bindata)                                        \
              : offsetof(struct udata, uv) + sizeof(union uvalue) * (nuv))
#define getmem(u) ((char *)(u) + memoffset((u)->nuvalue))

static struct udata *all; // what the program keeps: the headers only

static void *new_userdata(size_t size, unsigned char kind) {
  struct udata *u = malloc(memoffset(0) + size);
  u->next = all;
  u->tt = 7;
  u->marked = kind;
  u->nuvalue = 0;
  u->len = size;
  u->metatable = NULL;
  all = u;
  return getmem(u);
}

typedef int (*closer)(FILE *);
struct stream { // liolib's luaL_Stream
  FILE *f;
  closer closef;
};
struct ranstate { // lmathlib's RanState
  uint64_t s[4];
};
struct matcher { // lstrlib's GMatchState
  const char *src, *p, *lastmatch;
  int level;
};

static int noclose(FILE *f) { return f == stdout ? 1 : 2; }

static const char text[] = "alpha beta gamma delta";

// The main state: a thread, then the global state, in one struct.
typedef void *(*alloc_fn)(void *ud, void *ptr, size_t osize, size_t nsize);
struct global;
struct thread {
  struct global *g;
  long depth;
  double acc;
};
struct global {
  struct thread *main;
  long counter;
  long hist[5];
};
struct lg {
  struct {
    char extra[sizeof(void *)];
    struct thread l;
  } lx;
  struct global g;
};

static void *l_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(ptr);
    return NULL;
  }
  return realloc(ptr, nsize);
}

// zlib's ZALLOC(strm, items, size): the sizeof is one element's, the count
// another argument; the piece is an array of them.
static void *zalloc(void *opaque, unsigned items, unsigned size) {
  (void)opaque;
  return calloc(items, size);
}
static unsigned short *prev;

static struct thread *new_state(alloc_fn f) {
  struct lg *lg = (struct lg *)(*f)(NULL, NULL, 8, sizeof(struct lg));
  lg->lx.l.g = &lg->g;
  lg->lx.l.depth = 0;
  lg->lx.l.acc = 0.5;
  lg->g.main = &lg->lx.l;
  lg->g.counter = 0;
  for (int i = 0; i < 5; i++)
    lg->g.hist[i] = 0;
  return &lg->lx.l; // only a pointer into the block's middle is kept
}

static long walk(struct thread *L, int n) {
  if (n == 0) {
    migrate_now();
    return L->g->counter;
  }
  L->depth++;
  L->acc *= 1.25;
  L->g->counter += n;
  L->g->hist[n % 5] += n;
  return walk(L, n - 1) + 1;
}

int main(void) {
  struct thread *L = new_state(l_alloc);
  struct stream *s = (struct stream *)new_userdata(sizeof(struct stream), 1);
  s->f = stdout;
  s->closef = noclose;
  struct ranstate *r = (struct ranstate *)new_userdata(sizeof(struct ranstate), 2);
  for (int i = 0; i < 4; i++)
    r->s[i] = 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
  struct matcher *m = (struct matcher *)new_userdata(sizeof(struct matcher), 3);
  m->src = text;
  m->p = text + 6;
  m->lastmatch = NULL;
  m->level = 2;
  s = NULL, r = NULL, m = NULL; // from here on, only the headers are kept

  prev = (unsigned short *)zalloc(NULL, 300, sizeof(unsigned short));
  for (int i = 0; i < 300; i++)
    prev[i] = (unsigned short)(i * 977u);
  long total = walk(L, 12);
  migrate_now();
  int n = 0;
  for (struct udata *u = all; u; u = u->next, n++) {
    char *mem = getmem(u);
    if (u->marked == 1) {
      struct stream *st = (struct stream *)mem;
      fprintf(st->f, "stream close=%d\n", st->closef(st->f));
    } else if (u->marked == 2) {
      struct ranstate *rs = (struct ranstate *)mem;
      printf("ranstate %llx %llx\n", (unsigned long long)rs->s[0],
             (unsigned long long)(rs->s[3] >> 7));
    } else {
      struct matcher *gm = (struct matcher *)mem;
      printf("matcher '%s' at %d level %d\n", gm->p, (int)(gm->p - gm->src), gm->level);
    }
  }
  printf("%d userdata, total %ld depth %ld acc %.4f counter %ld main %d\n", n, total,
         L->depth, L->acc, L->g->counter, L->g->main == L);
  unsigned psum = 0;
  for (int i = 0; i < 300; i++)
    psum = psum * 31u + prev[i];
  printf("prev %u\n", psum);
  for (int i = 0; i < 5; i++)
    printf("%ld ", L->g->hist[i]);
  printf("\n");
  return 0;
}
