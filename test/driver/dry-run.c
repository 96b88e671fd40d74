// -### prints the steps without running them: preprocess for the target,
// instrument, compile with -ffp-contract=off before the user's options, link libhmrt.
// RUN: %hmcc -### --target=aarch64-linux-gnu -O2 -DX=1 %s -o prog 2>&1 | FileCheck %s
// CHECK: clang-16 --target=aarch64-linux-gnu -E -D__HMCC__=1 -isystem {{.*}}/include -O2 -DX=1 {{.*}}dry-run.c -o [[I:.*]]/2-dry-run.i
// CHECK-NEXT: {{.*}}/bin/hm-instrument [[I]]/2-dry-run.i -o [[I]]/2-dry-run.hm.c -- --target=aarch64-linux-gnu -w
// CHECK-NEXT: clang-16 --target=aarch64-linux-gnu -ffp-contract=off -funwind-tables -c -isystem {{.*}}/include -O2 -Qunused-arguments [[I]]/2-dry-run.hm.c -o [[I]]/1-dry-run.o
// CHECK-NEXT: clang-16 --target=aarch64-linux-gnu -O2 -DX=1 [[I]]/1-dry-run.o {{.*}}/lib/aarch64-linux-gnu/libhmrt.a {{.*}}boost_serialization{{.*}} -lm -Qunused-arguments -o prog
// The user's choice of floating-point contraction comes later, so it wins:
// RUN: %hmcc -### -c -ffp-contract=fast %s 2>&1 | FileCheck --check-prefix=FP %s
// FP: -ffp-contract=off -funwind-tables -c {{.*}} -ffp-contract=fast {{.*}} -o dry-run.o
// Poll point options reach hm-instrument:
// RUN: %hmcc -### -c -fno-hm-poll %s 2>&1 | FileCheck --check-prefix=NOPOLL %s
// NOPOLL: hm-instrument {{.*}} --no-poll --
// RUN: %hmcc -### -c -fhm-poll-entries %s 2>&1 | FileCheck --check-prefix=ENTRIES %s
// ENTRIES: hm-instrument {{.*}} --poll-entries --
// Nothing to instrument: the underlying compiler does it all.
// RUN: %hmcc -### --version 2>&1 | FileCheck --check-prefix=VERSION %s
// VERSION: clang-16 --target=x86_64-linux-gnu --version
int main(void) { return 0; }
