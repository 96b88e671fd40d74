// hm-migrate inspect shows what an image holds (machine, frames with their
// variables' values, globals, heap by type), in text and JSON; hm-migrate
// check says whether it restores into a build, for every architecture, without
// running the program; a build of other source, a damaged image and a program
// without hmcc are each a no, with the reason.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=s390x-linux-gnu -O1 %s -o %t/prog.s390x
// RUN: %hmcc --target=x86_64-linux-gnu -O1 %s -o %t/prog.x86
// RUN: %hmcc --target=arm-linux-gnueabihf -O1 %s -o %t/prog.arm
// RUN: %hmcc --target=aarch64-linux-gnu -O1 %s -o %t/prog.a64
// RUN: env HM_MIGRATE_TO=%t/img qemu-s390x %t/prog.s390x extra-arg > %t/part1.txt
// RUN: hm-migrate inspect %t/img | FileCheck --check-prefix=TEXT %s
// TEXT: made on s390x-linux-gnu (big-endian, 8-byte pointers, 8-byte long)
// TEXT: arguments: "{{.*}}prog.s390x" "extra-arg"
// TEXT: frames, outermost first: 2
// TEXT-NEXT: #0 main at call site
// TEXT: int total = 6
// TEXT: #1 {{.*}}walk at call site
// TEXT: double scale = 2.5
// TEXT: globals:
// TEXT-DAG: char[16] label = "three nodes"
// TEXT-DAG: long long{{.*}} counts = [-1, 2, 40000000000]
// TEXT: heap: 3 blocks
// TEXT: struct node: 3 blocks
// RUN: hm-migrate inspect --json %t/img | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["arch"], len(d["frames"]), d["heap"]["blocks"], d["frames"][1]["function"])' | FileCheck --check-prefix=JSON %s
// JSON: s390x-linux-gnu 2 3 {{.*}}walk
// RUN: hm-migrate check %t/img %t/prog.x86 2>&1 | FileCheck --check-prefix=YES %s
// RUN: hm-migrate check %t/img %t/prog.arm 2>&1 | FileCheck --check-prefix=YES %s
// RUN: hm-migrate check %t/img %t/prog.a64 2>&1 | FileCheck --check-prefix=YES %s
// RUN: hm-migrate check %t/img %t/prog.s390x --exec-with qemu-s390x 2>&1 | FileCheck --check-prefix=YES %s
// YES: hmcc: the image restores into this program: 2 frames, 3 heap blocks, {{[0-9]+}} globals, made on s390x-linux-gnu
// The check ran nothing of the program: a real restore goes on from the point.
// RUN: env HM_RESTORE=%t/img %t/prog.x86 > %t/part2.txt
// RUN: qemu-s390x %t/prog.s390x extra-arg > %t/plain.txt
// RUN: cat %t/part1.txt %t/part2.txt | diff %t/plain.txt -
// Another build's source: no.
// RUN: %hmcc -O1 -DOTHER %s -o %t/other
// RUN: not hm-migrate check %t/img %t/other 2>&1 | FileCheck --check-prefix=OTHER %s
// OTHER: hmcc: cannot restore: the image was made by a different program
// A damaged image: no, from inspect and from check.
// RUN: python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[-3]^=0xff; open(sys.argv[2],"wb").write(b)' %t/img %t/bad
// RUN: not hm-migrate inspect %t/bad 2>&1 | FileCheck --check-prefix=BAD %s
// RUN: not hm-migrate check %t/bad %t/prog.x86 2>&1 | FileCheck --check-prefix=BAD %s
// BAD: image '{{.*}}bad' is damaged: checksum mismatch
// A program without libhmrt: no.
// RUN: clang-16 -O1 -I %hm-include %S/Inputs/busy.c -o %t/plain-prog
// RUN: not hm-migrate check %t/img %t/plain-prog 2>&1 | FileCheck --check-prefix=PLAIN %s
// PLAIN: was not built with hmcc
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

struct node {
  int value;
  struct node *next;
};

char label[16] = "three nodes";
long long counts[3] = {-1, 2, 0};

static int walk(struct node *n, double scale) {
  int sum = 0;
#ifdef OTHER
  int extra = n->value;
  migrate_now();
  sum += extra;
#else
  migrate_now();
#endif
  for (; n; n = n->next)
    sum += n->value;
  printf("%s: %d scaled %.2f\n", label, sum, sum * scale);
  return sum;
}

int main(int argc, char **argv) {
  struct node *head = NULL;
  counts[2] = 40000000000LL;
  for (int i = 3; i >= 1; i--) {
    struct node *n = malloc(sizeof *n);
    n->value = i;
    n->next = head;
    head = n;
  }
  int total = 6;
  printf("argc %d\n", argc);
  total = walk(head, 2.5) == total;
  printf("ok %d %lld\n", total, counts[2]);
  return 0;
}
