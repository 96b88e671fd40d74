// A char * into the middle of a scalar (bzip2 and SQLite view unsigned arrays as
// bytes) keeps its place between targets whose scalars have the same size and
// byte order; between others it has none, and the restore says so.
// RUN: %migrate-matrix --points all --targets x86_64-linux-gnu,aarch64-linux-gnu,arm-linux-gnueabihf %s | FileCheck %s
// CHECK: bytes-of-scalars: 6 pairs x 2 points: 12 of 12 migrations match
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x86
// RUN: %hmcc --target=s390x-linux-gnu %s -o %t/s390x
// RUN: env HM_MIGRATE_TO=%t/a.img %t/x86 > /dev/null
// RUN: env HM_RESTORE=%t/a.img not %run-s390x %t/s390x 2>&1 | FileCheck --check-prefix=ORDER %s
// ORDER: hmcc: cannot restore: variable 'bytes' of main ({{.*}}): a pointer into unsigned int at offset 1 has no place in this program's layout (byte 1 of a scalar, whose bytes are in another order or width here)
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
