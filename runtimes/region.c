/*
** region.c: the region runtime. Allocation bumps a pointer through large chunks; hl_drop
** frees nothing (drop glue is skipped: the owned fields die with the region);
** hl_region_end releases everything allocated since its mark in one step. A handle is the
** payload's address, as on gc (heaplab/direct_fast.h): a typed object is its struct, a buffer
** [ kind ][ len ][ payload ], its kind word (pointer-free or not) read only by hl_resize.
**
** Nothing is checked: an object of a region used after the region ended is undefined
** behaviour. A program that passes the owned runtime with its region marks is correct here
** (docs/design.md, "Regions"). This is the speed limit of allocation, and its memory is the
** price of forcing LIFO lifetimes on a program: objects allocated outside any region, or whose
** region lives long, are never reclaimed before hl_shutdown.
**
** Memory: chunks of REGION_CHUNK bytes, the newest first on `used`; a block larger than
** REGION_BIG gets a chunk of its own (on `bigs`), so that a large buffer does not waste a
** chunk's tail. A mark remembers the current chunk, the bump position and the newest big
** chunk; ending its region puts the chunks taken since on `spare` for reuse (big ones are
** freed) and moves the bump back. Blocks are zeroed when handed out, since chunks are reused.
**
** Huge pages. Memory a process touches for the first time costs a page fault per 4 KiB page
** (12 to 17 microseconds each on the virtual machines heaplab is measured on: 3 to 4.6 s per
** GiB). A region that never ends before its program does (alloc_mix's whole run) touches
** gigabytes that way, and its time is mostly faults. So once the chunks held reach
** REGION_HUGE_AFTER, new chunks are REGION_HUGE_CHUNK bytes, aligned to that size and
** advised MADV_HUGEPAGE, which lets the kernel back each with one 2 MiB page (a fault per
** 2 MiB; the same GiB in 1.1 to 1.3 s). Below that, chunks stay 1 MiB from malloc, so a small
** program's resident memory is not rounded up to huge pages.
*/
#define _DEFAULT_SOURCE   /* madvise, MADV_HUGEPAGE */
#include "runtime.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define REGION_CHUNK ((size_t)1 << 20)
#define REGION_BIG   (REGION_CHUNK / 4)
#define REGION_HUGE_CHUNK ((size_t)2 << 20)   /* x86-64's huge page */
#define REGION_HUGE_AFTER ((size_t)32 << 20)

typedef struct chunk {
    struct chunk *next;
    size_t        size;   /* bytes, header included */
} chunk;                  /* 16 bytes: blocks after it stay 16-byte aligned */

hl__rbump hl__rbump_now;
static chunk *used, *spare, *bigs;
static size_t chunk_bytes;   /* of the chunks on used and spare */
static bool   running;       /* as direct.h says */

/* A fresh chunk: 1 MiB from malloc, or, once REGION_HUGE_AFTER bytes of chunks are held, a
** huge-page one (above). NULL when memory is exhausted. */
static chunk *chunk_new(void) {
    size_t size = chunk_bytes < REGION_HUGE_AFTER ? REGION_CHUNK : REGION_HUGE_CHUNK;
    chunk *c = size == REGION_CHUNK ? malloc(size) : aligned_alloc(REGION_HUGE_CHUNK, size);
    if (!c) return NULL;
    if (size == REGION_HUGE_CHUNK) (void)madvise(c, size, MADV_HUGEPAGE);   /* advice: may be off */
    c->size = size;
    chunk_bytes += size;
    return c;
}

/* ---- allocation ------------------------------------------------------------------------ */

void *hl__region_alloc_slow(size_t n) {
    if (!running) hl_init();
    if (n > REGION_BIG) {
        chunk *c = calloc(1, sizeof(chunk) + n);
        if (!c) return NULL;
        c->size = sizeof(chunk) + n;
        c->next = bigs;
        bigs = c;
        return c + 1;
    }
    /* The current chunk's tail stays unused until its region ends. */
    chunk *c = spare;
    if (c) {
        spare = c->next;
    } else {
        c = chunk_new();
        if (!c) return NULL;
    }
    c->next = used;
    used = c;
    uintptr_t p = (uintptr_t)(c + 1);
    hl__rbump_now.next = p + n;
    hl__rbump_now.end = (uintptr_t)c + c->size;
    return memset((void *)p, 0, n);
}

