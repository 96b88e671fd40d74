// Heap blocks that hold several objects of different types migrate, each object
// typed by the pointers to it and converted at its offset: a bump allocator's
// pool (a struct, then an int[10], then another struct), an allocator that keeps
// a size before each object and returns p + 1 (SQLite's and zlib's way), and
// Lua's main state (extra space, then a thread, then the global state, one block
// with pointers between its parts).
// RUN: %migrate-matrix --points all --checkpoints %s | FileCheck %s
// CHECK: several-objects: 3 of 3 checkpoints go on
// CHECK: several-objects: 12 pairs x 3 points: 36 of 36 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct header {
  long id;
  struct header *next;
  short tag;
};

static char *pool;
static size_t used;

static void *take(size_t n) {
  void *p = pool + used;
  used += (n + 63) & ~(size_t)63; // room for each object on every target
  return p;
}

struct node {
  struct node *next;
  long value;
  double weight;
};

static void *sized_alloc(size_t n) {
  long long *p = malloc(n + sizeof *p);
  p[0] = (long long)n;
  return p + 1;
}

static size_t sized_size(void *q) { return (size_t)((long long *)q)[-1]; }

// Lua's shape: LX { char extra[sizeof(void *)]; struct thread l; } and the
// global state after it, allocated as one struct LG.
struct global;
struct thread {
  struct global *g;
  int status;
  long stack_size;
};
struct global {
  struct thread *main_thread;
  long total;
  double pause;
};
struct lx {
  char extra[sizeof(void *)];
  struct thread l;
};
struct lg {
  struct lx lx;
  struct global g;
};

static struct thread *new_state(void) {
  struct lg *block = calloc(1, sizeof *block);
  struct thread *l = &block->lx.l;
  l->g = &block->g;
  l->status = 3;
  l->stack_size = 40;
  block->g.main_thread = l;
  block->g.total = 1 << 20;
  block->g.pause = 2.5;
  return l; // only pointers into the middle of the block are kept
}

int main(void) {
  pool = malloc(4096);
  struct header *a = take(sizeof *a);
  int *numbers = take(10 * sizeof *numbers);
  struct header *b = take(sizeof *b);
  a->id = 1;
  a->next = b;
  a->tag = 7;
  b->id = 2;
  b->next = a;
  b->tag = 9;
  for (int i = 0; i < 10; i++)
    numbers[i] = i * 1000 + 1;
  struct node *head = NULL;
  for (int i = 0; i < 4; i++) {
    struct node *n = sized_alloc(sizeof *n);
    n->value = i;
    n->weight = i / 4.0;
    n->next = head;
    head = n;
  }
  struct thread *L = new_state();
  migrate_now(); // 1
  printf("pool: %ld %ld %d %d %d %d %ld\n", a->id, a->next->id, a->tag, b->tag, numbers[0],
         numbers[9], b->next->next->id);
  migrate_now(); // 2
  for (struct node *n = head; n; n = n->next)
    // The header keeps the sender's number: a size it counted with its own
    // sizeof (docs/supported.md), so only its being there is printed.
    printf("node %ld %.2f sized %d\n", n->value, n->weight, sized_size(n) >= 16);
  migrate_now(); // 3
  printf("state: %d %ld %ld %.1f %d\n", L->status, L->stack_size, L->g->total, L->g->pause,
         L->g->main_thread == L);
  return 0;
}
