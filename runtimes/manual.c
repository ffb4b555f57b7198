/*
** manual.c: the manual runtime. calloc/free, as plain C does it; a handle is a pointer.
**
** Nothing is checked: misuse through the API (use after free, double drop, ...) is
** undefined behaviour, exactly as with malloc/free. Borrows and element access are plain
** pointer operations inlined from heaplab/direct_fast.h. hl_drop frees an object and, through its
** descriptor's drop glue, everything it owns.
*/
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

static inline void *direct_alloc(size_t n, bool pointer_free) {
    (void)pointer_free;
    return calloc(1, n);
}

static inline void *direct_realloc(void *p, size_t old, size_t n, bool pointer_free) {
    (void)old, (void)pointer_free;
    return realloc(p, n);
}

static inline void direct_free(void *p) { free(p); }

#define DIRECT_DROP_FREES 1
#include "direct.h"

const char *hl_runtime_name(void) { return "manual"; }

static bool running;

void hl_init(void) {
    if (running) return;
    running = true;
    hl__start();
}

/* manual counts allocations and frees, so it knows how many objects were never dropped.
** Drops after shutdown still free: harmless. */
size_t hl_shutdown(void) {
    size_t live = (size_t)(hl__count.allocations - hl__count.frees);
    running = false;
    hl__stats_export();
    return live;
}

void hl__stats_runtime(hl_stats *s) { (void)s; }
