/* A larger program: an LZ77 + Huffman compressor (hash chains, canonical codes,
 * a bit writer and reader) that compresses generated text block by block,
 * decompresses it and checks the round trip. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WINDOW = 1 << 15, HASH_BITS = 14, MIN_MATCH = 3, MAX_MATCH = 258, MAX_CHAIN = 24 };
enum { NLIT = 256 + 256 + 1, EOB = 512, NDIST = 16, MAX_BITS = 15, BLOCK = 1 << 16 };

struct token { uint16_t litlen; uint16_t dist; }; /* dist 0: a literal */

struct lz {
  int32_t head[1 << HASH_BITS];
  int32_t prev[WINDOW];
};

struct code { uint16_t bits; uint8_t len; };

struct huffman {
  struct code codes[NLIT];
  uint16_t count[MAX_BITS + 1];
  uint16_t symbols[NLIT];
};

struct bitwriter { uint8_t *out; size_t pos; uint64_t acc; int nbits; };
struct bitreader { const uint8_t *in; size_t pos, size; uint64_t acc; int nbits; };

static const char *const WORDS[] = {
    "the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he", "was", "for",
    "on", "are", "as", "with", "his", "they", "at", "be", "this", "have", "from", "or",
    "one", "had", "by", "word", "but", "not", "what", "all", "were", "we", "when",
    "your", "can", "said", "there", "use", "an", "each", "which", "she", "do", "how",
    "their", "if", "will", "up", "other", "about", "out", "many", "then", "them",
    "migration", "architecture", "compiler", "runtime", "pointer", "structure"};

static size_t make_text(uint8_t *buf, size_t n, uint32_t seed) {
  size_t pos = 0;
  const size_t nwords = sizeof WORDS / sizeof WORDS[0];
  while (pos + 16 < n) {
    seed = seed * 1664525u + 1013904223u;
    const char *w = WORDS[(seed >> 8) % nwords];
    size_t l = strlen(w);
    memcpy(buf + pos, w, l);
    pos += l;
    buf[pos++] = (seed >> 20) % 11 == 0 ? '\n' : ' ';
  }
  return pos;
}

static unsigned hash3(const uint8_t *p) {
  return ((unsigned)p[0] << 10 ^ (unsigned)p[1] << 5 ^ p[2]) & ((1u << HASH_BITS) - 1);
}

/* Greedy parse with hash chains; returns the number of tokens. */
static size_t lz_parse(struct lz *lz, const uint8_t *in, size_t n, struct token *out) {
  for (size_t i = 0; i < (1u << HASH_BITS); i++) lz->head[i] = -1;
  size_t ntok = 0, i = 0;
  while (i < n) {
    size_t best = 0, best_dist = 0;
    if (i + MIN_MATCH <= n) {
      unsigned h = hash3(in + i);
      int32_t cand = lz->head[h];
      for (int chain = 0; cand >= 0 && chain < MAX_CHAIN; chain++) {
        size_t dist = i - (size_t)cand;
        if (dist > WINDOW - 1) break;
        size_t len = 0, max = n - i < MAX_MATCH ? n - i : MAX_MATCH;
        while (len < max && in[cand + len] == in[i + len]) len++;
        if (len > best) { best = len; best_dist = dist; if (len == max) break; }
        cand = lz->prev[cand & (WINDOW - 1)];
      }
    }
    size_t step = best >= MIN_MATCH ? best : 1;
    if (best >= MIN_MATCH) {
      out[ntok].litlen = (uint16_t)(256 + best - MIN_MATCH);
      out[ntok].dist = (uint16_t)best_dist;
    } else {
      out[ntok].litlen = in[i];
      out[ntok].dist = 0;
    }
    ntok++;
    for (size_t k = 0; k < step; k++, i++)
      if (i + MIN_MATCH <= n) {
        unsigned h = hash3(in + i);
        lz->prev[i & (WINDOW - 1)] = lz->head[h];
        lz->head[h] = (int32_t)i;
      }
  }
  return ntok;
}

