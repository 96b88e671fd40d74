// An image may not make a pointer null: only a value the sender itself found
// pointing to no object (freed memory) restores as null. A pointer whose value
// an image changed to point nowhere (here past every object, checksum made
// valid again) is refused, as is one whose block the image lost.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: env HM_MIGRATE_TO=%t/good.img %t/prog > /dev/null
// RUN: env HM_RESTORE=%t/good.img %t/prog | FileCheck --check-prefix=GOOD %s
// GOOD: list 1 2 3, dangling restored null
// RUN: hm-migrate inspect --json %t/good.img | python3 -c 'import json,sys; g=[x for x in json.load(sys.stdin)["globals"] if x["name"]=="head"][0]; print(g["value"], hex(int(g["value"],16)+(1<<40)))' > %t/values
// RUN: python3 %S/../tools/corrupt-image.py %t/prog %t/good.img replace $(cat %t/values) | FileCheck %s
// CHECK: corrupt-image: replace: exit 1: hmcc: cannot restore: {{.*}}data pointer holds 0x{{[0-9a-f]+}}, which is in no object the image carries, and the sender did not find it dead
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
  int value;
  struct node *next;
};
struct node *head;
int *dangling;

int main(void) {
  for (int i = 3; i >= 1; --i) {
    struct node *n = malloc(sizeof *n);
    n->value = i;
    n->next = head;
    head = n;
  }
  dangling = malloc(64);
  free(dangling); // the program keeps a pointer to freed memory: dead
  migrate_now();
  printf("list");
  for (struct node *n = head; n; n = n->next)
    printf(" %d", n->value);
  printf(", dangling restored %s\n", dangling ? "non-null" : "null");
  return 0;
}
