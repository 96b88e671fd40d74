/* Pointer chasing over a heap binary tree. */
#include <stdio.h>
#include <stdlib.h>
struct node { long key; struct node *left, *right; };
static struct node *insert(struct node *t, long key) {
  if (!t) {
    t = malloc(sizeof *t);
    t->key = key;
    t->left = t->right = NULL;
    return t;
  }
  if (key < t->key) t->left = insert(t->left, key);
  else t->right = insert(t->right, key);
  return t;
}
static long sum(const struct node *t) { return t ? t->key + sum(t->left) + sum(t->right) : 0; }
static int find(const struct node *t, long key) {
  while (t) {
    if (key == t->key) return 1;
    t = key < t->key ? t->left : t->right;
  }
  return 0;
}
int main(void) {
  struct node *root = NULL;
  unsigned long x = 12345;
  for (int i = 0; i < 200000; i++) {
    x = x * 6364136223846793005UL + 1442695040888963407UL;
    root = insert(root, (long)(x >> 20));
  }
  long found = 0;
  for (int r = 0; r < 5; r++) {
    x = 999;
    for (int i = 0; i < 200000; i++) {
      x = x * 6364136223846793005UL + 1442695040888963407UL;
      found += find(root, (long)(x >> 20));
    }
  }
  printf("%ld %ld\n", sum(root), found);
  return 0;
}
