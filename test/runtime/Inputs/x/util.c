#include <hm/migrate.h>
static int helper(int v) { migrate_now(); return v + 1; }
int fx(int v) { return helper(v); }
