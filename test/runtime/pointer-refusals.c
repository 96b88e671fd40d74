// What pointers cannot be carried is refused at the migration point, naming the
// object, its type and its place, and the program goes on where it was.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc %s -o %t/prog
// RUN: %t/prog int > %t/plain-int.txt
// RUN: env HM_MIGRATE_TO=%t/a.img %t/prog int > %t/int.txt 2> %t/int.err
// RUN: diff %t/plain-int.txt %t/int.txt
// RUN: FileCheck --check-prefix=INT %s < %t/int.err
// INT: hmcc: migration failed: variable 'hidden' (uintptr_t) of main at pointer-refusals.c:{{[0-9]+}} holds the address of global 'numbers' in an integer (uintptr_t); hmcc cannot translate addresses kept in integers; the program goes on on x86_64-linux-gnu
// RUN: test ! -e %t/a.img
// RUN: env HM_MIGRATE_TO=%t/b.img %t/prog middle 2>&1 >/dev/null | FileCheck --check-prefix=MIDDLE %s
// MIDDLE: hmcc: migration failed: variable 'half' (short *) of main at pointer-refusals.c:{{[0-9]+}} points 2 bytes into global 'numbers' (int[4]), into padding or the middle of a scalar; hmcc cannot place it in another layout
// Unions that name no active member and hold pointers are carried by value
// (untagged-unions.c), also when the pointer is inside a member:
// RUN: env HM_MIGRATE_TO=%t/c.img %t/prog union > %t/union.txt
// RUN: env HM_RESTORE=%t/c.img %t/prog union >> %t/union.txt
// RUN: FileCheck --check-prefix=CHOSEN %s < %t/union.txt
// RUN: env HM_MIGRATE_TO=%t/f.img %t/prog chosen > %t/chosen.txt
// RUN: env HM_RESTORE=%t/f.img %t/prog chosen >> %t/chosen.txt
// RUN: FileCheck --check-prefix=CHOSEN %s < %t/chosen.txt
// CHOSEN: chosen 3
// RUN: env HM_MIGRATE_TO=%t/d.img %t/prog foreign 2>&1 >/dev/null | FileCheck --check-prefix=FOREIGN %s
// FOREIGN: hmcc: migration failed: variable 'message' (char *) of main at pointer-refusals.c:{{[0-9]+}} points into memory hmcc does not manage ({{.*}}libc{{.*}}); hmcc translates pointers to the heap, globals, locals, string literals, argv and stdio
//
// A pointer into the environment is the same variable's value after a restore:
// RUN: env HM_MIGRATE_TO=%t/e.img HM_DEMO_VALUE=first %t/prog env > %t/env.txt
// RUN: env HM_RESTORE=%t/e.img HM_DEMO_VALUE=second %t/prog env >> %t/env.txt
// RUN: FileCheck --check-prefix=ENV %s < %t/env.txt
// ENV: env second
#include <hm/migrate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int numbers[4] = {1, 2, 3, 4};

union either {
  int *p;
  long n;
};

union deep {
  long n;
  struct {
    int *p;
  } boxed;
};

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  uintptr_t hidden = 0;
  short *half = 0; // a byte pointer may point inside a scalar: bytes-of-scalars.c
  union either either = {0};
  union deep deep = {0};
  char *message = 0;
  const char *env = 0;
  if (!strcmp(mode, "int"))
    hidden = (uintptr_t)&numbers[1];
  if (!strcmp(mode, "middle"))
    half = (short *)&numbers[0] + 1;
  if (!strcmp(mode, "union"))
    deep.boxed.p = &numbers[2];
  if (!strcmp(mode, "chosen"))
    either.p = &numbers[2];
  if (!strcmp(mode, "foreign"))
    message = strerror(2);
  if (!strcmp(mode, "env"))
    env = getenv("HM_DEMO_VALUE");
  int r = migrate_now();
  if (env)
    printf("env %s\n", env);
  if (!strcmp(mode, "chosen"))
    printf("chosen %d\n", *either.p);
  if (!strcmp(mode, "union"))
    printf("chosen %d\n", *deep.boxed.p);
  // Read after the point: a dead pointer is not carried, so not refused.
  printf("%s: migrate_now() = %d, %d, %d\n", mode, r, numbers[1],
         (hidden != 0) + (half != 0) + (message != 0));
  return 0;
}
