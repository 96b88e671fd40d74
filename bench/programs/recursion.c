/* Deep recursion: calls dominate. */
#include <stdio.h>
static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int ack(int m, int n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}
int main(int argc, char **argv) {
  int n = argc > 1 ? 30 : 32;
  printf("%ld %d\n", fib(n), ack(2, 2000));
  return 0;
}
