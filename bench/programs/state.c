/* A program whose state is an array of a given size, or many small heap
 * objects; it migrates once, at its migration point. With a third argument it
 * says "ready" and then spins that many rounds (a loop with a poll point)
 * instead, to be moved by request while it does. */
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
struct obj { long value; struct obj *next; };
static void wait_or_migrate(long spin, unsigned long *check) {
  if (spin < 0) {
    migrate_now();
    return;
  }
  printf("ready\n");
  fflush(stdout);
  for (long k = 0; k < spin; k += 1000000) /* polls: it holds a loop */
    for (long j = 0; j < 1000000; j++)
      *check += j & 1;
}
int main(int argc, char **argv) {
  if (argc < 3) return 2;
  long n = atol(argv[2]);
  unsigned long check = 0;
  const long spin = argc > 3 ? atol(argv[3]) : -1;
  if (!strcmp(argv[1], "bytes")) {
    double *a = malloc(n / sizeof(double) * sizeof(double));
    for (long i = 0; i < n / (long)sizeof(double); i++) a[i] = i * 0.5;
    wait_or_migrate(spin, &check);
    for (long i = 0; i < n / (long)sizeof(double); i += 4096) check += (unsigned long)a[i];
  } else {
    struct obj *head = NULL;
    for (long i = 0; i < n; i++) {
      struct obj *o = malloc(sizeof *o);
      o->value = i;
      o->next = head;
      head = o;
    }
    wait_or_migrate(spin, &check);
    for (struct obj *o = head; o; o = o->next) check += o->value;
  }
  printf("%lu\n", check);
  return 0;
}
