// A block no allocation site laid out, typed as a struct that ends in a short
// char array (mawk's STRING), whose size is a whole number of them: two
// STRINGs, or one and its text? They convert alike only where the layout and
// byte order stay: the capture refuses for s390x at the point, naming the
// block, and the program goes on; for aarch64 the image is written.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/x86
// RUN: %t/x86 > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/s390x.img HM_MIGRATE_FOR=s390x-linux-gnu %t/x86 > %t/out.txt 2> %t/err.txt
// RUN: diff %t/plain.txt %t/out.txt
// RUN: FileCheck %s < %t/err.txt
// RUN: not test -e %t/s390x.img
// RUN: env HM_MIGRATE_TO=%t/aarch64.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/x86 > %t/out2.txt
// RUN: test -s %t/aarch64.img
// CHECK: hmcc: migration failed: a heap block of 32 bytes holds 2 STRINGs, or one and its text (its last member 'str' is a short char array): which cannot be told, and the two convert differently on s390x-linux-gnu; the program goes on
//
// A struct that holds pointers tells by them: read as an array, the second
// element's `next` is text, a pointer to no object (it was restored null, for
// aarch64 too); where they point to objects it is an array, and migrates.
// RUN: %hmcc -O1 -DNAMES %s -o %t/names
// RUN: %t/names > %t/names-plain.txt
// RUN: env HM_MIGRATE_TO=%t/names.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/names > %t/names-out.txt 2> %t/names-err.txt
// RUN: diff %t/names-plain.txt %t/names-out.txt
// RUN: FileCheck --check-prefix=NAMES %s < %t/names-err.txt
// RUN: not test -e %t/names.img
// NAMES: hmcc: migration failed: a heap block of 48 bytes holds 2 Names, or one and its text (its last member 'str' is a short char array): read as an array, a pointer points to no object; the program goes on
// Neither is a block of more than one Name and some bytes, where they point
// to objects or are null (here, null): an array with slack, or one and its
// text. (Pointers into the block type its elements themselves; pointers to
// objects in its bytes after the first are refused as raw bytes.)
// RUN: env HM_MIGRATE_TO=%t/slack.img %t/names slack > %t/slack-out.txt 2> %t/slack-err.txt
// RUN: %t/names slack | diff - %t/slack-out.txt
// RUN: FileCheck --check-prefix=SLACK %s < %t/slack-err.txt
// RUN: not test -e %t/slack.img
// SLACK: hmcc: migration failed: a heap block of 56 bytes holds 2 Names and bytes, or one and its text (its last member 'str' is a short char array): read as an array, its pointers are null or point to objects; the program goes on
// A longer last array (`char name[20]`) and bytes after the struct: they stay
// after it, and the text in its padding goes on only where the padding is as
// long (24 bytes from `name` here, 20 on armhf): refused at the point.
// RUN: env HM_MIGRATE_TO=%t/long.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/names long > %t/long-out.txt 2> %t/long-err.txt
// RUN: %t/names long | diff - %t/long-out.txt
// RUN: FileCheck --check-prefix=LONG %s < %t/long-err.txt
// RUN: not test -e %t/long.img
// LONG: hmcc: migration failed: a heap block of 42 bytes holds a Long whose text runs on from its last member through 24 bytes of padding, which are 20 on arm-linux-gnueabihf
// A byte pointer one past a block of one Name and its text, sized to the text
// (`offsetof(Name, str) + len + 1`): one past the text, or past the Name and
// bytes as the program sized them? The same only where the padding after
// `str` is as long: refused at the point for armhf, kept for aarch64.
// RUN: env HM_MIGRATE_TO=%t/end.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/names end > %t/end-out.txt 2> %t/end-err.txt
// RUN: %t/names end | diff - %t/end-out.txt
// RUN: FileCheck --check-prefix=END %s < %t/end-err.txt
// RUN: not test -e %t/end.img
// END: hmcc: migration failed: variable 'end' (char *) of main at short-text-ambiguous.c:{{[0-9]+}} holds a Name whose text runs on from its last member through 8 bytes of padding, which are 4 on arm-linux-gnueabihf
// RUN: env HM_MIGRATE_TO=%t/end.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/names end > %t/end-out2.txt
// RUN: test -s %t/end.img
// So with no padding after the array (`{void *p; char s[8];}` and 23 letters
// in 32 bytes): element 1's `p` would be text, restored null.
// RUN: env HM_MIGRATE_TO=%t/word.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/names word > %t/word-out.txt 2> %t/word-err.txt
// RUN: %t/names word | diff - %t/word-out.txt
// RUN: FileCheck --check-prefix=WORD %s < %t/word-err.txt
// RUN: not test -e %t/word.img
// WORD: hmcc: migration failed: a heap block of 32 bytes holds 2 Words, or one and its text (its last member 's' is a short char array): read as an array, a pointer points to no object; the program goes on
// A block sized to a short text, smaller than a Name (`offsetof(Name, str) +
// 3`): its numbers travelled as bytes (len and next byte-swapped on s390x,
// exit 0), and its pointers untranslated (refused by every receiver, once
// the source had gone); refused at the point. Without pointers (a STRING),
// kept where the layout and byte order stay.
// RUN: env HM_MIGRATE_TO=%t/tiny.img HM_MIGRATE_FOR=s390x-linux-gnu %t/names tiny > %t/tiny-out.txt 2> %t/tiny-err.txt
// RUN: %t/names tiny > %t/tiny-plain.txt
// RUN: diff %t/tiny-plain.txt %t/tiny-out.txt
// RUN: FileCheck --check-prefix=TINY %s < %t/tiny-err.txt
// RUN: not test -e %t/tiny.img
// TINY: hmcc: migration failed: a heap block of 19 bytes holds a Name sized to its text, smaller than a Name (its last member 'str' is a short char array): hmcc cannot convert it for s390x-linux-gnu yet; the program goes on
// RUN: env HM_MIGRATE_TO=%t/tiny.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/names tiny > %t/tiny-out2.txt 2> %t/tiny-err2.txt
// RUN: FileCheck --check-prefix=TINY2 %s < %t/tiny-err2.txt
// TINY2: smaller than a Name (its last member 'str' is a short char array): hmcc cannot convert it for aarch64-linux-gnu yet
// RUN: %t/names x > %t/x-plain.txt
// RUN: env HM_MIGRATE_TO=%t/x.img HM_MIGRATE_FOR=s390x-linux-gnu %t/names x 2> %t/x-err.txt | diff - %t/x-plain.txt
// RUN: FileCheck --check-prefix=X %s < %t/x-err.txt
// X: a heap block of 14 bytes holds a STRING sized to its text, smaller than a STRING
// RUN: env HM_MIGRATE_TO=%t/x.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/names x
// RUN: %hmcc --target=aarch64-linux-gnu -O1 -DNAMES %s -o %t/names-a64
// RUN: env HM_RESTORE=%t/x.img %run-aarch64 %t/names-a64 | diff - %t/x-plain.txt
// RUN: env HM_MIGRATE_TO=%t/array.img HM_MIGRATE_FOR=s390x-linux-gnu %t/names array > %t/array-out.txt
// RUN: test -s %t/array.img
// RUN: %hmcc --target=s390x-linux-gnu -O1 -DNAMES %s -o %t/names-s390x
// RUN: env HM_RESTORE=%t/array.img %run-s390x %t/names-s390x > %t/array-restored.txt
// RUN: %t/names array > %t/array-plain.txt
// RUN: diff %t/array-plain.txt %t/array-restored.txt
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

