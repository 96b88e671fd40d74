// A program with no migrate_now() at all, shaped like a compressor (an LZ77
// matcher with hash chains of pointers into its window, a token list on the heap,
// symbol counts, a rolling checksum), moves on request at random times of its run,
// between every pair of architectures: each request either migrates and the two
// halves give the unmigrated output, or comes after the last poll point.
// RUN: %migrate-matrix --points none --requests 24 --args 150 %s | FileCheck %s
// CHECK: random-requests: 24 requests at random times: {{[1-9][0-9]*}} migrated and match
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WINDOW = 1 << 15, HASH = 1 << 12, MIN_MATCH = 3, MAX_MATCH = 64, CHAIN = 24 };

struct token {
  struct token *next;
  unsigned short length, distance; // distance 0: a literal
  unsigned char literal;
};

struct matcher {
  unsigned char *window;   // the input block
  unsigned char **head;    // per hash: the latest position with it
  unsigned char **prev;    // per position: the one before with the same hash
  size_t size;
};

static unsigned long counts[256 + MAX_MATCH + 1];
static unsigned long long checksum = 1;

static unsigned hash3(const unsigned char *p) {
  return ((p[0] << 8) ^ (p[1] << 4) ^ p[2]) & (HASH - 1);
}

static void fill(unsigned char *buf, size_t n, unsigned seed) {
  static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ",
                                "over ", "lazy ", "dog ", "and ", "runs\n"};
  srand(seed);
  size_t i = 0;
  while (i < n) {
    const char *w = words[rand() % 10];
    while (*w && i < n)
      buf[i++] = (unsigned char)*w++;
    if (rand() % 7 == 0 && i < n)
      buf[i++] = (unsigned char)('a' + rand() % 26);
  }
}

static struct token *compress(struct matcher *m) {
  struct token *first = NULL, **tail = &first;
  for (size_t h = 0; h < HASH; ++h)
    m->head[h] = NULL;
  size_t i = 0;
  while (i < m->size) {
    unsigned char *here = m->window + i;
    size_t best = 0, dist = 0;
    if (i + MIN_MATCH <= m->size) {
      unsigned h = hash3(here);
      unsigned char *cand = m->head[h];
      for (int c = 0; cand && c < CHAIN; ++c, cand = m->prev[cand - m->window]) {
        size_t len = 0;
        while (len < MAX_MATCH && i + len < m->size && cand[len] == here[len])
          ++len;
        if (len > best) {
          best = len;
          dist = (size_t)(here - cand);
        }
      }
      m->prev[i] = m->head[h];
      m->head[h] = here;
    }
    struct token *t = malloc(sizeof *t);
    t->next = NULL;
    if (best >= MIN_MATCH) {
      t->length = (unsigned short)best;
      t->distance = (unsigned short)dist;
      t->literal = 0;
      counts[256 + best]++;
      for (size_t k = 1; k < best; ++k)
        if (i + k + MIN_MATCH <= m->size) {
          unsigned h = hash3(here + k);
          m->prev[i + k] = m->head[h];
          m->head[h] = here + k;
        }
      i += best;
    } else {
      t->length = 1;
      t->distance = 0;
      t->literal = *here;
      counts[*here]++;
      i += 1;
    }
    *tail = t;
    tail = &t->next;
  }
  return first;
}

static size_t consume(struct token *t) {
  size_t n = 0;
  while (t) {
    struct token *next = t->next;
    checksum = (checksum * 31 + t->length * 7u + t->distance + t->literal) % 1000000007UL;
    free(t);
    t = next;
    ++n;
  }
  return n;
}

int main(int argc, char **argv) {
  int blocks = argc > 1 ? atoi(argv[1]) : 4;
  printf("start\n");
  fflush(stdout);
  struct matcher m;
  m.size = WINDOW;
  m.window = malloc(WINDOW);
  m.head = malloc(HASH * sizeof *m.head);
  m.prev = malloc(WINDOW * sizeof *m.prev);
  for (int b = 0; b < blocks; ++b) {
    fill(m.window, m.size, 1000u + (unsigned)b);
    struct token *tokens = compress(&m);
    size_t n = consume(tokens);
    printf("block %d: %zu tokens, checksum %llu\n", b, n, checksum);
  }
  unsigned long literals = 0, matches = 0;
  for (int s = 0; s < 256; ++s)
    literals += counts[s];
  for (int s = 256; s <= 256 + MAX_MATCH; ++s)
    matches += counts[s];
  printf("%lu literals, %lu matches\n", literals, matches);
  free(m.prev);
  free(m.head);
  free(m.window);
  return 0;
}
