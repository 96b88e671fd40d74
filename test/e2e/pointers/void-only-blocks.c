// A heap block that only void pointers reach, and that nothing else types (a
// generic container's elements, copied in through its push's `const void *`):
// its bytes travel as they are, right only where values are laid out as on the
// sender. Before, x86_64 -> s390x restored byte-swapped doubles with exit 0.
// Now the capture is refused at the migration point for a destination of
// another byte order or other sizes, and the program goes on; one with the
// same layout (aarch64) takes it.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu -DVEC %s -o %t/vec
// RUN: %hmcc --target=aarch64-linux-gnu -DVEC %s -o %t/vec.a64
// RUN: env HM_MIGRATE_TO=%t/s.img HM_MIGRATE_FOR=s390x-linux-gnu %t/vec > %t/s.txt 2> %t/s.err
// RUN: test ! -e %t/s.img
// RUN: FileCheck --check-prefix=ORDER %s < %t/s.err
// ORDER: migration failed: a heap block of 128 bytes that nothing types (reached by {{.*}}'v'{{.*}}) holds bytes of no type hmcc knows (byte 14 is not zero): its bytes are right only where the byte order is x86_64-linux-gnu's, and s390x-linux-gnu has the other one; the program goes on
// RUN: FileCheck --check-prefix=VECOUT %s < %t/s.txt
// RUN: env HM_MIGRATE_TO=%t/r.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/vec > %t/r.txt 2> %t/r.err
// RUN: test ! -e %t/r.img
// RUN: FileCheck --check-prefix=SIZES %s < %t/r.err
// SIZES: migration failed: a heap block of 128 bytes that nothing types {{.*}}: they are right only where every scalar has the size it has on x86_64-linux-gnu, and arm-linux-gnueabihf has 4-byte pointers
// RUN: FileCheck --check-prefix=VECOUT %s < %t/r.txt
// RUN: env HM_MIGRATE_TO=%t/n.img %t/vec > %t/n.txt 2> %t/n.err
// RUN: test ! -e %t/n.img
// RUN: FileCheck --check-prefix=UNNAMED %s < %t/n.err
// UNNAMED: migration failed: a heap block {{.*}}: its bytes are right only where the byte order is x86_64-linux-gnu's, and the destination is not named (HM_MIGRATE_FOR)
// Same byte order and sizes: it migrates.
// RUN: env HM_MIGRATE_TO=%t/a.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/vec > %t/a.txt
// RUN: test -e %t/a.img
// RUN: env HM_RESTORE=%t/a.img %run-aarch64 %t/vec.a64 >> %t/a.txt
// RUN: FileCheck --check-prefix=VECOUT %s < %t/a.txt
// VECOUT: 67.5 10
// VECOUT-NOT: {{.}}
// A union whose `void *` and `char *` members read the pointer alike says
// nothing of text: refused alike.
// RUN: %hmcc --target=x86_64-linux-gnu -DVEC -DUNION %s -o %t/union
// RUN: env HM_MIGRATE_TO=%t/u.img HM_MIGRATE_FOR=s390x-linux-gnu %t/union > %t/u.txt 2> %t/u.err
// RUN: test ! -e %t/u.img
// RUN: FileCheck --check-prefix=ORDER %s < %t/u.err
// RUN: FileCheck --check-prefix=VECOUT %s < %t/u.txt
//
// Zero bytes read alike everywhere; a char pointer into the block says its
// bytes are text: both migrate to s390x. A typed copy the program made into
// such a block is checked as its type's: a double migrates to armhf.
// RUN: %hmcc --target=x86_64-linux-gnu -DZERO %s -o %t/zero
// RUN: %hmcc --target=s390x-linux-gnu -DZERO %s -o %t/zero.s390x
// RUN: env HM_MIGRATE_TO=%t/z.img HM_MIGRATE_FOR=s390x-linux-gnu %t/zero > %t/z.txt
// RUN: env HM_RESTORE=%t/z.img %run-s390x %t/zero.s390x >> %t/z.txt
// RUN: FileCheck --check-prefix=ZEROOUT %s < %t/z.txt
// ZEROOUT: 0 16 hello{{$}}
// ZEROOUT-NOT: {{.}}
// RUN: %hmcc --target=x86_64-linux-gnu -DZERO -DNUMBER %s -o %t/number
// RUN: %hmcc --target=arm-linux-gnueabihf -DZERO -DNUMBER %s -o %t/number.arm
// RUN: env HM_MIGRATE_TO=%t/d.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/number > %t/d.txt
// RUN: env HM_RESTORE=%t/d.img %run-armhf %t/number.arm >> %t/d.txt
// RUN: FileCheck --check-prefix=NUMBEROUT %s < %t/d.txt
// NUMBEROUT: 0 16 hello 2.5
// NUMBEROUT-NOT: {{.}}
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef VEC
#ifdef UNION
union bytes {
  char *text;
  void *data;
};
struct vec {
  union bytes u;
  size_t n, cap, esz;
};
#define data u.data
#else
struct vec {
  void *data;
  size_t n, cap, esz;
};
#endif

__attribute__((noinline)) static void push(struct vec *v, const void *e) {
  if (v->n == v->cap) {
    v->cap = v->cap ? 2 * v->cap : 4;
    v->data = realloc(v->data, v->cap * v->esz);
  }
  memcpy((char *)v->data + v->n * v->esz, e, v->esz);
  v->n++;
}

int main(void) {
  struct vec v = {0};
  v.esz = sizeof(double);
  for (int i = 0; i < 10; i++) {
    double d = i * 1.5;
    push(&v, &d);
  }
  migrate_now();
  double s = 0;
  for (size_t i = 0; i < v.n; i++)
    s += *(double *)((char *)v.data + i * v.esz);
  printf("%g %zu\n", s, v.n);
  return 0;
}
#endif

#ifdef ZERO
int main(void) {
  void *zeros = calloc(16, 1);
  void *text = malloc(16);
  const char *cursor = text;
  memcpy(text, "hello", 6);
#ifdef NUMBER
  void *number = malloc(8);
  double d = 2.5;
  memcpy(number, &d, sizeof d); // recorded: a double's bytes
#endif
  migrate_now();
  int sum = 0;
  for (int i = 0; i < 16; i++)
    sum += ((unsigned char *)zeros)[i];
#ifdef NUMBER
  memcpy(&d, number, sizeof d);
  printf("%d %zu %s %g\n", sum, (size_t)16, cursor, d);
#else
  printf("%d %zu %s\n", sum, (size_t)16, cursor);
#endif
  return 0;
}
#endif
