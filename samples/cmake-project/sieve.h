#ifndef SIEVE_H
#define SIEVE_H
#define SEGMENT 1024
int count_primes(int limit);
#endif
