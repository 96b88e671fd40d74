// A pointer to a tagged header (Lua's GCObject) whose tag byte names no struct
// the code casts it to is stale: Lua keeps a dead table key's GCObject * after
// the object is freed, and its memory is handed out again as a node array. As
// a type it cut the node array short where it pointed: from x86_64 to armhf
// the array arrived with half its nodes, and Lua's next resize wrote over its
// stack (SIGSEGV after the restore). It types nothing now, and the array
// arrives whole on every pair. Its nodes and the header's tags are laid out so
// that the stale pointer lands on a node's start, its tag on a node's tag.
// A header that is the whole type of an object (`bare`, whose tag no cast
// names) still types the block nothing else types.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: stale-header: 12 pairs x 2 points: 24 of 24 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T_STR 4
#define T_TAB 5

typedef struct GCObject {
  struct GCObject *next;
  unsigned char tt;
} GCObject;
typedef struct Str {
  struct GCObject *next;
  unsigned char tt;
  int len;
  char text[16];
} Str;
typedef struct Node {
  long long value;
  unsigned char tt; // 3: an integer
  int chain;
  GCObject *key; // a dead key keeps its object's address
} Node;
typedef struct Tab {
  struct GCObject *next;
  unsigned char tt;
  Node *node;
  int size;
} Tab;

// Lua's allocator: a tag argument besides the size.
static void *alloc(void *ud, size_t size, int tag) {
  (void)ud;
  (void)tag;
  return malloc(size);
}

static long long lengthOf(GCObject *o) {
  if (o->tt == T_STR)
    return ((Str *)o)->len;
  if (o->tt == T_TAB)
    return ((Tab *)o)->size;
  return 0;
}

static long long sum(const Tab *t) {
  long long s = 0;
  for (int k = 0; k < t->size; ++k)
    s += t->node[k].value * (k + 1) + t->node[k].tt + t->node[k].chain;
  return s;
}

static GCObject *bare;

int main(void) {
  Str *name = alloc(NULL, sizeof *name, T_STR);
  name->tt = T_STR;
  name->len = 4;
  strcpy(name->text, "keys");
  Tab *t = alloc(NULL, sizeof *t, T_TAB);
  t->tt = T_TAB;
  t->size = 64;
  t->node = (Node *)alloc(NULL, 64 * sizeof(Node), 0);
  for (int k = 0; k < 64; ++k) {
    t->node[k].value = 1000 + k;
    t->node[k].tt = 3;
    t->node[k].chain = k % 5;
    t->node[k].key = (GCObject *)name;
  }
  // The dead key: the address of node 32, where a string once was.
  t->node[5].key = (GCObject *)&t->node[32];
  t->node[5].tt = 11;
  bare = alloc(NULL, sizeof *bare, 12);
  bare->tt = 12;
  bare->next = (GCObject *)name;
  long long before = sum(t) + lengthOf((GCObject *)name) + lengthOf((GCObject *)t);
  migrate_now();
  for (int k = 0; k < 64; ++k)
    t->node[k].value += k;
  long long middle = sum(t);
  migrate_now();
  printf("%lld %lld %lld %d %d %lld\n", before, middle, sum(t),
         t->node[5].key == (GCObject *)&t->node[32], bare->tt, lengthOf(bare->next));
  return 0;
}
