/* libc_state.c — state the C library keeps for the program (random()'s table,
 * drand48's seed, strtok's position, errno, getopt's variables, atexit's list):
 * libhmrt owns it, so that it travels in the image as globals of one more unit.
 *
 * The functions that own such state are defined here, over glibc's reentrant
 * versions on a state of ours, so that they give glibc's very sequences. They are
 * weak: a program that defines its own `random` keeps it. */
#define _GNU_SOURCE
#include "hm/abi.h"

#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HM_LIBC_WEAK __attribute__((weak))
#define HM_ATEXIT_MAX 32
#define HM_NSIG 65 /* signals 1 to 64, the same numbers on every target here */

/* Everything hidden that the program can observe, laid out with fixed-width
 * types: its descriptor below converts it like any global of the program. */
struct hm_libc_state {
  int32_t random_table[64];          /* glibc's header word, then random()'s state */
  int32_t random_front, random_rear; /* random_data's fptr and rptr, as indices */
  int32_t random_type;               /* TYPE_0 .. TYPE_4 */
  int32_t random_ready;              /* set up (lazily, as glibc's own is) */
  struct drand48_data drand;         /* drand48()'s seed and parameters */
  char *strtok_next;                 /* where strtok(NULL, ...) goes on */
  int32_t errno_value;               /* errno at the migration point */
  void (*atexit_fns[HM_ATEXIT_MAX])(void); /* atexit's list, in registration order */
  int32_t atexit_count;
  /* Signal dispositions (the kernel's, read at the migration point): */
  int32_t signal_kind[HM_NSIG];      /* HM_SIGNAL_... */
  void (*signal_handler[HM_NSIG])(void); /* HM_SIGNAL_HANDLED: the program's function */
  int32_t signal_flags[HM_NSIG];     /* HM_SA_... */
  uint64_t signal_mask[HM_NSIG];     /* blocked while it runs: bit n-1 for signal n */
  uint64_t blocked;                  /* the signal mask at the migration point */
};
enum { HM_SIGNAL_DEFAULT = 0, HM_SIGNAL_IGNORED = 1, HM_SIGNAL_HANDLED = 2 };

static struct hm_libc_state hm_libc;
static struct random_data hm_random; /* points into hm_libc.random_table */
/* atexit handlers registered in this process, whatever an image says: the
 * constructors that ran here before a restore registered their own again. */
static int32_t hm_atexit_here;

/* ---- random(), rand() and their seeds: glibc's algorithm on our table ---- */

static void random_ready(void) {
  if (hm_random.state)
    return;
  /* glibc's initial state is initstate(1, table, 128). */
  initstate_r(1, (char *)hm_libc.random_table, 128, &hm_random);
  hm_libc.random_ready = 1;
}

HM_LIBC_WEAK long random(void) {
  int32_t r;
  random_ready();
  random_r(&hm_random, &r);
  return r;
}
HM_LIBC_WEAK int rand(void) { return (int)random(); }
HM_LIBC_WEAK void srandom(unsigned seed) {
  random_ready();
  srandom_r(seed, &hm_random);
}
HM_LIBC_WEAK void srand(unsigned seed) { srandom(seed); }

/* As glibc's: the previous state (its header word first), where the position
 * is saved so that setstate() can come back to it. */
HM_LIBC_WEAK char *initstate(unsigned seed, char *state, size_t n) {
  random_ready();
  char *old = (char *)(hm_random.state - 1);
  return initstate_r(seed, state, n, &hm_random) < 0 ? NULL : old;
}
HM_LIBC_WEAK char *setstate(char *state) {
  random_ready();
  char *old = (char *)(hm_random.state - 1);
  return setstate_r(state, &hm_random) < 0 ? NULL : old;
}

/* ---- the drand48 family: glibc's _r functions on our seed ---- */

