#include "sieve.h"

#include <hm/migrate.h>

/* Counts primes below limit with a segmented sieve; a migration point per segment. */
int count_primes(int limit) {
  static unsigned char composite[SEGMENT];
  int count = 0;
  for (int base = 0; base < limit; base += SEGMENT) {
    for (int i = 0; i < SEGMENT; i++)
      composite[i] = 0;
    for (int p = 2; p * p < base + SEGMENT; p++) {
      int start = (base + p - 1) / p * p;
      if (start < p * p)
        start = p * p;
      for (int m = start; m < base + SEGMENT; m += p)
        composite[m - base] = 1;
    }
    for (int i = 0; i < SEGMENT && base + i < limit; i++)
      if (base + i >= 2 && !composite[i])
        count++;
    migrate_now();
  }
  return count;
}