#ifdef NAMES
typedef struct Name {
  struct Name *next;
  size_t len;
  char str[3];
} Name;

typedef struct {
  long id;
  char name[20];
} Long;

typedef struct {
  void *p;
  char s[8];
} Word;

int main(int argc, char **argv) {
  if (argc > 1 && argv[1][0] == 'w') { // 23 letters + sizeof(Word) - 7 = 32 bytes
    const char *text = "twenty-three letters ok";
    Word *w = malloc(strlen(text) + sizeof(Word) - 7);
    w->p = NULL;
    strcpy(w->s, text);
    migrate_now();
    printf("%s\n", w->s);
    return 0;
  }
  if (argc > 1 && argv[1][0] == 'x') { // sized to "a", no site
    STRING *s = malloc(offsetof(STRING, str) + 2);
    s->len = 1;
    s->ref_cnt = 7;
    strcpy(s->str, "a");
    migrate_now();
    printf("%s %zu %u\n", s->str, s->len, s->ref_cnt);
    return 0;
  }
  if (argc > 1 && argv[1][0] == 't') { // sized to "ab", no site
    Name *n = malloc(offsetof(Name, str) + 3);
    n->next = NULL;
    n->len = 2;
    strcpy(n->str, "ab");
    migrate_now();
    printf("%s %zu\n", n->str, n->len);
    return 0;
  }
  if (argc > 1 && argv[1][0] == 'e') { // sized to its text, no site
    const char *word = "sixteen letters!";
    Name *n = malloc(offsetof(Name, str) + strlen(word) + 1);
    n->next = NULL;
    n->len = strlen(word);
    strcpy(n->str, word);
    char *end = n->str + n->len + 1;
    migrate_now();
    printf("%s %d\n", n->str, (int)(end - n->str));
    return 0;
  }
  if (argc > 1 && argv[1][0] == 'l') { // 10 bytes after the struct, no site
    volatile size_t size = sizeof(Long) + 10;
    Long *l = malloc(size);
    l->id = 7;
    strcpy(l->name, "a name of 19 chars.");
    memcpy((char *)(l + 1), "after it!", 10);
    migrate_now();
    printf("%ld %s %s\n", l->id, l->name, (char *)(l + 1));
    return 0;
  }
  // 26 + sizeof(Name) - 2 = 48 bytes on this x86_64 host: two Names' worth.
  const char *text = "twenty-six letters of text";
  size_t len = strlen(text);
  Name *n = malloc(len + sizeof(Name) - 2);
  n->len = len;
  n->next = NULL;
  memcpy(n->str, text, len + 1);
  if (argc > 1) { // an array of two, no site (and 8 bytes more: "slack")
    static Name other = {NULL, 5, "ot"}; // pointers out of the block
    volatile size_t size = 2 * sizeof(Name) + (argv[1][0] == 's' ? 8 : 0);
    n = malloc(size);
    n[0].next = argv[1][0] == 's' ? NULL : &other; // (else found in raw bytes)
    n[0].len = 1;
    strcpy(n[0].str, "ab");
    n[1].next = n[0].next;
    n[1].len = 2;
    strcpy(n[1].str, "cd");
  }
  migrate_now();
  printf("%s %zu %s %zu %zu\n", n->str, n->len, argc > 1 ? n[1].str : "-",
         argc > 1 ? n[1].len : 0, n->next ? n->next->len : 0);
  return 0;
}
#else
int main(void) {
  const char *text = "seventeen letters"; // 17 + sizeof(STRING) - 1 = 32 bytes
  size_t len = strlen(text);
  STRING *s = malloc(len + sizeof(STRING) - 1);
  s->len = len;
  s->ref_cnt = 1;
  memcpy(s->str, text, len + 1);
  migrate_now();
  printf("%s %zu\n", s->str, s->len);
  return 0;
}
#endif
