// An allocator that says nothing of what it allocates (typing-cycle.c).
#include <stdlib.h>
void *raw(size_t n) { return malloc(n); }
