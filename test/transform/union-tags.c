// hm-instrument reads which member of a union each value of a sibling tag
// selects off the code: constructors (not zeros only: `{NULL}, NIL` names no
// member), assignment pairs (`settt_(o, t)` in parentheses too), switches and
// ifs on the same object vote; the tag field whose votes agree most wins, each value takes
// its majority member, and the values no vote names keep the untagged rule
// (HM_TAG_OTHERS). A flag bit of a status word is a tag too (`flags & F_C`,
// `!(flags & F_C)`, `a == 0 || !(flags & F_TRAN)`); where the code names the
// members of one state of a one-bit flag only, the other state takes the
// members left when they have one type. An HM_UNION_TAG wins over the code (and
// may name a mask); a union the code says nothing about gets no table.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -Wall -Werror -isystem %hm-include %t.hm.c
#include <hm/migrate.h>

enum kind { K_NIL, K_NUM, K_INT, K_STR };

// `line` also gets constants in constructors, but its votes disagree.
struct value {
  int line;
  enum kind kind;
  union {
    double num;
    long i;
    const char *s;
  } as;
};
// CHECK-DAG: [[V:hm_t[0-9]+]]_tag2_values[] = { 1LL, 2LL, 3LL, 0LL, };
// CHECK-DAG: [[V]]_tag2_members[] = { 0U, 1U, 2U, HM_TAG_OTHERS, };
// CHECK-DAG: { "as", &hm_t{{[0-9]+}}, __builtin_offsetof(struct value, as), 64UL, 0, 1, [[V]]_tag2_values, [[V]]_tag2_members, 4, 0 },

// Written with HM_UNION_TAG, which wins over the code's (wrong) votes.
struct named {
  int tag;
  union {
    long n;
    char *p;
  } u HM_UNION_TAG("tag: 0=n 1=p");
};
// CHECK-DAG: [[N:hm_t[0-9]+]]_tag1_values[] = { 0LL, 1LL, };
// CHECK-DAG: [[N]]_tag1_members[] = { 0U, 1U, };

// Nothing in the code says which member goes with which tag.
struct silent {
  int tag;
  union {
    long n;
    char *p;
  } u;
};
// CHECK-DAG: { "u", &hm_t{{[0-9]+}}, __builtin_offsetof(struct silent, u), 64UL, 0, -1, 0, 0, 0, 0 },

// Lua's CallInfo: `u` by the bit F_C (both states named), `u2` by F_TRAN
// (the set state names `tr`; the others are all int: `idx`).
#define F_C 2
#define F_TRAN 256
struct frame {
  union {
    struct { const int *pc; int trap; } l;
    struct { int (*k)(int); long ctx; } c;
  } u;
  union {
    int idx;
    int nres;
    struct { unsigned short first, count; } tr;
  } u2;
  unsigned short flags;
};
// CHECK-DAG: [[F:hm_t[0-9]+]]_tag0_values[] = { 0LL, 2LL, 0LL, };
// CHECK-DAG: [[F]]_tag0_members[] = { 0U, 1U, HM_TAG_OTHERS, };
// CHECK-DAG: [[F]]_tag0_masks[] = { 2ULL, 2ULL, 2ULL, };
// CHECK-DAG: [[F]]_tag1_values[] = { 256LL, 0LL, 0LL, };
// CHECK-DAG: [[F]]_tag1_members[] = { 2U, 0U, HM_TAG_OTHERS, };
// CHECK-DAG: [[F]]_tag1_masks[] = { 256ULL, 256ULL, 256ULL, };
// CHECK-DAG: { "u2", &hm_t{{[0-9]+}}, __builtin_offsetof(struct frame, u2), {{[0-9]+}}UL, 0, 2, [[F]]_tag1_values, [[F]]_tag1_members, 3, [[F]]_tag1_masks },

// Lua's TValue: `tt & 64` names the GC pointer for every collectable tag, but
// `tt == NUMFLT` names the number for that tag only, not for every tag whose
// bit 6 is clear (a light C function's pointer): other tags stay untagged.
struct tvalue {
  union {
    void *gc;
    double (*f)(double);
    long long i;
    double n;
  } v;
  unsigned char tt;
};
// CHECK-DAG: [[T:hm_t[0-9]+]]_tag0_values[] = { 3LL, 19LL, 64LL, 0LL, };
// CHECK-DAG: [[T]]_tag0_members[] = { 2U, 3U, 0U, HM_TAG_OTHERS, };
// CHECK-DAG: [[T]]_tag0_masks[] = { 18446744073709551615ULL, 18446744073709551615ULL, 64ULL, 64ULL, };

