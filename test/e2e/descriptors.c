// Descriptors the program opened with open() and keeps as numbers (zlib's
// gz_state.fd) migrate: the receiver opens the same path again at the same
// number, with the same access, at the same offset. A pipe cannot be opened
// again elsewhere: a migration while one is open is refused at its point.
// RUN: %migrate-matrix --points all %s | FileCheck %s
// CHECK: descriptors: 12 pairs x 3 points: 36 of 36 migrations match
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 -DPIPE %s -o %t/pipe
// RUN: %t/pipe > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/pipe.img %t/pipe > %t/point.txt 2> %t/point.err
// RUN: diff %t/plain.txt %t/point.txt
// RUN: test ! -e %t/pipe.img
// RUN: FileCheck --check-prefix=PIPE %s < %t/point.err
// PIPE: migration refused: descriptor {{[0-9]+}} is a pipe, which cannot be opened again elsewhere
#include <hm/migrate.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct copier {
  int in, out;
  long copied;
  unsigned sum;
};

static void step(struct copier *c, int bytes) {
  char buf[256];
  while (bytes > 0) {
    ssize_t n = read(c->in, buf, bytes < (int)sizeof buf ? (size_t)bytes : sizeof buf);
    if (n <= 0)
      return;
    for (ssize_t i = 0; i < n; ++i)
      c->sum = c->sum * 33 + (unsigned char)buf[i];
    if (write(c->out, buf, (size_t)n) != n)
      abort();
    c->copied += n;
    bytes -= (int)n;
  }
}

int main(void) {
  printf("start\n");
  char in[256], out[256];
  const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  snprintf(in, sizeof in, "%s/hm-fd-in-%d", dir, (int)getpid());
  snprintf(out, sizeof out, "%s/hm-fd-out-%d", dir, (int)getpid());
  int w = open(in, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  for (int i = 0; i < 2000; ++i) {
    char line[32];
    int n = snprintf(line, sizeof line, "%d %d\n", i, i * 7 % 113);
    if (write(w, line, (size_t)n) != n)
      abort();
  }
  close(w);
#ifdef PIPE
  int p[2];
  if (pipe(p) != 0)
    abort();
#endif
  struct copier *c = calloc(1, sizeof *c);
  c->in = open(in, O_RDONLY);
  c->out = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  step(c, 5000);
  migrate_now();
  step(c, 3000);
  migrate_now();
  printf("descriptors %s\n", c->in >= 0 && c->out >= 0 ? "open" : "lost");
  step(c, 100000);
  migrate_now();
  close(c->in);
  close(c->out);
#ifdef PIPE
  close(p[0]);
  close(p[1]);
#endif
  int r = open(out, O_RDONLY);
  char buf[512];
  unsigned check = 0;
  long total = 0;
  ssize_t n;
  while ((n = read(r, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; ++i, ++total)
      check = check * 33 + (unsigned char)buf[i];
  close(r);
  printf("copied %ld, sum %u; file %ld bytes, sum %u\n", c->copied, c->sum, total, check);
  unlink(in);
  unlink(out);
  return 0;
}
