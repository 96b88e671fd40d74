// A restore enters every loop through its preheader and header: variables
// declared outside a loop come back before it, its counter with the range a
// counting loop guarantees (up, down, by two, <=, an assignment as the
// initialisation), and inside it only what it declares. Loops that are not
// counting loops (the counter changed in the body, a case label inside, as in
// Duff's device) and a pointer declared outside a loop that points to an array
// declared inside it (loaded after that array is bound) come back too.
// Migrated at a sample of points covering every loop, across all 12 pairs.
// RUN: %migrate-matrix --points 1,4,8,10,13,16,19,21,23,25,27,29 %s | FileCheck %s
// CHECK: loop-restores: 12 pairs x 12 points: 144 of 144 migrations match
#include <hm/migrate.h>
#include <stdio.h>

static int calls;

int f(int x) {
  migrate_now();
  ++calls;
  return x;
}

long counting(void) {
  long s = 0;
  for (int i = 0; i < 3; i++)
    for (int j = 2; j >= 0; j--)
      s = s * 3 + f(i * j + i);
  for (unsigned u = 0; u != 8; u += 2)
    s += f((int)u) % 5;
  int k;
  for (k = 1; k <= 5; ++k)
    s = s * 7 + f(k) - k;
  return s + k;
}

long not_counting(int n) {
  long s = 0;
  int i;
  for (i = 0; i < 6; i++) {
    if (f(i) & 1)
      i++;
    s = s * 5 + i;
  }
  i = 0;
  switch (n) {
  case 0:
    for (i = 0; i < 4; i++) {
    case 1:
      s += f(n + i);
    }
  }
  return s;
}

long cursor(const char *text) {
  char keep[8] = {0};
  const char *p = text;
  long h = 0;
  for (int r = 0; r < 3; r++) {
    char word[8];
    word[0] = text[r];
    word[1] = (char)('a' + r);
    p = word;
    f(p[0] + p[1]);
    keep[r] = (char)(p[0] ^ p[1]);
    h = h * 31 + keep[r];
  }
  return h;
}

int main(void) {
  long a = counting();
  long b = not_counting(1);
  long c = cursor("xyz");
  printf("%ld %ld %ld %d\n", a, b, c, calls);
  return 0;
}
