// Statics whose struct is declared inside their function (with them, or in a
// declaration of its own there, alone or with local variables, as SQLite's
// `struct OpenMode { ... } *aMode = 0;`) move to file
// scope with their type and migrate; a struct of the same name in another
// function is another type (descriptors are per type, not per spelling).
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: local-static-types: 12 pairs x 1 points: 12 of 12 migrations match
#include <hm/migrate.h>
#include <stdio.h>

static int step(int k) {
  static struct counter { long calls; const char *last; double sum; } state = {0, "none", 0.0};
  static const struct { const char *name; int weight; } table[] = {{"a", 1}, {"bb", 2}, {"ccc", 3}};
  state.calls++;
  state.last = table[k % 3].name;
  state.sum += table[k % 3].weight * 0.5;
  if (k == 5)
    migrate_now();
  if (k == 5) printf("calls %ld last %s sum %g\n", state.calls, state.last, state.sum);
  return (int)state.calls;
}

static long modes(int k) {
  struct mode {
    const char *name;
    long uses;
  } *m = 0; // as SQLite's struct OpenMode *aMode
  static struct mode table[] = {{"ro", 0}, {"rw", 0}};
  static struct mode *last;
  m = table;
  m[k % 2].uses++;
  last = &m[k % 2];
  return last->uses * 10 + (long)(last->name[1] == 'w');
}

int main(void) {
  struct counter { int unrelated; } mine = {7};
  int n = 0;
  for (int k = 0; k < 10; ++k)
    n += step(k) + (int)modes(k);
  printf("%d %d\n", n, mine.unrelated);
  return 0;
}
