// A migration that fails leaves the program running where it was, with its values:
// the destination cannot be written, or a frame holds what cannot migrate yet.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/no/such/dir/x.img %t/prog > %t/nodir.txt 2> %t/nodir.err
// RUN: diff %t/plain.txt %t/nodir.txt
// RUN: FileCheck --check-prefix=NODIR %s < %t/nodir.err
// NODIR: hmcc: migration failed: cannot create image '{{.*}}x.img': No such file or directory; the program goes on on x86_64-linux-gnu
//
// The frame of 'scan' holds a tmpfile() stream, which has no path to open again
// elsewhere: capture unwinds, refuses, and
// rebuilds the stack in this same process; migrate_now() returns 0 and the run
// completes.
// RUN: env HM_MIGRATE_TO=%t/ptr.img HM_MIGRATE_AT=2 %t/prog > %t/ptr.txt 2> %t/ptr.err
// RUN: diff %t/plain.txt %t/ptr.txt
// RUN: FileCheck --check-prefix=PTR %s < %t/ptr.err
// PTR: hmcc: migration failed: variable 'log' (FILE *) of scan at failed-migration.c:[[@LINE+18]] points to a stream libhmrt did not see opened with fopen (popen, tmpfile, fmemopen, open_memstream): it cannot be opened again elsewhere; the program goes on on x86_64-linux-gnu
// RUN: test ! -e %t/ptr.img && test ! -e %t/ptr.img.partial
//
// The first point (no pointer in any frame) does migrate:
// RUN: env HM_MIGRATE_TO=%t/ok.img HM_MIGRATE_AT=1 %t/prog > %t/ok1.txt
// RUN: env HM_RESTORE=%t/ok.img %t/prog > %t/ok2.txt
// RUN: cat %t/ok1.txt %t/ok2.txt | FileCheck --check-prefix=OK %s
// OK: first point: migrate_now() = 1
// OK-NEXT: scan(4) = 9, migrate_now() = 0
// OK-NEXT: scan(8) = 9, migrate_now() = 0
// OK-NEXT: a=9 b=9
#include <hm/migrate.h>
#include <stdio.h>

int data[8] = {5, 3, 9, 1, 7, 2, 8, 6};

int scan(int limit) {
  int best = 0;
  FILE *log = tmpfile();
  int *cursor = data;
  for (int i = 0; i < limit; i++, cursor++)
    if (*cursor > best)
      best = *cursor;
  int r = migrate_now();
  fprintf(log, "%d\n", best);
  fclose(log);
  printf("scan(%d) = %d, migrate_now() = %d\n", limit, best, r);
  return best;
}

int main(void) {
  int first = migrate_now();
  printf("first point: migrate_now() = %d\n", first);
  int a = scan(4);
  int b = scan(8);
  printf("a=%d b=%d\n", a, b);
  return 0;
}
