// Type descriptors leave sizes to the target compiler; what cannot migrate yet says why.
// RUN: clang-16 -E -isystem %hm-include %s -o %t.i
// RUN: %hm-instrument %t.i -o %t.hm.c -- -w
// RUN: FileCheck %s < %t.hm.c
// RUN: clang-16 -fsyntax-only -isystem %hm-include %t.hm.c
#include <hm/migrate.h>

enum small { A, B };
enum signed_enum { M = -1 };
char c;
signed char sc;
unsigned char uc;
_Bool flag;
enum small e1;
enum signed_enum e2;
unsigned long long ull[2][3];
float f;
long double ld;
int *p;
struct point { int x, y; } pt;

struct flags { unsigned a : 3; signed b : 5; } fl;
enum kind { K_INT, K_DBL };
struct tagged {
  enum kind kind;
  union { long i; double d; } as HM_UNION_TAG("kind: K_INT=i 1=d");
} tg;

int main(void) { return migrate_now(); }
// CHECK-DAG: = { 3, sizeof(char), "char", 0, 0UL, 0, 0, 0, 0, 0 };
// CHECK-DAG: = { 1, sizeof(signed char), "signed char", 0, 0UL, 0, 0, 0, 0, 0 };
// CHECK-DAG: = { 2, sizeof(unsigned char), "unsigned char", 0, 0UL, 0, 0, 0, 0, 0 };
// CHECK-DAG: = { 4, sizeof(_Bool), "_Bool", 0, 0UL, 0, 0, 0, 0, 0 };
// CHECK-DAG: = { 2, sizeof(unsigned int), "enum small", 0, 0UL, 0, 0, 0, 0, 0 };
// CHECK-DAG: = { 1, sizeof(int), "enum signed_enum", 0, 0UL, 0, 0, 0, 0, 0 };
// CHECK-DAG: [[ROW:hm_t[0-9]+]] = { 6, sizeof(unsigned long long[3]), "unsigned long long[3]", &hm_t{{[0-9]+}}, 3UL, 0, 0, 0, 0, 0 };
// CHECK-DAG: = { 6, sizeof(unsigned long long[2][3]), "unsigned long long[2][3]", &[[ROW]], 2UL, 0, 0, 0, 0, 0 };
// CHECK-DAG: = { 5, sizeof(float), "float", 0, 0UL, 0, 0, 0, 0, 0 };
// Long double says its format (64: x87 on x86_64).
// CHECK-DAG: = { 8, sizeof(long double), "long double", 0, 0UL, 0, 0, 0, 64, 0 };
// Pointers know their pointee's type.
// CHECK-DAG: = { 11, sizeof(void *), "int *", &hm_t{{[0-9]+}}, 0UL, 0, 0, 0, 0, 0 };
// Fields take their offsets from the target compiler; bit-fields from the layout.
// CHECK-DAG: { "y", &hm_t{{[0-9]+}}, __builtin_offsetof(struct point, y), 32UL, 0, -1, 0, 0, 0, 0 },
// CHECK-DAG: = { 9, sizeof(struct point), "struct point", 0, 0UL, 0, [[PT:hm_t[0-9]+]]_fields, 2, 0, 0 };
// CHECK-DAG: { "b", &hm_t{{[0-9]+}}, 0UL, 3UL, 5, -1, 0, 0, 0, 0 },
// A tagged union: the tag is field 0, values map to members.
// CHECK-DAG: static const long long [[TG:hm_t[0-9]+]]_tag1_values[] = { 0LL, 1LL, };
// CHECK-DAG: static const unsigned [[TG]]_tag1_members[] = { 0U, 1U, };
// CHECK-DAG: { "as", &hm_t{{[0-9]+}}, __builtin_offsetof(struct tagged, as), 64UL, 0, 0, [[TG]]_tag1_values, [[TG]]_tag1_members, 2, 0 },
