// The allocator's map of live blocks: small blocks over many 1 MiB regions,
// freed and reallocated in between; blocks glibc maps by themselves (each in a
// region of its own); blocks on both sides of the size the map holds inline
// (64 MiB); an over-aligned block. The runtime must know each live block's size
// (malloc_usable_size answers with it) before a checkpoint and after restores on
// a 64-bit and a 32-bit target (their maps differ), with the same contents.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu -O1 %s -o %t/x86
// RUN: %hmcc --target=aarch64-linux-gnu -O1 %s -o %t/a64
// RUN: %hmcc --target=arm-linux-gnueabihf -O1 %s -o %t/arm
// RUN: %t/x86 > %t/plain.txt
// RUN: FileCheck %s < %t/plain.txt
// RUN: env HM_CHECKPOINT=%t/ck.img HM_MIGRATE_AT=1 %t/x86 > %t/ck.txt
// RUN: diff %t/plain.txt %t/ck.txt
// RUN: env HM_RESTORE=%t/ck.img %run-aarch64 %t/a64 > %t/a64.txt
// RUN: tail -n 2 %t/plain.txt | diff - %t/a64.txt
// RUN: env HM_RESTORE=%t/ck.img %run-armhf %t/arm > %t/arm.txt
// RUN: tail -n 2 %t/plain.txt | diff - %t/arm.txt
// CHECK: built: 14000 small, 40 mapped, 1 huge, sizes right
// CHECK-NEXT: after: 14000 small, 40 mapped, 1 huge, sizes right, sum [[SUM:[0-9]+]]
// CHECK-NEXT: end: sum [[SUM]]
#include <hm/migrate.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SMALL = 20000, KEPT = 14000, MAPPED = 40, MAPPED_SIZE = 300000 };
static const size_t HUGE_SIZE = (size_t)64 << 20; // the first size kept aside

struct block { unsigned char *p; unsigned size; };

static unsigned long long sum(const struct block *b, int n) {
  unsigned long long s = 0;
  for (int i = 0; i < n; i++)
    for (unsigned j = 0; j < b[i].size; j += 97)
      s = s * 31 + b[i].p[j] + b[i].size;
  return s;
}

static int sizesRight(const struct block *b, int n) {
  for (int i = 0; i < n; i++)
    if (malloc_usable_size(b[i].p) != b[i].size) {
      printf("block %d: %zu bytes known, %u asked\n", i, malloc_usable_size(b[i].p),
             b[i].size);
      return 0;
    }
  return 1;
}

int main(void) {
  struct block *all = calloc(KEPT + MAPPED + 2, sizeof *all);
  unsigned char **small = malloc(SMALL * sizeof *small);
  unsigned *sizes = malloc(SMALL * sizeof *sizes);
  unsigned seed = 7;
  for (int i = 0; i < SMALL; i++) { // about 3 MiB: several regions
    seed = seed * 1103515245u + 12345u;
    sizes[i] = seed % 300;
    small[i] = malloc(sizes[i]);
    memset(small[i], (int)(seed >> 16), sizes[i]);
  }
  int n = 0;
  for (int i = 0; i < SMALL; i++) {
    if (i % 10 < 3) { // freed in between
      free(small[i]);
      continue;
    }
    if (i % 10 == 3) { // reallocated, often to another address
      unsigned old = sizes[i];
      sizes[i] += 200 + (unsigned)(i % 7) * 40;
      small[i] = realloc(small[i], sizes[i]);
      memset(small[i] + old, i, sizes[i] - old);
    }
    all[n].p = small[i];
    all[n].size = sizes[i];
    n++;
  }
  free(small);
  free(sizes);
  // Dead from here: a capture would carry their freed addresses, and a block
  // glibc maps later may start at one of them (docs/supported.md, "Pointers to
  // blocks given back": the dead `unsigned char **` then made that block an
  // array of pointers).
  small = NULL;
  sizes = NULL;
  int kept = n;
  for (int i = 0; i < MAPPED; i++) { // glibc maps each apart
    all[n].p = malloc(MAPPED_SIZE + i);
    all[n].size = MAPPED_SIZE + i;
    memset(all[n].p, i, all[n].size);
    n++;
  }
  unsigned char *inline_max = malloc(HUGE_SIZE - 2); // still inline in the map
  int inline_ok = malloc_usable_size(inline_max) == HUGE_SIZE - 2;
  free(inline_max);
  all[n].p = calloc(1, HUGE_SIZE);
  all[n].size = (unsigned)HUGE_SIZE;
  all[n].p[HUGE_SIZE - 1] = 42;
  n++;
  all[n].p = memalign(1 << 16, 1000);
  all[n].size = 1000;
  memset(all[n].p, 9, 1000);
  n++;
  printf("built: %d small, %d mapped, 1 huge, sizes %s\n", kept, MAPPED,
         inline_ok && sizesRight(all, n) ? "right" : "wrong");
  migrate_now();
  unsigned long long total = sum(all, n);
  printf("after: %d small, %d mapped, 1 huge, sizes %s, sum %llu\n", kept, MAPPED,
         sizesRight(all, n) && (unsigned long)all[n - 1].p % (1 << 16) == 0 ? "right" : "wrong",
         total);
  for (int i = 0; i < n; i++)
    free(all[i].p);
  free(all);
  unsigned long after = 0;
  for (int i = 0; i < 1000; i++) { // the map takes blocks again after the frees
    unsigned char *p = malloc(i);
    memset(p, 1, i);
    after += malloc_usable_size(p) == (size_t)i;
    free(p);
  }
  printf("end: sum %llu\n", after == 1000 ? total : 0);
  return 0;
}
