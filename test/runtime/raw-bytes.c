// Bytes that travel as they are (a block only a void * reaches, so no type says
// what it holds) may not hold the address of an object the image carries: it
// would arrive untranslated. A migrate_now() there is refused, naming the block,
// the byte and the object; a request waits for later poll points, and a run
// that ends while it waits says why. An address into an object (an element of
// an array) is refused as its start is.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/point.img %t/prog > %t/point.txt 2> %t/point.err
// RUN: diff %t/plain.txt %t/point.txt
// RUN: test ! -e %t/point.img
// RUN: FileCheck --check-prefix=POINT %s < %t/point.err
// POINT: hmcc: migration failed: a heap block of 16 bytes holds at byte 8, in bytes hmcc carries as they are, the address of 'raw-bytes.c:twice': it would arrive untranslated
// RUN: env INTERIOR=1 %t/prog > %t/plain-in.txt
// RUN: env INTERIOR=1 HM_MIGRATE_TO=%t/in.img %t/prog > %t/in.txt 2> %t/in.err
// RUN: diff %t/plain-in.txt %t/in.txt
// RUN: test ! -e %t/in.img
// RUN: FileCheck --check-prefix=IN %s < %t/in.err
// IN: hmcc: migration failed: a heap block of 16 bytes holds at byte 8, in bytes hmcc carries as they are, an address 12 bytes into a heap block of 40 bytes (int): it would arrive untranslated
// RUN: env REQUEST=1 %t/prog > %t/plain-req.txt
// RUN: env REQUEST=1 HM_MIGRATE_TO=%t/req.img %t/prog > %t/req.txt 2> %t/req.err
// RUN: diff %t/plain-req.txt %t/req.txt
// RUN: test ! -e %t/req.img
// RUN: FileCheck --check-prefix=REQ %s < %t/req.err
// REQ: hmcc: migration refused: the program ended while a requested migration waited for a poll point where this no longer held: a heap block of 16 bytes holds at byte 8
#include <hm/migrate.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int twice(int x) { return 2 * x; }

struct handler {
  long id;
  int (*fn)(int);
};

void *opaque; // what the program keeps: a void *, as libraries hand out

int main(void) {
  struct handler h = {7, &twice};
  size_t n = sizeof h; // no sizeof at the call: the site says nothing
  opaque = malloc(n);
  memcpy(opaque, &h, n);
  long sum = 0;
  if (getenv("INTERIOR")) {
    int *values = malloc(10 * sizeof *values);
    for (int i = 0; i < 10; ++i)
      values[i] = i * i;
    int *fourth = &values[3];
    memcpy((char *)opaque + 8, &fourth, sizeof fourth); // where `fn` was
    migrate_now();
    memcpy(&fourth, (char *)opaque + 8, sizeof fourth);
    sum = fourth[1] + values[0];
  } else if (getenv("REQUEST")) {
    kill(getpid(), SIGUSR1);
    for (int i = 0; i < 200000; ++i) // poll points, all with the block untyped
      sum += ((struct handler *)opaque)->fn(i) & 7;
  } else {
    migrate_now();
    sum = ((struct handler *)opaque)->fn(21);
  }
  printf("sum %ld\n", sum);
  return 0;
}
