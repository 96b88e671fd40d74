// -### prints the steps without running them: check the source with the user's
// options, preprocess for the target (and for every other target hmcc has a
// runtime for, whose code hm-instrument compares), instrument, then compile and link libhmrt
// in one run of the compiler (with -ffp-contract=off before the user's options;
// with lld where it links the target, unless the user chose a linker).
// Preprocessor options stay out of the compiling; the instrumented unit is
// compiled without warnings (the check gave the user's).
// RUN: %hmcc -### --target=aarch64-linux-gnu -O2 -DX=1 %s -o prog 2>&1 | FileCheck %s
// CHECK: clang-16 --target=aarch64-linux-gnu -fsyntax-only -D__HMCC__=1 -isystem {{.*}}/include -O2 -DX=1 -Qunused-arguments {{.*}}dry-run.c
// CHECK-NEXT: clang-16 --target=aarch64-linux-gnu -E -D__HMCC__=1 -isystem {{.*}}/include -O2 -DX=1 -w {{.*}}dry-run.c -o [[I:.*]]/2-dry-run.i
// CHECK-NEXT: clang-16 --target=x86_64-linux-gnu -E -D__HMCC__=1 -isystem {{.*}}/include -O2 -DX=1 -w {{.*}}dry-run.c -o [[I]]/2-dry-run.x86_64-linux-gnu.i
// CHECK-NEXT: clang-16 --target=s390x-linux-gnu -E {{.*}} -o [[I]]/2-dry-run.s390x-linux-gnu.i
// CHECK-NEXT: clang-16 --target=arm-linux-gnueabihf -E {{.*}} -o [[I]]/2-dry-run.arm-linux-gnueabihf.i
// CHECK-NEXT: {{.*}}/bin/hm-instrument [[I]]/2-dry-run.i -o [[I]]/2-dry-run.hm.c --unit-name={{.*}}dry-run.c --peer=x86_64-linux-gnu=[[I]]/2-dry-run.x86_64-linux-gnu.i --peer=s390x-linux-gnu=[[I]]/2-dry-run.s390x-linux-gnu.i --peer=arm-linux-gnueabihf=[[I]]/2-dry-run.arm-linux-gnueabihf.i -- --target=aarch64-linux-gnu -w -O2
// CHECK-NEXT: clang-16 --target=aarch64-linux-gnu -ffp-contract=off -isystem {{.*}}/include -O2 -x c [[I]]/2-dry-run.hm.c -x none -funwind-tables -w -Qunused-arguments -Wl,--whole-archive {{.*}}/lib/hmcc/aarch64-linux-gnu/libhmrt.a -Wl,--no-whole-archive -Wl,--export-dynamic-symbol=hm_rt_* {{.*}}boost_serialization{{.*}} -lm -fuse-ld=lld -o prog
// CHECK-NOT: clang-16
// RUN: %hmcc -### --target=s390x-linux-gnu %s -o prog 2>&1 | FileCheck --check-prefix=BFD %s
// RUN: %hmcc -### -fuse-ld=bfd %s -o prog 2>&1 | FileCheck --check-prefix=BFD %s
// BFD-NOT: -fuse-ld=lld
// The user's choice of floating-point contraction comes later, so it wins:
// RUN: %hmcc -### -c -ffp-contract=fast %s 2>&1 | FileCheck --check-prefix=FP %s
// FP: -ffp-contract=off {{.*}} -ffp-contract=fast {{.*}} -c {{.*}} -o dry-run.o
// Dependency files come from the preprocessing for the target alone:
// RUN: %hmcc -### -c -MD -MF deps.d %s 2>&1 | FileCheck --check-prefix=DEPS %s
// DEPS: clang-16 --target=x86_64-linux-gnu -E {{.*}}-MD -MF deps.d {{.*}}-MT dry-run.o
// DEPS-NOT: -MD
// DEPS: hm-instrument
// Poll point options reach hm-instrument:
// RUN: %hmcc -### -c -fno-hm-poll %s 2>&1 | FileCheck --check-prefix=NOPOLL %s
// NOPOLL: hm-instrument {{.*}} --no-poll --
// RUN: %hmcc -### -c -fhm-poll-entries %s 2>&1 | FileCheck --check-prefix=ENTRIES %s
// ENTRIES: hm-instrument {{.*}} --poll-entries --
// Nothing to instrument: the underlying compiler does it all.
// RUN: %hmcc -### -fno-hm %s -o prog 2>&1 | FileCheck --check-prefix=NOHM %s
// NOHM: clang-16 --target=x86_64-linux-gnu -D__HMCC__=1 -isystem {{.*}} {{.*}}dry-run.c -o prog
// NOHM-NOT: libhmrt
// Warnings reach only the check; the instrumented unit gets what the user
// turned off (an error by default, such as implicit int):
// RUN: %hmcc -### -c -Wall -Wno-implicit-int %s 2>&1 | FileCheck --check-prefix=WARN %s
// WARN: -fsyntax-only {{.*}} -Wall -Wno-implicit-int
// WARN: hm-instrument {{.*}} -w -Wno-implicit-int
// WARN: -ffp-contract=off {{.*}} -Wno-implicit-int -funwind-tables -w
int main(void) { return 0; }