HM_LIBC_WEAK double drand48(void) {
  double r;
  erand48_r(hm_libc.drand.__x, &hm_libc.drand, &r);
  return r;
}
HM_LIBC_WEAK double erand48(unsigned short x[3]) {
  double r;
  erand48_r(x, &hm_libc.drand, &r);
  return r;
}
HM_LIBC_WEAK long lrand48(void) {
  long r;
  nrand48_r(hm_libc.drand.__x, &hm_libc.drand, &r);
  return r;
}
HM_LIBC_WEAK long nrand48(unsigned short x[3]) {
  long r;
  nrand48_r(x, &hm_libc.drand, &r);
  return r;
}
HM_LIBC_WEAK long mrand48(void) {
  long r;
  jrand48_r(hm_libc.drand.__x, &hm_libc.drand, &r);
  return r;
}
HM_LIBC_WEAK long jrand48(unsigned short x[3]) {
  long r;
  jrand48_r(x, &hm_libc.drand, &r);
  return r;
}
HM_LIBC_WEAK void srand48(long seed) { srand48_r(seed, &hm_libc.drand); }
HM_LIBC_WEAK unsigned short *seed48(unsigned short seed[3]) {
  seed48_r(seed, &hm_libc.drand);
  return hm_libc.drand.__old_x;
}
HM_LIBC_WEAK void lcong48(unsigned short param[7]) { lcong48_r(param, &hm_libc.drand); }

/* ---- strtok ---- */

HM_LIBC_WEAK char *strtok(char *s, const char *delim) {
  return strtok_r(s, delim, &hm_libc.strtok_next);
}

/* ---- atexit: the list is the program's, so it is re-made where it restores ---- */

extern void *__dso_handle;
int __cxa_atexit(void (*fn)(void *), void *arg, void *dso);

HM_LIBC_WEAK int atexit(void (*fn)(void)) {
  if (hm_libc.atexit_count < HM_ATEXIT_MAX)
    hm_libc.atexit_fns[hm_libc.atexit_count] = fn;
  /* One more than the list holds: the migration point refuses (hm_libc_uncarried). */
  if (hm_libc.atexit_count <= HM_ATEXIT_MAX)
    ++hm_libc.atexit_count;
  ++hm_atexit_here;
  return __cxa_atexit((void (*)(void *))fn, NULL, __dso_handle);
}

/* ---- signal dispositions: read from the kernel, set again on the receiver ---- */

/* sigaction's flags that mean the same everywhere, in bits of our own. */
static const int hm_sa_flags[] = {SA_SIGINFO, SA_RESTART,  SA_NODEFER,  SA_RESETHAND,
                                  SA_ONSTACK, SA_NOCLDSTOP, SA_NOCLDWAIT};
#define HM_NSA_FLAGS (int)(sizeof hm_sa_flags / sizeof *hm_sa_flags)

/* The signals whose disposition is the program's: not libhmrt's own, not those
 * nobody can catch, not those glibc keeps for its threads. */
static int program_signal(int sig, int runtime_signal) {
  return sig != runtime_signal && sig != SIGKILL && sig != SIGSTOP &&
         (sig < 32 || sig >= SIGRTMIN);
}

static uint64_t mask_bits(const sigset_t *set) {
  uint64_t bits = 0;
  for (int sig = 1; sig < HM_NSIG; ++sig)
    if (sigismember(set, sig) == 1)
      bits |= 1ULL << (sig - 1);
  return bits;
}

static void mask_set(uint64_t bits, sigset_t *set, int runtime_signal) {
  sigemptyset(set);
  for (int sig = 1; sig < HM_NSIG; ++sig)
    if ((bits >> (sig - 1) & 1) && program_signal(sig, runtime_signal))
      sigaddset(set, sig);
}

