// A shared library built with hmcc: no runtime of its own; its units register
// with the executable's, and a migration point inside it migrates.
// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: %hmcc -shared -fPIC %S/Inputs/shared-lib.c -o %t/libwork.so
// RUN: nm -D %t/libwork.so | FileCheck --check-prefix=UNDEF %s
// UNDEF: U hm_rt_register_unit_abi{{[0-9]+}}
// UNDEF-NOT: T hm_rt_
// RUN: %hmcc %s -L%t -lwork -Wl,-rpath,%t -o %t/prog
// RUN: %t/prog > plain.txt
// RUN: env HM_MIGRATE_TO=%t/img %t/prog > out1
// RUN: env HM_RESTORE=%t/img %t/prog > out2
// RUN: cat plain.txt out1 out2 | FileCheck %s
// CHECK: 0 2 6 12 20 30 42 56 72 90 sum 330
// CHECK-NEXT: 0 2 6 12 20 30 42 56 72 90 sum 330
#include <stdio.h>
int *lib_work(int n);
int main(void) {
  int *v = lib_work(10);
  long s = 0;
  for (int i = 0; i < 10; ++i) {
    s += v[i];
    printf("%d ", v[i]);
  }
  printf("sum %ld\n", s);
  return 0;
}
