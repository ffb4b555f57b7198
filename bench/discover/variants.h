/*
** bench/discover/variants.h: the one list of runtime variants: the rows of bench and run, the
** columns of safety. A variant is a directory of program binaries and/or fault binaries plus
** an environment (and, for valgrind, a command to run them under). In this order when present:
**
**   c, c+gc, rust             peers (build/peers/<name>/): each workload written without heaplab;
**                             a peer may lack a program
**   manual                    build/manual/ (malloc/free through the API)
**   manual+jemalloc, +mimalloc manual with a Debian allocator preloaded (LD_PRELOAD)
**   gc, gc-tuned              build/gc/; gc-tuned adds GC_INITIAL_HEAP_SIZE=256 MiB and is
**                             benched on request only (make bench's budget: see variants.c)
**   owned                     build/owned/
**   <other>                   any other build/<name>/ holding program or fault binaries
**   manual+asan               build/asan/faults/: the faults under AddressSanitizer + UBSan
**   manual+valgrind           build/manual/faults/ under valgrind memcheck (when installed)
**
** Bench and run use the variants with program binaries; safety uses every variant whose own
** directory has faults/ binaries (plain runtime directories, manual+asan, manual+valgrind).
*/
#ifndef HLB_VARIANTS_H
#define HLB_VARIANTS_H

#include "util/util.h"

#include <stddef.h>

#define HLB_MAX_ENV 4

typedef struct hlb_variant {
    char *name;              /* "manual", "manual+jemalloc", "gc-tuned", "rust", ... */
    const char *alias;       /* another accepted name ("asan", "valgrind"), or NULL */
    char *dir;               /* program binaries (build/<rt>, build/peers/<p>), or NULL */
    char *faults;            /* fault binaries (build/<rt>/faults), or NULL */
    char *env[HLB_MAX_ENV + 1]; /* NAME=VALUE strings added to the child's environment */
    const char *const *wrap; /* command the binary runs under (valgrind ...), or NULL */
    int peer;                /* a peer implementation (only some programs exist) */
    int bench;               /* a row of bench and run (has program binaries) */
    int on_request;          /* a bench row only when named (--runtimes): left out of the default */
    int safety;              /* a column of safety (has fault binaries) */
    int available;           /* usable on this machine */
    char *about;             /* one line for `heaplab list` */
    char *notice;            /* why unavailable, or NULL */
} hlb_variant;

/* Predicates for hlb_catalog_variant_names and friends: a row of bench and run; a column of
** safety. */
int hlb_is_bench_variant(const hlb_variant *v);
int hlb_is_safety_variant(const hlb_variant *v);

/* The GC heap size of the tuned configuration. */
#define HLB_GC_TUNED_HEAP "268435456"

/* Build the variant list for build directory `build`. */
void hlb_variants_discover(const char *build, hlb_variant **out, size_t *n);
void hlb_variants_free(hlb_variant *v, size_t n);

/* The shared object of a Debian allocator package ("libjemalloc2" -> its libjemalloc.so.N),
** from `dpkg -L`, or a search of the usual library directories; malloc'd or NULL. */
char *hlb_find_preload(const char *package, const char *soname_prefix);

/* The binary of program `prog` for variant v (malloc'd path; it may not exist). */
char *hlb_variant_binary(const hlb_variant *v, const char *prog);
/* The fault binary `fault` for variant v (malloc'd path, or NULL when v has no faults). */
char *hlb_variant_fault(const hlb_variant *v, const char *fault);

/* The names of the executable regular files in dir, added to l (not sorted). */
void hlb_scan_executables(const char *dir, hlb_strlist *l);

#endif