static void save_signals(int runtime_signal) {
  for (int sig = 1; sig < HM_NSIG; ++sig) {
    struct sigaction sa;
    hm_libc.signal_kind[sig] = HM_SIGNAL_DEFAULT;
    hm_libc.signal_handler[sig] = 0;
    if (!program_signal(sig, runtime_signal) || sigaction(sig, NULL, &sa) != 0)
      continue;
    if (sa.sa_handler == SIG_DFL)
      continue;
    if (sa.sa_handler == SIG_IGN) {
      hm_libc.signal_kind[sig] = HM_SIGNAL_IGNORED;
    } else {
      hm_libc.signal_kind[sig] = HM_SIGNAL_HANDLED;
      /* sa_handler and sa_sigaction share their storage. */
      hm_libc.signal_handler[sig] = (void (*)(void))sa.sa_handler;
    }
    int32_t flags = 0;
    for (int i = 0; i < HM_NSA_FLAGS; ++i)
      if (sa.sa_flags & hm_sa_flags[i])
        flags |= 1 << i;
    hm_libc.signal_flags[sig] = flags;
    hm_libc.signal_mask[sig] = mask_bits(&sa.sa_mask);
  }
  sigset_t now;
  if (sigprocmask(SIG_BLOCK, NULL, &now) == 0)
    hm_libc.blocked = mask_bits(&now);
}

static const char *restore_signals(int runtime_signal) {
  for (int sig = 1; sig < HM_NSIG; ++sig) {
    const int32_t kind = hm_libc.signal_kind[sig];
    if (kind == HM_SIGNAL_DEFAULT || !program_signal(sig, runtime_signal))
      continue;
    if ((kind != HM_SIGNAL_IGNORED && kind != HM_SIGNAL_HANDLED) ||
        (kind == HM_SIGNAL_HANDLED && !hm_libc.signal_handler[sig]) ||
        hm_libc.signal_flags[sig] >> HM_NSA_FLAGS)
      return "the image has a signal disposition this process cannot have";
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = kind == HM_SIGNAL_IGNORED ? SIG_IGN : (void (*)(int))hm_libc.signal_handler[sig];
    for (int i = 0; i < HM_NSA_FLAGS; ++i)
      if (hm_libc.signal_flags[sig] >> i & 1)
        sa.sa_flags |= hm_sa_flags[i];
    mask_set(hm_libc.signal_mask[sig], &sa.sa_mask, runtime_signal);
    if (sigaction(sig, &sa, NULL) != 0)
      return "a signal handler of the image could not be installed again";
  }
  sigset_t blocked;
  mask_set(hm_libc.blocked, &blocked, runtime_signal);
  sigprocmask(SIG_SETMASK, &blocked, NULL);
  return NULL;
}

/* ---- the runtime's side ---- */

static const char *const hm_uncarried_random =
    "random()'s state is in a buffer the program gave to initstate() or setstate(), "
    "which hmcc does not carry";
static const char *const hm_uncarried_atexit =
    "the program registered more than 32 atexit() handlers, which hmcc does not carry";

/* Why the state cannot travel now, or NULL. */
const char *hm_libc_uncarried(void) {
  if (hm_random.state && hm_random.state != hm_libc.random_table + 1)
    return hm_uncarried_random;
  if (hm_libc.atexit_count > HM_ATEXIT_MAX)
    return hm_uncarried_atexit;
  return NULL;
}

/* At the migration point, before anything is unwound: what is kept in glibc's
 * own structures goes into the global that the image carries. */
void hm_libc_before_capture(int errno_value, int runtime_signal) {
  hm_libc.errno_value = errno_value;
  save_signals(runtime_signal);
  if (hm_random.state) {
    hm_libc.random_front = (int32_t)(hm_random.fptr - hm_random.state);
    hm_libc.random_rear = (int32_t)(hm_random.rptr - hm_random.state);
    hm_libc.random_type = hm_random.rand_type;
  }
}

static int valid_random(void) {
  static const int8_t degrees[] = {0, 7, 15, 31, 63}, separations[] = {0, 3, 1, 3, 1};
  const struct hm_libc_state *s = &hm_libc;
  if (s->random_type < 0 || s->random_type > 4)
    return 0;
  const int deg = degrees[s->random_type];
  if (s->random_type == 0)
    return s->random_front >= 0 && s->random_rear >= 0;
  return s->random_front >= 0 && s->random_front < deg && s->random_rear >= 0 &&
         s->random_rear < deg &&
         (s->random_front - s->random_rear + deg) % deg == separations[s->random_type];
}

