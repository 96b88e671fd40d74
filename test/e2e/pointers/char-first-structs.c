// Pointers to typed structs whose first member is a char array or a char (a
// named item in a table, a token with its kind first) point to the struct,
// not into char memory: they migrate between every pair, at every point, and
// nothing binds the image to the sender's byte order (review of the check for
// typed pointers into char memory, which read them as a T's bytes in text).
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: 12 pairs x 1 points: 12 of 12 migrations match the unmigrated run
#include <hm/migrate.h>
#include <stdio.h>

struct item {
  char name[16];
  struct item *next;
  double price;
};
static struct item items[3] = {{"a", &items[1], 1.5}, {"b", &items[2], 2.5}, {"c", 0, 3.5}};

struct token {
  char kind;
  const char *text;
};

__attribute__((noinline)) static void lex(struct token *t) {
  t->text = "word";
  migrate_now();
  printf("%c %s\n", t->kind, t->text);
}

int main(void) {
  struct item *cur = &items[0];
  struct token t = {'w', 0};
  lex(&t);
  for (; cur; cur = cur->next)
    printf("%s %g\n", cur->name, cur->price);
  return 0;
}
