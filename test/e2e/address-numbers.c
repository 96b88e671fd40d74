// Pointer hashes survive a migration: a hash set places each object by a number
// made from its address (`(uintptr_t)p >> 4`), and a table keyed by functions
// (Lua's `t[print]`) by the function's address. After a restore the objects are
// at other addresses; hm_rt_number gives each the number its address had where
// it was made, so every lookup still finds its key, on every pair, and after a
// second migration from the restored process (x86_64 -> s390x -> armhf). Casts
// whose value goes back into a pointer (rounding, tag bits) stay addresses.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: address-numbers: 12 pairs x 2 points: 24 of 24 migrations match
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu -O1 %s -o %t/x86
// RUN: %hmcc --target=s390x-linux-gnu -O1 %s -o %t/s390x
// RUN: %hmcc --target=arm-linux-gnueabihf -O1 %s -o %t/armhf
// RUN: %t/x86 > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/1.img %t/x86 > %t/out.txt
// RUN: env HM_RESTORE=%t/1.img HM_MIGRATE_TO=%t/2.img %run-s390x %t/s390x >> %t/out.txt
// RUN: env HM_RESTORE=%t/2.img %run-armhf %t/armhf >> %t/out.txt
// RUN: diff %t/plain.txt %t/out.txt
// RUN: FileCheck --check-prefix=OUT %s < %t/out.txt
// OUT: found 500 of 500, functions 3 of 3
// OUT: found 500 of 500, functions 3 of 3
// OUT: found 500 of 500, functions 3 of 3, round trip 1
#include <hm/migrate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct obj {
  int id;
  struct obj *next_in_bucket;
} obj;

#define NBUCKETS 64
static obj *buckets[NBUCKETS];

static unsigned bucket_of(const void *p) { return (unsigned)(((uintptr_t)p >> 4) % NBUCKETS); }

static void insert(obj *o) {
  unsigned b = bucket_of(o);
  o->next_in_bucket = buckets[b];
  buckets[b] = o;
}

static int contains(const obj *o) {
  for (const obj *x = buckets[bucket_of(o)]; x; x = x->next_in_bucket)
    if (x == o)
      return 1;
  return 0;
}

/* A table keyed by functions, placed by their addresses. */
typedef int (*op)(int);
static int twice(int x) { return 2 * x; }
static int square(int x) { return x * x; }
static int negate(int x) { return -x; }
static op slots[7];

static unsigned slot_of(op f) { return (unsigned)((size_t)f % 7); }

static void put(op f) {
  unsigned s = slot_of(f);
  while (slots[s])
    s = (s + 1) % 7;
  slots[s] = f;
}

static int has(op f) {
  for (unsigned s = slot_of(f), n = 0; n < 7; s = (s + 1) % 7, ++n)
    if (slots[s] == f)
      return 1;
  return 0;
}

static void report(obj **all, int n) {
  int found = 0;
  for (int i = 0; i < n; ++i)
    found += contains(all[i]);
  printf("found %d of %d, functions %d of 3", found, n, has(twice) + has(square) + has(negate));
}

int main(void) {
  enum { N = 500 };
  obj **all = malloc(N * sizeof *all);
  for (int i = 0; i < N; ++i) {
    all[i] = malloc(sizeof(obj));
    all[i]->id = i;
    insert(all[i]);
  }
  put(twice);
  put(square);
  put(negate);
  report(all, N);
  printf("\n");
  migrate_now();
  report(all, N);
  printf("\n");
  migrate_now();
  report(all, N);
  /* Tag bits in an address, and back: an address, not a number. */
  obj *back = (obj *)(((uintptr_t)all[5] | 1) & ~(uintptr_t)1);
  printf(", round trip %d\n", back == all[5]);
  for (int i = 0; i < N; ++i)
    free(all[i]);
  free(all);
  return 0;
}
