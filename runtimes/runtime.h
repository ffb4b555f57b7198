/*
** runtime.h: what the three runtimes share, private to runtimes/.
**
** - statistics counters and their update helpers (hl_get_stats reads them);
** - fatal diagnostics in the format of docs/design.md (a block on stderr, exit status 101);
** - the built-in descriptors of bytes and refs buffers;
** - the iterative drop worklist (a growable stack of handles);
** - zeroed blocks from the C heap (hl__zalloc).
*/
#ifndef HL_RUNTIME_H
#define HL_RUNTIME_H

#include "heaplab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exit status of a violation or an unrecoverable error: Rust's panic status. */
#define HL_EXIT_PANIC 101

/* The counters behind hl_get_stats (hl__count, hl__count_alloc, ...) are declared in
** heaplab.h's implementation section: the inline allocation paths update them. */

/* Report stack overflow as a diagnostic (shared_signals.c); hl__start calls it. */
void hl__signals_install(void);

/* What every runtime's hl_init does first: install the stack-overflow handler and read
** HEAPLAB_STATS (byte totals wanted, the file written at exit). */
void hl__start(void);

/* What every runtime's hl_shutdown does once it knows its leaks: write HEAPLAB_STATS and
** restart the counters. */
void hl__stop(void);

/* Write HEAPLAB_STATS now (once per hl_init; hl_shutdown calls it, or process exit). */
void hl__stats_export(void);

/* The runtime-specific part of hl_get_stats: collections and heap size (gc), or nothing. */
void hl__stats_runtime(hl_stats *s);

/* A zeroed block of n bytes from the C heap, NULL when there is no memory. Below 64 KiB from
** malloc, cleared here: glibc's calloc bypasses its per-thread cache, which costs every such
** allocation a trip through _int_malloc. From 64 KiB on, calloc gets fresh zero pages from the
** kernel without touching them. The empty asm keeps GCC from fusing malloc + memset back into
** calloc. manual's buffers and owned's large blocks come from here. */
#define HL_ZALLOC_CALLOC_FROM (64 * 1024)
static inline void *hl__zalloc(size_t n) {
    if (n >= HL_ZALLOC_CALLOC_FROM) return calloc(1, n);
    void *p = malloc(n);
    if (!p) return NULL;
    __asm__("" : : "r"(p) : "memory");
    memset(p, 0, n);
    return p;
}

/* Element size of a buffer kind: 1 for bytes, sizeof(hl_ref) for refs. */
static inline size_t hl__elem_size(const hl_type *kind) { return kind == &hl__refs_type ? sizeof(hl_ref) : 1; }

/* Fatal errors. hl__panic_begin prints "heaplab: error: <kind>" and the "-->" line (at may
** be NULL: no location); the caller adds "   = note: ..." lines with hl__note and ends with
** hl__panic_end, which exits with status 101. */
void hl__panic_begin(const char *kind, const hl_site *at);
void hl__note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
HL__NORETURN void hl__panic_end(void);

/* When HEAPLAB_BACKTRACE is set (not empty, not 0): "stack backtrace:" and the program's
** frames on stderr (shared_backtrace.c). hl__panic_end and hl__out_of_memory call it. */
void hl__backtrace(void);


/* The note of an HL_RANGE error: "range end index E out of range for slice of length N". */
void hl__range_note(size_t len, size_t start, size_t n);

/* Overflow-checked size arithmetic for allocation requests: a*b + c, or out of memory.
** Inline: every allocation of a buffer computes one or two. */
static inline size_t hl__size(size_t a, size_t b, size_t c, const char *what, const hl_site *at) {
    size_t ab, r;
    if (HL__UNLIKELY(__builtin_mul_overflow(a, b, &ab) || __builtin_add_overflow(ab, c, &r)))
        hl__out_of_memory(SIZE_MAX, what, at);
    return r;
}

/* The drop worklist: a LIFO stack of handles still to be dropped. It lives as long as the
** process (reused by every drop) so dropping does not allocate in the common case. */
typedef struct hl__worklist {
    hl_ref *items;
    size_t  len, cap;
} hl__worklist;

void hl__worklist_grow(hl__worklist *w);

static inline void hl__worklist_push(hl__worklist *w, hl_ref r) {
    if (HL__UNLIKELY(w->len == w->cap)) hl__worklist_grow(w);
    w->items[w->len++] = r;
}

/* Push the owned handles of an object so that they pop in order (fields in declaration
** order, elements first to last); null and moved-out handles are skipped. offsets: the
** byte offsets of n owned fields, or NULL for an array of n elements. Room is made once and
** the top kept in a local: this runs for every object every drop frees. */
static inline void hl__worklist_push_owned(hl__worklist *w, const void *obj, const size_t *offsets, size_t n) {
    while (HL__UNLIKELY(w->cap - w->len < n)) hl__worklist_grow(w);
    hl_ref *top = w->items + w->len;
    for (size_t k = n; k-- > 0;) {
        hl_ref c = offsets ? *(const hl_ref *)((const char *)obj + offsets[k]) : ((const hl_ref *)obj)[k];
        if (!hl_is_null(c)) *top++ = c;
    }
    w->len = (size_t)(top - w->items);
}

#endif
