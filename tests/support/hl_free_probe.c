/*
** hl_free_probe.c: see hl_free_probe.h.
*/
#include "hl_free_probe.h"

#include <stdlib.h>

/* volatile: GCC takes free() for the library's, which touches no program variable, and would
** otherwise fold the count around a call to it. */
static volatile uint64_t freed;

/* AddressSanitizer defines free itself (GCC says so with __SANITIZE_ADDRESS__, Clang with
** __has_feature). */
#if defined(__SANITIZE_ADDRESS__)
#define HL_PROBE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HL_PROBE_ASAN 1
#endif
#endif

#if !defined(HL_PROBE_ASAN)
/* glibc's free under its other exported name: the probe's free counts and hands the block on. */
extern void __libc_free(void *p);

void free(void *p) {
    if (p) freed = freed + 1;
    __libc_free(p);
}
#endif

uint64_t hl_free_probe_count(void) { return freed; }

/* Whether the probe sees the runtime's frees, found once at process start (it frees a block
** itself, which must not fall between two readings of a check): one block through malloc and
** free, free called through a pointer as the runtime calls it (under valgrind that call goes to
** valgrind's free; inlined, it would reach the probe's). */
static bool works;

__attribute__((constructor)) static void probe_check(void) {
    void (*volatile free_fn)(void *) = free;
    void *p = malloc(1);
    if (!p) return;
    uint64_t before = freed;
    free_fn(p);
    works = freed == before + 1;
}

bool hl_free_probe_works(void) { return works; }
