// libc_state.h — the C library's hidden state that libhmrt owns (libc_state.c).
#ifndef HM_RUNTIME_LIBC_STATE_H
#define HM_RUNTIME_LIBC_STATE_H

extern "C" {
// Why that state cannot travel now (random()'s table in a program's buffer, ...),
// or null: asked at the migration point, before anything is unwound.
const char *hm_libc_uncarried(void);
// Moves what glibc keeps in its own structures into the global the image carries,
// with |errno_value|, errno at the migration point, and the signal dispositions
// but libhmrt's own |runtime_signal|'s.
void hm_libc_before_capture(int errno_value, int runtime_signal);
// After a restore from an image: rebuilds glibc's structures from that global and
// registers the atexit handlers and signal handlers again; returns null, or why
// the image is refused.
const char *hm_libc_after_restore(int runtime_signal);
// errno at the migration point, for the program to find when it goes on.
int hm_libc_errno(void);
}

#endif
