#include <hm/migrate.h>
#include <math.h>
int scaled(int v) {
  int r = (int)floor(v * 3.0);
  migrate_now();
  return r;
}
