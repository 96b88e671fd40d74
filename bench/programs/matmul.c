/* Dense array loops. */
#include <stdio.h>
#define N 300
static double a[N][N], b[N][N], c[N][N];
int main(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = (i * 7 + j) % 13 / 7.0;
      b[i][j] = (i + j * 3) % 11 / 5.0;
    }
  for (int i = 0; i < N; i++)
    for (int k = 0; k < N; k++) {
      double aik = a[i][k];
      for (int j = 0; j < N; j++)
        c[i][j] += aik * b[k][j];
    }
  double s = 0;
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++)
      s += c[i][j];
  printf("%.6f\n", s);
  return 0;
}
