// A table of pointers that only a `void *` reaches (mawk's arrays: `PTR ptr`
// is a DUAL_LINK table or a CELL array, as another field says, allocated with
// a size computed away from the call): no type says what it holds. When every
// word is null or the address of an object the capture carries, it is a table
// of pointers, whatever struct of pointers the program reads it as: it
// converts as void *[] where pointers are as wide. Between 64-bit and 32-bit
// targets its struct cannot be told, and the migration is refused at the
// migration point. A `void *` may hold a function's entry (mawk's INST.ptr
// holds its builtins): it comes back as the function's entry here.
// RUN: %migrate-matrix --points all %s > %t.out || true
// RUN: FileCheck %s < %t.out
// CHECK: pointer-tables: 12 pairs x 1 points: 6 of 12 migrations match
// CHECK-DAG: FAIL pointer-tables point 1 x86_64-linux-gnu -> arm-linux-gnueabihf: capture failed (status 0): hmcc: migration failed: {{.*}} the address of a heap block of {{.*}}; the program goes on on x86_64-linux-gnu
// CHECK-DAG: FAIL pointer-tables point 1 arm-linux-gnueabihf -> s390x-linux-gnu: capture failed
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
  struct node *slink, *ilink;
  long ival;
  char sval[12];
};
typedef struct {
  struct node *slink, *ilink;
} dual_link;
struct array {
  void *ptr; // what it points to depends on type
  size_t size;
  unsigned hmask;
  short type;
};

static struct array *new_array(unsigned buckets) {
  struct array *a = malloc(sizeof *a);
  size_t sz = buckets * sizeof(dual_link);
  a->ptr = memset(malloc(sz), 0, sz);
  a->size = 0;
  a->hmask = buckets - 1;
  a->type = 3;
  return a;
}

static void insert(struct array *a, long ival) {
  struct node *n = malloc(sizeof(struct node));
  n->ival = ival;
  snprintf(n->sval, sizeof n->sval, "k%ld", ival);
  dual_link *table = (dual_link *)a->ptr;
  unsigned h = (unsigned)(ival * 2654435761u) & a->hmask;
  n->slink = table[h].slink;
  table[h].slink = n;
  n->ilink = table[h ^ 1].ilink;
  table[h ^ 1].ilink = n;
  a->size++;
}

static long sum_chain(const struct array *a, unsigned h) {
  long s = 0;
  for (struct node *n = ((dual_link *)a->ptr)[h].slink; n; n = n->slink)
    s += n->ival * (long)strlen(n->sval);
  return s;
}

static struct array *arrays[2];

// mawk's code cells: an opcode, or a builtin's address kept as a void *.
typedef union {
  int op;
  void *ptr;
} INST;
static long bi_length(long x) { return x * 10 + 7; }
static long bi_index(long x) { return x - 3; }
static INST *code;

int main(void) {
  arrays[0] = new_array(64);
  arrays[1] = new_array(16);
  for (long i = 1; i <= 300; i++)
    insert(arrays[i % 7 == 0], i * 3 + 1);
  code = malloc(4 * sizeof(INST));
  code[0].op = 17;
  code[1].ptr = (void *)bi_length;
  code[2].op = 18;
  code[3].ptr = (void *)bi_index;
  migrate_now();
  for (int k = 0; k < 4; k += 2)
    printf("op %d: %ld\n", code[k].op, ((long (*)(long))code[k + 1].ptr)(code[k].op));
  for (int k = 0; k < 2; k++) {
    long total = 0, links = 0;
    for (unsigned h = 0; h <= arrays[k]->hmask; h++) {
      total += sum_chain(arrays[k], h);
      for (struct node *n = ((dual_link *)arrays[k]->ptr)[h].ilink; n; n = n->ilink)
        links++;
    }
    printf("array %d: %zu entries, total %ld, %ld links\n", k, arrays[k]->size, total, links);
  }
  insert(arrays[1], 99);
  printf("after: %zu %ld\n", arrays[1]->size, sum_chain(arrays[1], (unsigned)(99 * 2654435761u) & arrays[1]->hmask));
  return 0;
}
