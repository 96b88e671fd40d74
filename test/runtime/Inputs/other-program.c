#include <hm/migrate.h>
#include <stdio.h>

int main(void) {
  int total = 0;
  for (int i = 0; i < 100; i++) {
    total += i;
    if (i == 50)
      migrate_now();
  }
  printf("total %d\n", total);
  return 0;
}
