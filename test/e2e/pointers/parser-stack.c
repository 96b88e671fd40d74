// A parser's value stack (bison's yyvsa, an untagged union of a `char *`, a
// `char` and an `int`): a slot that holds no pointer holds the char or the int,
// which no code says. It converts as both at once: in one byte order they read
// 42 and 'x' alike whatever the pointer width, and the stack migrates between
// x86_64, aarch64 and armhf; in the other byte order the char and the int read
// the bytes as different values, and the capture refuses the migration at the
// migration point, for the destination named, instead of writing an image the
// receiver would refuse once the source has gone.
// RUN: %migrate-matrix --points all %s > %t.out || true
// RUN: FileCheck %s < %t.out
// CHECK: parser-stack: 12 pairs x 1 points: 6 of 12 migrations match
// CHECK: FAIL parser-stack point 1 x86_64-linux-gnu -> s390x-linux-gnu: capture failed (status 0): hmcc: migration failed: variable 'yyvsa' (YYSTYPE[20]) {{.*}} is a YYSTYPE that holds no pointer here, names no active member, and converts differently on s390x-linux-gnu: its members 'c_value' and 'i_value' read its bytes as different values there
// CHECK-NOT: output differs
// CHECK-NOT: cannot restore
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef union {
  char *s_value;
  char c_value;
  int i_value;
} YYSTYPE;

static int *numbers;

static long parse(void) {
  YYSTYPE yyvsa[20];
  memset(yyvsa, 0, sizeof yyvsa);
  char *name = malloc(64);
  strcpy(name, "a scratch name that the parser gave back");
  yyvsa[7].s_value = name + 5; // a stale slot: the token's text, freed below
  free(name);
  numbers = malloc(16 * sizeof(int)); // the same memory, as ints now
  for (int i = 0; i < 16; i++)
    numbers[i] = i * 1000 + 7;
  static char keep[] = "live text";
  yyvsa[0].s_value = keep;
  yyvsa[1].i_value = 42;
  yyvsa[2].c_value = 'x';
  int top = 2;
  migrate_now();
  long sum = 0;
  for (int i = 0; i < 16; i++)
    sum += numbers[i];
  printf("%s %d %c top %d sum %ld\n", yyvsa[0].s_value, yyvsa[1].i_value, yyvsa[2].c_value,
         top, sum);
  return sum;
}

int main(void) {
  printf("%ld\n", parse());
  return 0;
}
