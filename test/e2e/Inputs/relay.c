/* Reads numbers from stdin, one per line, with work between them, writes to
 * stdout and stderr, and exits with a status the numbers decide: a process
 * that moves must keep all three streams and its status where its user is. */
#include <stdio.h>
#include <stdlib.h>

/* 64 KB of state: a move takes a while on the wire. */
static unsigned char history[1 << 16];

int main(void) {
  char line[64];
  unsigned long long h = 1469598103934665603ULL;
  long sum = 0;
  int n = 0;
  printf("started\n");
  fflush(stdout);
  while (fgets(line, sizeof line, stdin)) {
    const long v = atol(line);
    for (unsigned long long i = 0; i < 3000000; i++) {
      h ^= i * (unsigned long long)v;
      h *= 0x100000001b3ULL;
    }
    sum += v;
    n++;
    history[(unsigned)n * 97 % sizeof history] = (unsigned char)h;
    printf("%d %ld %016llx\n", n, sum, h);
    if (n % 100 == 0)
      fprintf(stderr, "progress %d\n", n);
  }
  unsigned check = 0;
  for (unsigned i = 0; i < sizeof history; i++)
    check = check * 31 + history[i];
  fprintf(stderr, "done %d %08x\n", n, check);
  return (int)(sum % 7) + 3;
}
