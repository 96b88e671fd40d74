#include "sieve.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int limit = argc > 1 ? atoi(argv[1]) : 100000;
  int n = count_primes(limit);
  printf("%d primes below %d\n", n, limit);
  return 0;
}
