// Objects of several kinds behind one header type, as Lua keeps them: each
// begins with a header (next, tt, marked) whose tag says the kind, and the
// program reaches most of them only through header pointers (the list of all
// objects, a value's `gc` member). hm-instrument reads which struct each tag
// value means off the code's casts under `switch (o->tt)`, and the runtime
// types each block by its tag. Strings and closures use the struct hack (a last
// member `contents[1]`, `upvals[1]`): blocks smaller and larger than the struct.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: tagged-headers: 12 pairs x 3 points: 36 of 36 migrations match
#include <hm/migrate.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CommonHeader struct GCObject *next; unsigned char tt; unsigned char marked
typedef struct GCObject { CommonHeader; } GCObject;

enum { T_SHRSTR = 4, T_LNGSTR = 4 | 16, T_TABLE = 5, T_CLOSURE = 6, T_UPVAL = 9 };

typedef union Value { GCObject *gc; void *p; long long i; double n; } Value;
typedef struct TValue { Value value_; unsigned char tt_; } TValue;

typedef struct TString {
  CommonHeader;
  unsigned char extra, shrlen;
  unsigned hash;
  union { size_t lnglen; struct TString *hnext; } u;
  char contents[1];
} TString;
typedef struct Table {
  CommonHeader;
  unsigned char flags;
  int size;
  TValue *array;
  struct Table *metatable;
} Table;
typedef struct UpVal { CommonHeader; TValue *v; TValue value; } UpVal;
typedef struct Closure {
  CommonHeader;
  unsigned char nupvalues;
  short line;
  UpVal *upvals[1];
} Closure;
union GCUnion { GCObject gc; TString ts; Table h; UpVal uv; Closure cl; };

#define cast_u(o) ((union GCUnion *)(o))
#define gco2ts(o) (&cast_u(o)->ts)
#define gco2t(o) (&cast_u(o)->h)
#define gco2uv(o) (&cast_u(o)->uv)
#define gco2cl(o) (&cast_u(o)->cl)

static GCObject *allgc;
static TString **strt; // interned short strings, chained through u.hnext
static int nstrt = 16;

static GCObject *newobj(int tt, size_t size) {
  GCObject *o = malloc(size);
  memset(o, 0, size);
  o->tt = (unsigned char)tt;
  o->next = allgc;
  allgc = o;
  return o;
}

static unsigned hashof(const char *s, size_t n) {
  unsigned h = 5381;
  for (size_t i = 0; i < n; ++i)
    h = h * 33 + (unsigned char)s[i];
  return h;
}

static TString *newstr(const char *s) {
  size_t n = strlen(s);
  unsigned h = hashof(s, n);
  if (n <= 15) {
    for (TString *t = strt[h % nstrt]; t; t = t->u.hnext)
      if (t->shrlen == n && memcmp(t->contents, s, n) == 0)
        return t;
  }
  GCObject *o = newobj(n <= 15 ? T_SHRSTR : T_LNGSTR, offsetof(TString, contents) + n + 1);
  TString *ts = gco2ts(o);
  ts->hash = h;
  memcpy(ts->contents, s, n + 1);
  if (n <= 15) {
    ts->shrlen = (unsigned char)n;
    ts->u.hnext = strt[h % nstrt];
    strt[h % nstrt] = ts;
  } else {
    ts->u.lnglen = n;
  }
  return ts;
}

static Table *newtable(int size) {
  Table *t = gco2t(newobj(T_TABLE, sizeof(Table)));
  t->size = size;
  t->array = calloc((size_t)size, sizeof(TValue));
  return t;
}

static Closure *newclosure(int n, int line) {
  Closure *c = gco2cl(newobj(T_CLOSURE, offsetof(Closure, upvals) + (size_t)n * sizeof(UpVal *)));
  c->nupvalues = (unsigned char)n;
  c->line = (short)line;
  for (int i = 0; i < n; ++i) {
    UpVal *u = gco2uv(newobj(T_UPVAL, sizeof(UpVal)));
    u->value.value_.n = line * 0.5 + i;
    u->value.tt_ = 3;
    u->v = &u->value;
    c->upvals[i] = u;
  }
  return c;
}