// Lua's setters: an assignment pair whose tag store is in parentheses
// (`settt_(o, t)` is `((o)->tt_=(t))`), through a local pointer.
#define settt_(o, t) ((o)->tt = (t))
struct pvalue {
  union {
    double n;
    void *p;
  } v;
  unsigned char tt;
};
// CHECK-DAG: [[P:hm_t[0-9]+]]_tag0_values[] = { 2LL, 19LL, 0LL, };
// CHECK-DAG: [[P]]_tag0_members[] = { 1U, 0U, HM_TAG_OTHERS, };

static void setters(struct pvalue *a, struct pvalue *b) {
  { struct pvalue *io = a; io->v.n = 1.5; settt_(io, 19); }
  { struct pvalue *io = b; io->v.p = a; settt_(io, 2); }
}

// Two flags that overlap (`flags & 1` and `flags & 2` both hold for 3): the
// table takes the one whose tests agree most, and no entry of the other hides
// it (tag 2 is `s` by the tests of F2, whatever bit 1 says).
struct owned {
  unsigned flags;
  union {
    char *s;
    long n;
  } u;
};
// CHECK-DAG: [[O:hm_t[0-9]+]]_tag1_values[] = { 0LL, 2LL, 0LL, };
// CHECK-DAG: [[O]]_tag1_members[] = { 1U, 0U, HM_TAG_OTHERS, };
// CHECK-DAG: [[O]]_tag1_masks[] = { 2ULL, 2ULL, 2ULL, };

static long show(const struct owned *v) {
  long r = 0;
  if (v->flags & 1)
    r += v->u.s[0];
  if (v->flags & 2)
    r += v->u.s[1];
  else
    r += v->u.n;
  return r;
}

static double weight(const struct tvalue *o) {
  if (o->tt & 64)
    return o->v.gc ? 1 : 0;
  if (o->tt & 64)
    return *(char *)o->v.gc;
  if (o->tt & 64)
    return o->v.gc == o ? 2 : 3;
  if (o->tt == 19)
    return o->v.n;
  return o->tt == 3 ? (double)o->v.i : 0;
}

// A mask written by hand.
struct flagged {
  unsigned flags;
  union { long n; char *p; } u HM_UNION_TAG("flags & 0x10: 0=n 0x10=p");
};
// CHECK-DAG: [[G:hm_t[0-9]+]]_tag1_values[] = { 0LL, 16LL, };
// CHECK-DAG: [[G]]_tag1_masks[] = { 16ULL, 16ULL, };

static long step(struct frame *f, struct flagged *g) {
  long r = g->flags;
  if (!(f->flags & F_C))
    r += *f->u.l.pc + f->u.l.trap;
  else
    r += f->u.c.k((int)f->u.c.ctx);
  if (r == 0 || !(f->flags & F_TRAN))
    r += f->u2.nres;
  else
    r += f->u2.tr.first + f->u2.tr.count;
  return r;
}

static struct value make(int line, double x) {
  return (struct value){line, K_NUM, {.num = x}};
}

static struct value text(const char *s) {
  struct value v = {.line = 7, .kind = K_STR, .as.s = s};
  return v;
}

static double weigh(struct value *v, struct named *n, struct silent *q) {
  struct value w;
  w.kind = K_INT;
  w.as.i = 3;
  w.line = 0;
  // One vote against the majority: K_INT stays i.
  if (v->kind == K_INT && v->as.num > 0)
    return 0;
  n->tag = 0;
  n->u.p = 0;
  q->u.n = q->tag;
  migrate_now();
  switch (v->kind) {
  case K_NUM:
    return v->as.num + w.as.i;
  case K_INT:
    return (double)v->as.i;
  case K_STR:
    return v->as.s[0];
  default:
    return 0;
  }
}

int main(void) {
  struct value a = make(1, 2.5), b = text("x");
  struct named n;
  struct silent q = {0, {0}};
  struct frame f = {{{0, 0}}, {0}, 0};
  struct flagged g = {0, {0}};
  static struct tvalue t;
  static struct owned o;
  static struct pvalue pa, pb;
  setters(&pa, &pb);
  return (int)(weigh(&a, &n, &q) + weigh(&b, &n, &q) + step(&f, &g) + weight(&t) + show(&o));
}
