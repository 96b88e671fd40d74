// Text that only void pointers reach (a generic map's `void *key = strdup(k)`):
// strdup's and strndup's blocks hold text, whatever keeps them, and convert as
// bytes between every pair. Nothing else would say so: a block that nothing
// types binds the image to the sender's layout (void-only-blocks.c), and these
// were refused across byte orders and sizes. Also inside the arguments of a
// call that may migrate (put), which call-sites moves out of the call.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: 12 pairs x 2 points: 24 of 24 migrations match the unmigrated run
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
struct entry { void *key; void *value; struct entry *next; };
static struct entry *table[8];
static void put(void *key, void *value) {
  unsigned h = (unsigned)strlen(key) % 8;
  struct entry *e = malloc(sizeof *e);
  e->key = key; e->value = value; e->next = table[h]; table[h] = e;
  if (h == 4)
    migrate_now(); // put may migrate: its arguments are hoisted out of the call
}
int main(void) {
  const char *words[] = {"alpha", "beta", "gamma", "delta"};
  for (int i = 0; i < 4; i++) put((void *)strdup(words[i]), i ? strndup(words[3 - i], 3) : strdup("x"));
  char c = strdup("xyz")[1];
  migrate_now();
  for (int h = 0; h < 8; h++)
    for (struct entry *e = table[h]; e; e = e->next) printf("%s=%s ", (char *)e->key, (char *)e->value);
  printf("%c\n", c);
  return 0;
}
