// A request that the state it finds refuses waits for a later poll point where
// the state allows it (bzip2 reads one block as 32-bit and then as 16-bit
// integers, in place: while both views are live no byte order is right for
// it). A migrate_now() there is refused at once; a request is deferred and
// migrates once the 16-bit phase is over. HM_MIGRATE_PATIENCE=0 refuses at once.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %hmcc -O2 %s -o %t/prog
// RUN: %hmcc -O2 --target=s390x-linux-gnu %s -o %t/prog.s390x
// RUN: %t/prog > %t/plain.txt
// RUN: env HM_MIGRATE_TO=%t/point.img HM_MIGRATE_FOR=s390x-linux-gnu %t/prog > %t/point.txt 2> %t/point.err
// RUN: diff %t/plain.txt %t/point.txt
// RUN: test ! -e %t/point.img
// RUN: FileCheck --check-prefix=POINT %s < %t/point.err
// POINT: hmcc: migration failed: variable 'narrow' (unsigned short *) of {{.*}} reads a heap block of 4000 bytes of unsigned int as unsigned short
// RUN: env REQUEST=1 HM_MIGRATE_TO=%t/request.img HM_MIGRATE_FOR=s390x-linux-gnu HM_MIGRATE_AT=99 %t/prog > %t/request1.txt 2> %t/request.err
// RUN: env HM_RESTORE=%t/request.img %run-s390x %t/prog.s390x > %t/request2.txt
// RUN: cat %t/request1.txt %t/request2.txt | diff %t/plain.txt -
// RUN: FileCheck --check-prefix=REQUEST %s < %t/request.err
// REQUEST: hmcc: migration deferred: variable 'narrow' (unsigned short *) {{.*}} reads a heap block of 4000 bytes of unsigned int as unsigned short{{.*}}; it is tried again at the next poll points
// REQUEST-NOT: refused
// RUN: env REQUEST=1 HM_MIGRATE_PATIENCE=0 HM_MIGRATE_TO=%t/impatient.img HM_MIGRATE_FOR=s390x-linux-gnu HM_MIGRATE_AT=99 %t/prog > %t/impatient.txt 2> %t/impatient.err
// RUN: diff %t/plain.txt %t/impatient.txt
// RUN: test ! -e %t/impatient.img
// RUN: FileCheck --check-prefix=IMPATIENT %s < %t/impatient.err
// IMPATIENT: hmcc: migration failed: variable 'narrow' {{.*}}; the program goes on on x86_64-linux-gnu
#include <hm/migrate.h>
#include <stdio.h>
#include <stdlib.h>

enum { N = 1000 };
static volatile unsigned sink;

// Packs the 32-bit values into 16-bit ones in place, as bzip2's MTF pass does.
static unsigned pack(unsigned *wide, int request) {
  unsigned short *narrow = (unsigned short *)wide;
  unsigned sum = 0;
  for (int i = 0; i < N; i++) {
    if (request && i == N / 2)
      hm_request_migration();
    narrow[i] = (unsigned short)(wide[i] * 3u);
    sum += narrow[i];
  }
  if (!request)
    migrate_now();
  return sum + (wide[0] & 1u) + (narrow[1] & 1u); // both views still live at the point
}

static unsigned spin(const unsigned short *narrow) {
  unsigned s = 0;
  for (int round = 0; round < 2000; round++)
    for (int i = 0; i < N; i++)
      s = s * 31u + narrow[(i * 7 + round) % N];
  return s;
}

int main(void) {
  const int request = getenv("REQUEST") != NULL;
  unsigned *wide = malloc(N * sizeof *wide);
  for (int i = 0; i < N; i++)
    wide[i] = (unsigned)i * 2654435761u >> 16;
  printf("packed %u\n", pack(wide, request));
  fflush(stdout);
  wide = NULL;
  // From here the block is read as 16-bit integers only.
  unsigned short *narrow = (unsigned short *)malloc(4000);
  for (int i = 0; i < N; i++)
    narrow[i] = (unsigned short)(i * 40503u);
  for (int k = 0; k < 50; k++)
    sink = spin(narrow);
  printf("spun %u\n", sink);
  return 0;
}
