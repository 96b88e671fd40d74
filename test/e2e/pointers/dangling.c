// A dangling pointer to a freed object whose memory malloc handed out again,
// to something smaller (bc keeps `last` to a freed file node): no object of its
// type fits where it points, so it says nothing of what the block holds. The
// block keeps its own type; the pointer travels as an address into it.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: dangling: 12 pairs x 1 points: 12 of 12 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct node {
  char *name;
  struct node *next;
} node;
static node *names, *last;

static void add(char *name) {
  node *t = malloc(sizeof(node));
  t->name = name;
  t->next = NULL;
  if (last == NULL)
    names = t;
  else
    last->next = t;
  last = t;
}

static char *take(void) {
  node *t = names;
  char *n = t->name;
  names = t->next;
  free(t);
  return n;
}

int main(void) {
  add("first");
  char *n = take();
  int *d = malloc(sizeof(int)); // malloc gives the freed node's chunk again
  *d = 25;
  char *s = malloc(8);
  strcpy(s, "seven");
  printf("%s %s %d %d\n", n, s, *d, last == (node *)d);
  migrate_now();
  printf("%s %s %d %d\n", n, s, *d, last == (node *)d);
  return 0;
}
