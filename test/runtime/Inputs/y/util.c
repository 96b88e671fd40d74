#include <hm/migrate.h>
static int helper(int v) { migrate_now(); return v * 100; }
int fy(int v) { return helper(v); }
