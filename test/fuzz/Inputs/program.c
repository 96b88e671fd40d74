// program.c — the program whose build the image fuzzer restores images into, and
// whose runs make the seed images: globals, a list whose nodes hold function
// pointers and strings, a tagged union, a bump allocator's pieces of several
// types in one block, a flexible array, pointers into the stack and to freed
// memory, a recursion, the C library's state, bit-fields, a table of pointers
// behind a void *, a pointer one element before a block, a stream, a pointer
// hash, a struct and its text. HM_MIGRATE_AT picks the point.
#include <hm/migrate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
  int value;
  int (*op)(int);
  struct node *next;
  char *label;
};

enum kind { K_INT, K_TEXT, K_NODE };
struct value {
  enum kind kind;
  union {
    long i;
    char *text;
    struct node *node;
  } u;
};

struct samples {
  unsigned n;
  double data[];
};

struct piece {
  short tag;
  char name[6];
  struct piece *next;
};

struct name { // a struct and its text, no sizeof a site reads (mawk's STRING)
  struct name *next;
  size_t len;
  char str[3];
};

static int add1(int x) { return x + 1; }
static int twice(int x) { return 2 * x; }
static int negate(int x) { return -x; }
static int (*const kOps[])(int) = {add1, twice, negate};

struct node *head;
struct value values[4];
const char *greeting = "hello, image";
char text[32] = "abc";
struct samples *samples;
struct name *names;
char *name_cursor;
long long counter = 1LL << 40;
float ratio = 0.75f;
long double precise = 1.0L / 3;
FILE *out;
int *dangling;
unsigned short shorts[5] = {1, 2, 3, 4, 5};
struct flags {
  unsigned ready : 1;
  unsigned level : 5;
  int delta : 7;
} flags = {1, 17, -9};
void **table;       // a table of pointers behind a void *
int *stack_base;    // a stack whose empty state points one element before it
int *stack_top;
FILE *self;         // a stream on the program's own file
unsigned long hash; // a pointer hashed: its number survives a move

static unsigned char *pool;
static size_t used;

// Pieces of one block, handed out in order (a real program's arena).
static void *bump(size_t n) {
  void *p = pool + used;
  used += (n + 7) & ~(size_t)7;
  return p;
}

static int walk(const struct node *n, int depth, char *scratch) {
  if (!n) {
    scratch[depth] = '.';
    migrate_now(); // point 2: a recursion five calls deep
    return 0;
  }
  scratch[depth] = n->label[0];
  return n->op(n->value) + walk(n->next, depth + 1, scratch);
}

int main(int argc, char **argv) {
  out = stdout;
  pool = malloc(4096);
  for (int i = 0; i < 5; ++i) {
    struct node *n = malloc(sizeof *n);
    n->value = 10 * i + 3;
    n->op = kOps[i % 3];
    n->next = head;
    char name[16];
    snprintf(name, sizeof name, "node%d", i);
    n->label = strdup(name);
    head = n;
  }
  values[0].kind = K_INT;
  values[0].u.i = -42;
  values[1].kind = K_TEXT;
  values[1].u.text = text;
  values[2].kind = K_NODE;
  values[2].u.node = head->next;
  values[3].kind = K_TEXT;
  values[3].u.text = (char *)greeting + 7;
  samples = malloc(sizeof *samples + 6 * sizeof(double));
  samples->n = 6;
  for (unsigned i = 0; i < samples->n; ++i)
    samples->data[i] = i * 1.5;
  struct piece *first = bump(sizeof(struct piece));
  first->tag = 1;
  strcpy(first->name, "one");
  struct value *middle = bump(sizeof(struct value));
  middle->kind = K_NODE;
  middle->u.node = head;
  struct piece *second = bump(sizeof(struct piece));
  second->tag = 2;
  strcpy(second->name, "two");
  second->next = first;
  first->next = NULL;
  names = malloc(strlen(greeting) + sizeof(struct name) - 2);
  names->next = NULL;
  names->len = strlen(greeting);
  strcpy(names->str, greeting);
  name_cursor = names->str + 7; // in its text: in the padding on 64-bit targets, past it on armhf
  dangling = malloc(1000); // a size of its own: a block of its size class would take the address
  free(dangling);
  table = malloc(6 * sizeof(void *));
  for (int i = 0; i < 6; ++i)
    table[i] = i % 2 ? (void *)head : (void *)samples;
  stack_base = malloc(8 * sizeof(int));
  stack_top = stack_base - 1; // empty
  *++stack_top = 5;
  *++stack_top = 8;
  self = fopen(argv[0], "rb");
  if (self)
    fseek(self, 16, SEEK_SET);
  hash = (unsigned)(uintptr_t)head % 9973; // its low 32 bits: the same on every target
  srand(11);
  (void)rand();
  char scratch[16] = {0};
  char *cursor = scratch + 3;
  migrate_now(); // point 1
  int sum = walk(head, 0, scratch);
  *cursor = '!';
  migrate_now(); // point 3
  fprintf(out, "%s %s %d %lld %.2f %.6Lf %d %s\n", greeting, text, sum, counter, ratio,
          precise, rand() % 1000, scratch);
  for (const struct node *n = head; n; n = n->next)
    fprintf(out, "%s=%d ", n->label, n->op(n->value));
  fprintf(out, "%u %u %d %d %d %ld %d\n", flags.ready, flags.level, flags.delta,
          ((struct node *)table[1])->value, (int)(stack_top - stack_base), self ? ftell(self) : -1L,
          (unsigned long)((unsigned)(uintptr_t)head % 9973) == hash);
  fprintf(out, "\n%ld %s %s %d %s %s %d %u %g %d %s\n", values[0].u.i, values[1].u.text,
          values[2].u.node->label, values[3].kind, values[3].u.text, second->name,
          second->next->tag, samples->n, samples->data[5], middle->u.node->value,
          argc > 1 ? argv[1] : "-");
  fprintf(out, "%zu %s %s\n", names->len, names->str, name_cursor);
  return 0;
}