/* The blocks of buffers (direct.h): a kind word, then the block direct.h asked for. */
#define DIRECT_KIND_POINTER_FREE 0
#define DIRECT_KIND_REFS 1

static inline void *direct_alloc(size_t n, bool pointer_free, bool zero) {
    if (n > SIZE_MAX - sizeof(size_t)) return NULL;
    size_t *p = hl__region_alloc(n + sizeof(size_t), zero);
    if (!p) return NULL;
    p[0] = pointer_free ? DIRECT_KIND_POINTER_FREE : DIRECT_KIND_REFS;
    return p + 1;
}

static inline int direct_alloc_kind(const void *p) { return (int)((const size_t *)p)[-1]; }

/* A resize allocates anew and copies: the old block stays where it is until its region ends. */
static inline void *direct_realloc(void *p, size_t old, size_t n, bool pointer_free) {
    void *q = direct_alloc(n, pointer_free, false);   /* copied into; direct_resize clears the tail */
    if (q) memcpy(q, p, old < n ? old : n);
    return q;
}

static inline void direct_free(void *p) { (void)p; }

#define DIRECT_DROP_FREES 0
#include "direct.h"

const char *hl_runtime_name(void) { return "region"; }

/* ---- regions ------------------------------------------------------------------------------ */

typedef struct region_mark {
    uint32_t  seq;          /* the token's; 0 never */
    chunk    *cur, *big;    /* the current chunk and the newest big chunk at the mark */
    uintptr_t next;         /* the bump position at the mark */
    uint64_t  live_objects; /* statistics at the mark: ending the region goes back to them */
    uint64_t  live_bytes;
} region_mark;

static region_mark *marks;
static uint32_t     nmarks, marks_cap;
static uint32_t     region_seq;   /* not reset by hl_init: tokens of an earlier run stay stale */

hl_region hl__region_begin(const hl_site *at) {
    direct_start_if_stopped();
    if (nmarks == marks_cap) {
        uint32_t cap = marks_cap ? marks_cap * 2 : 16;
        region_mark *m = realloc(marks, cap * sizeof *m);
        if (!m || cap < marks_cap) hl__out_of_memory(cap * sizeof *m, "the region marks", at);
        marks = m;
        marks_cap = cap;
    }
    if (++region_seq == 0) region_seq = 1;
    marks[nmarks] = (region_mark){region_seq, used, bigs, hl__rbump_now.next,
                                  hl__count.allocations - hl__count.frees, hl__count.live_bytes};
    return (hl_region){(uint64_t)region_seq << 32 | nmarks++};
}

void hl__region_end(hl_region m, const hl_site *at) {
    (void)at;
    uint32_t k = (uint32_t)m.bits;
    if (!running || k >= nmarks || marks[k].seq != (uint32_t)(m.bits >> 32)) return;   /* ended already */
    const region_mark *r = &marks[k];
    while (used != r->cur) {
        chunk *c = used;
        used = c->next;
        c->next = spare;
        spare = c;
    }
    while (bigs != r->big) {
        chunk *c = bigs;
        bigs = c->next;
        free(c);
    }
    if (used) {
        hl__rbump_now.next = r->next;
        hl__rbump_now.end = (uintptr_t)used + used->size;
    } else {
        hl__rbump_now.next = hl__rbump_now.end = 0;
    }
    hl__count.frees = hl__count.allocations - r->live_objects;
    if (hl__count_bytes) hl__count.live_bytes = r->live_bytes;
    nmarks = k;
}

/* ---- lifetime of the runtime ------------------------------------------------------------ */

void hl_init(void) {
    if (running) return;
    running = true;
    hl__start();
}

static void release(chunk **list) {
    while (*list) {
        chunk *c = *list;
        *list = c->next;
        free(c);
    }
}

/* Drops free nothing here, so the runtime cannot tell leaks from objects its regions would
** have released: it returns 0, like gc. Every chunk goes back to the system. */
size_t hl_shutdown(void) {
    if (!running) return 0;
    hl__stop();
    release(&used);
    release(&spare);
    release(&bigs);
    chunk_bytes = 0;
    hl__rbump_now.next = hl__rbump_now.end = 0;
    nmarks = 0;
    running = false;
    return 0;
}

void hl__stats_runtime(hl_stats *s) { (void)s; }
