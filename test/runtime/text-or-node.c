// A union that names no active member, whose `char *` and `struct node *`
// members read a pointer alike, to a block nothing else types: text or a
// node cannot be told (the code that reads it dispatches through a table of
// functions, where no tag is read). Refused at the migration point, naming
// both members, where a node would convert (another byte order); the program
// goes on. Where a node keeps its bytes (x86_64 -> aarch64) both travel alike.
// Before, the 40-byte text was converted as a node (exit 0, its letters
// changed across byte orders); a text too small for a node (8 bytes) was
// refused by every receiver after the source had exited.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x86
// RUN: %t/x86 > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/s.img HM_MIGRATE_FOR=s390x-linux-gnu %t/x86 > %t/s.txt 2> %t/s.err
// RUN: test ! -e %t/s.img
// RUN: diff %t/plain.txt %t/s.txt
// RUN: FileCheck --check-prefix=TEXT %s < %t/s.err
// TEXT: migration failed: a heap block of 24 bytes (struct node) (at byte 8) is a union (unnamed union at {{.*}}text-or-node.c:[[@LINE+18]]:3) whose members 's' and 'kids' read its bytes alike: the heap block of 40 bytes they point to, which nothing else types, holds text or a struct node, and these convert differently on s390x-linux-gnu (name its tag with HM_UNION_TAG); the program goes on
// RUN: %hmcc --target=aarch64-linux-gnu %s -o %t/a64
// RUN: env HM_MIGRATE_TO=%t/a.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/x86 > %t/a.txt
// RUN: env HM_RESTORE=%t/a.img %run-aarch64 %t/a64 >> %t/a.txt
// RUN: diff %t/plain.txt %t/a.txt
// RUN: %t/x86 short > %t/plain-short.txt
// RUN: env HM_MIGRATE_TO=%t/short.img HM_MIGRATE_FOR=s390x-linux-gnu %t/x86 short > %t/short.txt
// RUN: %hmcc --target=s390x-linux-gnu %s -o %t/s390x
// RUN: env HM_RESTORE=%t/short.img %run-s390x %t/s390x short >> %t/short.txt
// RUN: diff %t/plain-short.txt %t/short.txt
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { NUM, ADD, STR };
struct node {
  enum kind k;
  union {
    long i;
    struct node *kids[2];
    char *s;
  } u;
};

static double num(const struct node *n) { return n->u.i; }
static double text(const struct node *n) { return strlen(n->u.s); }
static double add(const struct node *n);
static double (*const eval[])(const struct node *) = {num, add, text};
static double add(const struct node *n) {
  return eval[n->u.kids[0]->k](n->u.kids[0]) + eval[n->u.kids[1]->k](n->u.kids[1]);
}

static struct node *make(enum kind k) {
  struct node *n = calloc(1, sizeof *n);
  n->k = k;
  return n;
}

int main(int argc, char **argv) {
  (void)argv;
  struct node *six = make(NUM), *words = make(STR), *sum = make(ADD);
  six->u.i = 6;
  // "short": 8 bytes, where no node fits; the text then is text.
  words->u.s = malloc(argc > 1 ? 8 : 40);
  strcpy(words->u.s, argc > 1 ? "short" : "a text long enough to be read as a node");
  sum->u.kids[0] = six;
  sum->u.kids[1] = words;
  migrate_now();
  printf("%.2f %s\n", eval[sum->k](sum), words->u.s);
  return 0;
}
