// A union whose members convert differently and that names no active member
// travels between identical layouts (x86_64 -> aarch64); elsewhere it converts
// as all its members at once, and this value is refused, naming the variable
// and the union type: on s390x its members read its bytes as different values
// (byte order), on armhf its long member's value does not fit; a tag that
// names no member is refused too.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x86
// RUN: %hmcc --target=aarch64-linux-gnu %s -o %t/a64
// RUN: %hmcc --target=s390x-linux-gnu %s -o %t/s390x
// RUN: %hmcc --target=arm-linux-gnueabihf %s -o %t/arm
// RUN: env HM_MIGRATE_TO=%t/u.img %t/x86 > %t/out1
// RUN: env HM_RESTORE=%t/u.img %run-aarch64 %t/a64 >> %t/out1
// RUN: FileCheck --check-prefix=SAME %s < %t/out1
// SAME: raw 0102030405060708 tagged 42
// RUN: not env HM_RESTORE=%t/u.img %run-s390x %t/s390x 2>&1 | FileCheck --check-prefix=S390 %s
// S390: hmcc: cannot restore: variable 'raw' of main (union-refusal.c:[[@LINE+26]]): union bytes names no active member and holds no pointer, and this value converts differently as its member 'word' and as 'b' between x86_64-linux-gnu and s390x-linux-gnu: which one it holds cannot be told (name its tag with HM_UNION_TAG)
// RUN: not env HM_RESTORE=%t/u.img %run-armhf %t/arm 2>&1 | FileCheck --check-prefix=ARM %s
// ARM: hmcc: cannot restore: variable 'raw.word' of main (union-refusal.c:[[@LINE+24]]): value 578437695752307201 (unsigned long, 8 bytes on x86_64-linux-gnu) does not fit in unsigned long (4 bytes on arm-linux-gnueabihf)
// RUN: env HM_MIGRATE_TO=%t/bad.img %t/x86 --bad-tag > /dev/null
// RUN: not env HM_RESTORE=%t/bad.img %run-aarch64 %t/a64 --bad-tag 2>&1 | FileCheck --check-prefix=TAG %s
// TAG: hmcc: cannot restore: variable 'tagged.as' of main (union-refusal.c:[[@LINE+24]]): tag 'kind' = 7 names no member of union number
#include <hm/migrate.h>
#include <stdio.h>
#include <string.h>

union bytes {
  unsigned long word; /* 8 bytes on x86_64, 4 on armhf */
  unsigned char b[8];
};

union number {
  long long i;
  double d;
};

struct value {
  int kind;
  union number as HM_UNION_TAG("kind: 0=i 1=d");
};

int main(int argc, char **argv) {
  union bytes raw;
  for (int i = 0; i < 8; i++)
    raw.b[i] = (unsigned char)(i + 1);
  struct value tagged = {0, {.i = 42}};
  if (argc > 1 && strcmp(argv[1], "--bad-tag") == 0)
    tagged.kind = 7;
  migrate_now();
  printf("raw ");
  for (int i = 0; i < 8; i++)
    printf("%02x", raw.b[i]);
  printf(" tagged %lld\n", tagged.as.i);
  return 0;
}
