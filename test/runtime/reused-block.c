// A block handed out again reads zero until the program writes it: what it
// held before (the allocator's free-list link, its last owner's bytes) is no
// value of the program's, and must not decide a migration. bc's label groups
// come over freed digit strings and keep them in slots never used: as longs
// too wide for armhf, they refused every migration there. Small blocks (our
// allocator), large ones (glibc's), and realloc's new tail.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: %hmcc -O1 --target=arm-linux-gnueabihf %s -o %t/prog.arm
// RUN: %t/prog > %t/plain.txt
// RUN: FileCheck %s < %t/plain.txt
// CHECK: used 7 11 13 17 19 zero 1
// RUN: env HM_MIGRATE_TO=%t/arm.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog > %t/arm-1.txt
// RUN: env HM_RESTORE=%t/arm.img %run-armhf %t/prog.arm > %t/arm-2.txt
// RUN: cat %t/arm-1.txt %t/arm-2.txt | diff %t/plain.txt -
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct group {
  unsigned long slots[64];
  struct group *next;
};

// A block of |size| bytes that held 0x7f bytes before, then freed (through a
// volatile pointer: the compiler would drop the three calls).
static void *volatile junk;
static void dirty(size_t size) {
  junk = malloc(size);
  memset(junk, 0x7f, size);
  free(junk);
}

// Read as the machine has it: memory never written has no value in C.
static unsigned long last(const unsigned long *p, size_t n) {
  return ((const volatile unsigned long *)p)[n - 1];
}

int main(void) {
  dirty(sizeof(struct group));
  struct group *small = malloc(sizeof *small); // its class's freed block
  small->slots[0] = 7;
  small->next = NULL;
  dirty(8192);
  unsigned long *large = malloc(8192); // glibc's freed chunk
  large[0] = 11;
  unsigned long *grown = malloc(4 * sizeof *grown);
  grown[0] = 13;
  dirty(1024 * sizeof *grown);
  grown = realloc(grown, 1024 * sizeof *grown);
  // Grown in place: within a small block's size class (its bytes past the first
  // size held the last owner's), and a large block into freed memory after it.
  dirty(30);
  unsigned char *inPlace = malloc(20); // the 32-byte class's freed block
  inPlace[0] = 17;
  inPlace = realloc(inPlace, 30);
  unsigned long *big = malloc(8192);
  big[0] = 19;
  dirty(8192); // the chunk after big's, freed into the top again
  big = realloc(big, 16384);
  // What the program never wrote reads zero (an instrumented program's
  // property; plain C leaves it unspecified).
  int zero = last(small->slots, 64) == 0 && last(large, 1024) == 0 &&
             last(grown, 1024) == 0 && ((volatile unsigned char *)inPlace)[29] == 0 &&
             last(big, 2048) == 0;
  migrate_now();
  printf("used %lu %lu %lu %d %lu zero %d\n", small->slots[0], large[0], grown[0], inPlace[0],
         big[0], zero);
  return 0;
}
