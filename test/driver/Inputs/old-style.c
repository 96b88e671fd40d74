/* K&R C that clang-16 refuses by default in C99 and later. */
f(x) { return x + 1; }
int main(void) { return f(1) - 2; }
