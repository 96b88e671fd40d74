// Allocation shapes: over-aligned blocks keep their alignment where they are
// restored; a struct followed by its text in one block (sizeof(T) plus other
// bytes) is one T and raw bytes, not an array of T; a char buffer sized with
// sizeof(int) holds bytes. Migrated at several points across all 12 pairs.
// RUN: %migrate-matrix --points 1,2,3 %s | FileCheck %s
// CHECK: allocations: 12 pairs x 3 points: 36 of 36 migrations match
#include <hm/migrate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct msg { int id; short kind; char *text; };

int main(void) {
  double *wide = aligned_alloc(64, 8 * sizeof(double));
  void *page = NULL;
  if (posix_memalign(&page, 4096, 256))
    return 1;
  int *ints = page;
  const char *s = "hello, world";
  struct msg *m = malloc(sizeof(struct msg) + strlen(s) + 1);
  m->id = 7;
  m->kind = -3;
  m->text = (char *)(m + 1);
  strcpy(m->text, s);
  char *name = malloc(4 * sizeof(int));
  strcpy(name, "abcdefghijk");
  for (int i = 0; i < 8; i++) wide[i] = i * 0.25;
  for (int i = 0; i < 64; i++) ints[i] = i * 1000003;
  for (int step = 0; step < 3; step++) {
    migrate_now();
    printf("step %d: wide %%64=%d page %%4096=%d\n", step, (int)((uintptr_t)wide % 64),
           (int)((uintptr_t)page % 4096));
    printf("  wide[7]=%g ints[63]=%d msg %d %d '%s' name '%s'\n", wide[7], ints[63],
           m->id, m->kind, m->text, name);
    wide[step] += 1;
    ints[step] -= 1;
    m->text[step] = 'H';
  }
  return 0;
}
