#ifndef SIEVE_H
#define SIEVE_H
#define SEGMENT 1024
#ifdef __cplusplus
extern "C" {
#endif
int count_primes(int limit);
#ifdef __cplusplus
}
#endif
#endif
