// The option table: how each kind of argument reaches the steps (-### prints
// them to stderr, -show to stdout, without running them).
//
// Inputs hmcc does not instrument go to the compiler unchanged, in -c mode too:
// RUN: %hmcc -### -c %S/Inputs/asm.s 2>&1 | FileCheck --check-prefix=ASM %s
// ASM-NOT: hm-instrument
// ASM: clang-16 --target=x86_64-linux-gnu {{.*}}Inputs/asm.s -c
// ASM-NOT: __HMCC__
// RUN: %hmcc -### -c %S/Inputs/twice.cpp -O2 2>&1 | FileCheck --check-prefix=CXX %s
// CXX-NOT: hm-instrument
// CXX: clang++-16 --target=x86_64-linux-gnu -D__HMCC__=1 -isystem {{.*}} -O2 {{.*}}Inputs/twice.cpp -c
//
// A C input: checked with the user's options, preprocessed, instrumented, and
// compiled without warnings (the check gave the user's).
// RUN: %hmcc -### -c -Wall -DX=1 -O2 %s -o out.o 2>&1 | FileCheck --check-prefix=C %s
// C: clang-16 --target=x86_64-linux-gnu -fsyntax-only -D__HMCC__=1 -isystem {{.*}} -Wall -DX=1 -O2 -Qunused-arguments {{.*}}options.c
// C-NEXT: clang-16 --target=x86_64-linux-gnu -E -D__HMCC__=1 -isystem {{.*}} -DX=1 -O2 -w {{.*}}options.c -o [[T:.*]]/[[N:[0-9]+]]-options.i
// C-NEXT: clang-16 --target=aarch64-linux-gnu -E -D__HMCC__=1 -isystem {{.*}} -DX=1 -O2 -w {{.*}}options.c -o [[T]]/[[N]]-options.aarch64-linux-gnu.i
// C-NEXT: clang-16 --target=s390x-linux-gnu -E {{.*}}
// C-NEXT: clang-16 --target=arm-linux-gnueabihf -E {{.*}}
// C-NEXT: hm-instrument [[T]]/[[N]]-options.i -o [[T]]/[[N]]-options.hm.c --unit-name={{.*}}options.c --peer={{.*}} -- --target=x86_64-linux-gnu -w -O2
// C-NEXT: clang-16 --target=x86_64-linux-gnu -ffp-contract=off -isystem {{.*}} -O2 -funwind-tables -w -Qunused-arguments -c [[T]]/[[N]]-options.hm.c -o out.o
//
// -x applies to the inputs after it: foo.txt is C; reset before libraries.
// RUN: %hmcc -### -x c %S/Inputs/warnings.c -x none %S/Inputs/twice.cpp libfoo.a -o prog 2>&1 | FileCheck --check-prefix=X %s
// X: -x c {{.*}}warnings.c -o {{.*}}warnings.i
// X: clang++-16 {{.*}} -x c {{.*}}warnings.hm.c -x none {{.*}}twice.o libfoo.a -funwind-tables {{.*}}libhmrt.a
// X-NOT: -x c
//
// Standard input, read once into a file the steps share:
// RUN: %hmcc -### -x c -c - -o stdin.o < %s 2>&1 | FileCheck --check-prefix=STDIN %s
// STDIN: -fsyntax-only {{.*}} -x c {{.*}}1-stdin.c
// STDIN: hm-instrument {{.*}} --unit-name=stdin
// STDIN: -c {{.*}}stdin.hm.c -o stdin.o
// RUN: not %hmcc -c - < %s 2>&1 | FileCheck --check-prefix=NOX %s
// NOX: hmcc: error: -E or -x required when input is from standard input
//
// Dependency files name the user's object, never hmcc's temporaries:
// RUN: %hmcc -### -c -MD -MF deps.d %s -o obj/x.o 2>&1 | FileCheck --check-prefix=MF %s
// MF: -E {{.*}} -MD -MF deps.d -w -MT obj/x.o {{.*}}options.c -o
// RUN: %hmcc -### -c -MMD %s 2>&1 | FileCheck --check-prefix=MD %s
// MD: -E {{.*}} -MMD -w -MF options.d -MT options.o
// RUN: %hmcc -### -MD -MT target %s -o prog 2>&1 | FileCheck --check-prefix=MT %s
// MT: -E {{.*}} -MD -MT target -w -MF prog.d {{.*}}options.c
//
// Linker arguments keep their order among the inputs; values stay with their options.
// RUN: %hmcc -### %s -Wl,--whole-archive libx.a -Wl,--no-whole-archive -lm -o prog 2>&1 | FileCheck --check-prefix=ORDER %s
// ORDER: options.hm.c -x none -Wl,--whole-archive libx.a -Wl,--no-whole-archive -lm -funwind-tables
// RUN: %hmcc -### -c --param max-inline-insns-single=10 -mllvm -align-all-nofallthru-blocks=2 -B /usr/bin -iprefix /opt/ %s 2>&1 | FileCheck --check-prefix=VALUES %s
// VALUES: -fsyntax-only {{.*}} -B /usr/bin -iprefix /opt/ -Qunused
// VALUES: -E {{.*}} -B /usr/bin -iprefix /opt/ -w
// VALUES: -ffp-contract=off {{.*}} --param max-inline-insns-single=10 -mllvm -align-all-nofallthru-blocks=2 -B /usr/bin -funwind-tables
// RUN: not %hmcc -c %s -o 2>&1 | FileCheck --check-prefix=MISSING %s
// MISSING: hmcc: error: argument to '-o' is missing (expected 1 value)
//
// Response files (@file) are read as the compiler reads them:
// RUN: echo "-c -DFROM_RSP=1 %s -o rsp.o" > %t.rsp
// RUN: %hmcc -### @%t.rsp 2>&1 | FileCheck --check-prefix=RSP %s
// RSP: -E {{.*}} -DFROM_RSP=1 -w {{.*}}options.c
// RSP: -c {{.*}}options.hm.c -o rsp.o
// RUN: not %hmcc -c %s @%t.missing 2>&1 | FileCheck --check-prefix=NORSP %s
// NORSP: hmcc: error: cannot read the response file '{{.*}}.missing'
//
// hmcc's own options never reach the compiler; -show prints to stdout.
// RUN: %hmcc -show -fno-hm-poll --target=s390x-linux-gnu %s -o prog 2>/dev/null | FileCheck --check-prefix=SHOW %s
// SHOW: hm-instrument {{.*}} --no-poll -- --target=s390x-linux-gnu
// SHOW-NOT: -fno-hm-poll
// SHOW: clang-16 --target=s390x-linux-gnu {{.*}}s390x-linux-gnu/libhmrt.a
//
// What hmcc cannot do is refused, with why:
// RUN: not %hmcc -static %s -o prog 2>&1 | FileCheck --check-prefix=STATIC %s
// STATIC: hmcc: error: '-static' is not supported: libhmrt takes the place of malloc
// RUN: not %hmcc -m32 -c %s 2>&1 | FileCheck --check-prefix=M32 %s
// M32: hmcc: error: '-m32' is not supported: hmcc builds for 64-bit x86 here
//
// A shared library gets no runtime: the executable's serves it.
// RUN: %hmcc -### -shared -fPIC %s -o libx.so 2>&1 | FileCheck --check-prefix=SHARED %s
// SHARED-NOT: libhmrt.a
// RUN: %hmcc -### %s -o prog 2>&1 | FileCheck --check-prefix=EXPORT %s
// EXPORT: -Wl,--whole-archive {{.*}}libhmrt.a -Wl,--no-whole-archive -Wl,--export-dynamic-symbol=hm_rt_*
//
// hmcc's identity.
// RUN: %hmcc --version | FileCheck --check-prefix=VERSION %s
// VERSION: hmcc {{[0-9]+\.[0-9]+\.[0-9]+}} (hm ABI {{[0-9]+}}; target x86_64-linux-gnu)
// VERSION-NEXT: hm-instrument: {{.*}}hm-instrument ({{[0-9]+}} bytes, modified {{[0-9]+}})
// VERSION: libhmrt for s390x-linux-gnu: {{.*}}libhmrt.a
// VERSION: clang version 16
// RUN: %hmcc --help | FileCheck --check-prefix=HELP %s
// HELP: usage: hmcc [options] file...
// HELP: -fno-hm-poll: no poll points
// HELP: -static: libhmrt takes the place of malloc
// HELP: HM_MIGRATE_TO: write an image
//
// __HMCC__ is defined when preprocessing as well.
// RUN: %hmcc -E -dM -x c /dev/null | FileCheck --check-prefix=DEFINED %s
// DEFINED: #define __HMCC__ 1
int main(void) { return 0; }
