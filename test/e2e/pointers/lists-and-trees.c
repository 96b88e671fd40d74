// Linked lists, a binary search tree, a graph with cycles and a hash table with
// chaining, all on the heap, migrated at several points across all 12 pairs.
// RUN: %migrate-matrix --points 1,3,6,10,14 %s | FileCheck %s
// CHECK: lists-and-trees: 12 pairs x 5 points: 60 of 60 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node { long value; struct node *next; };
struct tree { int key; struct tree *left, *right, *parent; };
struct vertex { int id; int nedges; struct vertex **edges; int seen; };
struct entry { char *key; int count; struct entry *next; };

static struct entry *table[17];
static struct tree *root;

static unsigned hash(const char *s) {
  unsigned h = 5381;
  while (*s)
    h = h * 33 + (unsigned char)*s++;
  return h % 17;
}

static void count_word(const char *w) {
  struct entry *e = table[hash(w)];
  for (; e; e = e->next)
    if (strcmp(e->key, w) == 0) {
      e->count++;
      return;
    }
  e = malloc(sizeof *e);
  e->key = strdup(w);
  e->count = 1;
  e->next = table[hash(w)];
  table[hash(w)] = e;
  migrate_now();
}

static struct tree *insert(struct tree *t, struct tree *parent, int key) {
  if (!t) {
    t = calloc(1, sizeof(struct tree));
    t->key = key;
    t->parent = parent;
    return t;
  }
  if (key < t->key)
    t->left = insert(t->left, t, key);
  else
    t->right = insert(t->right, t, key);
  return t;
}

static int depth_sum(const struct tree *t, int depth) {
  if (!t)
    return 0;
  if (!t->left && !t->right && t->key % 7 == 0)
    migrate_now();
  int l = depth_sum(t->left, depth + 1);
  int r = depth_sum(t->right, depth + 1);
  return depth + l + r;
}

static int walk(struct vertex *v) {
  if (v->seen)
    return 0;
  v->seen = 1;
  int n = 1;
  for (int i = 0; i < v->nedges; i++) {
    int k = walk(v->edges[i]);
    n += k;
  }
  return n;
}

int main(void) {
  struct node *list = NULL, **tail = &list;
  for (long i = 1; i <= 20; i++) {
    struct node *n = malloc(sizeof(struct node));
    n->value = i * i;
    n->next = NULL;
    *tail = n;
    tail = &n->next;
    if (i % 8 == 0)
      migrate_now();
  }
  long sum = 0;
  for (struct node *n = list; n; n = n->next)
    sum += n->value;
  printf("list sum %ld, last %ld\n", sum, (long)(*(tail == &list ? &list : tail) == NULL));

  int keys[] = {50, 30, 70, 20, 40, 60, 80, 35, 45, 65, 14, 21, 77, 49};
  for (int i = 0; i < 14; i++)
    root = insert(root, NULL, keys[i]);
  int ds = depth_sum(root, 0);
  const struct tree *leftmost = root;
  while (leftmost->left)
    leftmost = leftmost->left;
  printf("tree depth sum %d, leftmost %d, its parent %d\n", ds, leftmost->key,
         leftmost->parent->key);

  struct vertex *vs = malloc(6 * sizeof(struct vertex));
  for (int i = 0; i < 6; i++) {
    vs[i].id = i;
    vs[i].seen = 0;
    vs[i].nedges = 2;
    vs[i].edges = malloc(2 * sizeof(struct vertex *));
    vs[i].edges[0] = &vs[(i + 1) % 6]; /* a cycle, interior pointers */
    vs[i].edges[1] = &vs[(i * 2) % 6];
  }
  migrate_now();
  int reached = walk(&vs[0]);
  printf("graph reached %d, vs[5] -> %d\n", reached, vs[5].edges[0]->id);

  const char *text = "the quick brown fox jumps over the lazy dog the end fox";
  char word[32];
  for (const char *p = text; *p;) {
    int n = 0;
    while (*p && *p != ' ')
      word[n++] = *p++;
    word[n] = 0;
    while (*p == ' ')
      p++;
    count_word(word);
  }
  for (int i = 0; i < 17; i++)
    for (struct entry *e = table[i]; e; e = e->next)
      if (e->count > 1)
        printf("word %s x%d\n", e->key, e->count);
  return 0;
}
