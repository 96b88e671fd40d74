// A pointer a function will not read again is not carried. After free(p) the
// next block of the same size takes p's address; were the dead p carried, its
// type would say what that block holds (a struct of numbers), and text reached
// only through char pointers would come out converted as numbers on s390x, with
// exit status 0. Two shapes: a dead local of the site's own block (left out of
// the image) and one of an outer block, restored before the loop the site is in
// (carried as null).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %hmcc -O2 --target=s390x-linux-gnu %s -o %t/prog.s390x
// RUN: %hmcc -O2 --target=arm-linux-gnueabihf %s -o %t/prog.armhf
// RUN: %t/prog > %t/plain.txt
// RUN: FileCheck %s < %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/s390x.img %t/prog > %t/s390x-1.txt
// RUN: env HM_RESTORE=%t/s390x.img %run-s390x %t/prog.s390x > %t/s390x-2.txt
// RUN: cat %t/s390x-1.txt %t/s390x-2.txt | diff %t/plain.txt -
// RUN: env HM_MIGRATE_TO=%t/armhf.img %t/prog > %t/armhf-1.txt
// RUN: env HM_RESTORE=%t/armhf.img %run-armhf %t/prog.armhf > %t/armhf-2.txt
// RUN: cat %t/armhf-1.txt %t/armhf-2.txt | diff %t/plain.txt -
// CHECK: pair 1 2.5
// CHECK-NEXT: text 1: the same 64 bytes hold text now, after the pair
// CHECK-NEXT: pair 3 4.5
// CHECK-NEXT: text 2: a second block of text where a pair was freed
// CHECK-NEXT: text 3: a second block of text where a pair was freed
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pair { long long key; double weight; long long spare[6]; }; // 64 bytes everywhere

static struct pair *make_pair(long long key, double weight) {
  struct pair *p = malloc(sizeof *p);
  memset(p, 0, sizeof *p);
  p->key = key;
  p->weight = weight;
  return p;
}

// The dead pointer is a local of the block the site is in.
static char *same_block(void) {
  struct pair *p = make_pair(1, 2.5);
  printf("pair %lld %.1f\n", p->key, p->weight);
  free(p);
  char *text = malloc(64);
  strcpy(text, "the same 64 bytes hold text now, after the pair");
  migrate_now();
  return text;
}

// The dead pointer is declared outside the loop the site is in.
static void outer_block(void) {
  struct pair *p = make_pair(3, 4.5);
  printf("pair %lld %.1f\n", p->key, p->weight);
  free(p);
  char *text = malloc(64);
  strcpy(text, "a second block of text where a pair was freed");
  for (int round = 2; round <= 3; ++round) {
    if (round == 3)
      migrate_now();
    printf("text %d: %s\n", round, text);
  }
  free(text);
}

int main(void) {
  char *text = same_block();
  printf("text 1: %s\n", text);
  free(text);
  outer_block();
  return 0;
}