static unsigned dist_bucket(unsigned dist) { /* 1..32767 -> 0..15, extra bits = bucket */
  unsigned b = 0;
  while ((dist >> b) > 1) b++;
  return b;
}

/* Code lengths from frequencies (a Huffman tree by repeated minimum pairs),
 * flattened until none is longer than MAX_BITS. */
static void build_lengths(const uint32_t *freq, int n, uint8_t *len) {
  uint32_t f[2 * NLIT];
  int parent[2 * NLIT], alive[2 * NLIT];
  for (uint32_t shift = 0;; shift++) {
    int nodes = n, live = 0;
    for (int i = 0; i < n; i++) {
      f[i] = freq[i] ? (freq[i] >> shift) | 1 : 0;
      alive[i] = freq[i] != 0;
      live += alive[i];
      parent[i] = -1;
    }
    while (live > 1) {
      int a = -1, b = -1;
      for (int i = 0; i < nodes; i++) {
        if (!alive[i]) continue;
        if (a < 0 || f[i] < f[a]) { b = a; a = i; }
        else if (b < 0 || f[i] < f[b]) b = i;
      }
      f[nodes] = f[a] + f[b];
      alive[a] = alive[b] = 0;
      alive[nodes] = 1;
      parent[a] = parent[b] = nodes;
      parent[nodes] = -1;
      nodes++;
      live--;
    }
    int longest = 0;
    for (int i = 0; i < n; i++) {
      int d = 0;
      if (freq[i])
        for (int p = i; parent[p] >= 0; p = parent[p]) d++;
      len[i] = (uint8_t)(freq[i] && !d ? 1 : d);
      if (d > longest) longest = d;
    }
    if (longest <= MAX_BITS) return;
  }
}

/* Canonical codes from lengths, and the decoder's tables. */
static void assign_codes(struct huffman *h, const uint8_t *len, int n) {
  uint16_t next[MAX_BITS + 2], offset[MAX_BITS + 2];
  memset(h->count, 0, sizeof h->count);
  for (int i = 0; i < n; i++) h->count[len[i]]++;
  h->count[0] = 0;
  unsigned code = 0;
  offset[1] = 0;
  for (int b = 1; b <= MAX_BITS; b++) {
    code = (code + h->count[b - 1]) << 1;
    next[b] = (uint16_t)code;
    offset[b + 1] = (uint16_t)(offset[b] + h->count[b]);
  }
  for (int i = 0; i < n; i++) {
    h->codes[i].len = len[i];
    if (len[i]) {
      h->codes[i].bits = next[len[i]]++;
      h->symbols[offset[len[i]]++] = (uint16_t)i;
    }
  }
}

static void put_bits(struct bitwriter *w, unsigned bits, int n) {
  w->acc |= (uint64_t)bits << w->nbits;
  w->nbits += n;
  while (w->nbits >= 8) {
    w->out[w->pos++] = (uint8_t)w->acc;
    w->acc >>= 8;
    w->nbits -= 8;
  }
}

static void put_code(struct bitwriter *w, struct code c) { /* most significant bit first */
  unsigned rev = 0;
  for (int i = 0; i < c.len; i++) rev |= ((c.bits >> i) & 1u) << (c.len - 1 - i);
  put_bits(w, rev, c.len);
}

static unsigned get_bits(struct bitreader *r, int n) {
  while (r->nbits < n) {
    r->acc |= (uint64_t)(r->pos < r->size ? r->in[r->pos] : 0) << r->nbits;
    r->pos++;
    r->nbits += 8;
  }
  unsigned v = (unsigned)(r->acc & ((1u << n) - 1));
  r->acc >>= n;
  r->nbits -= n;
  return v;
}

