// libhmrt's allocator of small blocks (runtime/small_blocks.h): sizes 0 to 1024
// bytes in classes of 16, blocks given back and handed out again, calloc of a
// block handed out again (zero, though the block was not), realloc within a
// class (in place), to another class, to a large block and back, memalign; the
// requested size of every live block (malloc_usable_size answers with it). A
// checkpoint in the middle restores on aarch64 and armhf with the same contents.
// A free() of an address inside a block, or of a block given back already,
// stops the program, as glibc's would.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/x86
// RUN: %hmcc --target=aarch64-linux-gnu -O1 %s -o %t/a64
// RUN: %hmcc --target=arm-linux-gnueabihf -O1 %s -o %t/arm
// RUN: %t/x86 > %t/plain.txt
// RUN: %run-armhf %t/arm > %t/arm-plain.txt
// RUN: diff %t/plain.txt %t/arm-plain.txt
// RUN: FileCheck %s < %t/plain.txt
// RUN: env HM_CHECKPOINT=%t/ck.img HM_MIGRATE_AT=1 %t/x86 > %t/ck.txt
// RUN: diff %t/plain.txt %t/ck.txt
// RUN: env HM_RESTORE=%t/ck.img %run-aarch64 %t/a64 > %t/a64.txt
// RUN: tail -n 1 %t/plain.txt | diff - %t/a64.txt
// RUN: env HM_RESTORE=%t/ck.img %run-armhf %t/arm > %t/arm.txt
// RUN: tail -n 1 %t/plain.txt | diff - %t/arm.txt
// RUN: not --crash %t/x86 inside 2> %t/inside.err
// RUN: FileCheck --check-prefix=BAD %s < %t/inside.err
// RUN: not --crash %t/x86 twice 2> %t/twice.err
// RUN: FileCheck --check-prefix=BAD %s < %t/twice.err
// CHECK: sizes right, 1025 blocks, calloc zero, realloc kept 1025 prefixes
// CHECK-NEXT: after: sum {{[0-9]+}}, large blocks right
// BAD: hmcc: free(): 0x{{[0-9a-f]+}} is no block that is allocated
#include <hm/migrate.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 1025 };

struct item { unsigned char *bytes; size_t size, set; struct item *next; }; // set: bytes written

static unsigned long long sum(const struct item *list) {
  unsigned long long s = 0;
  for (const struct item *i = list; i; i = i->next)
    for (size_t k = 0; k < i->set; k++)
      s = s * 31 + i->bytes[k] + i->size;
  return s;
}

int main(int argc, char **argv) {
  if (argc > 1) {
    char *volatile copies[2]; // not a local of its own (hm-instrument makes those null after free); volatile: kept
    copies[0] = copies[1] = malloc(40);
    if (strcmp(argv[1], "inside") == 0)
      free(copies[0] + 16);
    free(copies[0]);
    free(copies[1]);
    return 0;
  }
  static unsigned char *blocks[N];
  int right = 1;
  // Every size from 0 to 1024, filled; every other one given back, and the
  // sizes again, from the blocks given back.
  for (int round = 0; round < 2; round++) {
    for (int n = 0; n < N; n++) {
      if (blocks[n])
        continue;
      blocks[n] = malloc((size_t)n);
      memset(blocks[n], 0xA5, (size_t)n);
      right &= malloc_usable_size(blocks[n]) == (size_t)n;
      right &= ((unsigned long)blocks[n] & 7) == 0;
    }
    for (int n = round; n < N; n += 2) {
      free(blocks[n]);
      blocks[n] = NULL;
    }
  }
  int zero = 1;
  for (int n = 0; n < N; n++)
    if (!blocks[n]) {
      blocks[n] = calloc(1, (size_t)n);
      for (int k = 0; k < n; k++)
        zero &= blocks[n][k] == 0;
    }
  // Each block grows or shrinks: within its class, to the next, past the small
  // sizes and back; its prefix stays.
  int kept = 0;
  struct item *list = NULL;
  for (int n = 0; n < N; n++) {
    memset(blocks[n], n & 0xFF, (size_t)n);
    size_t to = n % 4 == 0 ? (size_t)n + 1 : n % 4 == 1 ? (size_t)n + 40 : n % 4 == 2 ? 5000 : (size_t)n / 2;
    unsigned char *q = realloc(blocks[n], to);
    if (n % 4 == 2)
      q = realloc(q, (size_t)n);
    size_t common = to < (size_t)n ? to : (size_t)n;
    int same = 1;
    for (size_t k = 0; k < common; k++)
      same &= q[k] == (n & 0xFF);
    kept += same;
    size_t size = n % 4 == 2 ? (size_t)n : to;
    right &= malloc_usable_size(q) == size;
    struct item *it = malloc(sizeof *it);
    it->bytes = q;
    it->size = size;
    it->set = common;
    it->next = list;
    list = it;
  }
  void *aligned = memalign(64, 100);
  right &= ((unsigned long)aligned & 63) == 0 && malloc_usable_size(aligned) == 100;
  free(aligned);
  printf("sizes %s, %d blocks, calloc %s, realloc kept %d prefixes\n", right ? "right" : "WRONG", N,
         zero ? "zero" : "NOT ZERO", kept);
  fflush(stdout);
  migrate_now();
  // free(NULL) touches no table (armhf's map once took it for an empty entry
  // and lowered its count: it then grew its table at every block until
  // malloc failed); blocks from glibc are then entered as before.
  void *volatile nothing = NULL; // volatile: clang drops a free(NULL) it sees
  for (int i = 0; i < 5000; i++)
    free(nothing);
  int large = 1;
  for (int i = 0; i < 200; i++) {
    void *big = malloc(2000 + (size_t)i);
    large &= big && malloc_usable_size(big) == 2000 + (size_t)i;
    if (i % 2)
      free(big);
  }
  printf("after: sum %llu, large blocks %s\n", sum(list), large ? "right" : "WRONG");
  return 0;
}
