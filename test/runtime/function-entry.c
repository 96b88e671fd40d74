// An image may only name a function: a function pointer that points anywhere
// but a function's entry (here one byte in, with the checksum made valid
// again) is refused, never followed.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: env HM_MIGRATE_TO=%t/good.img %t/prog > /dev/null
// RUN: env HM_RESTORE=%t/good.img %t/prog | FileCheck --check-prefix=GOOD %s
// GOOD: 42
// RUN: hm-migrate inspect --json %t/good.img | python3 -c 'import json,sys; g=[x for x in json.load(sys.stdin)["globals"] if x["name"]=="op"][0]; print(g["value"], hex(int(g["value"],16)+1))' > %t/values
// RUN: python3 %S/../tools/corrupt-image.py %t/prog %t/good.img replace $(cat %t/values) | FileCheck %s
// CHECK: corrupt-image: replace: exit 1: hmcc: cannot restore: {{.*}}function pointer points 1 bytes into '{{.*}}add', not to its entry
#include <hm/migrate.h>
#include <stdio.h>

static int add(int x) { return x + 1; }
int (*op)(int) = add;

int main(void) {
  int v = 41;
  migrate_now();
  printf("%d\n", op(v));
  return 0;
}
