/*
** gc.c: the gc runtime. The Boehm-Demers-Weiser conservative collector allocates; hl_drop
** only forgets the handle (*r = HL_NULL) and the collector reclaims what is unreachable.
**
** Best honest configuration: pointer-free bytes buffers come from GC_MALLOC_ATOMIC (neither
** cleared nor scanned, so we clear them, except for hl_new_bytes_uninit), everything else from
** GC_MALLOC (cleared). Large blocks use the _ignore_off_page variants, which are valid because
** a handle always points at its block's start; this avoids Boehm's warnings and false
** retention for big buffers. Heap tuning is Boehm's own environment: GC_INITIAL_HEAP_SIZE,
** GC_MAXIMUM_HEAP_SIZE, GC_FREE_SPACE_DIVISOR (see docs/measuring.md).
*/
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

#include <gc.h>

static bool running;   /* as direct.h says */

static inline void *direct_alloc(size_t n, bool pointer_free, bool zero) {
    if (!pointer_free) return n < HL__GC_LARGE_BLOCK ? GC_MALLOC(n) : GC_MALLOC_IGNORE_OFF_PAGE(n);
    void *p = n < HL__GC_LARGE_BLOCK ? GC_MALLOC_ATOMIC(n) : GC_MALLOC_ATOMIC_IGNORE_OFF_PAGE(n);
    if (p && zero) memset(p, 0, n);
    return p;
}

/* GC_REALLOC keeps the block's kind (atomic or not). */
static inline void *direct_realloc(void *p, size_t old, size_t n, bool pointer_free) {
    (void)old, (void)pointer_free;
    return GC_REALLOC(p, n);
}

static inline void direct_free(void *p) { (void)p; }

/* Which kind of block the collector holds at p: buffers carry no kind word on gc. */
#include <gc/gc_mark.h>
#define DIRECT_KIND_POINTER_FREE 0   /* Boehm's PTRFREE kind, which GC_MALLOC_ATOMIC allocates */
static inline int direct_alloc_kind(const void *p) { return GC_get_kind_and_size(p, NULL); }

#define DIRECT_DROP_FREES 0
#define DIRECT_BYTES_INLINE_MAX (HL__GC_LARGE_BLOCK - DIRECT_BUF_HDR)   /* as direct_alloc */
#include "direct.h"

const char *hl_runtime_name(void) { return "gc"; }

/* hl_new's out-of-line path (heaplab/direct_fast.h). */
uintptr_t hl__gc_new_min = UINTPTR_MAX;

void *hl__gc_new_slow(void *obj, const hl_type *t, const hl_site *at) {
    direct_start_if_stopped();
    if (!obj) hl__out_of_memory(t->size, t->name, at);
    if (!hl__count_bytes) hl__gc_new_min = 1;
    hl__count_alloc(t->size);
    return obj;
}

/* Send hl_new and hl_new_bytes_uninit out of line until they find out whether statistics are
** on: at hl_init (statistics may have been requested) and hl_shutdown. */
static void inline_paths_off(void) {
    hl__gc_new_min = UINTPTR_MAX;
    hl__bytes_inline_max = 0;
}

void hl_init(void) {
    if (running) return;
    running = true;
    GC_INIT();
    hl__start();
    inline_paths_off();
}

/* The collector does not know which objects the program still means to own. */
size_t hl_shutdown(void) {
    running = false;
    hl__stop();
    inline_paths_off();
    return 0;
}

void hl__stats_runtime(hl_stats *s) {
    s->frees = 0;
    s->live_objects = 0;
    s->peak_live_bytes = 0;
    s->collections = GC_get_gc_no();
    s->gc_heap_bytes = GC_get_heap_size();
}
