// Two units with one file name in different directories, each with a static
// function of the same name on the stack: keys cannot tell them apart, so the
// migration is refused at the migration point and the program goes on.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc %s %S/Inputs/x/util.c %S/Inputs/y/util.c -o %t/prog
// RUN: env HM_MIGRATE_TO=%t/img %t/prog 2> %t/err | FileCheck --check-prefix=OUT %s
// RUN: FileCheck %s < %t/err
// RUN: test ! -e %t/img
// OUT: 2 200
// CHECK: hmcc: migration failed: two units named util.c both define 'util.c:helper': the image could not say which one is on the stack; rename one of the files; the program goes on
#include <stdio.h>
int fx(int);
int fy(int);
int main(void) {
  int a = fx(1);
  int b = fy(2);
  printf("%d %d\n", a, b);
  return 0;
}
