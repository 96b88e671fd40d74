// Arrays of structs with back pointers, pointers to pointers, a flexible array
// member on the heap, blocks the C library allocates (getline, asprintf, strdup),
// an untyped malloc whose type the pointers tell, and sharing: two pointers to
// one object still point to one object.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: shapes: 12 pairs x {{[0-9]+}} points: [[N:[0-9]+]] of [[N]] migrations match
#define _GNU_SOURCE
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct team;
struct member { const char *name; long score; struct team *team; };
struct team { int n; struct member members[3]; struct member *captain; };

struct packet { unsigned short len; char kind; int payload[]; };

struct matrix { int rows, cols; double **row; };

static struct team league[2];

int main(void) {
  const char *names[] = {"ada", "bob", "cy", "dee", "eve", "fay"};
  for (int t = 0; t < 2; t++) {
    league[t].n = 3;
    for (int m = 0; m < 3; m++) {
      league[t].members[m].name = names[t * 3 + m];
      league[t].members[m].score = 10L * t + m;
      league[t].members[m].team = &league[t];
    }
    league[t].captain = &league[t].members[t + 1];
  }
  migrate_now();
  printf("captains %s %s; %s's team has %d\n", league[0].captain->name,
         league[1].captain->name, league[1].members[2].name,
         league[1].members[2].team->n);

  struct packet *p = malloc(sizeof(struct packet) + 5 * sizeof(int));
  p->len = 5;
  p->kind = 'k';
  for (int i = 0; i < 5; i++)
    p->payload[i] = i * 1000 - 2;
  int *fifth = &p->payload[4];
  migrate_now();
  printf("packet %c %u: %d %d, fifth %d\n", p->kind, p->len, p->payload[0], p->payload[3],
         *fifth);

  struct matrix m = {3, 4, malloc(3 * sizeof(double *))};
  for (int r = 0; r < m.rows; r++) {
    m.row[r] = malloc(m.cols * sizeof(double));
    for (int c = 0; c < m.cols; c++)
      m.row[r][c] = r + c / 8.0;
  }
  double **second = &m.row[1];
  double *shared = m.row[2];
  migrate_now();
  printf("matrix %g %g shared %d\n", (*second)[3], m.row[2][1], shared == m.row[2]);

  char *line = NULL;
  size_t cap = 0;
  FILE *in = fmemopen("first line\nsecond\n", 18, "r");
  ssize_t got = getline(&line, &cap, in);
  fclose(in);
  char *msg = NULL;
  int len = asprintf(&msg, "%d-%s", 42, "answer");
  char *copy = strdup(msg);
  char *tail = copy + 3;
  void *raw = malloc(4 * sizeof(long)); /* the site does not say; the pointer does */
  long *longs = raw;
  for (int i = 0; i < 4; i++)
    longs[i] = 1000000L * i - 7;
  migrate_now();
  printf("getline %zd '%.10s' asprintf %d '%s' tail '%s' longs %ld %ld\n", got, line, len,
         msg, tail, longs[0], longs[3]);
  free(line);
  free(msg);
  free(copy);
  free(raw);
  return 0;
}
