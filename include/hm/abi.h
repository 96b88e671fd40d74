/* hm/abi.h — the interface between code rewritten by hm-instrument and libhmrt.
 * Not for users: instrumented units include it; names and layouts may change with
 * the image format version. Everything is plain C so that any C compiler builds it. */
#ifndef HM_ABI_H
#define HM_ABI_H

/* The version of this interface. Raise it with any change an instrumented
 * object and libhmrt must agree on: each unit registers through a function
 * named after it, so objects of another hmcc fail to link (or to load) with
 * "undefined reference to hm_rt_register_unit_abiN" instead of being misread. */
#define HM_ABI_VERSION 9
#define HM_ABI_NAME2(name, version) name##_abi##version
#define HM_ABI_NAME(name, version) HM_ABI_NAME2(name, version)
#define hm_rt_register_unit HM_ABI_NAME(hm_rt_register_unit, HM_ABI_VERSION)

#ifdef __cplusplus
extern "C" {
#endif

/* What a value is, independently of its size on a given target. */
enum hm_kind {
  HM_K_SINT = 1,       /* two's complement signed integer, any width */
  HM_K_UINT = 2,       /* unsigned integer, any width */
  HM_K_CHAR = 3,       /* plain char: its bit pattern travels */
  HM_K_BOOL = 4,       /* _Bool */
  HM_K_FLOAT = 5,      /* IEEE binary32/binary64 (float, double) */
  HM_K_ARRAY = 6,      /* elem[count]; also _Complex T, as T[2] */
  HM_K_UNSUPPORTED = 7,/* cannot cross a process boundary yet: why says why */
  HM_K_LDOUBLE = 8,    /* long double: mant_dig tells binary64, x87 or binary128 */
  HM_K_STRUCT = 9,     /* fields */
  HM_K_UNION = 10,     /* fields are the members */
  HM_K_POINTER = 11,   /* elem: the pointee's type, or 0 for void and unknown */
  HM_K_FUNCPTR = 12    /* a pointer to a function of the program */
};

/* hm_type.flags */
enum {
  HM_F_ADDRESS_INT = 1, /* an integer type meant to hold addresses (uintptr_t) */
  /* The machine's own state (a jmp_buf): its bytes mean nothing elsewhere. The
   * receiver leaves its copy as it is; a setjmp on the way back re-arms it. */
  HM_F_MACHINE_STATE = 2,
  /* long or unsigned long, or spelled as a C library typedef that is one on
   * some target (size_t, ptrdiff_t, intptr_t): its size is the data model's. */
  HM_F_LONG = 4
};

struct hm_type;

/* A field of a struct or a member of a union. */
struct hm_field {
  const char *name;            /* "" for an anonymous member */
  const struct hm_type *type;
  unsigned long offset;        /* bytes; bit-fields: bit_offset says */
  unsigned long bit_offset;    /* from the start of the record, allocation order */
  unsigned bit_width;          /* 0: not a bit-field */
  /* A union field whose active member a sibling field names (HM_UNION_TAG):
   * tag_field is that sibling's index, and the first entry i whose
   * (tag & tag_masks[i]) == tag_values[i] selects member tag_members[i];
   * tag_masks null means every mask is all ones (the tag equals the value). A
   * mask is a flag bit of a status word (Lua's `ci->callstatus & CIST_C`).
   * tag_field is -1 otherwise. */
  int tag_field;
  const long long *tag_values;
  const unsigned *tag_members;
  unsigned ntags;
  const unsigned long long *tag_masks;
};

/* tag_members[i] == HM_TAG_OTHERS: the values not listed before it, whose member
 * nobody named (a tag hm-instrument inferred from the code): they follow the
 * rule of untagged unions. */
#define HM_TAG_OTHERS 0xffffffffu
struct hm_type {
  unsigned kind;               /* enum hm_kind */
  unsigned long size;          /* sizeof, filled in by the target compiler */
  const char *name;            /* C spelling, for messages */
  const struct hm_type *elem;  /* HM_K_ARRAY: element type */
  unsigned long count;         /* HM_K_ARRAY: number of elements */
  const char *why;             /* HM_K_UNSUPPORTED: the reason */
  const struct hm_field *fields; /* HM_K_STRUCT, HM_K_UNION */
  unsigned nfields;
  unsigned mant_dig;           /* HM_K_LDOUBLE: 53, 64 (x87) or 113 */
  unsigned flags;              /* HM_F_... */
};

struct hm_var {
  const char *name;            /* source name; stable key inside its function */
  const struct hm_type *type;  /* HM_V_VARIABLE_LENGTH: the element type */
  const char *where;           /* "file:line" of the declaration */
  unsigned offset;             /* where its bytes go in the frame's buffer */
  unsigned flags;              /* HM_V_... */
};
/* hm_var.flags: a variable-length array (double a[n]) of |type|, whose length
 * the frame says: hm_rt_save_vla and hm_rt_bind_vla pass its size. */
#define HM_V_VARIABLE_LENGTH 1u

/* The targets whose preprocessor gives other code (a target macro, an #if on
 * one) for what may run after a call site: its frame's values would mean
 * something else there, so it does not move there. */
struct hm_site_code {
  const char *differs_on;      /* "s390x-linux-gnu arm-linux-gnueabihf", or null */
  const char *at;              /* the first such line, "file.c:123" */
};

struct hm_func {
  const char *key;             /* "name", or "file.c:name" for static functions */
  const struct hm_var *vars;   /* parameters, locals and call temporaries */
  unsigned nvars;
  unsigned nsites;             /* call sites that may migrate, numbered from 1 */
  unsigned buffer_size;        /* bytes of the buffer that holds every variable */
  /* Per site k, at [k - 1]: where the code that may run after it is not the
   * same on other targets (null: the same on all of them). */
  const struct hm_site_code *site_code;
};

struct hm_global {
  const char *key;             /* "name", "file.c:name" (static), "file.c:fn.name" */
  const struct hm_type *type;
  void *addr;
  const char *where;
  unsigned constant;           /* const: pointers may point in, its bytes stay */
};

/* An allocation site that says what it allocates: malloc(n * sizeof(T)). */
struct hm_alloc_site {
  const char *key;             /* "file.c:function#N": stable across targets */
  const struct hm_type *type;  /* the element type */
  unsigned flags;              /* HM_SITE_ONE: one element, then raw bytes */
};
/* The size was sizeof(T) plus other bytes (a header struct and its text): the
 * block holds one T at its start, not an array of them. */
#define HM_SITE_ONE 1u

/* A string literal the program's pointers may point into. */
struct hm_literal {
  const char *key;             /* "file.c#N" */
  const void *addr;
  unsigned long size;
};

/* A function whose address the unit takes. */
struct hm_function {
  const char *key;             /* as hm_func keys */
  void (*addr)(void);
};

/* A struct that begins objects of several kinds (Lua's GCObject), whose tag
 * field's value the code tests before casting to the kind's struct
 * (switch (o->tt) { case LUA_VTABLE: (Table *)o ... }): an object reached
 * through a pointer to |header| whose tag holds |value| is a |type|. */
struct hm_downcast {
  const struct hm_type *header;
  unsigned tag_field;          /* index among header's fields */
  long long value;
  const struct hm_type *type;
};
/* A function of the program that cannot be on the stack at a migration point
 * (variadic, alloca, setjmp, ...): compiled as written, in section hm_pinned. */
struct hm_pinned {
  const char *key;             /* as hm_func keys */
  const char *where;           /* "file:line" */
  const char *why;             /* "it is variadic: ..." */
  void (*addr)(void);
};

struct hm_unit {
  const char *source;          /* the translation unit's source file */
  unsigned long long fingerprint; /* of the unit's source and its migratable structure */
  const struct hm_func *const *funcs;
  unsigned nfuncs;
  const struct hm_global *globals;
  unsigned nglobals;
  const struct hm_alloc_site *const *sites;
  unsigned nsites;
  const struct hm_literal *literals;
  unsigned nliterals;
  const struct hm_function *functions;
  unsigned nfunctions;
  const struct hm_pinned *pinned;
  unsigned npinned;
  const struct hm_downcast *downcasts;
  unsigned ndowncasts;
  /* The instrumented code of the module (executable or shared library) the unit
   * is in: its section hm_text, as that module's linker bounds it. */
  const char *text_begin, *text_end;
  /* Structs the unit's code names in offsetof(): the layouts it computes places
   * with (Lua's Udata0, whose bindata is where a userdata's bytes start). */
  const struct hm_type *const *layouts;
  unsigned nlayouts;
  /* Structs whose union tags the unit read off its code: the program's other
   * units' objects of the same struct take them too. */
  const struct hm_type *const *tagged;
  unsigned ntagged;
};

/* The runtime's entry points that only a migration reaches: their callers'
 * blocks are laid out and optimised as the rarely run paths they are. */
#define HM_RT_COLD __attribute__((cold))

/* One word holds everything instrumented code tests, so that each test is one
 * load and one branch: after a call, HM_MODE_CAPTURE; at a function's entry,
 * HM_MODE_RESTORE and HM_MODE_PENDING together. PENDING is or-ed in by the request
 * signal handler. The word is hidden: the runtime is linked into the executable,
 * so it is addressed directly, not through the GOT. */
enum hm_mode {
  HM_MODE_RUN = 0,
  HM_MODE_CAPTURE = 1,
  HM_MODE_RESTORE = 2,
  HM_MODE_PENDING = 4 /* a migration was requested from outside */
};
extern int hm_rt_mode __attribute__((visibility("hidden")));
/* A shared library reaches the executable's word through this exported pointer
 * (a hidden symbol cannot be exported). */
extern int *const hm_rt_shared_mode;
#if defined(__PIC__) && !defined(__PIE__) && !defined(HM_RUNTIME)
#define hm_rt_mode (*hm_rt_shared_mode)
#endif
/* Section hm_uncarried holds, NUL-terminated, the names ("fn.var at file:line")
 * of function-local statics whose type is declared in the function apart from
 * them: no descriptor can name it at file scope, so their values cannot be
 * carried, and libhmrt refuses every migration of a program that has one. */

/* A loop's poll point: one no-op instruction on the way round, which the
 * runtime turns into a jump to |label| while a request is pending or a restore
 * runs (like the kernel's static keys), and back when neither is. A test of the
 * word would cost a load and a branch every iteration. The section hm_polls
 * lists each one: the instruction and the label, relative to the entry; it is
 * retained ("R"), for lld's --gc-sections drops sections only __start_ names. */
#if defined(__PIC__) && !defined(__PIE__) && !defined(HM_RUNTIME)
/* A shared library's: the runtime patches the executable's poll points only. */
#elif defined(__x86_64__)
#define HM_POLL_INSN ".byte 0x0f, 0x1f, 0x44, 0x00, 0x00" /* 5-byte nop -> jmp rel32 */
#elif defined(__aarch64__)
#define HM_POLL_INSN "nop" /* -> b */
#elif defined(__s390x__)
#define HM_POLL_INSN "brcl 0, %l0" /* never taken -> brcl 15: always */
#elif defined(__arm__) && defined(__thumb2__)
#define HM_POLL_INSN "nop.w" /* -> b.w; the entry's low bit says Thumb */
#define HM_POLL_THUMB "1"
#elif defined(__arm__)
#define HM_POLL_INSN "nop" /* -> b */
#endif
#ifndef HM_POLL_THUMB
#define HM_POLL_THUMB "0"
#endif
#ifdef HM_POLL_INSN
#define HM_POLL(label)                                                             \
  __asm__ goto("0: " HM_POLL_INSN "\n\t.pushsection hm_polls, \"aR\"\n\t.balign 4\n\t"   \
               ".long 0b - . + " HM_POLL_THUMB ", %l0 - .\n\t.popsection" :::: label)
#else /* a target the runtime cannot patch: read the word */
#define HM_POLL(label)                                                             \
  do {                                                                             \
    if (__builtin_expect(*(volatile int *)&hm_rt_mode &                            \
                             (HM_MODE_RESTORE | HM_MODE_PENDING), 0))              \
      goto label;                                                                  \
  } while (0)
#endif
/* An address the program turns into a number (a pointer hash): the address
 * itself until a restore, then, for an object the restore brought, the number
 * its address had where it was made, so that numbers kept in the program's
 * data (where a hash table put a key) still hold. hm-instrument writes every
 * such cast `(T)p` as `(T)hm_rt_number(p)` (passes/AddressNumbers.cpp). */
extern int hm_rt_numbered __attribute__((visibility("hidden")));
extern int *const hm_rt_shared_numbered;
#if defined(__PIC__) && !defined(__PIE__) && !defined(HM_RUNTIME)
#define HM_RT_NUMBERED (*hm_rt_shared_numbered)
#else
#define HM_RT_NUMBERED hm_rt_numbered
#endif
__UINTPTR_TYPE__ hm_rt_renumber(const volatile void *p);
static __inline__ __UINTPTR_TYPE__ hm_rt_number_of(const volatile void *p) {
  return __builtin_expect(HM_RT_NUMBERED, 0) ? hm_rt_renumber(p) : (__UINTPTR_TYPE__)p;
}
#define hm_rt_number(p) hm_rt_number_of((const volatile void *)(p))

/* A poll point found a request pending: a migration point. */
int hm_rt_poll(void) HM_RT_COLD;

/* C library calls that may wait for input, as the program makes them in the
 * functions hm-instrument instruments (InstrumentContext::waitingInput): the
 * same, but a migration request that comes while they wait is served there,
 * before anything is read (the call is a migration point, which a restore
 * makes again). Streams are FILE *; ssize_t is __PTRDIFF_TYPE__ on every target. */
char *hm_rt_fgets(char *s, int n, void *stream);
int hm_rt_fgetc(void *stream);
int hm_rt_getc(void *stream);
int hm_rt_getchar(void);
__SIZE_TYPE__ hm_rt_fread(void *p, __SIZE_TYPE__ size, __SIZE_TYPE__ n, void *stream);
__PTRDIFF_TYPE__ hm_rt_getline(char **line, __SIZE_TYPE__ *n, void *stream);
__PTRDIFF_TYPE__ hm_rt_getdelim(char **line, __SIZE_TYPE__ *n, int delim, void *stream);
__PTRDIFF_TYPE__ hm_rt_read(int fd, void *buffer, __SIZE_TYPE__ n);
int hm_rt_scanf(const char *format, ...);
int hm_rt_fscanf(void *stream, const char *format, ...);

/* Called once per unit, from a constructor, before main. */
void hm_rt_register_unit(struct hm_unit *unit);

/* main's entry: starts a restore when HM_RESTORE names an image. argv's strings
 * are objects pointers may point into (0, 0 when main takes no parameters). */
void hm_rt_main_enter(int argc, char **argv);

/* An allocation whose site says what it holds; returns p. */
void *hm_rt_typed(void *p, const struct hm_alloc_site *site);
/* What a call that hands out memory returned, as (T *)f(..., sizeof(T)): a T
 * lives there, at a block's start or inside one; returns p. */
void *hm_rt_place(void *p, const struct hm_alloc_site *site);
/* A store through a char or void pointer cast to the site's type puts the
 * bytes of one such value where p points; returns p. A copy (memcpy, memmove)
 * from such values puts n bytes of them: hm_rt_copy_bytes moves them and
 * returns to. In char memory they are right only where that type keeps its
 * layout and byte order. */
void *hm_rt_bytes_of(void *p, const struct hm_alloc_site *site);
void *hm_rt_copy_bytes(void *to, const void *from, __SIZE_TYPE__ n,
                       const struct hm_alloc_site *site);
/* A copy between char or void memory (memcpy(out, scratch, len)): where the
 * source holds the bytes of typed values (above), so does the copy. Nonzero
 * once any such bytes were recorded: until then the copy is the C library's. */
extern int hm_rt_byte_records __attribute__((visibility("hidden")));
extern int *const hm_rt_shared_byte_records;
#if defined(__PIC__) && !defined(__PIE__) && !defined(HM_RUNTIME)
#define HM_RT_BYTE_RECORDS (*hm_rt_shared_byte_records)
#else
#define HM_RT_BYTE_RECORDS hm_rt_byte_records
#endif
void *hm_rt_copy_records(void *to, const void *from, __SIZE_TYPE__ n) HM_RT_COLD;
static __inline__ void *hm_rt_memcpy_raw(void *to, const void *from, __SIZE_TYPE__ n) {
  return __builtin_expect(HM_RT_BYTE_RECORDS, 0) ? hm_rt_copy_records(to, from, n)
                                                 : __builtin_memcpy(to, from, n);
}
static __inline__ void *hm_rt_memmove_raw(void *to, const void *from, __SIZE_TYPE__ n) {
  return __builtin_expect(HM_RT_BYTE_RECORDS, 0) ? hm_rt_copy_records(to, from, n)
                                                 : __builtin_memmove(to, from, n);
}
/* The size such a call was asked for, kept until hm_rt_place of the same site:
 * the piece handed out spans it, and what was placed inside it before is gone
 * (a longer string in a pool piece that held short ones). Returns n. */
__SIZE_TYPE__ hm_rt_keep_size(__SIZE_TYPE__ n, const struct hm_alloc_site *site);
/* strdup and strndup: their blocks hold text, whatever pointer keeps them (a
 * generic map's void *key), for the site's type is char. */
static __inline__ char *hm_rt_strdup(const char *s, const struct hm_alloc_site *site) {
  return (char *)hm_rt_typed(__builtin_strdup(s), site);
}
static __inline__ char *hm_rt_strndup(const char *s, __SIZE_TYPE__ n,
                                      const struct hm_alloc_site *site) {
  return (char *)hm_rt_typed(__builtin_strndup(s, n), site);
}
/* malloc and calloc at such a site. */
void *hm_rt_malloc(__SIZE_TYPE__ size, const struct hm_alloc_site *site);
void *hm_rt_calloc(__SIZE_TYPE__ n, __SIZE_TYPE__ size, const struct hm_alloc_site *site);

/* Capture: open the frame record of |func| at call |site| with the variables
 * |live| lists (their number, then their indices); returns the buffer into which
 * the code copies each one at its offset (struct hm_var). */
void *hm_rt_save_frame(const struct hm_func *func, unsigned site, const unsigned *live)
    HM_RT_COLD;
/* Instead, for a listed variable whose address the program may hold: its bytes
 * are copied from |addr|, and its address is part of the image's address map. */
void hm_rt_save_at(unsigned var, const void *addr) HM_RT_COLD;
/* The same for a variable-length array of |size| bytes. */
void hm_rt_save_vla(unsigned var, const void *addr, unsigned long size) HM_RT_COLD;

/* main's frame is recorded: write the image and exit, or, when that fails,
 * switch to restoring this same process so that it goes on where it was. */
void hm_rt_capture_complete(void) HM_RT_COLD;

/* Restore: take the next frame, which must belong to |func|; returns its site. */
unsigned hm_rt_resume(const struct hm_func *func) HM_RT_COLD;
/* The restored bytes of the variables |vars| lists (their number, then their
 * indices) of the current frame, in this target's layout, each at its offset in
 * the returned buffer. */
const void *hm_rt_load_vars(const unsigned *vars) HM_RT_COLD;
/* Restores variable |var| of the current frame in place, at its new address
 * (pointers to it are translated there); called before any hm_rt_load_vars. */
void hm_rt_bind(unsigned var, void *addr) HM_RT_COLD;
/* The same for a variable-length array of |size| bytes, declared again with the
 * length it had. */
void hm_rt_bind_vla(unsigned var, void *addr, unsigned long size) HM_RT_COLD;
/* A frame named a site this function does not have. */
void hm_rt_bad_site(const struct hm_func *func, unsigned site)
    __attribute__((noreturn)) HM_RT_COLD;

#ifdef __cplusplus
}
#endif

#endif /* HM_ABI_H */
