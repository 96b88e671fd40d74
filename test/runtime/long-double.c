// long double crosses formats: x87 80-bit (x86_64) <-> binary128 (aarch64, s390x)
// is exact both ways; to binary64 (armhf) it rounds to nearest, says so once, and a
// value out of binary64's range is an error that names it (the image stays usable).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x86
// RUN: %hmcc --target=aarch64-linux-gnu %s -o %t/a64
// RUN: %hmcc --target=s390x-linux-gnu %s -o %t/s390x
// RUN: %hmcc --target=arm-linux-gnueabihf %s -o %t/arm
//
// x86_64 -> aarch64 -> x86_64 gives back every x87 value bit for bit:
// RUN: %t/x86 > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/1.img %t/x86 > %t/rt.txt
// RUN: env HM_RESTORE=%t/1.img HM_MIGRATE_TO=%t/2.img %run-aarch64 %t/a64 >> %t/rt.txt
// RUN: env HM_RESTORE=%t/2.img %t/x86 >> %t/rt.txt
// RUN: diff %t/plain.txt %t/rt.txt
//
// aarch64 -> s390x -> aarch64: binary128 in both byte orders.
// RUN: %run-aarch64 %t/a64 > %t/plain128.txt
// RUN: env HM_MIGRATE_TO=%t/3.img %run-aarch64 %t/a64 > %t/rt128.txt
// RUN: env HM_RESTORE=%t/3.img HM_MIGRATE_TO=%t/4.img %run-s390x %t/s390x >> %t/rt128.txt
// RUN: env HM_RESTORE=%t/4.img %run-aarch64 %t/a64 >> %t/rt128.txt
// RUN: diff %t/plain128.txt %t/rt128.txt
//
// To armhf: each value rounds as x86_64's own (double) conversion does.
// RUN: %t/x86 --as-double > %t/double.txt
// RUN: env HM_MIGRATE_TO=%t/5.img %t/x86 --as-double > %t/arm.txt
// RUN: env HM_RESTORE=%t/5.img %run-armhf %t/arm --as-double >> %t/arm.txt 2> %t/arm.err
// RUN: diff %t/double.txt %t/arm.txt
// RUN: FileCheck --check-prefix=NOTE %s < %t/arm.err
// NOTE: hmcc: note: long double values were rounded from x87 80-bit extended (x86_64-linux-gnu) to IEEE binary64 (arm-linux-gnueabihf)
// NOTE-NOT: rounded
//
// RUN: env HM_MIGRATE_TO=%t/6.img %t/x86 --huge > /dev/null
// RUN: not env HM_RESTORE=%t/6.img %run-armhf %t/arm --huge 2>&1 | FileCheck --check-prefix=HUGE %s
// HUGE: hmcc: cannot restore: global 'values[9]' (long-double.c:[[@LINE+9]]): value 1.000000e+4000 (long double, x87 80-bit extended on x86_64-linux-gnu) overflows long double (IEEE binary64 on arm-linux-gnueabihf)
// RUN: env HM_RESTORE=%t/6.img %run-s390x %t/s390x --huge | FileCheck --check-prefix=HUGE128 %s
// HUGE128: values[9] = 0x1.a3750647fcab18c2p+13287
#include <float.h>
#include <hm/migrate.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

long double values[10];

int main(int argc, char **argv) {
  int as_double = argc > 1 && strcmp(argv[1], "--as-double") == 0;
  int huge = argc > 1 && strcmp(argv[1], "--huge") == 0;
  long double one = 1;
  values[0] = one / 3;
  values[1] = -one / 7e300L;
  values[2] = LDBL_MIN;
  values[3] = LDBL_MIN / 1024;  // subnormal in x87 and binary128
  values[4] = -0.0L;
  values[5] = INFINITY;
  values[6] = NAN;
  values[7] = 0.1L;
  values[8] = 1e-310L;          // subnormal in binary64
  values[9] = huge ? 1e4000L : 12345.6789L;
  migrate_now();
  migrate_now();
  for (int i = 0; i < 10; i++) {
    if (isnan(values[i]))
      printf("values[%d] = nan\n", i);
    else if (as_double)
      printf("values[%d] = %a\n", i, (double)values[i]);
    else
      printf("values[%d] = %La\n", i, values[i]);
  }
  return 0;
}
