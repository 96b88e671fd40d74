#include <hm/migrate.h>

int up(int n, int depth);
extern int total_calls;

static int helper(int x) { return x - 3; }

int down(int n, int depth) {
  total_calls++;
  if (n <= 0) {
    migrate_now();
    return depth;
  }
  int r = up(n - 1, depth + 1);
  return helper(r);
}
