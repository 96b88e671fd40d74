// A block no allocation site laid out, typed as a struct that ends in a short
// char array (mawk's STRING), whose size is a whole number of them: two
// STRINGs, or one and its text? They convert alike only where the layout and
// byte order stay: the capture refuses for s390x at the point, naming the
// block, and the program goes on; for aarch64 the image is written.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/x86
// RUN: %t/x86 > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/s390x.img HM_MIGRATE_FOR=s390x-linux-gnu %t/x86 > %t/out.txt 2> %t/err.txt
// RUN: diff %t/plain.txt %t/out.txt
// RUN: FileCheck %s < %t/err.txt
// RUN: not test -e %t/s390x.img
// RUN: env HM_MIGRATE_TO=%t/aarch64.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/x86 > %t/out2.txt
// RUN: test -s %t/aarch64.img
// CHECK: hmcc: migration failed: a heap block of 32 bytes holds 2 STRINGs, or one and its text (its last member 'str' is a short char array): which cannot be told, and the two convert differently on s390x-linux-gnu; the program goes on
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  size_t len;
  unsigned ref_cnt;
  char str[2];
} STRING;

int main(void) {
  const char *text = "seventeen letters"; // 17 + sizeof(STRING) - 1 = 32 bytes
  size_t len = strlen(text);
  STRING *s = malloc(len + sizeof(STRING) - 1);
  s->len = len;
  s->ref_cnt = 1;
  memcpy(s->str, text, len + 1);
  migrate_now();
  printf("%s %zu\n", s->str, s->len);
  return 0;
}
