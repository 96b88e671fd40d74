/* Arbitrary-precision arithmetic (the shape of bc's numbers): every result is a
 * freshly allocated digit array and its operands are freed, so the program
 * allocates and frees all the time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { int len; unsigned char *digit; } number; /* base 100, little-endian */

static number *make(int len) {
  number *n = malloc(sizeof *n);
  n->len = len;
  n->digit = calloc((size_t)len > 0 ? (size_t)len : 1, 1);
  return n;
}

static void drop(number *n) {
  free(n->digit);
  free(n);
}

static number *trim(number *n) {
  while (n->len > 1 && n->digit[n->len - 1] == 0) n->len--;
  return n;
}

static number *from_int(long v) {
  number *n = make(10);
  for (int i = 0; i < 10; i++, v /= 100) n->digit[i] = (unsigned char)(v % 100);
  return trim(n);
}

static number *add(const number *a, const number *b) {
  int len = (a->len > b->len ? a->len : b->len) + 1;
  number *r = make(len);
  int carry = 0;
  for (int i = 0; i < len; i++) {
    int s = carry + (i < a->len ? a->digit[i] : 0) + (i < b->len ? b->digit[i] : 0);
    r->digit[i] = (unsigned char)(s % 100);
    carry = s / 100;
  }
  return trim(r);
}

static number *mul(const number *a, const number *b) {
  number *r = make(a->len + b->len);
  for (int i = 0; i < a->len; i++) {
    int carry = 0;
    for (int j = 0; j < b->len; j++) {
      int s = r->digit[i + j] + a->digit[i] * b->digit[j] + carry;
      r->digit[i + j] = (unsigned char)(s % 100);
      carry = s / 100;
    }
    for (int k = i + b->len; carry; k++) {
      int s = r->digit[k] + carry;
      r->digit[k] = (unsigned char)(s % 100);
      carry = s / 100;
    }
  }
  return trim(r);
}

static unsigned long digit_sum(const number *n) {
  unsigned long s = 0;
  for (int i = 0; i < n->len; i++) s += n->digit[i] / 10 + n->digit[i] % 10;
  return s;
}

int main(void) {
  unsigned long check = 0;
  for (int round = 0; round < 100; round++) {
    number *f = from_int(1);
    for (int k = 2; k <= 120 + round; k++) {
      number *kk = from_int(k), *next = mul(f, kk);
      drop(f);
      drop(kk);
      f = next;
    }
    number *a = from_int(0), *b = from_int(1);
    for (int k = 0; k < 1500; k++) {
      number *c = add(a, b);
      drop(a);
      a = b;
      b = c;
    }
    check += digit_sum(f) + digit_sum(b);
    drop(f);
    drop(a);
    drop(b);
  }
  printf("digit sums %lu\n", check);
  return 0;
}
