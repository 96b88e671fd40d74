// Warnings clang gives on the user's source: hmcc gives the same, and no others.
#include <stdio.h>
#define SAME(a, b) ((a) == (b))
static int unused_function(void) { return 1; }
int f(int n) {
  int unused;
  int maybe;
  if (n > 2)
    maybe = 1;
  if (SAME(n, 3))
    printf("%d\n", n);
  for (int i = 0; i < n; ++i)
    printf("%s\n", i);
  return maybe;
}
int main(void) { return f(4); }
