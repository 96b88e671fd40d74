// Compile with -c, then link separately; options pass through; HMCC_CC picks the
// compiler that compiles and links.
// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: %hmcc -c -O1 -DSCALE=3 %s -o %t/separate.o
// RUN: %hmcc -c %S/Inputs/separate-lib.c
// RUN: test -f %t/separate-lib.o
// RUN: %hmcc %t/separate.o separate-lib.o -o %t/prog -lm
// RUN: %t/prog | FileCheck %s
// RUN: env HM_MIGRATE_TO=%t/img %t/prog > %t/out1
// RUN: env HM_RESTORE=%t/img %t/prog > %t/out2
// RUN: cat %t/out1 %t/out2 | FileCheck %s
// CHECK: scaled 21
// RUN: env HMCC_CC=/usr/lib/llvm-16/bin/clang %hmcc -v -O2 -DSCALE=3 %s %S/Inputs/separate-lib.c -o %t/prog-cc -lm 2>&1 | FileCheck --check-prefix=CC %s
// CC: /usr/lib/llvm-16/bin/clang --target=x86_64-linux-gnu -ffp-contract=off {{.*}}separate.hm.c {{.*}}separate-lib.hm.c {{.*}}libhmrt.a
// RUN: env HM_MIGRATE_TO=%t/img-cc %t/prog-cc > %t/cc1
// RUN: env HM_RESTORE=%t/img-cc %t/prog > %t/cc2
// RUN: cat %t/cc1 %t/cc2 | FileCheck %s
#include <stdio.h>
int scaled(int v); // separate-lib.c
int main(void) {
  printf("scaled %d\n", scaled(7) * SCALE / 3);
  return 0;
}
