// A char * into the middle of a scalar (bzip2 and SQLite view unsigned arrays as
// bytes) keeps its place between targets whose scalars have the same size and
// byte order; between others it has none. The sender checks that at the
// migration point when the destination is named (HM_MIGRATE_FOR, which the
// matrix sets), and refuses when it is not; a receiver of the other byte order
// refuses such an image before anything.
// RUN: %migrate-matrix --points all --targets x86_64-linux-gnu,aarch64-linux-gnu,arm-linux-gnueabihf %s | FileCheck %s
// CHECK: bytes-of-scalars: 6 pairs x 2 points: 12 of 12 migrations match
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x86
// RUN: %hmcc --target=s390x-linux-gnu %s -o %t/s390x
// RUN: env HM_MIGRATE_TO=%t/s.img HM_MIGRATE_FOR=s390x-linux-gnu %t/x86 > %t/s.out 2> %t/s.err
// RUN: test ! -e %t/s.img
// RUN: FileCheck --check-prefix=POINT %s < %t/s.err
// POINT: migration failed: {{.*}} points to byte {{[0-9]+}} of a scalar (unsigned int): its bytes are right only where the byte order is x86_64-linux-gnu's, and s390x-linux-gnu has the other one; the program goes on
// RUN: env HM_MIGRATE_TO=%t/u.img %t/x86 > /dev/null 2> %t/u.err
// RUN: FileCheck --check-prefix=UNNAMED %s < %t/u.err
// UNNAMED: the destination is not named (HM_MIGRATE_FOR)
// RUN: env HM_MIGRATE_TO=%t/a.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/x86 > /dev/null
// RUN: env HM_RESTORE=%t/a.img not %run-s390x %t/s390x 2>&1 | FileCheck --check-prefix=ORDER %s
// ORDER: hmcc: cannot restore: the image holds bytes that are right only where the byte order is x86_64-linux-gnu's
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct record {
  unsigned short kind;
  unsigned count;
};

int main(void) {
  unsigned *words = malloc(16 * sizeof *words);
  for (int i = 0; i < 16; i++)
    words[i] = 0x01020304u * (unsigned)(i + 1);
  unsigned char *bytes = (unsigned char *)words + 5;
  static struct record rec = {7, 0x0a0b0c0du};
  unsigned char *inside = (unsigned char *)&rec.count + 2;
  migrate_now();
  printf("%u %u %u\n", words[3], bytes[0], bytes[-1]);
  bytes += 4;
  migrate_now();
  printf("%u %u %u\n", bytes[0], inside[0], inside[-1]);
  return 0;
}
