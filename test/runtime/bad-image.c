// Damaged images, files that are not images, and images of other programs or other
// builds are refused with a message and status 1, never a crash.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: env HM_MIGRATE_TO=%t/good.img %t/prog > %t/before.txt
// RUN: env HM_RESTORE=%t/good.img %t/prog | FileCheck --check-prefix=GOOD %s
// GOOD: total 4950
//
// RUN: python3 %S/../tools/corrupt-image.py %t/prog %t/good.img flip | FileCheck --check-prefix=FLIP %s
// FLIP: flip: [[N:[0-9]+]] of [[N]] damaged images refused cleanly
// RUN: python3 %S/../tools/corrupt-image.py %t/prog %t/good.img truncate | FileCheck --check-prefix=TRUNC %s
// TRUNC: truncate: [[N:[0-9]+]] of [[N]] damaged images refused cleanly
// RUN: python3 %S/../tools/corrupt-image.py %t/prog %t/good.img reseal | FileCheck --check-prefix=RESEAL %s
// RESEAL: reseal: [[N:[0-9]+]] of [[N]] damaged images refused cleanly
//
// RUN: head -c 40 %t/good.img > %t/short.img
// RUN: not env HM_RESTORE=%t/short.img %t/prog 2>&1 | FileCheck --check-prefix=SHORT %s
// SHORT: hmcc: cannot restore: image '{{.*}}short.img' is truncated: 16 of {{[0-9]+}} payload bytes
//
// RUN: python3 -c "import sys; d=bytearray(open(sys.argv[1],'rb').read()); d[-3]^=1; open(sys.argv[2],'wb').write(d)" %t/good.img %t/flipped.img
// RUN: not env HM_RESTORE=%t/flipped.img %t/prog 2>&1 | FileCheck --check-prefix=CRC %s
// CRC: hmcc: cannot restore: image '{{.*}}flipped.img' is damaged: checksum mismatch
//
// RUN: not env HM_RESTORE=%s %t/prog 2>&1 | FileCheck --check-prefix=NOTIMG %s
// NOTIMG: hmcc: cannot restore: image '{{.*}}bad-image.c' is not an hmcc image
// RUN: not env HM_RESTORE=%t/missing.img %t/prog 2>&1 | FileCheck --check-prefix=MISSING %s
// MISSING: hmcc: cannot restore: cannot read image '{{.*}}missing.img': No such file or directory
//
// Another program:
// RUN: %hmcc -O2 %S/Inputs/other-program.c -o %t/other
// RUN: not env HM_RESTORE=%t/good.img %t/other 2>&1 | FileCheck --check-prefix=OTHER %s
// OTHER: hmcc: cannot restore: the image was made by a different program or a different build of its source: unit '{{.*}}bad-image.c' of the image is not in this program; unit '{{.*}}other-program.c' of this program is not in the image
//
// Another build of this program's source (one constant changed):
// RUN: sed 's/i < 100/i < 101/' %s > %t/bad-image.c
// RUN: cd %S && %hmcc -O2 %t/bad-image.c -o %t/rebuilt
// RUN: cd %S && env HM_MIGRATE_TO=%t/rebuilt.img %t/rebuilt > /dev/null
// RUN: not env HM_RESTORE=%t/rebuilt.img %t/prog 2>&1 | FileCheck --check-prefix=REBUILT %s
// REBUILT: hmcc: cannot restore: the image was made by a different program or a different build of its source: unit '{{.*}}bad-image.c' was built from different source
#include <hm/migrate.h>
#include <stdio.h>

int main(void) {
  int total = 0;
  for (int i = 0; i < 100; i++) {
    total += i;
    if (i == 50)
      migrate_now();
  }
  printf("total %d\n", total);
  return 0;
}