static int get_symbol(struct bitreader *r, const struct huffman *h) {
  int code = 0, first = 0, index = 0;
  for (int len = 1; len <= MAX_BITS; len++) {
    code |= (int)get_bits(r, 1);
    int count = h->count[len];
    if (code - first < count) return h->symbols[index + code - first];
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  return -1;
}

static size_t compress(struct lz *lz, const uint8_t *in, size_t n, uint8_t *out,
                       struct token *tokens) {
  size_t ntok = lz_parse(lz, in, n, tokens);
  uint32_t lfreq[NLIT] = {0}, dfreq[NDIST] = {0};
  for (size_t i = 0; i < ntok; i++) {
    lfreq[tokens[i].litlen]++;
    if (tokens[i].dist) dfreq[dist_bucket(tokens[i].dist)]++;
  }
  lfreq[EOB]++;
  uint8_t llen[NLIT], dlen[NDIST];
  build_lengths(lfreq, NLIT, llen);
  build_lengths(dfreq, NDIST, dlen);
  struct huffman lh, dh;
  assign_codes(&lh, llen, NLIT);
  assign_codes(&dh, dlen, NDIST);
  struct bitwriter w = {out, 0, 0, 0};
  for (int i = 0; i < NLIT; i++) put_bits(&w, llen[i], 4);
  for (int i = 0; i < NDIST; i++) put_bits(&w, dlen[i], 4);
  for (size_t i = 0; i < ntok; i++) {
    put_code(&w, lh.codes[tokens[i].litlen]);
    if (tokens[i].dist) {
      unsigned b = dist_bucket(tokens[i].dist);
      put_code(&w, dh.codes[b]);
      put_bits(&w, tokens[i].dist - (1u << b), (int)b);
    }
  }
  put_code(&w, lh.codes[EOB]);
  put_bits(&w, 0, 7);
  return w.pos;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out) {
  struct bitreader r = {in, 0, n, 0, 0};
  uint8_t llen[NLIT], dlen[NDIST];
  for (int i = 0; i < NLIT; i++) llen[i] = (uint8_t)get_bits(&r, 4);
  for (int i = 0; i < NDIST; i++) dlen[i] = (uint8_t)get_bits(&r, 4);
  struct huffman lh, dh;
  assign_codes(&lh, llen, NLIT);
  assign_codes(&dh, dlen, NDIST);
  size_t pos = 0;
  for (;;) {
    int sym = get_symbol(&r, &lh);
    if (sym < 0) return (size_t)-1;
    if (sym == EOB) return pos;
    if (sym < 256) {
      out[pos++] = (uint8_t)sym;
      continue;
    }
    size_t len = (size_t)sym - 256 + MIN_MATCH;
    int b = get_symbol(&r, &dh);
    if (b < 0) return (size_t)-1;
    size_t dist = (1u << b) + get_bits(&r, b);
    for (size_t k = 0; k < len; k++, pos++) out[pos] = out[pos - dist];
  }
}

int main(void) {
  const size_t total = 3 << 20;
  uint8_t *text = malloc(total);
  size_t n = make_text(text, total, 12345);
  struct lz *lz = malloc(sizeof *lz);
  struct token *tokens = malloc(BLOCK * sizeof *tokens);
  uint8_t *packed = malloc(2 * BLOCK + 1024), *unpacked = malloc(BLOCK);
  size_t in_bytes = 0, out_bytes = 0;
  uint32_t check = 0;
  for (size_t at = 0; at < n; at += BLOCK) {
    size_t len = n - at < BLOCK ? n - at : BLOCK;
    size_t c = compress(lz, text + at, len, packed, tokens);
    size_t d = decompress(packed, c, unpacked);
    if (d != len || memcmp(unpacked, text + at, len) != 0) {
      printf("round trip failed at %zu\n", at);
      return 1;
    }
    for (size_t i = 0; i < c; i++) check = check * 31 + packed[i];
    in_bytes += len;
    out_bytes += c;
  }
  printf("%zu -> %zu bytes, check %08x\n", in_bytes, out_bytes, check);
  free(text);
  free(lz);
  free(tokens);
  free(packed);
  free(unpacked);
  return 0;
}
