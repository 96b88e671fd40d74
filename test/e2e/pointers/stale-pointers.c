// Stale pointers into memory handed out again, as real programs leave them:
// - bc keeps freed numbers on a free list with their digit pointers dangling;
//   `value` (a char *) points one byte into a buffer whose memory now holds a
//   struct that begins with a pointer: a byte inside an address, restored null;
// - mawk's parser leaves its last token in the global `yylval` (an untagged
//   union of typed pointers and a `void *`), pointing to a pool piece that was
//   given back and handed out again as another struct: the typed members
//   contradict the object placed there, so the `void *` is the active member;
//   mawk's `end_code_p`, a typed pointer to such a piece, is stale too: carried
//   as an address into the piece, not null (the program may still test it).
// - SQLite's Mem keeps its destructor xDel only while it owns its text: a
//   piece given back and handed out again as such a value leaves the old
//   node's link (a heap address) where xDel lies. A function pointer to data
//   is stale, restored null, as one to no object is.
// None is read again; everything else must come back with its values.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: stale-pointers: 12 pairs x 2 points: 24 of 24 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* bc's numbers */
typedef struct num {
  int len;
  char *ptr;   /* the digits */
  char *value; /* where they start, past leading zeros */
  struct num *next;
} num;

typedef struct holder {
  char *name;
  long count;
  double weight;
} holder;

static num *free_nums;

static num *new_num(int len) {
  num *n = free_nums;
  if (n)
    free_nums = n->next;
  else
    n = malloc(sizeof *n);
  n->len = len;
  n->ptr = malloc(sizeof(holder)); /* the size of what reuses it below */
  memset(n->ptr, 0, sizeof(holder));
  n->ptr[0] = 0;
  n->ptr[1] = (char)len;
  n->value = n->ptr + 1; /* a leading zero skipped */
  n->next = NULL;
  return n;
}

static void free_num(num *n) {
  free(n->ptr); /* n->ptr and n->value dangle */
  n->next = free_nums;
  free_nums = n;
}

/* mawk's pool and parser value */
typedef struct cell {
  short type;
  double dval;
  char *sval;
} cell;

typedef struct hashnode {
  struct hashnode *link;
  const char *key;
  int value;
} hashnode;

typedef union {
  cell *cp;
  int ival;
  void *ptr;
} YYSTYPE;

YYSTYPE yylval;
cell *last_cell;

static char *pool;
static size_t pool_used;
static void *free_piece; /* one piece given back: enough for the test */

static void *pool_get(size_t size) {
  if (free_piece) {
    void *p = free_piece;
    free_piece = NULL;
    return p;
  }
  if (!pool)
    pool = malloc(2048);
  void *p = pool + pool_used;
  pool_used += (size + 15) / 16 * 16;
  return p;
}

static void pool_put(void *p) { free_piece = p; }

/* SQLite's values: xDel is read only while the value owns its text. */
typedef struct value {
  void (*xDel)(void *);
  int flags; /* 1: z is owned, xDel frees it */
  const char *z;
} value;

/* The parser's last token stays in yylval; its cell goes back to the pool. */
static cell *lex(void) {
  cell *c = (cell *)pool_get(sizeof(cell));
  c->type = 1;
  c->dval = 4.25;
  c->sval = NULL;
  cell *keep = (cell *)pool_get(sizeof(cell));
  keep->type = 2;
  keep->dval = -1.5;
  keep->sval = "kept";
  yylval.cp = c;
  last_cell = c;
  pool_put(c);
  return keep;
}

int main(void) {
  num *a = new_num(3), *b = new_num(4);
  free_num(a);
  holder *h = malloc(sizeof *h); /* malloc hands a's digits out again */
  h->name = "reused";
  h->count = 7;
  h->weight = 2.5;

  cell *keep = lex();
  hashnode *n = (hashnode *)pool_get(sizeof(hashnode)); /* c's piece again */
  n->link = NULL;
  n->key = "key";
  n->value = 42;
  hashnode *old = (hashnode *)pool_get(sizeof(hashnode));
  old->link = n;
  old->key = "old";
  pool_put(old);
  value *v = (value *)pool_get(sizeof(value)); /* old's piece: xDel is old->link */
  v->flags = 0;
  v->z = "static text";

  migrate_now();
  printf("%s %ld %.2f | %d %d | %s %d | %d %.2f %s\n", h->name, h->count, h->weight, b->len,
         b->value[0], n->key, n->value, keep->type, keep->dval, keep->sval);
  migrate_now();
  printf("%s %s\n", v->z, v->flags & 1 ? "owned" : "static");
  if (v->flags & 1)
    v->xDel((void *)v->z);
  printf("%d %s %d %d\n", free_nums == a, a->next == NULL ? "end" : "more",
         last_cell != NULL, (void *)last_cell == (void *)n);
  free(h);
  free(b->ptr);
  free(b);
  free(a);
  free(pool);
  return 0;
}