/* A restore from an image has converted the global: rebuild glibc's structures
 * from it and re-register the atexit handlers. Returns NULL, or what is wrong. */
const char *hm_libc_after_restore(int runtime_signal) {
  static const int8_t degrees[] = {0, 7, 15, 31, 63}, separations[] = {0, 3, 1, 3, 1};
  memset(&hm_random, 0, sizeof hm_random);
  if (hm_libc.random_ready) {
    if (!valid_random())
      return "the image's random() state has positions its table cannot have";
    const int type = hm_libc.random_type;
    hm_random.state = hm_libc.random_table + 1;
    hm_random.rand_type = (int8_t)type;
    hm_random.rand_deg = degrees[type];
    hm_random.rand_sep = separations[type];
    hm_random.fptr = hm_random.state + hm_libc.random_front;
    hm_random.rptr = hm_random.state + hm_libc.random_rear;
    hm_random.end_ptr = hm_random.state + degrees[type];
  }
  if (hm_libc.atexit_count < 0 || hm_libc.atexit_count > HM_ATEXIT_MAX)
    return "the image's atexit() list has a length it cannot have";
  for (int32_t i = hm_atexit_here; i < hm_libc.atexit_count; ++i)
    if (!hm_libc.atexit_fns[i] ||
        __cxa_atexit((void (*)(void *))hm_libc.atexit_fns[i], NULL, __dso_handle) != 0)
      return "an atexit() handler of the image could not be registered again";
  return restore_signals(runtime_signal);
}

int hm_libc_errno(void) { return hm_libc.errno_value; }

/* ---- the unit that carries it ---- */

#define HM_SCALAR(kind_, type_, name_) {.kind = kind_, .size = sizeof(type_), .name = name_}
#define HM_ARRAY(type_, name_, elem_, count_) \
  {.kind = HM_K_ARRAY, .size = sizeof(type_), .name = name_, .elem = &elem_, .count = count_}
#define HM_RECORD(type_, name_, fields_)                                              \
  {.kind = HM_K_STRUCT, .size = sizeof(type_), .name = name_, .fields = fields_,       \
   .nfields = sizeof fields_ / sizeof *fields_}
#define HM_FIELD(record, member, type_)                                               \
  {.name = #member, .type = &type_, .offset = offsetof(record, member),                \
   .bit_offset = 8 * offsetof(record, member), .tag_field = -1}

static const struct hm_type hm_t_int32 = HM_SCALAR(HM_K_SINT, int32_t, "int32_t");
static const struct hm_type hm_t_int = HM_SCALAR(HM_K_SINT, int, "int");
static const struct hm_type hm_t_ushort = HM_SCALAR(HM_K_UINT, unsigned short, "unsigned short");
static const struct hm_type hm_t_ullong =
    HM_SCALAR(HM_K_UINT, unsigned long long, "unsigned long long");
static const struct hm_type hm_t_char = HM_SCALAR(HM_K_CHAR, char, "char");
static const struct hm_type hm_t_char_ptr = {
    .kind = HM_K_POINTER, .size = sizeof(char *), .name = "char *", .elem = &hm_t_char};
static const struct hm_type hm_t_fn = HM_SCALAR(HM_K_FUNCPTR, void (*)(void), "void (*)(void)");
static const struct hm_type hm_t_table = HM_ARRAY(int32_t[64], "int32_t[64]", hm_t_int32, 64);
static const struct hm_type hm_t_ushort3 =
    HM_ARRAY(unsigned short[3], "unsigned short[3]", hm_t_ushort, 3);
static const struct hm_type hm_t_fns =
    HM_ARRAY(void (*[HM_ATEXIT_MAX])(void), "void (*[32])(void)", hm_t_fn, HM_ATEXIT_MAX);
