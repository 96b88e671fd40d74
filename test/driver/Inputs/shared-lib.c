// A shared library built with hmcc: its units register with the executable's runtime.
#include <hm/migrate.h>
#include <stdlib.h>
static int counter;
// |step|, when given, is the executable's, called back from here.
int *lib_work(int n, int (*step)(int)) {
  int *v = malloc(n * sizeof *v);
  for (int i = 0; i < n; ++i) {
    v[i] = i * i + counter++;
    if (step)
      v[i] += step(i);
    else if (i == n / 2)
      migrate_now();
  }
  return v;
}
