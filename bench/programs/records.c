/* Typed values copied into byte buffers, the way serializers and codecs write
 * them: a record encoder (memcpy of each field in order, mixed types, as a
 * protocol or database page writer), a bit writer that stores 64 bits and
 * advances by the whole bytes it filled (zstd's and lz4's MEM_write64), and a
 * slot store that writes values at hashed offsets of one arena. Each buffer is
 * decoded again and checked. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RECORDS = 20000, ROUNDS = 6, SLOTS = 1 << 12, PUTS = 200000 };

struct record {
  double price;
  int32_t qty;
  int16_t kind;
  uint64_t id;
  float weight;
};

static size_t encode(unsigned char *out, const struct record *r) {
  unsigned char *p = out;
  memcpy(p, &r->id, sizeof r->id);
  p += sizeof r->id;
  memcpy(p, &r->price, sizeof r->price);
  p += sizeof r->price;
  memcpy(p, &r->qty, sizeof r->qty);
  p += sizeof r->qty;
  memcpy(p, &r->kind, sizeof r->kind);
  p += sizeof r->kind;
  memcpy(p, &r->weight, sizeof r->weight);
  p += sizeof r->weight;
  return (size_t)(p - out);
}

static size_t decode(const unsigned char *in, struct record *r) {
  const unsigned char *p = in;
  memcpy(&r->id, p, sizeof r->id);
  p += sizeof r->id;
  memcpy(&r->price, p, sizeof r->price);
  p += sizeof r->price;
  memcpy(&r->qty, p, sizeof r->qty);
  p += sizeof r->qty;
  memcpy(&r->kind, p, sizeof r->kind);
  p += sizeof r->kind;
  memcpy(&r->weight, p, sizeof r->weight);
  p += sizeof r->weight;
  return (size_t)(p - in);
}

struct bitstream { unsigned char *ptr; uint64_t container; unsigned bits; };

static void add_bits(struct bitstream *s, uint64_t value, unsigned n) {
  s->container |= (value & ((1ull << n) - 1)) << s->bits;
  s->bits += n;
}

static void flush_bits(struct bitstream *s) { /* the whole bytes filled */
  const unsigned bytes = s->bits >> 3;
  memcpy(s->ptr, &s->container, sizeof s->container);
  s->ptr += bytes;
  s->bits &= 7;
  s->container = bytes == 8 ? 0 : s->container >> (bytes * 8);
}

static uint64_t read_bits(const unsigned char *in, uint64_t at, unsigned n) {
  uint64_t word;
  memcpy(&word, in + (at >> 3), sizeof word);
  return (word >> (at & 7)) & ((1ull << n) - 1);
}

static uint32_t next(uint32_t *seed) {
  *seed = *seed * 1103515245u + 12345u;
  return *seed >> 8;
}

int main(void) {
  struct record *recs = malloc(RECORDS * sizeof *recs);
  unsigned char *buf = malloc(RECORDS * 32);
  unsigned char *bits = malloc(RECORDS * 16 + 16);
  unsigned *widths = malloc(RECORDS * sizeof *widths);
  static unsigned char arena[SLOTS * 8];
  uint32_t seed = 7;
  uint64_t check = 0;
  for (int round = 0; round < ROUNDS; round++) {
    for (int i = 0; i < RECORDS; i++) {
      recs[i].id = ((uint64_t)next(&seed) << 20) ^ (uint64_t)i;
      recs[i].price = (double)(next(&seed) % 100000) / 100.0;
      recs[i].qty = (int32_t)(next(&seed) % 5000) - 100;
      recs[i].kind = (int16_t)(next(&seed) % 300);
      recs[i].weight = (float)(next(&seed) % 1000) / 8.0f;
    }
    size_t len = 0;
    for (int i = 0; i < RECORDS; i++)
      len += encode(buf + len, &recs[i]);
    size_t at = 0;
    for (int i = 0; i < RECORDS; i++) {
      struct record r;
      at += decode(buf + at, &r);
      if (r.id != recs[i].id || r.price != recs[i].price || r.qty != recs[i].qty)
        return 1;
      check += r.id % 1000 + (uint64_t)r.kind + (uint64_t)(r.weight * 8.0f);
    }
    struct bitstream s = {bits, 0, 0};
    for (int i = 0; i < RECORDS; i++) {
      widths[i] = 5 + next(&seed) % 27;
      add_bits(&s, (uint64_t)recs[i].qty + 100, widths[i]);
      flush_bits(&s);
    }
    memcpy(s.ptr, &s.container, sizeof s.container);
    uint64_t pos = 0;
    for (int i = 0; i < RECORDS; i++) {
      if (read_bits(bits, pos, widths[i]) != (uint64_t)((recs[i].qty + 100) & ((1 << widths[i]) - 1)))
        return 2;
      pos += widths[i];
    }
    for (int i = 0; i < PUTS / ROUNDS; i++) {
      const uint64_t v = recs[i % RECORDS].id;
      memcpy(arena + (next(&seed) % SLOTS) * 8, &v, sizeof v);
    }
    for (int i = 0; i < SLOTS; i++) {
      uint64_t v;
      memcpy(&v, arena + i * 8, sizeof v);
      check += v & 0xffff;
    }
    check += len + pos;
  }
  printf("records: checksum %llu\n", (unsigned long long)check);
  free(recs);
  free(buf);
  free(bits);
  free(widths);
  return 0;
}
