/* Electromagnetic waves on a bipartite graph (the shape of Olden's em3d): each
 * node's value is updated from its neighbours' through pointer arrays and
 * coefficient arrays, in linked lists of nodes. */
#include <stdio.h>
#include <stdlib.h>

struct node {
  double value;
  struct node *next;
  int degree;
  struct node **from;
  double *coeff;
};

static unsigned long seed = 17;
static unsigned rnd(void) {
  seed = seed * 6364136223846793005UL + 1442695040888963407UL;
  return (unsigned)(seed >> 33);
}

static struct node *make_list(struct node **table, int n) {
  struct node *head = NULL;
  for (int i = n - 1; i >= 0; i--) {
    struct node *x = malloc(sizeof *x);
    x->value = (double)(rnd() % 1000) / 1000.0;
    x->next = head;
    x->degree = 0;
    head = x;
    table[i] = x;
  }
  return head;
}

static void connect(struct node *list, struct node **other, int n, int degree) {
  for (struct node *x = list; x; x = x->next) {
    x->degree = degree;
    x->from = malloc((size_t)degree * sizeof *x->from);
    x->coeff = malloc((size_t)degree * sizeof *x->coeff);
    for (int i = 0; i < degree; i++) {
      x->from[i] = other[rnd() % (unsigned)n];
      x->coeff[i] = (double)(rnd() % 100) / 1000.0;
    }
  }
}

static void compute(struct node *list) {
  for (struct node *x = list; x; x = x->next) {
    double v = x->value;
    for (int i = 0; i < x->degree; i++) v -= x->coeff[i] * x->from[i]->value;
    x->value = v;
  }
}

int main(void) {
  enum { N = 10000, DEGREE = 12 };
  struct node **e_table = malloc(N * sizeof *e_table), **h_table = malloc(N * sizeof *h_table);
  struct node *e = make_list(e_table, N), *h = make_list(h_table, N);
  connect(e, h_table, N, DEGREE);
  connect(h, e_table, N, DEGREE);
  for (int step = 0; step < 100; step++) {
    compute(e);
    compute(h);
  }
  double s = 0;
  for (struct node *x = e; x; x = x->next) s += x->value;
  printf("%.6e\n", s);
  return 0;
}
