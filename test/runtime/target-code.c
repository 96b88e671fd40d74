// A function whose code the preprocessor makes differ between targets (zlib's
// crc32_z walks its buffer in words of W bytes: 8 on x86_64 and aarch64, 4 on
// s390x and armhf) keeps values in its frame that mean something else on a
// target where it differs: its word index, counted in 8-byte words, would
// count 4-byte words on armhf (the restored sum came out wrong, exit 0). Its
// frame does not move there: a migrate_now() in it is refused at the point, a
// request waits until it returns; it moves where its code is the same
// (aarch64), and a receiver where it differs refuses such an image.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %hmcc -O2 --target=arm-linux-gnueabihf %s -o %t/prog.armhf
// RUN: %hmcc -O2 --target=aarch64-linux-gnu %s -o %t/prog.aarch64
// RUN: %t/prog > %t/plain.txt
// RUN: FileCheck --check-prefix=PLAIN %s < %t/plain.txt
// PLAIN: sum 130560
// PLAIN-NEXT: after 130560
// The first point (in sum_bytes) is refused for armhf, and the program goes on:
// RUN: env HM_MIGRATE_TO=%t/armhf.img HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog > %t/refused.txt 2> %t/armhf.err
// RUN: FileCheck --check-prefix=REFUSED %s < %t/armhf.err
// REFUSED: migration failed: 'target-code.c:sum_bytes' is on the stack, and its code is not the same on arm-linux-gnueabihf (the preprocessor gives other code for target-code.c:{{[0-9]+}} there): its values would mean something else there; the program goes on
// RUN: diff %t/plain.txt %t/refused.txt
// RUN: test ! -e %t/armhf.img
// The second point (in main) moves:
// RUN: env HM_MIGRATE_TO=%t/armhf.img HM_MIGRATE_AT=2 HM_MIGRATE_FOR=arm-linux-gnueabihf %t/prog > %t/armhf-1.txt
// RUN: env HM_RESTORE=%t/armhf.img %run-armhf %t/prog.armhf > %t/armhf-2.txt
// RUN: cat %t/armhf-1.txt %t/armhf-2.txt | diff %t/plain.txt -
// Unnamed, the destination could be one where it differs:
// RUN: env HM_MIGRATE_TO=%t/any.img %t/prog > %t/any.txt 2> %t/any.err
// RUN: FileCheck --check-prefix=UNNAMED %s < %t/any.err
// UNNAMED: migration failed: 'target-code.c:sum_bytes' is on the stack, and its code is not the same on s390x-linux-gnu arm-linux-gnueabihf (the preprocessor gives other code for target-code.c:{{[0-9]+}} there), and the destination is not named (HM_MIGRATE_FOR)
// To aarch64, where its code is x86_64's, it moves at the first point:
// RUN: env HM_MIGRATE_TO=%t/aarch64.img HM_MIGRATE_FOR=aarch64-linux-gnu %t/prog > %t/aarch64-1.txt
// RUN: FileCheck --check-prefix=EARLY --allow-empty %s < %t/aarch64-1.txt
// EARLY-NOT: sum
// RUN: env HM_RESTORE=%t/aarch64.img %run-aarch64 %t/prog.aarch64 > %t/aarch64-2.txt
// RUN: cat %t/aarch64-1.txt %t/aarch64-2.txt | diff %t/plain.txt -
// An armhf receiver refuses that image, before anything:
// RUN: not env HM_RESTORE=%t/aarch64.img %run-armhf %t/prog.armhf > %t/wrong.txt 2> %t/wrong.err
// RUN: FileCheck --check-prefix=RECEIVER %s < %t/wrong.err
// RECEIVER: cannot restore: the image has a frame of 'target-code.c:sum_bytes', whose code is not the same on x86_64-linux-gnu (the preprocessor gives other code for target-code.c:{{[0-9]+}} here)
#include <hm/migrate.h>
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__) || defined(__aarch64__)
#define W 8
typedef unsigned long long word;
#else
#define W 4
typedef unsigned word;
#endif

// The sum of |len| bytes, a word of W bytes at a time (any byte order).
static unsigned sum_bytes(const unsigned char *buf, unsigned len) {
  unsigned s = 0;
  for (unsigned i = 0; i < len / W; i++) {
    word x;
    memcpy(&x, buf + (size_t)i * W, W);
    if (i == 100)
      migrate_now();
    for (int k = 0; k < W; k++, x >>= 8)
      s += (unsigned)(x & 0xff);
  }
  return s;
}

int main(void) {
  static unsigned char buf[1024];
  for (int i = 0; i < 1024; ++i)
    buf[i] = (unsigned char)i;
  unsigned s = sum_bytes(buf, sizeof buf);
  printf("sum %u\n", s);
  migrate_now();
  printf("after %u\n", s);
  return 0;
}
