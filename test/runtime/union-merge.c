// A union that names no active member converts, where its members convert
// differently, as all its members at once: a value they all read alike there
// travels. Flags cleared to ones bytes read alike as a char, a short and an
// int in any byte order; a bison-style value stack whose slot holds int 0 over
// the stale half of a freed string's address crosses too. A char 'x' written
// over int 0 reads as 'x' and as 120 only in the same byte order: to s390x it
// is refused at the migration point, naming the members, and the program goes
// on; to armhf it migrates. A bit-field member is its bits: `x : 3` beside two
// shorts over bytes of 5 cannot read 5 in both on s390x (refused by the
// receiver when no destination was named), and is copied to armhf, where the
// layout stays.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: %hmcc -O1 --target=s390x-linux-gnu %s -o %t/prog.s390x
// RUN: %hmcc -O1 --target=arm-linux-gnueabihf %s -o %t/prog.arm
// RUN: %t/prog > %t/plain.txt
// RUN: FileCheck --check-prefix=PLAIN %s < %t/plain.txt
// PLAIN: abc 0 1.5 1069547520 flags 1 257 16843009
// RUN: env HM_MIGRATE_TO=%t/s390x.img HM_MIGRATE_FOR=s390x-linux-gnu %t/prog > %t/s390x-1.txt
// RUN: env HM_RESTORE=%t/s390x.img %run-s390x %t/prog.s390x > %t/s390x-2.txt
// RUN: cat %t/s390x-1.txt %t/s390x-2.txt | diff %t/plain.txt -
// RUN: env HM_MIGRATE_TO=%t/back.img HM_MIGRATE_FOR=x86_64-linux-gnu %run-s390x %t/prog.s390x > %t/back-1.txt
// RUN: env HM_RESTORE=%t/back.img %t/prog > %t/back-2.txt
// RUN: cat %t/back-1.txt %t/back-2.txt | diff %t/plain.txt -
//
// RUN: %t/prog --char > %t/plain-char.txt
// RUN: FileCheck --check-prefix=CHAR %s < %t/plain-char.txt
// CHAR: abc 0 1.5 1069547520 flags 1 257 16843009 x 120
// RUN: env HM_MIGRATE_TO=%t/char.img HM_MIGRATE_FOR=s390x-linux-gnu %t/prog --char > %t/char.txt 2> %t/char.err
// RUN: diff %t/plain-char.txt %t/char.txt
// RUN: test ! -e %t/char.img
// RUN: FileCheck --check-prefix=REFUSED %s < %t/char.err
// REFUSED: migration failed: variable 'stack' (union yy[3]) of main at {{.*}}, at [2].s is a union yy that holds no pointer here, names no active member, and converts differently on s390x-linux-gnu: its members 'c' and 'i' read its bytes as different values there (name its tag with HM_UNION_TAG); the program goes on
// RUN: env HM_MIGRATE_TO=%t/arm.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog --char > %t/arm-1.txt
// RUN: env HM_RESTORE=%t/arm.img %run-armhf %t/prog.arm --char > %t/arm-2.txt
// RUN: cat %t/arm-1.txt %t/arm-2.txt | diff %t/plain-char.txt -
//
// RUN: %t/prog --bits > %t/plain-bits.txt
// RUN: FileCheck --check-prefix=BITS %s < %t/plain-bits.txt
// BITS: abc 0 1.5 1069547520 flags 1 257 16843009 bits 5 1285
// RUN: env HM_MIGRATE_TO=%t/bits.img %t/prog --bits > /dev/null
// RUN: not env HM_RESTORE=%t/bits.img %run-s390x %t/prog.s390x --bits 2>&1 | FileCheck --check-prefix=BITS-S390 %s
// BITS-S390: hmcc: cannot restore: variable 'bits' of main {{.*}}: union bits names no active member and holds no pointer, and this value converts differently as its member 'x' and as 'h' between x86_64-linux-gnu and s390x-linux-gnu
// RUN: env HM_MIGRATE_TO=%t/bits-arm.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog --bits > %t/bits-arm-1.txt
// RUN: env HM_RESTORE=%t/bits-arm.img %run-armhf %t/prog.arm --bits > %t/bits-arm-2.txt
// RUN: cat %t/bits-arm-1.txt %t/bits-arm-2.txt | diff %t/plain-bits.txt -
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

union pun {
  int i;
  float f;
};

union flags {
  unsigned char c;
  unsigned short h;
  unsigned int i;
};

union bits {
  unsigned x : 3;
  unsigned short h[2];
};

union yy {
  char *s;
  char c;
  int i;
};

int main(int argc, char **argv) {
  int chars = argc > 1 && strcmp(argv[1], "--char") == 0;
  int bitfield = argc > 1 && strcmp(argv[1], "--bits") == 0;
  union flags flags;
  memset(&flags, 1, sizeof flags);
  union bits bits;
  memset(&bits, bitfield ? 5 : 0, sizeof bits); // zero reads alike in every member
  union pun pun;
  pun.f = 1.5f;
  union yy stack[3];
  stack[0].s = strdup("abc");
  stack[1].s = malloc(16); // then freed: its value's upper half stays
  free(stack[1].s);
  stack[1].i = 0;
  stack[2].i = 0;
  if (chars)
    stack[2].c = 'x';
  migrate_now();
  printf("%s %d %.1f %d flags %u %u %u", stack[0].s, stack[1].i, pun.f, pun.i, flags.c,
         flags.h, flags.i);
  if (chars)
    printf(" %c %d", stack[2].c, stack[2].i);
  if (bitfield)
    printf(" bits %u %u", bits.x, bits.h[0]);
  printf("\n");
  return 0;
}
