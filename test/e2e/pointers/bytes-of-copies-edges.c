// Typed values copied into char memory, at the edges (review findings): an
// address copied into a local of a frame below main (read from the frame as
// saved, not from the stack the capture reuses), a run of copies that starts
// in a typed global and goes on into the char array beside it, an __int128,
// and a second hop: a process restored from an image bound to its sender's
// byte order keeps that bound (the copies were recorded by the sender only).
// Each was exit 0 with wrong values or a crash after the restore.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu -DINNER %s -o %t/inner
// RUN: env HM_MIGRATE_TO=%t/i.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/inner > %t/i.txt 2> %t/i.err
// RUN: test ! -e %t/i.img
// RUN: FileCheck --check-prefix=INNER %s < %t/i.err
// INNER: migration failed: variable 'bytes' of {{.*}}keep_address holds at byte 0 the bytes of a value of type int * copied there {{.*}}: an address kept as bytes is right in no other process
// RUN: %hmcc --target=x86_64-linux-gnu -DADJACENT %s -o %t/adjacent
// RUN: env HM_MIGRATE_TO=%t/j.img HM_MIGRATE_FOR=s390x-linux-gnu %t/adjacent > %t/j.txt 2> %t/j.err
// RUN: test ! -e %t/j.img
// RUN: FileCheck --check-prefix=ADJACENT %s < %t/j.err
// ADJACENT: migration failed: global '{{(bytes-of-copies-edges.c:)?}}{{buffer|both}}' holds at byte {{0|16}} the bytes of a value of type double copied there {{.*}}: its bytes are right only where the byte order is x86_64-linux-gnu's
// RUN: %hmcc --target=x86_64-linux-gnu -DWIDE %s -o %t/wide
// RUN: env HM_MIGRATE_TO=%t/w.img HM_MIGRATE_FOR=s390x-linux-gnu %t/wide > %t/w.txt 2> %t/w.err
// RUN: test ! -e %t/w.img
// RUN: FileCheck --check-prefix=WIDE %s < %t/w.err
// WIDE: migration failed: {{.*}}the bytes of a {{.*}}int128{{.*}} have their format only on x86_64-linux-gnu, and the destination is s390x-linux-gnu
// RUN: %hmcc --target=x86_64-linux-gnu -DHOP %s -o %t/hop
// RUN: %hmcc --target=aarch64-linux-gnu -DHOP %s -o %t/hop.a64
// RUN: env HM_MIGRATE_TO=%t/h1.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/hop > %t/h.txt
// RUN: test -e %t/h1.img
// RUN: env HM_RESTORE=%t/h1.img HM_MIGRATE_TO=%t/h2.img HM_MIGRATE_FOR=s390x-linux-gnu %run-aarch64 %t/hop.a64 >> %t/h.txt 2> %t/h.err
// RUN: test ! -e %t/h2.img
// RUN: FileCheck --check-prefix=HOP %s < %t/h.err
// HOP: migration failed: this process was restored from an image whose bytes (typed values copied into char memory) were right only where the byte order and sizes were x86_64-linux-gnu's; they go on only to x86_64-linux-gnu or aarch64-linux-gnu, and the destination is s390x-linux-gnu; the program goes on
// RUN: FileCheck --check-prefix=HOPOUT %s < %t/h.txt
// HOPOUT: 2.5
// HOPOUT-NEXT: 2.5
// Back to the sender's target, the bytes are right: it migrates.
// RUN: env HM_RESTORE=%t/h1.img HM_MIGRATE_TO=%t/h3.img HM_MIGRATE_FOR=x86_64-linux-gnu %run-aarch64 %t/hop.a64 > %t/back.txt
// RUN: env HM_RESTORE=%t/h3.img %t/hop >> %t/back.txt
// RUN: FileCheck --check-prefix=BACK %s < %t/back.txt
// BACK: 2.5
// BACK-NEXT: 2.5
#include <hm/migrate.h>
#include <stdio.h>
#include <string.h>

#ifdef INNER
static int x = 42;
__attribute__((noinline)) static void keep_address(void) {
  char bytes[32];
  int *p = &x;
  memcpy(bytes, &p, sizeof p);
  migrate_now();
  int *q;
  memcpy(&q, bytes, sizeof q);
  printf("%d\n", *q);
}
int main(void) {
  keep_address();
  return 0;
}
#endif

#ifdef ADJACENT
struct pair {
  double values[2];
  unsigned char buffer[16];
} both;
double values[2];
unsigned char buffer[16];
static void put(void *to, double v) { memcpy(to, &v, sizeof v); }
int main(void) {
  // The two globals are not always next to each other: so is a struct's.
  put(&values[1], 1.5);
  put(buffer, 2.5);
  put(&both.values[1], 1.5);
  put(both.buffer, 2.5);
  migrate_now();
  double d, e;
  memcpy(&d, buffer, 8);
  memcpy(&e, both.buffer, 8);
  printf("%g %g %g %g\n", values[1], d, both.values[1], e);
  return 0;
}
#endif

#ifdef WIDE
static unsigned char buffer[16];
static void put(void) {
  __int128 v = 5;
  memcpy(buffer, &v, sizeof v);
}
static int get(void) {
  __int128 v;
  memcpy(&v, buffer, sizeof v);
  return (int)v;
}
int main(void) {
  put();
  migrate_now();
  printf("%d\n", get());
  return 0;
}
#endif

#ifdef HOP
static unsigned char buffer[16];
int main(void) {
  double d = 2.5;
  memcpy(buffer, &d, sizeof d);
  migrate_now();
  memcpy(&d, buffer, 8);
  printf("%g\n", d);
  migrate_now();
  memcpy(&d, buffer, 8);
  printf("%g\n", d);
  return 0;
}
#endif
