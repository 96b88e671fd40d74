// A pointer a function will not read again is not carried. After free(p) the
// next block of the same size takes p's address; were the dead p carried, its
// type would say what that block holds (a struct of numbers), and text reached
// only through char pointers would come out converted as numbers on s390x, with
// exit status 0. Three shapes: a dead local of the site's own block, and one of
// an outer block that the loop the site is in never reads (both left out of the
// image), and one the loop reads again after it assigns it (restored before the
// loop, for every site in it: carried as null).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %hmcc -O2 --target=s390x-linux-gnu %s -o %t/prog.s390x
// RUN: %hmcc -O2 --target=arm-linux-gnueabihf %s -o %t/prog.armhf
// RUN: %t/prog > %t/plain.txt
// RUN: FileCheck %s < %t/plain.txt
// Each of the three migration points, to s390x and to armhf:
// RUN: for k in 1 2 3; do env HM_MIGRATE_AT=$k HM_MIGRATE_TO=%t/s390x-$k.img %t/prog > %t/s390x-$k-1.txt && test -e %t/s390x-$k.img && env HM_RESTORE=%t/s390x-$k.img %run-s390x %t/prog.s390x > %t/s390x-$k-2.txt && cat %t/s390x-$k-1.txt %t/s390x-$k-2.txt | diff %t/plain.txt - || exit 1; done
// RUN: for k in 1 2 3; do env HM_MIGRATE_AT=$k HM_MIGRATE_TO=%t/armhf-$k.img %t/prog > %t/armhf-$k-1.txt && test -e %t/armhf-$k.img && env HM_RESTORE=%t/armhf-$k.img %run-armhf %t/prog.armhf > %t/armhf-$k-2.txt && cat %t/armhf-$k-1.txt %t/armhf-$k-2.txt | diff %t/plain.txt - || exit 1; done
// CHECK: pair 1 2.5
// CHECK-NEXT: text 1: the same 64 bytes hold text now, after the pair
// CHECK-NEXT: pair 3 4.5
// CHECK-NEXT: text 2: a second block of text where a pair was freed
// CHECK-NEXT: text 3: a second block of text where a pair was freed
// CHECK-NEXT: pair 4 0.5
// CHECK-NEXT: text 5: a third block of text, taken where the loop's pair was
// CHECK-NEXT: pair 5 0.5
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

// The dead pointer is assigned again in the loop, after the site.
static void assigned_in_loop(void) {
  struct pair *p;
  char *line = NULL;
  for (int round = 4; round <= 5; ++round) {
    if (round == 5)
      migrate_now();
    if (line) {
      printf("text %d: %s\n", round, line);
      free(line);
    }
    p = make_pair(round, 0.5);
    printf("pair %lld %.1f\n", p->key, p->weight);
    free(p);
    line = malloc(64);
    strcpy(line, "a third block of text, taken where the loop's pair was");
  }
  free(line);
}

int main(void) {
  char *text = same_block();
  printf("text 1: %s\n", text);
  free(text);
  outer_block();
  assigned_in_loop();
  return 0;
}
