/* Writes every line of its input four times: after a move, input and output
 * stream through the relay at once, more than any pipe holds. */
#include <stdio.h>

int main(void) {
  char line[64];
  printf("started\n");
  fflush(stdout);
  while (fgets(line, sizeof line, stdin))
    for (int i = 0; i < 4; i++)
      fputs(line, stdout);
  return 0;
}
