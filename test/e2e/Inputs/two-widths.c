/* A block of integers read at two widths for as long as it runs (bzip2's arr1
 * and mtfv): it travels as bytes, right only where the byte order is the
 * sender's. Reads numbers from stdin as relay.c does. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  unsigned *words = malloc(1000 * sizeof(unsigned));
  unsigned short *half = (unsigned short *)words;
  for (int i = 0; i < 1000; ++i)
    words[i] = (unsigned)i * 2654435761u;
  char line[64];
  unsigned long long h = 1469598103934665603ULL;
  int n = 0;
  printf("started\n");
  fflush(stdout);
  while (fgets(line, sizeof line, stdin)) {
    const long v = atol(line);
    for (unsigned long long i = 0; i < 3000000; i++) {
      h ^= i * (unsigned long long)v + half[i % 2000];
      h *= 0x100000001b3ULL;
    }
    words[n % 1000] ^= (unsigned)h;
    n++;
    printf("%d %016llx\n", n, h);
  }
  return 0;
}
