// The image checksum (CRC-32C) comes from the CPU's instruction on x86-64 and
// AArch64, three streams at a time on long data, and from tables elsewhere: a
// chain through all three must agree at every step, and with a plain byte-by-byte
// CRC-32C of each image. The state is long (several of the three-stream blocks)
// and of an odd length, so the joins and the tails are both in the images.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu -O1 %s -o %t/x86
// RUN: %hmcc --target=aarch64-linux-gnu -O1 %s -o %t/a64
// RUN: %hmcc --target=s390x-linux-gnu -O1 %s -o %t/s390x
// RUN: %t/x86 > %t/plain.txt
// RUN: FileCheck %s < %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/1.img %t/x86 > %t/chain.txt
// RUN: python3 %S/../tools/corrupt-image.py - %t/1.img verify | FileCheck --check-prefix=OK %s
// RUN: env HM_RESTORE=%t/1.img HM_MIGRATE_TO=%t/2.img %run-aarch64 %t/a64 >> %t/chain.txt
// RUN: python3 %S/../tools/corrupt-image.py - %t/2.img verify | FileCheck --check-prefix=OK %s
// RUN: env HM_RESTORE=%t/2.img HM_MIGRATE_TO=%t/3.img %run-s390x %t/s390x >> %t/chain.txt
// RUN: python3 %S/../tools/corrupt-image.py - %t/3.img verify | FileCheck --check-prefix=OK %s
// RUN: env HM_RESTORE=%t/3.img %t/x86 >> %t/chain.txt
// RUN: diff %t/plain.txt %t/chain.txt
// OK: checksum right
// CHECK: round 0: [[S0:[0-9]+]]
// CHECK-NEXT: round 1: {{[0-9]+}}
// CHECK-NEXT: round 2: {{[0-9]+}}
// CHECK-NEXT: end: {{[0-9]+}}
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

enum { LENGTH = 3 * 3 * 4096 * 2 + 12345 };
static unsigned char global_bytes[LENGTH];

int main(void) {
  unsigned char *heap_bytes = malloc(LENGTH + 7);
  unsigned seed = 12345;
  for (int i = 0; i < LENGTH; ++i) {
    seed = seed * 1103515245u + 12345u;
    global_bytes[i] = (unsigned char)(seed >> 16);
    heap_bytes[i] = (unsigned char)(seed >> 8);
  }
  for (int round = 0; round < 3; ++round) {
    unsigned long sum = 0;
    for (int i = 0; i < LENGTH; ++i)
      sum = sum * 31 + (global_bytes[i] ^ heap_bytes[i]);
    printf("round %d: %lu\n", round, sum % 1000000007ul);
    fflush(stdout);
    migrate_now();
    for (int i = round; i < LENGTH; i += 3)
      global_bytes[i] ^= heap_bytes[(i * 7) % LENGTH];
  }
  unsigned long sum = 0;
  for (int i = 0; i < LENGTH; ++i)
    sum += global_bytes[i] * (unsigned long)(i % 97);
  printf("end: %lu\n", sum);
  free(heap_bytes);
  return 0;
}
