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

int main(void) { return migrate_now(); }
// CHECK-DAG: = { 3, sizeof(char), "char", 0, 0UL, 0 };
// CHECK-DAG: = { 1, sizeof(signed char), "signed char", 0, 0UL, 0 };
// CHECK-DAG: = { 2, sizeof(unsigned char), "unsigned char", 0, 0UL, 0 };
// CHECK-DAG: = { 4, sizeof(_Bool), "_Bool", 0, 0UL, 0 };
// CHECK-DAG: = { 2, sizeof(unsigned int), "enum small", 0, 0UL, 0 };
// CHECK-DAG: = { 1, sizeof(int), "enum signed_enum", 0, 0UL, 0 };
// CHECK-DAG: [[ROW:hm_t[0-9]+]] = { 6, sizeof(unsigned long long[3]), "unsigned long long[3]", &hm_t{{[0-9]+}}, 3UL, 0 };
// CHECK-DAG: = { 6, sizeof(unsigned long long[2][3]), "unsigned long long[2][3]", &[[ROW]], 2UL, 0 };
// CHECK-DAG: = { 5, sizeof(float), "float", 0, 0UL, 0 };
// CHECK-DAG: = { 7, 16UL, "long double", 0, 0UL, "long double differs between targets and is not converted yet" };
// CHECK-DAG: = { 7, 8UL, "int *", 0, 0UL, "pointers are not converted yet" };
// CHECK-DAG: = { 7, 8UL, "struct point", 0, 0UL, "structs are not converted yet" };
