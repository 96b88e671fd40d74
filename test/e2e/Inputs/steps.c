/* A job of argv[1] steps (default 40), a line of output each, with a table it
 * keeps across them: long enough to be moved while it runs. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long table[4096];

int main(int argc, char **argv) {
  const int steps = argc > 1 ? atoi(argv[1]) : 40;
  unsigned long long h = 14695981039346656037ULL;
  for (int s = 1; s <= steps; s++) {
    for (unsigned long long i = 0; i < 90000000ULL; i++) {
      h ^= i + (unsigned long long)s;
      h *= 1099511628211ULL;
      table[i & 4095] += h >> 7;
    }
    printf("step %d %016llx\n", s, h);
    fflush(stdout);
  }
  unsigned long long check = 0;
  for (int i = 0; i < 4096; i++)
    check = check * 31 + table[i];
  printf("done %016llx\n", check);
  return 0;
}