static const struct hm_type hm_t_uint64 = HM_SCALAR(HM_K_UINT, uint64_t, "uint64_t");
static const struct hm_type hm_t_signal_ints =
    HM_ARRAY(int32_t[HM_NSIG], "int32_t[65]", hm_t_int32, HM_NSIG);
static const struct hm_type hm_t_signal_fns =
    HM_ARRAY(void (*[HM_NSIG])(void), "void (*[65])(void)", hm_t_fn, HM_NSIG);
static const struct hm_type hm_t_signal_masks =
    HM_ARRAY(uint64_t[HM_NSIG], "uint64_t[65]", hm_t_uint64, HM_NSIG);

static const struct hm_field hm_drand_fields[] = {
    HM_FIELD(struct drand48_data, __x, hm_t_ushort3),
    HM_FIELD(struct drand48_data, __old_x, hm_t_ushort3),
    HM_FIELD(struct drand48_data, __c, hm_t_ushort),
    HM_FIELD(struct drand48_data, __init, hm_t_ushort),
    HM_FIELD(struct drand48_data, __a, hm_t_ullong),
};
static const struct hm_type hm_t_drand =
    HM_RECORD(struct drand48_data, "struct drand48_data", hm_drand_fields);

static const struct hm_field hm_state_fields[] = {
    HM_FIELD(struct hm_libc_state, random_table, hm_t_table),
    HM_FIELD(struct hm_libc_state, random_front, hm_t_int32),
    HM_FIELD(struct hm_libc_state, random_rear, hm_t_int32),
    HM_FIELD(struct hm_libc_state, random_type, hm_t_int32),
    HM_FIELD(struct hm_libc_state, random_ready, hm_t_int32),
    HM_FIELD(struct hm_libc_state, drand, hm_t_drand),
    HM_FIELD(struct hm_libc_state, strtok_next, hm_t_char_ptr),
    HM_FIELD(struct hm_libc_state, errno_value, hm_t_int32),
    HM_FIELD(struct hm_libc_state, atexit_fns, hm_t_fns),
    HM_FIELD(struct hm_libc_state, atexit_count, hm_t_int32),
    HM_FIELD(struct hm_libc_state, signal_kind, hm_t_signal_ints),
    HM_FIELD(struct hm_libc_state, signal_handler, hm_t_signal_fns),
    HM_FIELD(struct hm_libc_state, signal_flags, hm_t_signal_ints),
    HM_FIELD(struct hm_libc_state, signal_mask, hm_t_signal_masks),
    HM_FIELD(struct hm_libc_state, blocked, hm_t_uint64),
};
static const struct hm_type hm_t_state =
    HM_RECORD(struct hm_libc_state, "struct hm_libc_state", hm_state_fields);

/* getopt's variables are glibc's globals (copied into the executable): they
 * travel by their own names. getopt's position inside a group of short options
 * ("-abc") is glibc's private state and does not. */
static const struct hm_global hm_libc_globals[] = {
    {.key = "<libc>:state", .type = &hm_t_state, .addr = &hm_libc, .where = "libhmrt"},
    {.key = "<libc>:optind", .type = &hm_t_int, .addr = &optind, .where = "libc"},
    {.key = "<libc>:opterr", .type = &hm_t_int, .addr = &opterr, .where = "libc"},
    {.key = "<libc>:optopt", .type = &hm_t_int, .addr = &optopt, .where = "libc"},
    {.key = "<libc>:optarg", .type = &hm_t_char_ptr, .addr = &optarg, .where = "libc"},
};

static struct hm_unit hm_libc_unit = {
    .source = "<libc>",
    .fingerprint = 1,
    .globals = hm_libc_globals,
    .nglobals = sizeof hm_libc_globals / sizeof *hm_libc_globals};

__attribute__((constructor(101))) static void hm_libc_register(void) {
  hm_rt_register_unit(&hm_libc_unit);
}