static void setgc(TValue *v, void *o, int tt) {
  v->value_.gc = (GCObject *)o;
  v->tt_ = (unsigned char)(tt | 64);
}

static unsigned long long valuesum(const TValue *v);

// The program's own view of an object: by its tag.
static unsigned long long objsum(GCObject *o) {
  switch (o->tt) {
  case T_SHRSTR:
  case T_LNGSTR: {
    TString *ts = gco2ts(o);
    size_t n = o->tt == T_SHRSTR ? ts->shrlen : ts->u.lnglen;
    return hashof(ts->contents, n) ^ ts->hash ^ n;
  }
  case T_TABLE: {
    Table *t = gco2t(o);
    unsigned long long s = (unsigned long long)t->size * 7 + (t->metatable ? 1 : 0);
    for (int i = 0; i < t->size; ++i)
      if ((t->array[i].tt_ & 64) && t->array[i].value_.gc->tt == T_TABLE)
        s += 3; // no recursion into tables: they are on the list too
      else
        s = s * 31 + valuesum(&t->array[i]);
    return s;
  }
  case T_CLOSURE: {
    Closure *c = gco2cl(o);
    unsigned long long s = (unsigned long long)c->line;
    for (int i = 0; i < c->nupvalues; ++i)
      s = s * 17 + (unsigned long long)(c->upvals[i]->v->value_.n * 4);
    return s;
  }
  case T_UPVAL: {
    UpVal *u = gco2uv(o);
    return (unsigned long long)(u->v->value_.n * 8) + (u->v == &u->value);
  }
  }
  return 0;
}

static unsigned long long valuesum(const TValue *v) {
  if (v->tt_ & 64)
    return objsum(v->value_.gc);
  if (v->tt_ == 3)
    return (unsigned long long)(v->value_.n * 2);
  return (unsigned long long)v->value_.i;
}

static void report(const char *when) {
  unsigned long long s = 0, n = 0;
  for (GCObject *o = allgc; o; o = o->next, ++n)
    s = s * 1000003 + objsum(o);
  printf("%s: %llu objects, sum %llu\n", when, n, s);
}

int main(void) {
  printf("start\n");
  strt = calloc((size_t)nstrt, sizeof(TString *));
  Table *top = newtable(40);
  char buf[64];
  for (int i = 0; i < 40; ++i) {
    TValue *v = &top->array[i];
    switch (i % 5) {
    case 0:
      snprintf(buf, sizeof buf, "k%d", i % 7);
      setgc(v, newstr(buf), T_SHRSTR);
      break;
    case 1:
      snprintf(buf, sizeof buf, "a much longer string number %d that is not interned", i);
      setgc(v, newstr(buf), T_LNGSTR);
      break;
    case 2:
      setgc(v, newclosure(i % 6, i), T_CLOSURE);
      break;
    case 3: {
      Table *t = newtable(i % 4 + 1);
      t->metatable = top;
      t->array[0].value_.n = i * 1.25;
      t->array[0].tt_ = 3;
      setgc(v, t, T_TABLE);
      break;
    }
    default:
      v->value_.i = i * 1000;
      v->tt_ = 1;
    }
  }
  report("built");
  migrate_now();
  report("after 1");
  for (int i = 0; i < 12; ++i) {
    snprintf(buf, sizeof buf, "s%d", i);
    setgc(&top->array[i * 3], newstr(buf), T_SHRSTR);
  }
  migrate_now();
  report("after 2");
  setgc(&top->array[4], newclosure(5, 99), T_CLOSURE);
  migrate_now();
  report("after 3");
  return 0;
}
