// A struct whose last member is a short char array, allocated with its text
// (mawk's STRING: `size_t len; unsigned ref_cnt; char str[2]` in len +
// sizeof(STRING) - 1 bytes, no sizeof term an allocation site could read): one
// struct and its text, which runs on from `str` through the padding after it,
// not an array of STRINGs whose second "len" is text (its text was lost or
// byte-swapped, exit 0). Byte pointers into that padding and past the struct
// keep their place; so with an allocation site (`sizeof(STRING) + len`), and
// in a block of exactly one STRING whose text fills its padding.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: short-text: 12 pairs x 2 points: 24 of 24 migrations match
#include <hm/migrate.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  size_t len;
  unsigned ref_cnt;
  char str[2];
} STRING;
#define STRING_OH (sizeof(STRING) - 1)

static STRING *new_string(const char *s) {
  size_t len = strlen(s);
  STRING *r = malloc(len + STRING_OH);
  r->len = len;
  r->ref_cnt = 1;
  memcpy(r->str, s, len + 1);
  return r;
}

/* The same with an allocation site (one STRING, then bytes), and a block of
   exactly one STRING whose text fills its padding. */
static STRING *site_string(const char *s) {
  size_t len = strlen(s);
  STRING *r = malloc(sizeof(STRING) + len);
  r->len = len;
  r->ref_cnt = 3;
  strcpy(r->str, s);
  return r;
}

static STRING *exact_string(const char *s) {
  void *(*volatile alloc)(size_t) = malloc; /* no site */
  STRING *r = alloc(offsetof(STRING, str) + strlen(s) + 1);
  r->len = strlen(s);
  r->ref_cnt = 4;
  strcpy(r->str, s);
  return r;
}

int main(void) {
  STRING *s = new_string("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ");
  STRING *t = new_string("hello, tail padding");
  char *in_padding = s->str + 3;
  char *past = t->str + 10;
  char *first = s->str + 1;
  STRING *u = site_string("abcdefgh");
  STRING *v = exact_string("abc"); /* 16 bytes on 64-bit */
  char *u_padding = u->str + 3, *v_padding = v->str + 2;
  migrate_now();
  printf("%s|%s|%s|%zu %u|%s\n", in_padding, past, first, s->len, t->ref_cnt, t->str);
  printf("%s %s %s %s %u %u\n", u->str, u_padding, v->str, v_padding, u->ref_cnt, v->ref_cnt);
  in_padding = t->str + 2;
  t->ref_cnt = 2;
  migrate_now();
  printf("%s %s %u\n", in_padding, s->str, t->ref_cnt);
  return 0;
}
