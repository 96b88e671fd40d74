// The other unit of e2e/tentative-definitions.c.
int counter;
int table[8];

void bump(int k) {
  counter += 10 * k;
  for (int i = 0; i < 8; ++i)
    table[i] = table[i] * 3 + k + i;
}

long total(void) {
  long s = 0;
  for (int i = 0; i < 8; ++i)
    s = s * 7 + table[i];
  return s;
}
