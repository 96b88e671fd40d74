// An object after another in one heap block goes, on the receiver, after the
// one before it, padded as every alignment that explains the gap on the sender
// says. When those disagree there (here a 24-byte header then the object: 8-byte
// padding or none, on armhf 16 or 12), where the object goes cannot be told: the
// migration is refused at the migration point, naming the block, and the
// program goes on; for a destination where they agree it migrates.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O1 %s -o %t/prog
// RUN: %hmcc -O1 --target=s390x-linux-gnu %s -o %t/prog.s390x
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_FOR=arm-linux-gnueabihf HM_MIGRATE_TO=%t/arm.img %t/prog > %t/arm.txt 2> %t/arm.err
// RUN: diff %t/plain.txt %t/arm.txt
// RUN: test ! -e %t/arm.img
// RUN: FileCheck --check-prefix=ARM %s < %t/arm.err
// ARM: hmcc: migration failed: a heap block of 40 bytes holds objects of several types: the struct stream at byte 24 comes 0 bytes after the end of the struct header before it, which may be padding to any of several alignments that differ on arm-linux-gnueabihf: where it would go there cannot be told; the program goes on on x86_64-linux-gnu
// RUN: env HM_MIGRATE_FOR=s390x-linux-gnu HM_MIGRATE_TO=%t/s390x.img %t/prog > %t/s390x1.txt
// RUN: env HM_RESTORE=%t/s390x.img %run-s390x %t/prog.s390x > %t/s390x2.txt
// RUN: cat %t/s390x1.txt %t/s390x2.txt | diff %t/plain.txt -
#include <hm/migrate.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

struct header {
  struct header *next;
  unsigned char tag;
  unsigned short nuv;
  size_t len;
};
struct header0 {
  struct header *next;
  unsigned char tag;
  unsigned short nuv;
  size_t len;
  union {
    double d;
    void *p;
    long l;
  } bindata;
};
#define payload_offset offsetof(struct header0, bindata)

static struct header *objects;

static void *new_object(size_t size) {
  struct header *h = malloc(payload_offset + size);
  h->next = objects;
  h->tag = 7;
  h->nuv = 0;
  h->len = size;
  objects = h;
  return (char *)h + payload_offset;
}

typedef int (*closer)(FILE *);
struct stream {
  FILE *f;
  closer closef;
};
static int noclose(FILE *f) { return f == stdout; }

int main(void) {
  struct stream *s = (struct stream *)new_object(sizeof(struct stream));
  s->f = stdout;
  s->closef = noclose;
  s = NULL;
  printf("before\n");
  migrate_now();
  struct stream *t = (struct stream *)((char *)objects + payload_offset);
  printf("tag %d len %d close %d\n", objects->tag, objects->len == sizeof *t, t->closef(t->f));
  return 0;
}
