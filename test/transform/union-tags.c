// hm-instrument reads which member of a union each value of a sibling tag
// selects off the code: constructors, assignment pairs, switches and ifs on the
// same object vote; the tag field whose votes agree most wins, each value takes
// its majority member, and the values no vote names keep the untagged rule
// (HM_TAG_OTHERS). An HM_UNION_TAG wins over the code; a union the code says
// nothing about gets no table.
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
// CHECK-DAG: { "as", &hm_t{{[0-9]+}}, __builtin_offsetof(struct value, as), 64UL, 0, 1, [[V]]_tag2_values, [[V]]_tag2_members, 4 },

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
// CHECK-DAG: { "u", &hm_t{{[0-9]+}}, __builtin_offsetof(struct silent, u), 64UL, 0, -1, 0, 0, 0 },

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
  return (int)(weigh(&a, &n, &q) + weigh(&b, &n, &q));
}
