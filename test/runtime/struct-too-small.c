// A pointer to a struct that holds pointers, to a block too small for one
// that nothing else types (8 bytes, no sizeof at its malloc): a receiver would
// find raw bytes there and refuses to read the struct in them, so the sender
// refuses at the migration point, naming the pointer, and the program goes
// on. Before, the image was written, the source exited 0, and every receiver
// refused it.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x86
// RUN: %t/x86 > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/s.img HM_MIGRATE_FOR=x86_64-linux-gnu %t/x86 > %t/s.txt 2> %t/s.err
// RUN: test ! -e %t/s.img
// RUN: diff %t/plain.txt %t/s.txt
// RUN: FileCheck %s < %t/s.err
// CHECK: migration failed: variable 'small' (struct node *) of main at {{.*}}struct-too-small.c:[[@LINE+14]] is a pointer to struct node that points 0 bytes into a heap block of 8 bytes, where none fits or the object there is another (a dangling pointer?), and nothing types those bytes: a receiver would find raw bytes there, and would not read a struct node in them; the program goes on
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
  struct node *next;
  long value;
};

int main(int argc, char **argv) {
  (void)argv;
  size_t bytes = 8 + (argc > 5);
  struct node *small = malloc(bytes);
  memset(small, 0, bytes);
  migrate_now();
  printf("%d\n", small->next == NULL);
  return 0;
}
