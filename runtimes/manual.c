/*
** manual.c: the manual runtime. malloc/free, as plain C does it; a handle is the object's
** address, with its type id in the top bits (heaplab/direct_fast.h).
**
** Nothing is checked: misuse through the API (use after free, double drop, ...) is
** undefined behaviour, exactly as with malloc/free. Borrows and element access are plain
** pointer operations inlined from heaplab/direct_fast.h. hl_drop frees an object and, through its
** descriptor's drop glue, everything it owns.
*/
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

/* Zeroed blocks. Small ones come from malloc and are cleared here: glibc's calloc bypasses its
** per-thread cache, which costs every small allocation a trip through _int_malloc. Large ones
** from calloc, which gets fresh zero pages from the kernel without touching them. */
#define MANUAL_CALLOC_FROM (64 * 1024)
static inline void *direct_alloc(size_t n, bool pointer_free) {
    (void)pointer_free;
    if (n >= MANUAL_CALLOC_FROM) return calloc(1, n);
    void *p = malloc(n);
    if (!p) return NULL;
    HL__OPAQUE(p);   /* or GCC fuses malloc + memset back into calloc */
    return memset(p, 0, n);
}

static inline void *direct_realloc(void *p, size_t old, size_t n, bool pointer_free) {
    (void)old, (void)pointer_free;
    return realloc(p, n);
}

static inline void direct_free(void *p) { free(p); }

/* ---- type ids (the tag of a handle) ----------------------------------------------------- */

const hl_type *hl__mtypes[HL__MTYPES] = {NULL, &hl__bytes_type, &hl__refs_type};
static uint32_t nmtypes = HL__MTID_REFS + 1;

/* The id of t, registered on first use, and cached in the hl_new call site. Ids live as long
** as the process: a descriptor keeps its id across hl_init/hl_shutdown. */
uint32_t hl__mtype_register(const hl_type *t, hl_site *at) {
    uint32_t id = 1;
    while (id < nmtypes && hl__mtypes[id] != t) id++;
    if (id == nmtypes) {
        if (nmtypes == HL__MTYPES) {
            hl__panic_begin("too many types", at);
            hl__note("the manual runtime supports %u distinct hl_type descriptors", HL__MTYPES - 3);
            hl__panic_end();
        }
        hl__mtypes[nmtypes++] = t;
    }
    at->id = id;
    return id;
}

/* Set by hl_shutdown until the runtime starts again: drops are harmless no-ops meanwhile, as
** the contract says, instead of freeing. */
static bool direct_stopped;

#define DIRECT_DROP_FREES 1
#include "direct.h"

const char *hl_runtime_name(void) { return "manual"; }

static bool running;

void hl_init(void) {
    if (running) return;
    running = true;
    direct_stopped = false;
    hl__start();
}

/* manual counts allocations and frees, so it knows how many objects were never dropped. */
size_t hl_shutdown(void) {
    size_t live = (size_t)(hl__count.allocations - hl__count.frees);
    running = false;
    direct_stopped = true;
    hl__stop();
    return live;
}

void hl__stats_runtime(hl_stats *s) { (void)s; }
