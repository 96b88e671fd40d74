// A long that does not fit in 32 bits cannot be restored on armhf: the error
// names the variable and the value, and the image still restores on a wider target.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/prog.x86_64
// RUN: %hmcc --target=arm-linux-gnueabihf %s -o %t/prog.armhf
// RUN: %hmcc --target=aarch64-linux-gnu %s -o %t/prog.aarch64
// RUN: env HM_MIGRATE_TO=%t/wide.img %t/prog.x86_64 --wide
// RUN: not env HM_RESTORE=%t/wide.img %run-armhf %t/prog.armhf --wide 2>&1 | FileCheck --check-prefix=NARROW %s
// NARROW: hmcc: cannot restore: variable 'value' of main (narrowing.c:[[@LINE+39]]): value 4294967296 (long, 8 bytes on x86_64-linux-gnu) does not fit in long (4 bytes on arm-linux-gnueabihf)
// RUN: env HM_RESTORE=%t/wide.img %run-aarch64 %t/prog.aarch64 --wide | FileCheck --check-prefix=WIDE %s
// WIDE: value 4294967296 restored 1
//
// Values that fit travel, negative ones included, and a global is named too:
// RUN: env HM_MIGRATE_TO=%t/fits.img %t/prog.x86_64
// RUN: env HM_RESTORE=%t/fits.img %run-armhf %t/prog.armhf | FileCheck --check-prefix=FITS %s
// FITS: value -2147483648 restored 1
// RUN: env HM_MIGRATE_TO=%t/global.img %t/prog.x86_64 --global
// RUN: not env HM_RESTORE=%t/global.img %run-armhf %t/prog.armhf --global 2>&1 | FileCheck --check-prefix=GLOBAL %s
// GLOBAL: hmcc: cannot restore: global 'counter' (narrowing.c:[[@LINE+22]]): value 1099511627775 (unsigned long, 8 bytes on x86_64-linux-gnu) does not fit in unsigned long (4 bytes on arm-linux-gnueabihf)
//
// An unsigned long that reads as a small negative number is the wrap of the
// program's own arithmetic (`n-- > 0` leaves ULONG_MAX, ~0UL << 3 is a mask):
// it keeps its low bits, as the narrower program computes it; one more than
// the narrower range can wrap to is still refused.
// RUN: env HM_MIGRATE_TO=%t/wrap.img %t/prog.x86_64 --wrap
// RUN: env HM_RESTORE=%t/wrap.img %run-armhf %t/prog.armhf --wrap | FileCheck --check-prefix=WRAP %s
// WRAP: value -2147483648 restored 1 counter 4294967288 mask 1
// RUN: env HM_MIGRATE_TO=%t/edge.img %t/prog.x86_64 --edge
// RUN: not env HM_RESTORE=%t/edge.img %run-armhf %t/prog.armhf --edge 2>&1 | FileCheck --check-prefix=EDGE %s
// EDGE: value 18446744071562067967 (unsigned long, 8 bytes on x86_64-linux-gnu) does not fit
// The sender foresees both when the destination is named:
// RUN: env HM_MIGRATE_TO=%t/wrap2.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog.x86_64 --wrap
// RUN: env HM_RESTORE=%t/wrap2.img %run-armhf %t/prog.armhf --wrap | FileCheck --check-prefix=WRAP %s
// RUN: env HM_MIGRATE_TO=%t/edge2.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog.x86_64 --edge 2>&1 | FileCheck --check-prefix=EDGE2 %s
// RUN: test ! -e %t/edge2.img
// EDGE2: migration failed: global 'counter' holds 18446744071562067967 (unsigned long, 8 bytes here), which does not fit in 4 bytes on arm-linux-gnueabihf
#include <hm/migrate.h>
#include <stdio.h>
#include <string.h>

unsigned long counter;

int main(int argc, char **argv) {
  int wide = argc > 1 && strcmp(argv[1], "--wide") == 0;
  int global = argc > 1 && strcmp(argv[1], "--global") == 0;
  int wrap = argc > 1 && strcmp(argv[1], "--wrap") == 0;
  int edge = argc > 1 && strcmp(argv[1], "--edge") == 0;
  long value = -2147483647L - 1;
  if (wide)
    for (int i = 0; i < 33; i++)
      value = i == 0 ? 1 : value * 2;
  if (global)
    counter = (1UL << 40) - 1;
  if (wrap)
    counter = ~0UL << 3;
  if (edge) // -2^31 - 1 as a 64-bit unsigned long: no 32-bit one wraps to it
    counter = (unsigned long)-2147483649LL;
  int restored = migrate_now();
  if (wrap)
    printf("value %ld restored %d counter %lu mask %d\n", value, restored, counter,
           counter == ~0UL << 3);
  else
    printf("value %ld restored %d\n", value, restored);
  return 0;
}
