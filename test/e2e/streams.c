// FILE streams on regular files, opened with fopen, migrate: the receiver opens
// the same path again, at the same offset, in a mode that keeps what was
// written; buffered output is flushed at the capture, read-ahead is read again.
// A stream it cannot open again (tmpfile) is refused at the migration point.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: streams: 12 pairs x 3 points: 36 of 36 migrations match
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 -DTMPFILE %s -o %t/tmp
// RUN: %t/tmp > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/tmp.img %t/tmp > %t/point.txt 2> %t/point.err
// RUN: diff %t/plain.txt %t/point.txt
// RUN: test ! -e %t/tmp.img
// RUN: FileCheck --check-prefix=TMP %s < %t/point.err
// TMP: variable 'scratch' (FILE *) of main at {{.*}}streams.c:{{[0-9]+}} points to a stream libhmrt did not see opened with fopen
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct job {
  FILE *in, *out;
  long lines;
  unsigned long long sum;
};

int main(void) {
  printf("start\n");
  char in[64], out[64];
  snprintf(in, sizeof in, "/tmp/hm-streams-in-%d.txt", (int)getpid());
  snprintf(out, sizeof out, "/tmp/hm-streams-out-%d.txt", (int)getpid());
  FILE *w = fopen(in, "w");
  for (int i = 0; i < 3000; ++i)
    fprintf(w, "line %d value %d\n", i, i * 37 % 1001);
  fclose(w);

  struct job *j = malloc(sizeof *j);
  j->in = fopen(in, "r");
  j->out = fopen(out, "w");
  j->lines = 0;
  j->sum = 0;
#ifdef TMPFILE
  FILE *scratch = tmpfile();
  fputs("x", scratch);
  migrate_now();
  fclose(scratch);
#endif
  char buf[128];
  while (fgets(buf, sizeof buf, j->in)) {
    int a, b;
    if (sscanf(buf, "line %d value %d", &a, &b) == 2) {
      j->sum = j->sum * 31 + (unsigned)b;
      fprintf(j->out, "%d:%d\n", a, b * 2);
    }
    if (++j->lines == 1000 || j->lines == 1500 || j->lines == 2999)
      migrate_now(); // in the middle of the buffered input and output
  }
  printf("lines %ld, sum %llu, at end %d\n", j->lines, j->sum, feof(j->in) != 0);
  fclose(j->in);
  fclose(j->out);
  FILE *r = fopen(out, "r");
  unsigned long long check = 0;
  long n = 0;
  while (fgets(buf, sizeof buf, r)) {
    for (char *c = buf; *c; ++c)
      check = check * 131 + (unsigned char)*c;
    ++n;
  }
  fclose(r);
  printf("output %ld lines, checksum %llu\n", n, check);
  remove(in);
  remove(out);
  return 0;
}
