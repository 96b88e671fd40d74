/* A CPU-bound program to request migrations of: argv[1] "pipe" keeps a pipe
 * open (a state that cannot travel). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  int fds[2];
  if (strcmp(mode, "pipe") == 0 && pipe(fds) != 0)
    return 2;
  printf("started\n");
  fflush(stdout);
  unsigned long long h = 0xcbf29ce484222325ULL;
  for (int round = 0; round < 300; round++)
    for (unsigned long long i = 0; i < 2000000; i++) {
      h ^= i * round;
      h *= 0x100000001b3ULL;
    }
  printf("hash %016llx\n", h);
  return 0;
}
