// A stale pointer to a tagged header (Lua's dead table key) into the middle of
// a scalar of a live object (a string handed out again, at its hash) is an
// address only: it migrates where the scalar keeps its bytes (the same byte
// order), pointing to the same byte, and is refused at the migration point
// where it would not, where both were refused before.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: %hmcc -O1 --target=aarch64-linux-gnu %s -o %t/prog.aarch64
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/a.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/prog > %t/a-1.txt
// RUN: env HM_RESTORE=%t/a.img %run-aarch64 %t/prog.aarch64 > %t/a-2.txt
// RUN: cat %t/a-1.txt %t/a-2.txt | diff %t/plain.txt -
// Its offsets differ on armhf: the same byte of the same scalar there.
// RUN: %hmcc -O1 --target=arm-linux-gnueabihf %s -o %t/prog.arm
// RUN: env HM_MIGRATE_TO=%t/arm.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog > %t/arm-1.txt
// RUN: env HM_RESTORE=%t/arm.img %run-armhf %t/prog.arm > %t/arm-2.txt
// RUN: cat %t/arm-1.txt %t/arm-2.txt | diff %t/plain.txt -
// RUN: env HM_MIGRATE_TO=%t/s.img HM_MIGRATE_FOR=s390x-linux-gnu %t/prog > %t/s.txt 2> %t/s.err
// RUN: test ! -e %t/s.img
// RUN: diff %t/plain.txt %t/s.txt
// RUN: FileCheck %s < %t/s.err
// CHECK: hmcc: migration failed: a heap block of {{[0-9]+}} bytes (Node) (at byte {{[0-9]+}}) points to byte 2 of a scalar (int): its bytes are right only where the byte order is x86_64-linux-gnu's, and s390x-linux-gnu has the other one; the program goes on on x86_64-linux-gnu
#include <hm/migrate.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T_STR 4

typedef struct GCObject {
  struct GCObject *next;
  unsigned char tt;
} GCObject;
typedef struct Str {
  struct GCObject *next;
  unsigned char tt;
  int len;
  char text[16];
} Str;
typedef struct Node {
  long long value;
  unsigned char tt;
  GCObject *key;
} Node;

static long long lengthOf(GCObject *o) { return o->tt == T_STR ? ((Str *)o)->len : 0; }

int main(void) {
  Str *name = malloc(sizeof *name);
  name->next = NULL;
  name->tt = T_STR;
  name->len = 4;
  strcpy(name->text, "keys");
  Node *nodes = malloc(8 * sizeof *nodes);
  for (int k = 0; k < 8; ++k) {
    nodes[k].value = k;
    nodes[k].tt = 3;
    nodes[k].key = (GCObject *)name;
  }
  // The dead key: byte 2 of the live string's length.
  nodes[6].key = (GCObject *)((char *)name + offsetof(Str, len) + 2);
  nodes[6].tt = 11;
  printf("before %lld\n", lengthOf(nodes[0].key));
  migrate_now();
  printf("%d %d %s\n", nodes[6].key == (GCObject *)name,
         (char *)nodes[6].key - (char *)name == (long)offsetof(Str, len) + 2, name->text);
  return 0;
}
