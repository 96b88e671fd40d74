// A shared library built with hmcc: no runtime of its own; its units register
// with the executable's, and a migration point inside it migrates, as does one
// in the executable that the library calls back (a library frame mid-stack).
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
// RUN: %t/prog back > plain-back.txt
// RUN: env HM_MIGRATE_TO=%t/img-back %t/prog back > back1
// RUN: env HM_RESTORE=%t/img-back %t/prog back > back2
// RUN: cat plain-back.txt back1 back2 | FileCheck --check-prefix=BACK %s
// BACK: 0 5 12 21 32 45 60 77 96 117 sum 465
// BACK-NEXT: 0 5 12 21 32 45 60 77 96 117 sum 465
#include <hm/migrate.h>
#include <stdio.h>
int *lib_work(int n, int (*step)(int));
static int step(int i) {
  if (i == 6)
    migrate_now();
  return 3 * i;
}
int main(int argc, char **argv) {
  int *v = lib_work(10, argc > 1 ? step : 0);
  long s = 0;
  for (int i = 0; i < 10; ++i) {
    s += v[i];
    printf("%d ", v[i]);
  }
  printf("sum %ld\n", s);
  return 0;
}
