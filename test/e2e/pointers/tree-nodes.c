// An expression tree's node: an enum kind and a union of a number, a float,
// two children and a `char *` to text, the text's kind reached only by the
// switch's `default:` (every other kind has its case). The tag table then
// maps that kind to the member the default reads, so a node's text (8 bytes,
// too small for a node, and 40 bytes, large enough for one) is text, not a
// node whose fields would convert its letters (exit 0 with the text turned
// to numbers, 4 of 12 pairs; refused by every receiver once the source had
// gone, for the 8 bytes).
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: tree-nodes: 12 pairs x 2 points: 24 of 24 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { NUM, FLT, ADD, MUL, STR };
struct node {
  enum kind k;
  union {
    long i;
    double d;
    struct node *kids[2];
    char *s;
  } u;
};

static struct node *make(enum kind k) {
  struct node *n = malloc(sizeof *n);
  n->k = k;
  return n;
}

static double eval(const struct node *n) {
  switch (n->k) {
  case NUM:
    return n->u.i;
  case FLT:
    return n->u.d;
  case ADD:
    return eval(n->u.kids[0]) + eval(n->u.kids[1]);
  case MUL:
    return eval(n->u.kids[0]) * eval(n->u.kids[1]);
  default:
    return strlen(n->u.s);
  }
}

static struct node *text(const char *s, size_t room) {
  struct node *n = make(STR);
  n->u.s = malloc(room);
  strcpy(n->u.s, s);
  return n;
}

int main(void) {
  struct node *a = make(NUM), *b = make(FLT), *m = make(MUL), *sum = make(ADD);
  a->u.i = 6;
  b->u.d = 2.5;
  m->u.kids[0] = a;
  m->u.kids[1] = b;
  struct node *words = make(ADD);
  words->u.kids[0] = text("short", 8);
  words->u.kids[1] = text("a text long enough to be read as a node", 40);
  sum->u.kids[0] = m;
  sum->u.kids[1] = words;
  migrate_now();
  printf("%.2f %s|%s\n", eval(sum), words->u.kids[0]->u.s, words->u.kids[1]->u.s);
  migrate_now();
  printf("%.2f\n", eval(sum));
  return 0;
}
