/* hm/migrate.h — public interface of libhmrt, the hmcc migration runtime. */
#ifndef HM_MIGRATE_H
#define HM_MIGRATE_H

#ifdef __cplusplus
extern "C" {
#endif

/* A migration point.
 * Returns 0 where the program goes on where it was: no migration was requested,
 * or the requested one failed (the reason is on stderr and nothing was lost).
 * Returns 1 when it returns inside a process restored from an image.
 * A requested migration (HM_MIGRATE_TO=PATH) that succeeds does not return:
 * the image is written and the process exits with status 0. */
int migrate_now(void);

/* Names the active member of a union field from a sibling field, so that the
 * union can be converted between architectures:
 *
 *   struct value {
 *     enum kind kind;
 *     union { long i; double d; } as HM_UNION_TAG("kind: K_INT=i K_DOUBLE=d");
 *   };
 *
 * Each entry maps a value of the tag (an integer or an enumerator) to a member. */
#if defined(__clang__)
#define HM_UNION_TAG(spec) __attribute__((annotate("hm_tag " spec)))
#else
#define HM_UNION_TAG(spec)
#endif

/* Requests a migration at the next poll point (what the migration signal does). */
void hm_request_migration(void);

/* The architecture this binary was built for, e.g. "x86_64-linux-gnu". */
const char *hm_arch(void);

#ifdef __cplusplus
}
#endif

#endif /* HM_MIGRATE_H */
