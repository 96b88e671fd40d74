// Typed values copied or stored into char memory by an expression that calls
// a function (`memcpy(here(), &n, sizeof n)`, `*(int *)(buf + next(4)) = v`,
// `*(int *)reserve(4) = v`, calls that may migrate): marked as any other. Before,
// hm-instrument left them unmarked, and x86_64 -> s390x restored the numbers
// byte-swapped with exit 0.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu -DCOPY %s -o %t/copy
// RUN: %hmcc --target=aarch64-linux-gnu -DCOPY %s -o %t/copy.a64
// RUN: env HM_MIGRATE_TO=%t/c.img HM_MIGRATE_FOR=s390x-linux-gnu %t/copy > %t/c.txt 2> %t/c.err
// RUN: test ! -e %t/c.img
// RUN: FileCheck --check-prefix=COPY %s < %t/c.err
// COPY: migration failed: global '{{.*}}buf' holds at byte 40 the bytes of a value of type int copied there {{.*}}: its bytes are right only where the byte order is x86_64-linux-gnu's
// RUN: FileCheck --check-prefix=OUT %s < %t/c.txt
// RUN: env HM_MIGRATE_TO=%t/a.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/copy > %t/a.txt
// RUN: env HM_RESTORE=%t/a.img %run-aarch64 %t/copy.a64 >> %t/a.txt
// RUN: FileCheck --check-prefix=OUT %s < %t/a.txt
// RUN: %hmcc --target=x86_64-linux-gnu -DSTORE %s -o %t/store
// RUN: env HM_MIGRATE_TO=%t/s.img HM_MIGRATE_FOR=s390x-linux-gnu %t/store > %t/s.txt 2> %t/s.err
// RUN: test ! -e %t/s.img
// RUN: FileCheck --check-prefix=STORE %s < %t/s.err
// STORE: migration failed: global '{{.*}}buf' holds at byte 8 the bytes of a value of type int {{.*}}: its bytes are right only where the byte order is x86_64-linux-gnu's
// RUN: FileCheck --check-prefix=OUT %s < %t/s.txt
// OUT: 12345
// OUT-NOT: {{.}}
#include <hm/migrate.h>
#include <stdio.h>
#include <string.h>

static unsigned char buf[64];
static int pos = 8;

static int never;
// Both may migrate (call-sites hoists them out of the copy and the store):
// their migrate_now() is never reached.
__attribute__((noinline)) static int next(int n) {
  int at = pos;
  pos += n;
  if (never)
    migrate_now();
  return at;
}
__attribute__((noinline)) static unsigned char *here(void) {
  if (never)
    migrate_now();
  return buf + 40;
}
__attribute__((noinline)) static void *reserve(int n) { return buf + next(n); }

int main(void) {
  int n = 12345, got;
#ifdef COPY
  memcpy(here(), &n, sizeof n);
  migrate_now();
  memcpy(&got, buf + 40, sizeof got);
#endif
#ifdef STORE
  *(int *)(buf + next(4)) = n;
  *(int *)reserve(4) = n + 1; // the store's lvalue ends with the call
  migrate_now();
  memcpy(&got, buf + 8, sizeof got);
  int other;
  memcpy(&other, buf + 12, sizeof other);
  got += other - n - 1;
#endif
  printf("%d\n", got);
  return 0;
}
