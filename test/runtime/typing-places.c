// A heap block typed by a pointer that then lies in bytes no object covers: a
// block of three nodes, from an allocator hmcc does not see, whose second node
// points into its own `val` as another struct. That object cuts the node array
// short (it ends where the struct starts), and the pointer that typed it is
// left in bytes the image types as nothing: no receiver could type the block.
// The capture refuses at the point and the program goes on; it once wrote the
// image, the program ended, and every receiver refused it (Lua's node array
// cut where a stale Value pointed as a GCObject).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/x86
// RUN: env HM_MIGRATE_TO=%t/i.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/x86 > %t/out.txt 2> %t/err.txt
// RUN: FileCheck %s < %t/out.txt
// RUN: FileCheck --check-prefix=ERR %s < %t/err.txt
// RUN: not test -e %t/i.img
// CHECK: after: 2 {{(0x)?[0-9a-f]+}}
// ERR: hmcc: migration failed: a heap block of 72 bytes (objects of several types) is typed by a pointer in bytes that hold no object the image types: a receiver could not type it; the program goes on
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct gc { struct gc *next; long long tt; };
struct node { long long key; struct gc *p; long long val; }; // 24 bytes on x86_64

int main(void) {
  void *(*volatile alloc)(size_t, size_t) = calloc; // no allocation site types it
  struct node *nodes = alloc(3, sizeof *nodes);
  nodes[0].key = 1;
  nodes[1].key = 2;
  nodes[1].p = (struct gc *)&nodes[1].val;
  migrate_now();
  printf("after: %lld %p\n", nodes[1].key, (void *)nodes[1].p);
  return 0;
}
