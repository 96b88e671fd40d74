/* String processing: tokenising, hashing and copying with char * cursors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static unsigned hash(const char *s) {
  unsigned h = 5381;
  while (*s) h = h * 33 + (unsigned char)*s++;
  return h;
}
int main(void) {
  static const char *words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"};
  size_t cap = 1 << 20;
  char *text = malloc(cap);
  size_t n = 0;
  for (int i = 0; n + 16 < cap; i++) {
    const char *w = words[(i * 7) % 6];
    size_t l = strlen(w);
    memcpy(text + n, w, l);
    n += l;
    text[n++] = ' ';
  }
  text[n] = 0;
  unsigned total = 0;
  long count = 0;
  for (int r = 0; r < 20; r++) {
    char word[32];
    for (const char *p = text; *p;) {
      int k = 0;
      while (*p && *p != ' ' && k < 31) word[k++] = *p++;
      word[k] = 0;
      while (*p == ' ') p++;
      total += hash(word);
      count++;
    }
  }
  printf("%u %ld\n", total, count);
  free(text);
  return 0;
}
