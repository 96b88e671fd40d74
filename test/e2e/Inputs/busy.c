/* A CPU-bound program with no migration point of its own. */
#include <stdio.h>

static unsigned long long mix(unsigned long long h, unsigned long long v) {
  h ^= v;
  h *= 0x100000001b3ULL;
  return h;
}

int main(void) {
  printf("started\n");
  fflush(stdout);
  unsigned long long h = 0xcbf29ce484222325ULL;
  for (int round = 0; round < 60; round++) {
    for (unsigned long long i = 0; i < 2000000; i++)
      h = mix(h, i * round);
  }
  printf("hash %016llx\n", h);
  return 0;
}
