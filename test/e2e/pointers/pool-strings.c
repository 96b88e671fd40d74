// Strings a pool hands out again over the pieces it gave before (mawk's
// zmalloc and STRING): (STRING *)zmalloc(len + STRING_OH) places a STRING, one
// header and then its text. When the pool starts over, longer strings cover
// the short ones it placed before; the old placements inside a new string's
// text are gone with it, so pointers into the text (a scanner's position, a
// split's end) are bytes of the new string, not the middle of a stale header.
// A wrapper of malloc places a STRING at a block's start: one header, then
// text, not an array of headers. A piece given back holds a free-list link
// written through `((ZBLOCK *)p)->link`: a ZBLOCK lives there now, and the
// STRING placed there before is gone. A byte pointer into the padding after
// a placed STRING's `str` is into its text.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: pool-strings: 12 pairs x 2 points: 24 of 24 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  size_t len;
  unsigned ref_cnt;
  char str[2]; // the text runs on through the padding after it
} STRING;
#define STRING_OH (sizeof(STRING) - 1)

static char *pool, *avail;

typedef union zblock { // a free piece: the link of its size's list
  char dummy[8];
  union zblock *link;
} ZBLOCK;
static ZBLOCK *free_list[32];

static void *zmalloc(size_t size) {
  size = (size + 7) & ~(size_t)7;
  if (free_list[size / 8]) {
    ZBLOCK *p = free_list[size / 8];
    free_list[size / 8] = p->link;
    return p;
  }
  void *p = avail;
  avail += size;
  return p;
}
// The piece held a STRING; the link written over its start says it is free.
static void zfree(void *p, size_t size) {
  size = (size + 7) & ~(size_t)7;
  ((ZBLOCK *)p)->link = free_list[size / 8];
  free_list[size / 8] = (ZBLOCK *)p;
}
static void pool_reset(void) { avail = pool; }
static void *xmalloc(size_t size) { return malloc(size); } // one block per string

static STRING *filled(STRING *sval, const char *s, unsigned ref_cnt) {
  sval->len = strlen(s);
  sval->ref_cnt = ref_cnt;
  memcpy(sval->str, s, sval->len + 1);
  return sval;
}
static STRING *own_STRING(const char *s) {
  return filled((STRING *)xmalloc(strlen(s) + STRING_OH), s, 2);
}
static STRING *new_STRING(const char *s) {
  return filled((STRING *)zmalloc(strlen(s) + STRING_OH), s, 1);
}

struct scan_state { // mawk's RT_STATE: where the scanner is in a string
  STRING *line;
  const char *pos;
  long fields;
};

static STRING *table[8];

static long count_fields(struct scan_state *st, int at) {
  long n = 0;
  const char *end = st->line->str + st->line->len;
  for (const char *p = st->pos; p < end; p++)
    if (*p == ' ') {
      n++;
      if (n == at)
        migrate_now();
    }
  return n;
}

int main(void) {
  pool = avail = malloc(2048);
  for (int i = 0; i < 40; i++) { // short strings, then given back all at once
    char buf[8];
    snprintf(buf, sizeof buf, "s%d", i);
    new_STRING(buf);
  }
  pool_reset();
  table[0] = new_STRING("the quick brown fox jumps over the lazy dog, twice over, "
                        "and then once more for the record: the quick brown fox");
  table[1] = new_STRING("lorem ipsum dolor sit amet consectetur adipiscing elit sed do "
                        "eiusmod tempor incididunt ut labore et dolore magna aliqua");
  table[2] = new_STRING("x");
  for (int i = 0; i < 6; i++) // given back: their pieces are free-list links now
    zfree(new_STRING(i % 2 ? "sixteen" : "twenty-one chars here"), i % 2 ? 7 + STRING_OH
                                                                          : 21 + STRING_OH);
  table[4] = own_STRING("a string of its own, in a block of its own, past its header");
  struct scan_state *st = malloc(sizeof *st);
  st->line = table[1];
  st->pos = table[1]->str + 27; // past the start, in the middle of the text
  st->fields = 0;
  const char *in_padding = table[0]->str + 3; // the text in the header's padding
  st->fields = count_fields(st, 3);
  migrate_now();
  table[3] = new_STRING("after migration");
  table[5] = new_STRING("sixteen");
  table[6] = new_STRING("twenty-one chars here");
  printf("fields %ld from '%.10s' '%.6s'\n", st->fields, st->pos, in_padding);
  for (int i = 0; i < 7; i++)
    printf("%zu %u %s\n", table[i]->len, table[i]->ref_cnt, table[i]->str);
  return 0;
}
