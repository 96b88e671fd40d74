// Stores into char memory and added call arguments inside text that call-sites
// moves out of a call that may migrate. A wrapped store starting or ending an
// argument, a branch, an operand or a loop header (`hop(((int *)p)[i]++)`,
// `hop(++*(int *)p)`) lost its wrap's open or doubled its close and broke the
// build; the argument memcpy gains (", &site") was taken by a logical last
// argument (`memcpy(d, &n, a && zero())` copied 1 byte for 0, exit 0, even
// unmigrated). Wraps that close on one token nest: a placement inside a
// wrapped store (`*(struct hdr *)p = h`), an allocation's wrap inside one
// (`*(double *)realloc(q, n) = 1.5`), two stores (`*(int *)++*(char **)cur`,
// whose sites were swapped; an index written first, `i[(int *)p]` with i
// renamed, `hop(i[(int *)p] = 2)`, `hop(1)[(int *)q] = 4`; a placement through `++*(char **)cur` is not
// made). Allocation wraps around calls that stay, in an argument call-sites
// moves (`push((struct node *)fresh(sizeof(struct node)))`).
// Across byte orders the typed bytes in char memory are refused at the point.
// RUN: %migrate-matrix --points all --targets x86_64-linux-gnu,aarch64-linux-gnu,arm-linux-gnueabihf %s | FileCheck %s
// CHECK: 6 pairs x 28 points: 168 of 168 migrations match the unmigrated run
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x
// RUN: env HM_MIGRATE_TO=%t/s.img HM_MIGRATE_FOR=s390x-linux-gnu %t/x > %t/s.txt 2> %t/s.err
// RUN: test ! -e %t/s.img
// RUN: FileCheck --check-prefix=REFUSED %s < %t/s.err
// REFUSED: migration failed: a heap block of 64 bytes holds at byte 4 the bytes of a value of type int copied there {{.*}}: its bytes are right only where the byte order is x86_64-linux-gnu's
// RUN: FileCheck --check-prefix=OUT %s < %t/s.txt
// OUT: 7 17 8 16909091 abcd 5
// OUT-NEXT: 3 7 19 21 4
// OUT-NEXT: 3 2.5 1.5 7 1
// OUT-NEXT: 1 40 3
// OUT-NOT: {{.}}
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#pragma clang diagnostic ignored "-Wmemsize-comparison"

static int calls;
static int hop(int v) { migrate_now(); calls++; return v; }
static int zero(void) { migrate_now(); return 0; }
static char *nxt(char *p) { migrate_now(); return p + 4; }
static char *reserve(char *p) { migrate_now(); return p + 32; }
static int sum(const char *p, int n) { int s = 0; for (int i = 0; i < n; i++) s += ((const int *)p)[i]; return s; }

static void starts(void) {
  char *p = malloc(64);
  memset(p, 0, 64);
  int i = 1, n = 0x01020304, a = 1, x = 0;
  int r = hop(((int *)p)[i]++);                 /* wrapped store starts an argument */
  r += hop(*(int *)(p + 8) = 7);                /* assignment to a wrapped lvalue as argument */
  memcpy(p + 12, &n, a && zero());              /* logical last argument */
  memcpy(p + 16, &n, a ? hop(4) : 2);           /* conditional last argument */
  x = (((int *)p)[5] = 9, hop(3));              /* wrapped store left of a comma */
  x += a ? (*(int *)(p + 24) = hop(11)) : 0;    /* store in a conditional branch */
  for (((int *)p)[7] = 0; ((int *)p)[7] < 3; ((int *)p)[7]++) x += hop(1);
  char *t = strndup("abcdef", a && zero() ? 2 : 4);
  int *q = malloc(a && zero() ? 4 : 8);
  q[1] = 5;
  printf("%d %d %d %d %s %d\n", r, x, calls, sum(p, 16), t, q[1]);
  free(q);
  free(t);
  free(p);
}

static void ends(void) {
  char *p = malloc(64);
  memset(p, 0, 64);
  int a = 1, x = 0, r = 0;
  r = hop(++*(int *)p);                         /* wrapped store ends an argument */
  x = a ? hop(1) : ++*(int *)p;                 /* ends a conditional's branch */
  x += (hop(2), ++*(int *)nxt(p));              /* ends a comma's right operand, after a call */
  x += a && ++*(int *)nxt(p);                   /* ends a logical's right operand */
  for (((int *)p)[2] = 3; --*(int *)(p + 8); ) x += hop(1);  /* loop condition */
  for (++*(int *)(p + 12); ((int *)p)[3] < 3; ++*(int *)(p + 12)) x += hop(1);
  *(int *)reserve(p) = hop(7);                  /* a call that may migrate ends the lvalue */
  int i = 4;
  { int i = 5; i[(int *)p] += hop(1); }         /* index first, renamed */
  { int i = 6; r += hop(i[(int *)p] = 2); }    /* index first, starting an argument */
  hop(1)[(int *)(p + 40)] = 4;                  /* index first, a call that may migrate */
  (*(int *)(p + 24))++;
  printf("%d %d %d %d %d\n", r, x, calls, sum(p, 16), i);
  free(p);
}

struct hdr { int kind; double w; struct hdr *next; };
static char pool[256];
static size_t used;
static void *arena(size_t n) { void *p = pool + used; used += (n + 15) & ~(size_t)15; return p; }
static void put(void *p, struct hdr h) { *(struct hdr *)p = h; }
static char *take(size_t n) { migrate_now(); return malloc(n + 8); }

static void nested(void) {
  struct hdr h = { 3, 2.5, 0 };
  void *raw = malloc(sizeof(struct hdr));
  put(raw, h);
  *(struct hdr *)arena(sizeof(struct hdr)) = h;
  double *q = malloc(sizeof(double));
  q = realloc(q, sizeof(double) * 2);
  *(double *)realloc(q, sizeof(double) * 2) = 1.5;
  char *buf = malloc(64);
  memset(buf, 0, 64);
  char *start = buf;
  void *cur = &buf;
  *(int *)++*(char **)cur = 7;
  char *p = take(sizeof(*(int *)p = 0));
  printf("%d %g %g %d %d\n", ((struct hdr *)raw)->kind, ((struct hdr *)pool)->w, *q, *(int *)(start + 1), p != 0);
  free(p);
  free(start);
  free(q);
  free(raw);
}

struct node { long v; struct node *next; };
static struct node *head;
static void push(struct node *n) { migrate_now(); n->v = 40; n->next = head; head = n; }
static void *fresh(size_t n) { return malloc(n); }

static void settled(void) {
  double *q = malloc(sizeof(double));
  int r = hop(realloc(q, 2 * sizeof(double)) != 0);
  push((struct node *)fresh(sizeof(struct node)));
  char *buf = malloc(64);
  memset(buf, 0, 64);
  char *start = buf;
  void *cur = &buf;
  ((struct hdr *)++*(char **)cur)->kind = 3;
  printf("%d %ld %d\n", r, head->v, ((struct hdr *)(start + 1))->kind);
  free(start);
}

int main(void) {
  starts();
  ends();
  nested();
  settled();
  return 0;
}
