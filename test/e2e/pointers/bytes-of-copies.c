// Typed values copied into char memory (memcpy into a static char array, a
// local one and a heap buffer, memcpy through a void *, a store through a cast
// char *): the image carries that memory as bytes, right only where those
// values keep their size and byte order. Before, they travelled unconverted:
// exit 0 with byte-swapped numbers on 8 of 12 pairs. Now such a migration
// migrates where the bytes stay right (x86_64 <-> aarch64) and is refused at
// the migration point elsewhere, naming the memory and the copy, and the
// program goes on. An address copied into bytes is right in no other process:
// refused for every destination.
// RUN: %migrate-matrix --points all --targets x86_64-linux-gnu,aarch64-linux-gnu %s | FileCheck %s
// CHECK: bytes-of-copies: 2 pairs x 2 points: 4 of 4 migrations match
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x86
// RUN: %t/x86 > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/s.img HM_MIGRATE_FOR=s390x-linux-gnu %t/x86 > %t/s.txt 2> %t/s.err
// RUN: test ! -e %t/s.img
// RUN: diff %t/plain.txt %t/s.txt
// RUN: FileCheck --check-prefix=ORDER %s < %t/s.err
// ORDER: migration failed: global 'bytes-of-copies.c:record' holds at byte 0 the bytes of a value of type double copied there (bytes-of-copies.c#bytes{{[0-9]+}}): its bytes are right only where the byte order is x86_64-linux-gnu's, and s390x-linux-gnu has the other one; the program goes on
// RUN: env HM_MIGRATE_TO=%t/a.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/x86 > %t/a.txt 2> %t/a.err
// RUN: test ! -e %t/a.img
// RUN: diff %t/plain.txt %t/a.txt
// RUN: FileCheck --check-prefix=SIZE %s < %t/a.err
// SIZE: migration failed: variable 'local' of main holds at byte 0 the bytes of a value of type long copied there {{.*}}: its bytes are right only where a long has 8 bytes, as on x86_64-linux-gnu; it has 4 on arm-linux-gnueabihf; the program goes on
// RUN: %hmcc --target=x86_64-linux-gnu -DADDRESS %s -o %t/address
// RUN: env HM_MIGRATE_TO=%t/p.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/address > /dev/null 2> %t/p.err
// RUN: test ! -e %t/p.img
// RUN: FileCheck --check-prefix=ADDRESS %s < %t/p.err
// ADDRESS: migration failed: a heap block of 64 bytes holds {{.*}}address{{.*}}; the program goes on
// A field patched inside a struct's bytes leaves the struct's record whole; a
// copy of an array of pointers is checked to its end.
// RUN: %hmcc --target=x86_64-linux-gnu -DPATCHED %s -o %t/patched
// RUN: env HM_MIGRATE_TO=%t/q.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/patched > /dev/null 2> %t/q.err
// RUN: test ! -e %t/q.img
// RUN: FileCheck --check-prefix=PATCHED %s < %t/q.err
// PATCHED: migration failed: global 'bytes-of-copies.c:names' holds at byte 0 the bytes of a value of type const char * copied there {{.*}}: an address kept as bytes is right in no other process; hmcc cannot translate it; the program goes on
// RUN: env HM_MIGRATE_TO=%t/r.img HM_MIGRATE_AT=2 HM_MIGRATE_FOR=aarch64-linux-gnu %t/patched > /dev/null 2> %t/r.err
// RUN: test ! -e %t/r.img
// RUN: FileCheck --check-prefix=PATCHED2 %s < %t/r.err
// PATCHED2: migration failed: global 'bytes-of-copies.c:record' holds at byte 0 the bytes of a value of type struct entry copied there {{.*}}: an address kept as bytes
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char record[32];
#ifdef PATCHED
static char names[32];
#endif

struct entry {
  int id;
  double weight;
  short flags;
  const char *name; // null unless ADDRESS
};

static void serialize(unsigned char *heap, char *local, const struct entry *e) {
  double d = 3.25;
  long l = 123456789L;
  int counts[3] = {10, 20, 30};
  void *generic = record + 8;
  memcpy(record, &d, sizeof d);
  memcpy(generic, counts, sizeof counts);
  *(unsigned *)(record + 20) = 0xdeadbeefu;
  memcpy(heap + 32, e, sizeof *e);
  memcpy(local, &l, sizeof l);
  ((short *)local)[5] = 3;
  ((short *)local)[5]++;
}

static void show(const unsigned char *heap, const char *local) {
  double d;
  int counts[3];
  unsigned tag;
  struct entry e;
  long l;
  memcpy(&d, record, sizeof d);
  memcpy(counts, record + 8, sizeof counts);
  memcpy(&tag, record + 20, sizeof tag);
  memcpy(&e, heap + 32, sizeof e);
  memcpy(&l, local, sizeof l);
  short s;
  memcpy(&s, local + 10, sizeof s);
  printf("%g %d %d %d %x | %d %g %d %s | %ld %d\n", d, counts[0], counts[1], counts[2], tag,
         e.id, e.weight, e.flags, e.name ? e.name : "-", l, s);
}

int main(void) {
  unsigned char *heap = malloc(64);
  char local[16];
  struct entry e = {7, 2.5, -3, NULL};
#ifdef ADDRESS
  e.name = "seven";
#endif
  serialize(heap, local, &e);
#ifdef PATCHED
  static const char *const some[3] = {NULL, "x", "y"};
  memcpy(names, some, sizeof some);
  migrate_now();
  e.name = "seven";
  memcpy(record, &e, sizeof e);
  memcpy(record + 16, &e.flags, sizeof e.flags);
  memset(names, 0, sizeof names);
#endif
  show(heap, local);
  migrate_now();
  show(heap, local);
  migrate_now();
  show(heap, local);
  free(heap);
  return 0;
}
