/* A CPU-bound program with no migration point of its own: 60 rounds, or argv[1]. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long mix(unsigned long long h, unsigned long long v) {
  h ^= v;
  h *= 0x100000001b3ULL;
  return h;
}

int main(int argc, char **argv) {
  const int rounds = argc > 1 ? atoi(argv[1]) : 60;
  printf("started\n");
  fflush(stdout);
  unsigned long long h = 0xcbf29ce484222325ULL;
  for (int round = 0; round < rounds; round++) {
    for (unsigned long long i = 0; i < 2000000; i++)
      h = mix(h, i * round);
  }
  printf("hash %016llx\n", h);
  return 0;
}
