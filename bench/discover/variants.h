/*
** bench/discover/variants.h: runtime variants, the rows of the bench table. A variant is a directory of
** program binaries (build/<runtime>/) plus an environment: the plain runtimes manual, gc,
** owned (and any other runtime directory make produces), manual+jemalloc and manual+mimalloc
** (manual with the Debian allocator preloaded through LD_PRELOAD), gc-tuned (gc with
** GC_INITIAL_HEAP_SIZE=256 MiB, the documented tuned configuration) and rust-box (the Rust
** peers in build/rust/, built from bench/peers/rust/).
*/
#ifndef HLB_VARIANTS_H
#define HLB_VARIANTS_H

#include <stddef.h>

#define HLB_MAX_ENV 4

typedef struct hlb_variant {
    char *name;              /* row name: "manual", "manual+jemalloc", "gc-tuned", ... */
    char *dir;               /* binary directory: root/build/<dir-name> */
    char *env[HLB_MAX_ENV + 1]; /* NAME=VALUE strings added to the child's environment */
    int available;           /* usable on this machine */
    int peer;                /* a peer implementation (only some programs exist) */
    char *about;             /* one line for `heaplab list` */
    char *notice;            /* why unavailable, or NULL */
} hlb_variant;

/* The GC heap size of the tuned configuration. */
#define HLB_GC_TUNED_HEAP "268435456"

/* Build the variant list for build directory `build` (root/build): runtime directories
** found there, in the order manual, manual+jemalloc, manual+mimalloc, gc, gc-tuned, owned,
** other runtimes, rust-box. Unavailable allocator/peer variants are listed with a notice. */
void hlb_variants_discover(const char *build, hlb_variant **out, size_t *n);
void hlb_variants_free(hlb_variant *v, size_t n);

/* The shared object of a Debian allocator package ("libjemalloc2" -> its libjemalloc.so.N),
** from `dpkg -L`, or a search of the usual library directories; malloc'd or NULL. */
char *hlb_find_preload(const char *package, const char *soname_prefix);

/* The binary of program `prog` for variant v (malloc'd path; it may not exist). */
char *hlb_variant_binary(const hlb_variant *v, const char *prog);

#endif
