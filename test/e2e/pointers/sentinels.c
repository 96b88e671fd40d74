// Sentinel pointers: integers cast to pointers that no object can have
// (SIG_IGN, SIG_ERR, SQLite's SQLITE_TRANSIENT, MAP_FAILED, (char *)-1, a
// small tag like (void *)1) keep their value, sign-extended across widths: in
// globals, locals, heap structs, a union of pointers and a block of pointers
// (a tie in a union: test/runtime/sentinel-ties.c).
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: sentinels: 12 pairs x 1 points: 12 of 12 migrations match
#include <hm/migrate.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

typedef void (*destructor)(void *);
#define TRANSIENT ((destructor)-1)
#define STATIC ((destructor)0)

struct mem { const char *z; int n; destructor xDel; };
struct cell { struct cell *next; void *value; };
union handler { void (*plain)(int); void *data; };


static void release(void *p) { free(p); }
static struct mem mems[4];
static void (*handlers[3])(int);
static void *failed = MAP_FAILED;
static char *end_mark = (char *)-1;

static const char *name(destructor d) {
  return d == TRANSIENT ? "transient" : d == STATIC ? "static" : d == release ? "release" : "?";
}

int main(void) {
  mems[0] = (struct mem){"a", 1, TRANSIENT};
  mems[1] = (struct mem){"b", 1, STATIC};
  mems[2] = (struct mem){"c", 1, release};
  mems[3] = (struct mem){"d", 1, (destructor)1};
  handlers[0] = SIG_IGN;
  handlers[1] = SIG_DFL;
  handlers[2] = SIG_ERR;
  struct cell *c = malloc(sizeof *c);
  c->next = (struct cell *)(intptr_t)-2;
  c->value = (void *)1;
  void (*local)(int) = SIG_IGN;
  void *page_tag = (void *)4095;
  union handler chosen = {.plain = SIG_IGN};
  void **words = malloc(4 * sizeof *words);
  words[0] = c;
  words[1] = (void *)-1;
  words[2] = &mems[1];
  words[3] = (void *)8;
  migrate_now();
  for (int i = 0; i < 4; i++)
    printf("mem %d: %s %s\n", i, name(mems[i].xDel), mems[i].xDel == (destructor)1 ? "one" : "");
  printf("handlers: %d %d %d local %d\n", handlers[0] == SIG_IGN, handlers[1] == SIG_DFL,
         handlers[2] == SIG_ERR, local == SIG_IGN);
  printf("failed %d end %d next %d value %d tag %d\n", failed == MAP_FAILED,
         end_mark == (char *)-1, c->next == (struct cell *)(intptr_t)-2, c->value == (void *)1,
         page_tag == (void *)4095);
  printf("union %d words %d %d %d %d\n", chosen.plain == SIG_IGN, words[0] == c,
         words[1] == (void *)-1, words[2] == &mems[1], words[3] == (void *)8);
  printf("signal: %d\n", signal(SIGUSR2, local) == SIG_DFL);
  return 0;
}
