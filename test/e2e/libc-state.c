// State the C library keeps for the program travels with it: random()'s and
// rand()'s table, drand48's seed and parameters, strtok's position, errno,
// getopt's optind and optarg, the atexit list (a handler registered before the
// migration runs at the receiver's exit), signal dispositions and the signal mask,
// and main's arguments as the program left them.
// RUN: %migrate-matrix --points all --checkpoints --args "one -n 3 two -v three" %s | FileCheck %s
// CHECK: libc-state: 8 of 8 checkpoints go on
// CHECK: libc-state: 12 pairs x 8 points: 96 of 96 migrations match
#include <errno.h>
#include <hm/migrate.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int rounds;
static volatile sig_atomic_t usr2_seen;

static void on_usr2(int sig) { usr2_seen += sig == SIGUSR2; }

static void at_exit_report(void) { printf("atexit: %d %ld\n", rand() % 1000, lrand48()); }

// A migration point in a callee, with the library's state changed around it.
static long draw(int k) {
  long r = random();
  migrate_now();
  return r ^ (random() % (k + 1));
}

int main(int argc, char **argv) {
  int c, verbose = 0;
  while ((c = getopt(argc, argv, "n:v")) != -1)
    if (c == 'n')
      rounds = atoi(optarg);
    else if (c == 'v')
      verbose = 1;
  atexit(at_exit_report);
  signal(SIGUSR2, on_usr2);
  signal(SIGPIPE, SIG_IGN);
  sigset_t hup;
  sigemptyset(&hup);
  sigaddset(&hup, SIGHUP);
  sigprocmask(SIG_BLOCK, &hup, NULL);
  srand(42);
  srand48(1234);
  printf("first: %d %f\n", rand(), drand48());
  migrate_now(); // 1
  printf("after: %d %ld %f\n", rand(), mrand48(), drand48());

  char text[] = "alpha,beta;gamma delta,epsilon";
  printf("token: %s\n", strtok(text, ",; "));
  migrate_now(); // 2
  printf("token: %s\n", strtok(NULL, ",; "));

  errno = 0;
  strtol("99999999999999999999999999", NULL, 10);
  migrate_now(); // 3: errno is still ERANGE after it
  printf("errno: %s\n", errno == ERANGE ? "ERANGE" : "lost");

  for (int i = 0; i < rounds; ++i) // 4, 5, 6
    printf("draw %d: %ld\n", i, draw(i));

  unsigned short param[7] = {0x1234, 0x5678, 0x9abc, 0x5, 0xdeec, 0xe66d, 0xb};
  lcong48(param);
  migrate_now(); // 7
  printf("lcong48: %ld %ld\n", lrand48(), nrand48(param));

  // getopt's optind says where the operands start; the signals are as they were.
  migrate_now(); // 8
  raise(SIGUSR2);
  sigset_t now;
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("signals: usr2 %d, pipe %s, hup %s\n", (int)usr2_seen,
         signal(SIGPIPE, SIG_DFL) == SIG_IGN ? "ignored" : "lost",
         sigismember(&now, SIGHUP) ? "blocked" : "lost");
  for (int i = optind; i < argc; ++i)
    printf("operand %s%s\n", argv[i], verbose ? " (verbose)" : "");
  printf("token: %s %s\n", strtok(NULL, ",; "), strtok(NULL, ",; "));
  return 0;
}
