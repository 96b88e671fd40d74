// Every way of taking a function's address registers it: f and &f, in
// initialisers of globals and locals, through macros, in tables; pointers to the
// C library's functions (strcmp in a table, getenv in a global) travel by name.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: function-addresses: 12 pairs x 4 points: 48 of 48 migrations match
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HANDLER(name) (&name)

static int twice(int x) { return 2 * x; }
static int next(int x) { return x + 1; }
int square(int x) { return x * x; }

typedef int (*unary)(int);
struct command {
  const char *name;
  unary run;
  int (*compare)(const char *, const char *);
  size_t (*measure)(const char *);
};

static struct command commands[] = {
    {"twice", &twice, strcmp, &strlen},
    {"next", next, &strcmp, strlen},
    {"square", HANDLER(square), strcoll, 0},
};
static char *(*lookup)(const char *) = &getenv;
static int (*compare_ints)(const void *, const void *);

static int by_value(const void *a, const void *b) {
  return *(const int *)a - *(const int *)b;
}

int main(void) {
  unary chain[3] = {&next, twice, HANDLER(square)};
  unary *walk = &chain[1];
  int (*cmp)(const char *, const char *) = &strcmp;
  compare_ints = &by_value;
  migrate_now();
  int v = 3;
  for (int i = 0; i < 3; ++i)
    v = chain[i](v);
  printf("chain: %d, walk: %d\n", v, (*walk)(5));
  for (int i = 0; i < 3; ++i) {
    migrate_now();
    printf("%s: %d, compare %d, measure %zu\n", commands[i].name, commands[i].run(i + 4),
           commands[i].compare(commands[i].name, "next") < 0,
           commands[i].measure ? commands[i].measure(commands[i].name) : (size_t)0);
  }
  int values[] = {5, 1, 4, 2};
  qsort(values, 4, sizeof *values, compare_ints);
  printf("sorted: %d %d %d %d, cmp %d, lookup %s\n", values[0], values[1], values[2],
         values[3], cmp("a", "b") < 0, lookup("HM_NO_SUCH_VARIABLE") ? "set" : "unset");
  return 0;
}
