// A program that waits for input (fgets, getchar, read) moves while it waits:
// the request comes in a pause of its input, the image is written at once (the
// call is a migration point; nothing was read), and the restored process,
// given the rest of the input, goes on as an unmigrated run.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu -O2 %s -o %t/x86
// RUN: %hmcc --target=s390x-linux-gnu -O2 %s -o %t/s390x
// RUN: %hmcc --target=arm-linux-gnueabihf -O2 %s -o %t/arm
// RUN: bash %S/Inputs/request-in-pause.sh %t fgets "qemu-s390x %t/s390x"
// RUN: bash %S/Inputs/request-in-pause.sh %t getchar "qemu-arm %t/arm"
// RUN: bash %S/Inputs/request-in-pause.sh %t read "qemu-s390x %t/s390x"
// RUN: cat %t/fgets.status %t/getchar.status %t/read.status | FileCheck %s
// CHECK: fgets: moved in the pause
// CHECK: getchar: moved in the pause
// CHECK: read: moved in the pause
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long sum;
static int count;

static void take(long v) {
  sum += v;
  count++;
  printf("%d: %ld -> %ld\n", count, v, sum);
  fflush(stdout);
}

int main(int argc, char **argv) {
  const char *how = argc > 1 ? argv[1] : "fgets";
  if (strcmp(how, "fgets") == 0) {
    char line[64];
    while (fgets(line, sizeof line, stdin))
      take(atol(line));
  } else if (strcmp(how, "getchar") == 0) {
    long v = 0;
    int c, digits = 0;
    while ((c = getchar()) != EOF) {
      if (c >= '0' && c <= '9') {
        v = v * 10 + (c - '0');
        digits = 1;
      } else if (digits) {
        take(v);
        v = 0;
        digits = 0;
      }
    }
  } else {
    char buf[256];
    long v = 0;
    int digits = 0;
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0)
      for (ssize_t i = 0; i < n; i++) {
        if (buf[i] >= '0' && buf[i] <= '9') {
          v = v * 10 + (buf[i] - '0');
          digits = 1;
        } else if (digits) {
          take(v);
          v = 0;
          digits = 0;
        }
      }
  }
  printf("%d numbers, sum %ld\n", count, sum);
  return 0;
}
