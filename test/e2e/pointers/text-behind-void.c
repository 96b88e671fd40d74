// Text that only void pointers reach (a generic map's `void *key = strdup(k)`):
// strdup's and strndup's blocks hold text, whatever keeps them, and convert as
// bytes between every pair. Nothing else would say so: a block that nothing
// types binds the image to the sender's layout (void-only-blocks.c), and these
// were refused across byte orders and sizes. A union whose `void *` and
// `char *` members read a value alike is read as its `char *`: the text it
// points to converts as bytes too.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: 12 pairs x 1 points: 12 of 12 migrations match the unmigrated run
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
struct entry { void *key; void *value; struct entry *next; };
static struct entry *table[8];
union value { void *p; char *s; long n; };
struct cell { int kind; union value v; };
static void put(void *key, void *value) {
  unsigned h = (unsigned)strlen(key) % 8;
  struct entry *e = malloc(sizeof *e);
  e->key = key; e->value = value; e->next = table[h]; table[h] = e;
}
int main(void) {
  const char *words[] = {"alpha", "beta", "gamma", "delta"};
  for (int i = 0; i < 4; i++) put(strdup(words[i]), strndup(words[3 - i], 3));
  char c = strdup("xyz")[1];
  struct cell cell = {1, {0}};
  cell.v.p = malloc(6);
  memcpy(cell.v.p, "hello", 6);
  migrate_now();
  printf("%d %s ", cell.kind, (char *)cell.v.p);
  for (int h = 0; h < 8; h++)
    for (struct entry *e = table[h]; e; e = e->next) printf("%s=%s ", (char *)e->key, (char *)e->value);
  printf("%c\n", c);
  return 0;
}
