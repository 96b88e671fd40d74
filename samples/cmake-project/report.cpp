// A C++ unit in the same project: compiled as it is, linked with the C units by
// the C++ driver (hmc++ through the toolchain file), which adds the runtime.
#include "sieve.h"

#include <cstdlib>
#include <iostream>

int main(int argc, char **argv) {
  const int limit = argc > 1 ? std::atoi(argv[1]) : 100000;
  std::cout << count_primes(limit) << " primes below " << limit << " (C++)\n";
  return 0;
}
