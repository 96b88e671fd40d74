// main's arguments travel with the image: a program that moved argv and argc on
// (argv++, --argc), let getopt permute them, or wrote into a string goes on with
// them as it left them, whatever command line the restoring process was given.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc --target=x86_64-linux-gnu %s -o %t/x86
// RUN: %hmcc --target=arm-linux-gnueabihf %s -o %t/arm
// RUN: %hmcc --target=s390x-linux-gnu %s -o %t/s390x
// RUN: %t/x86 first -q second,part third > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/a.img %t/x86 first -q second,part third > %t/a1.txt
// RUN: env HM_RESTORE=%t/a.img %run-armhf %t/arm > %t/a2.txt
// RUN: cat %t/a1.txt %t/a2.txt | diff %t/plain.txt -
// RUN: env HM_MIGRATE_TO=%t/b.img %run-armhf %t/arm first -q second,part third > %t/b1.txt
// RUN: env HM_RESTORE=%t/b.img %run-s390x %t/s390x other arguments > %t/b2.txt
// RUN: cat %t/b1.txt %t/b2.txt | diff %t/plain.txt -
// RUN: FileCheck %s < %t/plain.txt
// CHECK: before: 3 operands
// CHECK-NEXT: quiet 1, argc 3, argv[-1] -q
// CHECK-NEXT: operand first
// CHECK-NEXT: operand second
// CHECK-NEXT: operand third
// CHECK-NEXT: the name points into argv[0]: yes
#include <hm/migrate.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
  const char *name = strrchr(argv[0], '/') + 1;
  int quiet = 0, c;
  while ((c = getopt(argc, argv, "q")) != -1) // permutes: -q goes first
    quiet += c == 'q';
  printf("before: %d operands\n", argc - optind);
  argv += optind; // argv now points into the middle of the array
  argc -= optind;
  strchr(argv[1], ',')[0] = '\0'; // the program writes into its arguments
  migrate_now();
  printf("quiet %d, argc %d, argv[-1] %s\n", quiet, argc, argv[-1]);
  for (int i = 0; i < argc; ++i)
    printf("operand %s\n", argv[i]);
  printf("the name points into argv[0]: %s\n",
         name > argv[-optind] && name < argv[-optind] + strlen(argv[-optind]) ? "yes" : "no");
  return 0;
}
