// Pointers to locals of other frames (also inside structs and arrays), to string
// literals and argv, one past the end of arrays, a dispatch table of function
// pointers, a growing realloc vector with interior pointers, and char * cursors.
// RUN: %migrate-matrix --points all --args "alpha beta" %s | FileCheck %s
// CHECK: locals-and-functions: 12 pairs x {{[0-9]+}} points: [[N:[0-9]+]] of [[N]] migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*op_fn)(int, int);
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }

struct op { const char *name; op_fn fn; };
static const struct op ops[] = {{"add", add}, {"sub", sub}, {"mul", mul}};
static op_fn current;

struct counters { int *hits; int *end; const char *label; };

static void bump(struct counters *c, int i) {
  c->hits[i]++;
  migrate_now();
}

static int sum_range(const int *from, const int *to) {
  int s = 0;
  while (from != to) {
    s += *from++;
    if (s % 3 == 0)
      migrate_now();
  }
  return s;
}

static void tokens(const char *line, int *count) {
  const char *cursor = line;
  char buf[16];
  char *out = buf;
  while (*cursor) {
    if (*cursor == ',') {
      *out = 0;
      (*count)++;
      migrate_now();
      printf("token %s\n", buf);
      out = buf;
    } else {
      *out++ = *cursor;
    }
    cursor++;
  }
}

int main(int argc, char **argv) {
  int hits[4] = {0, 0, 0, 0};
  struct counters c = {hits, hits + 4, "hits"};
  int *cursor = &hits[2];
  for (int i = 0; i < 4; i++)
    bump(&c, i % 3);
  *cursor += 10;
  printf("%s: %d %d %d %d end-hits %ld\n", c.label, hits[0], hits[1], hits[2], hits[3],
         (long)(c.end - c.hits));

  int total = 0;
  for (int i = 0; i < 3; i++) {
    current = ops[i].fn;
    int v = current(7, i);
    total += v;
    printf("%s(7, %d) = %d\n", ops[i].name, i, v);
    migrate_now();
  }
  int (*local_fn)(int, int) = ops[2].fn;
  printf("local %d total %d\n", local_fn(6, 7), total);

  size_t cap = 2, n = 0;
  double *vec = malloc(cap * sizeof(double));
  double *mid = NULL;
  for (int i = 0; i < 10; i++) {
    if (n == cap) {
      cap *= 2;
      vec = realloc(vec, cap * sizeof(double));
    }
    vec[n++] = i * 1.5;
    mid = &vec[n / 2];
  }
  int s = sum_range(hits, hits + 4);
  printf("vec n %zu mid %g last %g sum %d\n", n, *mid, vec[n - 1], s);

  const char *greeting = "hello, migrating, world,";
  int count = 0;
  tokens(greeting + 7, &count);
  const char *last_arg = argv[argc - 1];
  printf("tokens %d, first char %c, args %d, last %s\n", count, *greeting, argc, last_arg);
  free(vec);
  return 0;
}
