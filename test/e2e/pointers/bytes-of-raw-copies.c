// Typed values' bytes copied on between char buffers (an encoder fills a
// scratch buffer, then copies it out with memcpy): the copy holds what the
// source held. Before, only the first buffer was known to hold a double's
// bytes; once its frame or block was gone, the copy travelled as text: exit 0
// with byte-swapped numbers on s390x, an untranslated address elsewhere.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu -DSCRATCH %s -o %t/scratch
// RUN: %hmcc --target=aarch64-linux-gnu -DSCRATCH %s -o %t/scratch.a64
// RUN: env HM_MIGRATE_TO=%t/s.img HM_MIGRATE_FOR=s390x-linux-gnu %t/scratch > %t/s.txt 2> %t/s.err
// RUN: test ! -e %t/s.img
// RUN: FileCheck --check-prefix=SCRATCH %s < %t/s.err
// SCRATCH: migration failed: global '{{.*}}out' holds at byte {{[0-9]+}} the bytes of a value of type double copied there {{.*}}: its bytes are right only where the byte order is x86_64-linux-gnu's
// RUN: FileCheck --check-prefix=OUT %s < %t/s.txt
// Same byte order and sizes: the bytes are right, it migrates.
// RUN: env HM_MIGRATE_TO=%t/a.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/scratch > %t/a.txt
// RUN: test -e %t/a.img
// RUN: env HM_RESTORE=%t/a.img %run-aarch64 %t/scratch.a64 >> %t/a.txt
// RUN: FileCheck --check-prefix=OUT %s < %t/a.txt
// OUT: 2.5 -7 hello
// OUT-NOT: {{.}}
// RUN: %hmcc --target=x86_64-linux-gnu -DADDRESS %s -o %t/address
// RUN: env HM_MIGRATE_TO=%t/d.img HM_MIGRATE_FOR=x86_64-linux-gnu %t/address > %t/d.txt 2> %t/d.err
// RUN: test ! -e %t/d.img
// RUN: FileCheck --check-prefix=ADDRESS %s < %t/d.err
// ADDRESS: migration failed: global '{{.*}}kept' holds at byte 8 the bytes of a value of type int * copied there {{.*}}: an address kept as bytes is right in no other process
// RUN: FileCheck --check-prefix=ADDRESSOUT %s < %t/d.txt
// ADDRESSOUT: 42
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef SCRATCH
static unsigned char out[64];
__attribute__((noinline)) static size_t encode(double d, int n) {
  unsigned char scratch[32];
  size_t len = 0;
  memcpy(scratch + len, &d, sizeof d);
  len += sizeof d;
  memcpy(scratch + len, &n, sizeof n);
  len += sizeof n;
  memcpy(scratch + len, "hello", 6);
  len += 6;
  memcpy(out, scratch, len); // scratch's frame goes: out holds the numbers
  return len;
}
int main(void) {
  encode(2.5, -7);
  migrate_now();
  double d;
  int n;
  memcpy(&d, out, sizeof d);
  memcpy(&n, out + 8, sizeof n);
  printf("%g %d %s\n", d, n, (char *)out + 12);
  return 0;
}
#endif

#ifdef ADDRESS
static int x = 42;
static unsigned char kept[64];
int main(void) {
  unsigned char *scratch = malloc(32);
  int *p = &x;
  memcpy(scratch, &p, sizeof p);
  memmove(kept + 8, scratch, sizeof p);
  free(scratch);
  migrate_now();
  int *q;
  memcpy(&q, kept + 8, sizeof q);
  printf("%d\n", *q);
  return 0;
}
#endif
