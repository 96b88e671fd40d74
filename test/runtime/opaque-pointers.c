// A heap block that only a pointer to a struct the unit never defines reaches
// (zlib's z_stream.state outside deflate.c) cannot be carried: nothing says what
// it holds, and as bytes its pointers were neither followed nor translated (the
// restore "succeeded" and zlib said "stream corrupt"). A migrate_now() there is
// refused; a request waits for a poll point where a frame says the type.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %hmcc -O2 --target=s390x-linux-gnu %s -o %t/prog.s390x
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/point.img HM_MIGRATE_AT=1 %t/prog > %t/point.txt 2> %t/point.err
// RUN: diff %t/plain.txt %t/point.txt
// RUN: test ! -e %t/point.img
// RUN: FileCheck --check-prefix=POINT %s < %t/point.err
// POINT: hmcc: migration failed: variable 'h' (struct handle *) of main at opaque-pointers.c:{{[0-9]+}} points to a heap block of {{[0-9]+}} bytes through a pointer to struct handle, which its unit does not define, and no frame or typed pointer says what the block holds; the program goes on on x86_64-linux-gnu
// RUN: env REQUEST=1 HM_MIGRATE_TO=%t/request.img HM_MIGRATE_AT=99 %t/prog > %t/request1.txt 2> %t/request.err
// RUN: env HM_RESTORE=%t/request.img %run-s390x %t/prog.s390x > %t/request2.txt
// RUN: cat %t/request1.txt %t/request2.txt | diff %t/plain.txt -
// RUN: FileCheck --check-prefix=REQUEST %s < %t/request.err
// REQUEST: hmcc: migration deferred: variable 'h' (struct handle *) of main {{.*}} through a pointer to struct handle, which its unit does not define{{.*}}; it is tried again at the next poll points
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct handle; // opaque here, as in a library's public header
struct impl {
  struct impl *self; // a back pointer, as deflate_state.strm
  long *window;
  long n;
};

static void *untyped_alloc(size_t n) { return malloc(n); } // like zlib's zcalloc
// A size that does not say sizeof(struct impl) where the call is: with it, the
// call would place a struct impl there (test/e2e/pointers/placed-objects.c).
static const size_t impl_size = sizeof(struct impl);

static struct handle *create(void) {
  struct impl *s = untyped_alloc(impl_size);
  s->self = s;
  s->window = untyped_alloc(64 * sizeof(long));
  for (int i = 0; i < 64; i++)
    s->window[i] = i + 1;
  s->n = 0;
  return (struct handle *)s;
}

// Like deflate(): it knows the state's type, and its loop (which holds a
// loop) polls.
static int step(struct handle *h, int rounds) {
  struct impl *s = (struct impl *)h;
  for (int r = 0; r < rounds; r++) {
    if (s->self != s)
      return -1; // "stream corrupt"
    for (int k = 0; k < 1 + r % 3; k++)
      s->n = (s->n + s->window[(s->n + r + k) % 64]) % 1000003;
  }
  return 0;
}

int main(void) {
  struct handle *h = create();
  if (getenv("REQUEST"))
    hm_request_migration(); // served at main's loop: deferred, then in step's
  for (int i = 0; i < 200; i++) {
    if (i == 50)
      migrate_now(); // only the opaque pointer is in scope here
    if (step(h, 20000) != 0) {
      printf("stream corrupt at %d\n", i);
      return 1;
    }
    if (i % 50 == 0)
      printf("i=%d n=%ld\n", i, ((struct impl *)h)->n);
  }
  printf("n=%ld\n", ((struct impl *)h)->n);
  return 0;
}
