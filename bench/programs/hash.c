/* Symbol tables: words counted in a chained string hash table (as a compiler's
 * or a word counter's), and a set of objects keyed by their address (as a
 * garbage collector's or a memoiser's). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry { char *word; long count; struct entry *next; };
struct table { struct entry **slots; unsigned size, used; };

static unsigned hash_string(const char *s) {
  unsigned h = 2166136261u;
  while (*s) h = (h ^ (unsigned char)*s++) * 16777619u;
  return h;
}

static void grow(struct table *t) {
  unsigned size = t->size * 2;
  struct entry **slots = calloc(size, sizeof *slots);
  for (unsigned i = 0; i < t->size; i++)
    for (struct entry *e = t->slots[i], *next; e; e = next) {
      next = e->next;
      unsigned h = hash_string(e->word) & (size - 1);
      e->next = slots[h];
      slots[h] = e;
    }
  free(t->slots);
  t->slots = slots;
  t->size = size;
}

static struct entry *lookup(struct table *t, const char *word, int create) {
  unsigned h = hash_string(word) & (t->size - 1);
  for (struct entry *e = t->slots[h]; e; e = e->next)
    if (strcmp(e->word, word) == 0) return e;
  if (!create) return NULL;
  struct entry *e = malloc(sizeof *e);
  e->word = strdup(word);
  e->count = 0;
  e->next = t->slots[h];
  t->slots[h] = e;
  if (++t->used > t->size) grow(t);
  return e;
}

struct object { int id; struct object *link; };
struct set { struct object **slots; unsigned size; };

static unsigned hash_pointer(const void *p) {
  uintptr_t x = (uintptr_t)p;
  return (unsigned)((x >> 4) ^ (x >> 13));
}

static int set_add(struct set *s, struct object *o) {
  unsigned i = hash_pointer(o) & (s->size - 1);
  while (s->slots[i]) {
    if (s->slots[i] == o) return 0;
    i = (i + 1) & (s->size - 1);
  }
  s->slots[i] = o;
  return 1;
}

int main(void) {
  struct table t = { calloc(64, sizeof(struct entry *)), 64, 0 };
  unsigned long x = 7;
  char word[16];
  for (int i = 0; i < 300000; i++) {
    x = x * 6364136223846793005UL + 1442695040888963407UL;
    int len = 2 + (int)((x >> 60) & 7);
    unsigned long y = x >> 20;
    for (int k = 0; k < len; k++, y /= 5) word[k] = (char)('a' + y % 5);
    word[len] = 0;
    lookup(&t, word, 1)->count++;
  }
  long found = 0;
  for (int i = 0; i < 200000; i++) {
    x = x * 6364136223846793005UL + 1442695040888963407UL;
    int len = 2 + (int)((x >> 60) & 7);
    unsigned long y = x >> 20;
    for (int k = 0; k < len; k++, y /= 5) word[k] = (char)('a' + y % 5);
    word[len] = 0;
    struct entry *e = lookup(&t, word, 0);
    if (e) found += e->count;
  }
  enum { N = 100000 };
  struct object **objects = malloc(N * sizeof *objects);
  for (int i = 0; i < N; i++) {
    objects[i] = malloc(sizeof **objects);
    objects[i]->id = i;
    objects[i]->link = i ? objects[i - 1] : NULL;
  }
  struct set s = { calloc(1 << 18, sizeof(struct object *)), 1 << 18 };
  long added = 0;
  for (int round = 0; round < 4; round++)
    for (int i = 0; i < N; i++) added += set_add(&s, objects[(i * 7919 + round) % N]);
  printf("%u words, %ld found, %ld objects in the set\n", t.used, found, added);
  return 0;
}
