// A long whose type the preprocessor spells per target, read off the unit
// preprocessed for the other targets: Lua's Rand64 (a macro) and a typedef
// under #if are 8 bytes on every target, so their descriptors carry no
// HM_F_LONG (4); a plain unsigned long does. A pointer's pointee is the type
// as spelled, and pointers to the two kinds keep apart. Without the other
// targets' text, every long is the data model's.
// RUN: clang-16 --target=x86_64-linux-gnu -E -isystem %hm-include %s -o %t.i
// RUN: clang-16 --target=arm-linux-gnueabihf -E -isystem %hm-include %s -o %t.arm.i
// RUN: clang-16 --target=aarch64-linux-gnu -E -isystem %hm-include %s -o %t.aarch64.i
// RUN: %hm-instrument %t.i -o %t.hm.c --peer=aarch64-linux-gnu=%t.aarch64.i --peer=arm-linux-gnueabihf=%t.arm.i -- -w --target=x86_64-linux-gnu
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -w -isystem %hm-include %t.hm.c
// RUN: %hm-instrument %t.i -o %t.alone.hm.c -- -w --target=x86_64-linux-gnu
// RUN: FileCheck --check-prefix=ALONE %s < %t.alone.hm.c
#include <hm/migrate.h>
#include <limits.h>
#include <stdint.h>

#if ((ULONG_MAX >> 31) >> 31) >= 3
#define Rand64 unsigned long
typedef unsigned long word64;
#else
#define Rand64 unsigned long long
typedef unsigned long long word64;
#endif

// CHECK: static const struct hm_type [[FIXED:hm_t[0-9]+]] = { 2, sizeof(unsigned long), "{{unsigned long|word64}}", 0, 0UL, 0, 0, 0, 0, 0 };
// CHECK: "unsigned long[4]", &[[FIXED]], 4UL,
// CHECK: static const struct hm_type [[LONG:hm_t[0-9]+]] = { 2, sizeof(unsigned long), "unsigned long", 0, 0UL, 0, 0, 0, 0, 4 };
// CHECK: "uint64_t *", &[[FIXED]],
// CHECK: "unsigned long *", &[[LONG]],
// CHECK: { "count", &[[FIXED]],
// CHECK: { "plain", &[[LONG]],
// CHECK: { "local", &[[FIXED]],
// ALONE: static const struct hm_type [[ALONG:hm_t[0-9]+]] = { 2, sizeof(unsigned long), "{{unsigned long|word64}}", 0, 0UL, 0, 0, 0, 0, 4 };
// ALONE: "unsigned long[4]", &[[ALONG]], 4UL,
// ALONE: { "local", &[[ALONG]],
struct state {
  Rand64 s[4];
  word64 count;
  unsigned long plain;
  uint64_t *sixtyfour;
  unsigned long *longs;
};
struct state g;

int main(void) {
  word64 local = g.count;
  migrate_now();
  return (int)(local + g.s[0]);
}
