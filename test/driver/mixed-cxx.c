// A program of C and C++ units: the C++ unit is compiled as it is, the C++
// driver links, and the program migrates at a point in its C code.
// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: %hmcc %s %S/Inputs/twice.cpp -o %t/mixed
// RUN: %t/mixed > plain.txt
// RUN: env HM_MIGRATE_TO=%t/img %t/mixed > out1
// RUN: env HM_RESTORE=%t/img %t/mixed > out2
// RUN: cat plain.txt out1 out2 | FileCheck %s
// CHECK: sum 20
// CHECK-NEXT: sum 20
// As two steps, as CMake does (hmc++ links):
// RUN: %hmcc -c %s -o m.o
// RUN: %hmcc -c %S/Inputs/twice.cpp -o t.o
// RUN: %hmcc-build/bin/hmc++ m.o t.o -o mixed2
// RUN: %t/mixed2 | FileCheck --check-prefix=TWO %s
// TWO: sum 20
#include <hm/migrate.h>
#include <stdio.h>
int twice(int);
int main(void) {
  int s = 0;
  for (int i = 0; i < 5; ++i) {
    s += twice(i);
    if (i == 2)
      migrate_now();
  }
  printf("sum %d\n", s);
  return 0;
}
