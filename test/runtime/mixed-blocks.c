// A heap block that holds objects of several types (a bump allocator's pool, an
// allocator's header before the object) is refused at the migration point, naming
// the pointer and the block, and the program goes on with its values: converted
// as one type, the other objects came back as garbage, even between two x86_64
// processes (padding zeroed, ints read as pointers).
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/pool.img HM_MIGRATE_AT=1 %t/prog > %t/pool.txt 2> %t/pool.err
// RUN: diff %t/plain.txt %t/pool.txt
// RUN: test ! -e %t/pool.img
// RUN: FileCheck --check-prefix=POOL %s < %t/pool.err
// POOL: hmcc: migration failed: variable 'numbers' (int *) of mixed-blocks.c:pool_demo at mixed-blocks.c:{{[0-9]+}} points {{[0-9]+}} bytes into a heap block of 4096 bytes that holds struct header there; the block holds objects of several types (a pool, a header before the object), which hmcc does not carry yet; the program goes on on x86_64-linux-gnu
// RUN: env HM_MIGRATE_TO=%t/sized.img HM_MIGRATE_AT=2 %t/prog > %t/sized.txt 2> %t/sized.err
// RUN: diff %t/plain.txt %t/sized.txt
// RUN: test ! -e %t/sized.img
// RUN: FileCheck --check-prefix=SIZED %s < %t/sized.err
// SIZED: hmcc: migration failed: variable 'head' (struct node *) of main at mixed-blocks.c:{{[0-9]+}} points 8 bytes into a heap block of {{[0-9]+}} bytes that holds raw bytes after 1 long long there; the block holds objects of several types
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct header {
  long id;
  struct header *next;
  short tag;
};

static char *pool;
static size_t used;

static void *take(size_t n) {
  void *p = pool + used;
  used += (n + 7) & ~(size_t)7;
  return p;
}

struct node {
  struct node *next;
  long value;
};

// A size in front of each object, as SQLite's and zlib's allocators keep.
static void *sized_alloc(size_t n) {
  long long *p = malloc(n + sizeof *p);
  p[0] = (long long)n;
  return p + 1;
}

static void pool_demo(void) {
  pool = malloc(4096);
  struct header *a = take(sizeof *a);
  int *numbers = take(10 * sizeof *numbers);
  struct header *b = take(sizeof *b);
  a->id = 1;
  a->next = b;
  a->tag = 7;
  b->id = 2;
  b->next = NULL;
  b->tag = 9;
  for (int i = 0; i < 10; i++)
    numbers[i] = i * 1000 + 1;
  migrate_now();
  printf("pool: %ld %ld %d %d %d %d\n", a->id, a->next->id, a->tag, b->tag, numbers[0],
         numbers[9]);
  free(pool);
  pool = NULL;
}

int main(void) {
  pool_demo();

  struct node *head = NULL;
  for (int i = 0; i < 4; i++) {
    struct node *n = sized_alloc(sizeof *n);
    n->value = i;
    n->next = head;
    head = n;
  }
  migrate_now();
  for (struct node *n = head; n; n = n->next)
    printf("node %ld of %lld bytes\n", n->value, ((long long *)n)[-1]);
  return 0;
}
