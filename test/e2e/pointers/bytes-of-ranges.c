// Copies of pointer-free values into char memory are recorded as ranges, near
// ones merged (a serializer's fields, a bit writer, a hashed arena): a range
// that spans two heap blocks keeps the part in the block that stays when the
// other is freed, follows its block when realloc moves it, and goes with the
// last block that holds it (then the image is bound by nothing: it migrates);
// a block handed out again is recorded anew (no thread's memory of the old
// range serves it); a range that starts in typed memory is looked at to its
// last byte (a key copied into a record's char array after its typed fields).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu -DKEPT %s -o %t/kept
// RUN: env HM_MIGRATE_TO=%t/k.img HM_MIGRATE_FOR=s390x-linux-gnu %t/kept > %t/k.txt 2> %t/k.err
// RUN: test ! -e %t/k.img
// RUN: FileCheck --check-prefix=KEPT %s < %t/k.err
// KEPT: migration failed: a heap block of 72 bytes holds at byte {{[0-9]+}} the bytes of a value of type double copied there {{.*}}: its bytes are right only where the byte order is x86_64-linux-gnu's
// RUN: FileCheck --check-prefix=OUT %s < %t/k.txt
// RUN: %hmcc --target=x86_64-linux-gnu -DMOVED %s -o %t/moved
// RUN: env HM_MIGRATE_TO=%t/m.img HM_MIGRATE_FOR=s390x-linux-gnu %t/moved > %t/m.txt 2> %t/m.err
// RUN: test ! -e %t/m.img
// RUN: FileCheck --check-prefix=MOVED %s < %t/m.err
// MOVED: migration failed: a heap block of 1048576 bytes holds at byte {{[0-9]+}} the bytes of a value of type double copied there {{.*}}: its bytes are right only where the byte order is x86_64-linux-gnu's
// RUN: FileCheck --check-prefix=OUT %s < %t/m.txt
// RUN: %hmcc --target=x86_64-linux-gnu -DGONE %s -o %t/gone
// RUN: %hmcc --target=s390x-linux-gnu -DGONE %s -o %t/gone.s390x
// RUN: env HM_MIGRATE_TO=%t/g.img HM_MIGRATE_FOR=s390x-linux-gnu %t/gone > %t/g.txt
// RUN: env HM_RESTORE=%t/g.img %run-s390x %t/gone.s390x >> %t/g.txt
// RUN: FileCheck --check-prefix=OUT %s < %t/g.txt
// RUN: %hmcc --target=x86_64-linux-gnu -DREUSED %s -o %t/reused
// RUN: env HM_MIGRATE_TO=%t/r.img HM_MIGRATE_FOR=s390x-linux-gnu %t/reused > %t/r.txt 2> %t/r.err
// RUN: test ! -e %t/r.img
// RUN: FileCheck --check-prefix=REUSED %s < %t/r.err
// REUSED: migration failed: a heap block of 64 bytes holds at byte 8 the bytes of a value of type double copied there
// RUN: FileCheck --check-prefix=OUT %s < %t/r.txt
// RUN: %hmcc --target=x86_64-linux-gnu -DRECORD %s -o %t/record
// RUN: env HM_MIGRATE_TO=%t/c.img HM_MIGRATE_FOR=s390x-linux-gnu %t/record > %t/c.txt 2> %t/c.err
// RUN: test ! -e %t/c.img
// RUN: FileCheck --check-prefix=RECORD %s < %t/c.err
// RECORD: migration failed: a heap block of 24 bytes holds at byte 12 the bytes of a value of type double copied there
// RUN: FileCheck --check-prefix=OUT %s < %t/c.txt
// OUT: 2.5 2.5
// OUT-NOT: {{.}}
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put(unsigned char *to, double v) { memcpy(to, &v, sizeof v); }
static double get(const unsigned char *from) {
  double v;
  memcpy(&v, from, sizeof v);
  return v;
}

struct record {
  double weight;
  int count;
  unsigned char key[8];
};

int main(void) {
#if defined REUSED
  unsigned char *old = malloc(64);
  put(old + 8, 1.5);
  free(old);
  unsigned char *again = malloc(64); // the same memory
  put(again + 8, 2.5);
  migrate_now();
  printf("%g %g\n", get(again + 8), get(again + 8));
  return 0;
#elif defined RECORD
  struct record *r = malloc(sizeof *r);
  double v = 2.5;
  memcpy(r->key, &v, sizeof v);
  memcpy((void *)&r->weight, &v, sizeof v); // typed memory, through void *
  migrate_now();
  printf("%g %g\n", r->weight, get(r->key));
  return 0;
#endif
  // Blocks of 64 and 72 bytes: malloc puts the second right after the first,
  // and copies into both at scattered places make one range.
  unsigned char *first = malloc(64), *second = malloc(72);
  for (int i = 7; i >= 0; i -= 3) {
    put(first + 8 * i, 1.5);
    put(second + 8 * i, 2.5);
  }
  double d = get(second + 8 * 7);
#if defined KEPT
  free(first);
  migrate_now(); // second's doubles are still bytes: bound to x86_64's order
  printf("%g %g\n", d, get(second + 8 * 7));
#elif defined MOVED
  free(first);
  second = realloc(second, 1 << 20); // moved (mmap): its range moves along
  migrate_now();
  printf("%g %g\n", d, get(second + 8 * 7));
#elif defined GONE
  free(first);
  free(second);
  unsigned char *text = malloc(72); // the same memory, now text
  strcpy((char *)text, "2.5");
  migrate_now(); // nothing typed is in bytes any more: it migrates
  printf("%g %s\n", d, (char *)text);
#endif
  return 0;
}
