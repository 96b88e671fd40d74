// Errors name the place and the reason, and hmcc returns the failing step's status.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not %hmcc --target=mips-linux-gnu %s -o %t/x 2>&1 | FileCheck --check-prefix=TARGET %s
// TARGET: hmcc: error: unsupported target 'mips-linux-gnu'; hmcc supports x86_64-linux-gnu, aarch64-linux-gnu, s390x-linux-gnu, arm-linux-gnueabihf
// RUN: not %hmcc -DBROKEN %s -o %t/x 2>&1 | FileCheck --check-prefix=SYNTAX %s
// SYNTAX: errors.c:[[@LINE+6]]:{{[0-9]+}}: error: use of undeclared identifier 'undeclared'
// RUN: env HMCC_CC=no-such-compiler not %hmcc %s -o %t/x 2>&1 | FileCheck --check-prefix=CC %s
// CC: hmcc: error: cannot check {{.*}}errors.c: 'no-such-compiler' not found (HMCC_CC names the C compiler)
// RUN: not %hmcc -c %s %S/dry-run.c -o %t/two.o 2>&1 | FileCheck --check-prefix=TWO %s
// TWO: hmcc: error: cannot specify -o with -c or -S and several input files
#ifdef BROKEN
int f(void) { return undeclared; }
#endif
int main(void) { return 0; }
