/* A tree built by recursion, then summed again and again by a read-only
 * recursion (the shape of Olden's treeadd: the repetitions are the benchmark's
 * own, and a compiler may see that the sum does not change). */
#include <stdio.h>
#include <stdlib.h>

struct tree { int value; struct tree *left, *right; };

static struct tree *make_tree(int level, int *next) {
  if (level == 0) return NULL;
  struct tree *t = malloc(sizeof *t);
  t->value = (*next)++ % 7;
  t->left = make_tree(level - 1, next);
  t->right = make_tree(level - 1, next);
  return t;
}

static long tree_add(const struct tree *t) {
  if (!t) return 0;
  return t->value + tree_add(t->left) + tree_add(t->right);
}

static void free_tree(struct tree *t) {
  if (!t) return;
  free_tree(t->left);
  free_tree(t->right);
  free(t);
}

int main(void) {
  int next = 0;
  long total = 0;
  struct tree *root = make_tree(18, &next);
  for (int iteration = 0; iteration < 40; iteration++)
    total += tree_add(root);
  printf("sum %ld over %d nodes\n", total, next);
  free_tree(root);
  return 0;
}
