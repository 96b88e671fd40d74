/* Migration points inside hot recursions: a doubly recursive fib that may
 * migrate in its leaves (rarely), and a tree sum that offers to migrate every
 * 10^7 nodes visited. Without hmcc, migrate_now is an empty function apart. */
#include <stdio.h>
#include <stdlib.h>
#ifdef __HMCC__
#include <hm/migrate.h>
#else
__attribute__((noinline)) void migrate_now(void) { __asm__ volatile(""); }
#endif

static long leaves, visits;

static long fib(int n) {
  if (n < 2) {
    if (++leaves % 1000000000L == 0) migrate_now();
    return n;
  }
  return fib(n - 1) + fib(n - 2);
}

struct node { long value; struct node *left, *right; };

static struct node *build(int depth, long *next) {
  if (depth == 0) return NULL;
  struct node *t = malloc(sizeof *t);
  t->value = (*next)++;
  t->left = build(depth - 1, next);
  t->right = build(depth - 1, next);
  return t;
}

static long sum(const struct node *t) {
  if (!t) return 0;
  if (++visits % 10000000L == 0) migrate_now();
  return t->value + sum(t->left) + sum(t->right);
}

int main(void) {
  long next = 0, total = 0;
  struct node *root = build(19, &next);
  for (int i = 0; i < 10; i++) total += sum(root);
  printf("fib %ld, sum %ld\n", fib(30), total);
  return 0;
}
