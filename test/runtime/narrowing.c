// A long that does not fit in 32 bits cannot be restored on armhf: the error
// names the variable and the value, and the image still restores on a wider target.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/prog.x86_64
// RUN: %hmcc --target=arm-linux-gnueabihf %s -o %t/prog.armhf
// RUN: %hmcc --target=aarch64-linux-gnu %s -o %t/prog.aarch64
// RUN: env HM_MIGRATE_TO=%t/wide.img %t/prog.x86_64 --wide
// RUN: not env HM_RESTORE=%t/wide.img %run-armhf %t/prog.armhf --wide 2>&1 | FileCheck --check-prefix=NARROW %s
// NARROW: hmcc: cannot restore: variable 'value' of main (narrowing.c:[[@LINE+20]]): value 4294967296 (long, 8 bytes on x86_64-linux-gnu) does not fit in long (4 bytes on arm-linux-gnueabihf)
// RUN: env HM_RESTORE=%t/wide.img %run-aarch64 %t/prog.aarch64 --wide | FileCheck --check-prefix=WIDE %s
// WIDE: value 4294967296 restored 1
//
// Values that fit travel, negative ones included, and a global is named too:
// RUN: env HM_MIGRATE_TO=%t/fits.img %t/prog.x86_64
// RUN: env HM_RESTORE=%t/fits.img %run-armhf %t/prog.armhf | FileCheck --check-prefix=FITS %s
// FITS: value -2147483648 restored 1
// RUN: env HM_MIGRATE_TO=%t/global.img %t/prog.x86_64 --global
// RUN: not env HM_RESTORE=%t/global.img %run-armhf %t/prog.armhf --global 2>&1 | FileCheck --check-prefix=GLOBAL %s
// GLOBAL: hmcc: cannot restore: global 'counter' (narrowing.c:[[@LINE+5]]): value 18446744073709551615 (unsigned long, 8 bytes on x86_64-linux-gnu) does not fit in unsigned long (4 bytes on arm-linux-gnueabihf)
#include <hm/migrate.h>
#include <stdio.h>
#include <string.h>

unsigned long counter;

int main(int argc, char **argv) {
  int wide = argc > 1 && strcmp(argv[1], "--wide") == 0;
  int global = argc > 1 && strcmp(argv[1], "--global") == 0;
  long value = -2147483647L - 1;
  if (wide)
    for (int i = 0; i < 33; i++)
      value = i == 0 ? 1 : value * 2;
  if (global)
    counter = (unsigned long)-1;
  int restored = migrate_now();
  printf("value %ld restored %d\n", value, restored);
  return 0;
}
