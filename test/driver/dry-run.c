// -### prints the steps without running them: preprocess for the target,
// instrument, then compile and link libhmrt in one run of the compiler (with
// -ffp-contract=off before the user's options; with lld where it links the
// target, unless the user chose a linker). Preprocessor options stay out of it.
// Warnings held back inside macros are off: the instrumented code is expanded.
// RUN: %hmcc -### --target=aarch64-linux-gnu -O2 -DX=1 %s -o prog 2>&1 | FileCheck %s
// CHECK: clang-16 --target=aarch64-linux-gnu -E -D__HMCC__=1 -isystem {{.*}}/include -O2 -DX=1 {{.*}}dry-run.c -o [[I:.*]]/2-dry-run.i
// CHECK-NEXT: {{.*}}/bin/hm-instrument [[I]]/2-dry-run.i -o [[I]]/2-dry-run.hm.c --unit-name={{.*}}dry-run.c -- --target=aarch64-linux-gnu -w
// CHECK-NEXT: clang-16 --target=aarch64-linux-gnu -ffp-contract=off -funwind-tables -isystem {{.*}}/include -O2 -Wno-parentheses-equality {{.*}} -Wno-shift-op-parentheses -Qunused-arguments [[I]]/2-dry-run.hm.c {{.*}}/lib/aarch64-linux-gnu/libhmrt.a {{.*}}boost_serialization{{.*}} -lm -fuse-ld=lld -o prog
// CHECK-NOT: clang-16
// RUN: %hmcc -### --target=s390x-linux-gnu %s -o prog 2>&1 | FileCheck --check-prefix=BFD %s
// RUN: %hmcc -### -fuse-ld=bfd %s -o prog 2>&1 | FileCheck --check-prefix=BFD %s
// BFD-NOT: -fuse-ld=lld
// The user's choice of floating-point contraction comes later, so it wins:
// RUN: %hmcc -### -c -ffp-contract=fast %s 2>&1 | FileCheck --check-prefix=FP %s
// FP: -ffp-contract=off -funwind-tables {{.*}} -ffp-contract=fast {{.*}} -c {{.*}} -o dry-run.o
// Poll point options reach hm-instrument:
// RUN: %hmcc -### -c -fno-hm-poll %s 2>&1 | FileCheck --check-prefix=NOPOLL %s
// NOPOLL: hm-instrument {{.*}} --no-poll --
// RUN: %hmcc -### -c -fhm-poll-entries %s 2>&1 | FileCheck --check-prefix=ENTRIES %s
// ENTRIES: hm-instrument {{.*}} --poll-entries --
// Nothing to instrument: the underlying compiler does it all.
// RUN: %hmcc -### --version 2>&1 | FileCheck --check-prefix=VERSION %s
// VERSION: clang-16 --target=x86_64-linux-gnu --version
// Warnings a compiler holds back in macro expansions stay off in the expanded
// code, unless the user names them:
// RUN: %hmcc -### -c -Wall -Wparentheses-equality %s 2>&1 | FileCheck --check-prefix=MACRO %s
// MACRO: -Wall -Wparentheses-equality -Wno-misleading-indentation
// MACRO-NOT: -Wno-parentheses-equality
int main(void) { return 0; }
