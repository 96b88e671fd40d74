// All of this unit is left out by the preprocessor, as glibc's getopt.c is in
// programs (bc) that carry their own copy: only the headers' declarations remain.
#include <stdio.h>
#include <stdlib.h>
#ifdef HM_TEST_NEVER_DEFINED
int elided(void) { return 1; }
#endif
