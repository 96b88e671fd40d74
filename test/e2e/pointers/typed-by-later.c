// Heap blocks no allocation site types (a generic allocator wrapper), typed by
// the pointers that reach them, where the pointer's own block lies later by
// address: a list built by pushing at the head (each node points to an older,
// lower one) and a tree whose children were allocated before their parents.
// The image lists blocks by address, so the receiver must type such chains from
// their far end; long chains must not recurse.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: typed-by-later: 12 pairs x 3 points: [[N:[0-9]+]] of [[N]] migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct cell { double weight; long key; struct cell *next; };
struct branch { short depth; struct branch *kids[2]; float score; };

static void *allocate(size_t n) { // no type at this site: the pointers tell
  void *p = malloc(n);
  if (!p)
    abort();
  return p;
}

static struct branch *grow(int depth, unsigned *seed) {
  struct branch *kids[2] = {NULL, NULL};
  if (depth > 0)
    for (int i = 0; i < 2; i++)
      kids[i] = grow(depth - 1, seed); // children first: at lower addresses
  struct branch *b = allocate(sizeof *b);
  *seed = *seed * 1103515245u + 12345u;
  b->depth = (short)depth;
  b->kids[0] = kids[0];
  b->kids[1] = kids[1];
  b->score = (float)(*seed >> 20) / 8.0f;
  return b;
}

static double total(const struct branch *b) {
  return b ? b->score * (b->depth + 1) + total(b->kids[0]) + total(b->kids[1]) : 0;
}

int main(void) {
  struct cell *head = NULL;
  unsigned seed = 7;
  for (long i = 0; i < 3000; i++) {
    struct cell *c = allocate(sizeof *c);
    c->weight = (double)i / 4;
    c->key = i * 31 % 1009;
    c->next = head;
    head = c;
  }
  struct branch *root = grow(9, &seed);
  for (int round = 0; round < 3; round++) {
    migrate_now();
    double w = 0;
    long keys = 0;
    for (struct cell *c = head; c; c = c->next) {
      w += c->weight;
      keys = (keys * 7 + c->key) % 1000003;
      c->weight += round;
    }
    printf("round %d: list %.2f %ld, tree %.3f\n", round, w, keys, total(root));
    root->kids[round % 2]->score += 1.5f;
  }
  return 0;
}
