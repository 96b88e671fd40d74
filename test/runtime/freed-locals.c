// A local that free() was given is null from then on, for a capture: its value
// is indeterminate, and the next block of the same size class takes its address
// at once. Left as it was, the dead `struct pair *` said that the byte buffer
// now at that address held pairs, whose bytes the receiver then converted as
// pointers and numbers: the text came out garbled, with exit status 0.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: cd %t && %hmcc -O1 -save-temps -c %s -o %t/prog.o
// RUN: FileCheck --check-prefix=TEXT %s < %t/freed-locals.hm.c
// TEXT: (free(pairs), pairs = 0);
// RUN: %hmcc -O1 --target=s390x-linux-gnu %s -o %t/prog.s390x
// RUN: %hmcc -O1 --target=arm-linux-gnueabihf %s -o %t/prog.arm
// RUN: %t/prog > %t/plain.txt
// RUN: FileCheck %s < %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/s390x.img %t/prog > %t/s390x-1.txt
// RUN: env HM_RESTORE=%t/s390x.img %run-s390x %t/prog.s390x > %t/s390x-2.txt
// RUN: cat %t/s390x-1.txt %t/s390x-2.txt | diff %t/plain.txt -
// RUN: env HM_MIGRATE_TO=%t/arm.img %t/prog > %t/arm-1.txt
// RUN: env HM_RESTORE=%t/arm.img %run-armhf %t/prog.arm > %t/arm-2.txt
// RUN: cat %t/arm-1.txt %t/arm-2.txt | diff %t/plain.txt -
// CHECK: same address: yes
// CHECK-NEXT: before: the quick brown fox jumps over the lazy dog, twice over!
// CHECK-NEXT: after: the quick brown fox jumps over the lazy dog, twice over!
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pair { struct pair *next; long value; };

int main(void) {
  struct pair *pairs = malloc(4 * sizeof *pairs);
  for (int i = 0; i < 4; i++) {
    pairs[i].next = i < 3 ? &pairs[i + 1] : NULL;
    pairs[i].value = i;
  }
  char *text;
  {
    const void *was = pairs;
    free(pairs);
    text = malloc(64);
    printf("same address: %s\n", (const void *)text == was ? "yes" : "no");
  }
  strcpy(text, "the quick brown fox jumps over the lazy dog, twice over!");
  printf("before: %s\n", text);
  fflush(stdout);
  migrate_now();
  printf("after: %s\n", text);
  free(text);
  return 0;
}
