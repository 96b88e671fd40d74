// A struct that holds pointers and ends in a short char array, allocated with
// its text and no sizeof term an allocation site could read (a symbol table's
// `struct Name {struct Name *next; size_t len; char str[3];}` in len +
// sizeof - 2 bytes): one struct and its text, not an array whose second
// element's `next` is text (it was restored null: the text cut short, exit
// 0). The text moves as one run from `str`, wherever `str` is on the
// destination (5 bytes of padding after it on 64-bit targets, 1 on armhf:
// refused before), and byte pointers into it and past the struct keep their
// place; a `Name *` one past a block of exactly one Name is one past it there
// too (that block's text fills its padding). So for a struct of numbers
// (`{long id; char tag[4];}`, with no padding after `tag` on armhf: read there
// as an array of three, its text restored as numbers).
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: short-text-pointers: 12 pairs x 1 points: 12 of 12 migrations match
#include <hm/migrate.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Name {
  struct Name *next;
  size_t len;
  char str[3];
} Name;

static Name *new_name(Name *next, const char *s) {
  size_t len = strlen(s);
  Name *r = malloc(len + sizeof(Name) - 2);
  r->next = next;
  r->len = len;
  memcpy(r->str, s, len + 1);
  return r;
}

static Name *exact_name(Name *next, const char *s) {
  volatile size_t size = sizeof(Name); /* no site */
  Name *r = malloc(size);
  r->next = next;
  r->len = strlen(s);
  strcpy(r->str, s);
  return r;
}

typedef struct { /* no padding after tag on armhf */
  long id;
  char tag[4];
} Rec;

static Rec *new_rec(long id, const char *s) {
  Rec *r = malloc(strlen(s) + sizeof(Rec) - 3);
  r->id = id;
  strcpy(r->tag, s);
  return r;
}

int main(void) {
  Name *a = new_name(NULL, "first name with a long text after it");
  Name *b = new_name(a, "second-name-xyzzy");
  Name *c = exact_name(b, "abc"); /* its NUL in the padding */
  Rec *r = new_rec(-123456789, "a tag that runs on and on");
  char *in_padding = a->str + 4, *past = a->str + 20, *end = b->str + b->len + 1;
  char *tag_past = r->tag + 12, *c_padding = c->str + 3;
  Name *c_end = c + 1; /* one past the block's end */
  migrate_now();
  for (Name *n = c; n; n = n->next)
    printf("%zu %s\n", n->len, n->str);
  printf("%ld %s|%s|%s|%s\n", r->id, r->tag, in_padding, past, tag_past);
  printf("%d %d %d\n", (int)(end - b->str), (int)(c_padding - c->str), (int)(c_end - c));
  return 0;
}
