// A block of integers read at two widths (bzip2's arr1 as UInt32 and its mtfv as
// UInt16 over the same bytes): no type says which width holds, so the block
// travels as bytes, right only where the byte order is the sender's. With the
// destination named (HM_MIGRATE_FOR) the sender checks that at the migration
// point; unnamed, it refuses there; a receiver of the other byte order refuses
// such an image before anything.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %hmcc -O2 --target=arm-linux-gnueabihf %s -o %t/prog.arm
// RUN: %hmcc -O2 --target=s390x-linux-gnu %s -o %t/prog.s390x
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/arm.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog > %t/arm1.txt
// RUN: env HM_RESTORE=%t/arm.img qemu-arm %t/prog.arm > %t/arm2.txt
// RUN: cat %t/arm1.txt %t/arm2.txt | diff %t/plain.txt -
// RUN: env HM_MIGRATE_TO=%t/s390x.img HM_MIGRATE_FOR=s390x-linux-gnu %t/prog > %t/s390x.txt 2> %t/s390x.err
// RUN: diff %t/plain.txt %t/s390x.txt
// RUN: test ! -e %t/s390x.img
// RUN: FileCheck --check-prefix=OTHER %s < %t/s390x.err
// OTHER: migration failed: variable 'half' (unsigned short *) of main at {{.*}} reads a heap block of 4000 bytes of unsigned int as unsigned short: its bytes are right only where the byte order is x86_64-linux-gnu's, and s390x-linux-gnu has the other one; the program goes on
// RUN: env HM_MIGRATE_TO=%t/any.img %t/prog > %t/any.txt 2> %t/any.err
// RUN: diff %t/plain.txt %t/any.txt
// RUN: FileCheck --check-prefix=UNNAMED %s < %t/any.err
// UNNAMED: its bytes are right only where the byte order is x86_64-linux-gnu's, and the destination is not named (HM_MIGRATE_FOR)
// RUN: not env HM_RESTORE=%t/arm.img qemu-s390x %t/prog.s390x > %t/wrong.txt 2> %t/wrong.err
// RUN: FileCheck --check-prefix=RECEIVER %s < %t/wrong.err
// RECEIVER: cannot restore: the image holds bytes that are right only where the byte order is x86_64-linux-gnu's
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  unsigned *words = malloc(1000 * sizeof(unsigned));
  unsigned short *half = (unsigned short *)words;
  for (int i = 0; i < 1000; ++i)
    words[i] = (unsigned)i * 2654435761u;
  unsigned sum = 0;
  for (int i = 0; i < 1000; ++i)
    sum = sum * 31 + words[i];
  printf("words %u\n", sum);
  for (int i = 0; i < 2000; ++i)
    half[i] = (unsigned short)(half[i] ^ i);
  migrate_now();
  for (int i = 0; i < 2000; ++i)
    sum = sum * 31 + half[i];
  printf("halves %u\n", sum);
  return 0;
}
