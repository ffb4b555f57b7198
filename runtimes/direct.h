/*
** direct.h: the runtime shape shared by manual, gc and region, where a handle is a pointer into
** the object's block (layout in heaplab/direct_fast.h). manual.c, gc.c and region.c each define
** the allocator below as static inline functions and then include this file, so the calls
** inline:
**
**   static void *direct_alloc(size_t n, bool pointer_free, bool zero);
**                                                               a block, zeroed when zero is true
**                                                               (else as the allocator returns
**                                                               it), NULL on failure
**   static void *direct_realloc(void *p, size_t old, size_t n, bool pointer_free);
**                                                               content kept, tail NOT zeroed
**   static void  direct_free(void *p);                          release a block
**   static bool running;                                        whether hl_init has started the
**                                                               runtime (and hl_shutdown not
**                                                               stopped it since)
**   #define DIRECT_DROP_FREES  1 if hl_drop frees (manual), 0 if it only forgets (gc)
**   #define DIRECT_BYTES_INLINE_MAX  where hl_new_bytes_uninit is inline (manual, gc): the
**                                    payload sizes below it take the inline path
**
** Only a runtime whose drop frees needs a typed object's descriptor at run time (for the
** drop glue), so gc allocates typed objects without the descriptor word: a 16-byte node
** stays a 16-byte block, the honest best for the collector.
**
** Everything else (layout, resize, vectors, statistics) is written once, here; manual.c adds
** the drop glue.
*/
#ifndef HL_DIRECT_H
#define HL_DIRECT_H

#include "runtime.h"

#include <stdlib.h>
#include <string.h>

/* Typed objects are never allocated pointer-free: besides their owned fields they may hold
** non-owning handle copies, which gc must see to keep their targets alive. */

/* A buffer's header is its length. Its kind (bytes or refs) travels in a tagged handle
** (manual, HL__TAG_SHIFT); on gc the collector knows it: bytes are its pointer-free kind.
** The helpers below take the kind as heaplab.h's integer code (HL__KIND: 1 refs, 0 bytes),
** which a compiler folds where the descriptors' addresses it could not. */
#define DIRECT_BUF_HDR sizeof(size_t)
#define DIRECT_ES(kind) ((kind) ? sizeof(hl_ref) : (size_t)1)
/* The block of buffer r: its length word, then its elements. */
static inline char *direct_buf_block(hl_ref r) { return (char *)hl__bufp(r) - DIRECT_BUF_HDR; }
#ifdef HL__TAG_SHIFT
static inline int direct_buf_kind(hl_ref r) { return r.bits >> HL__TAG_SHIFT == HL__MTID_REFS; }
#else
static inline int direct_buf_kind(hl_ref r) {
    return direct_alloc_kind(direct_buf_block(r)) != DIRECT_KIND_POINTER_FREE;
}
#endif

/* Out of memory for a buffer of n elements of kind (its size saturated when it overflows). */
static HL__COLD HL__NORETURN void direct_buf_oom(int kind, size_t n, const hl_site *at) {
    size_t bytes;
    if (__builtin_mul_overflow(n, DIRECT_ES(kind), &bytes)) bytes = SIZE_MAX;
    hl__out_of_memory(bytes, HL__KIND_TYPE(kind)->name, at);
}

/* An allocation that finds the runtime stopped (before hl_init, or after hl_shutdown) starts
** it, as hl_init would, statistics requested in the environment included. The inline paths
** stay off until a start, so every first allocation comes out of line: through
** direct_buf_new, or the runtime's own hl_new path (manual's first hl__mnew_alloc,
** alloc_starting; gc's hl__gc_new_slow; region's chunk allocation). */
static inline void direct_start_if_stopped(void) {
    if (HL__UNLIKELY(!running)) hl_init();
}

/* Inlined into one function per kind (and, for bytes, per zero), so that the element size, the
** tag and the clearing are constants and the failure paths are out of the way. */
static inline __attribute__((always_inline)) hl_ref direct_buf_new(int kind, size_t n, bool zero,
                                                                   const hl_site *at) {
    direct_start_if_stopped();
    size_t es = DIRECT_ES(kind);
    if (HL__UNLIKELY(n > (SIZE_MAX - DIRECT_BUF_HDR) / es)) direct_buf_oom(kind, n, at);
    size_t *blk = direct_alloc(n * es + DIRECT_BUF_HDR, !kind, zero);
    if (HL__UNLIKELY(!blk)) direct_buf_oom(kind, n, at);
    blk[0] = n;
    hl__count_alloc(n * es);
    return hl__buf_handle(blk, kind);
}

hl_ref hl__new_bytes(size_t n, const hl_site *at) { return direct_buf_new(0, n, true, at); }
#ifdef DIRECT_BYTES_INLINE_MAX
/* hl_new_bytes_uninit's out-of-line path; the inline one is heaplab/direct_fast.h's. */
size_t hl__bytes_inline_max;
hl_ref hl__bytes_uninit_slow(size_t n, const hl_site *at) {
    hl_ref b = direct_buf_new(0, n, false, at);   /* starts the runtime if it is stopped */
    if (!hl__count_bytes) hl__bytes_inline_max = DIRECT_BYTES_INLINE_MAX;
    return b;
}
#else
hl_ref hl__new_bytes_uninit(size_t n, const hl_site *at) { return direct_buf_new(0, n, false, at); }
#endif
hl_ref hl__new_refs(size_t n, const hl_site *at) { return direct_buf_new(1, n, true, at); }

/* hl_drop on manual, the one runtime whose drop frees, is its drop glue (manual.c): it knows
** the type ids that manual's handles carry. gc and region define hl_drop inline, as forgetting. */

void hl__drop_at_scope_end(hl_ref *r) { hl__drop(r, NULL); }

/* Resize *r, a buffer of kind, to n elements (inlined per kind, as direct_buf_new); zero_tail:
** clear the elements it gains, as hl_resize must. The statistics are counted before the
** reallocation (a failure exits), so that less lives across the call. */
static inline __attribute__((always_inline)) void direct_resize(hl_ref *r, size_t n, int kind, bool zero_tail,
                                                                const hl_site *at) {
    size_t es = DIRECT_ES(kind), old = hl__buf_len(*r);
    if (DIRECT_DROP_FREES && kind)
        for (size_t i = n; i < old; i++) hl__drop(hl__slot(*r, i, at), at);
    if (HL__UNLIKELY(n > (SIZE_MAX - DIRECT_BUF_HDR) / es)) direct_buf_oom(kind, n, at);
    hl__count_resize(old * es, n * es);
    char *blk = direct_buf_block(*r);
    blk = direct_realloc(blk, old * es + DIRECT_BUF_HDR, n * es + DIRECT_BUF_HDR, !kind);
    if (HL__UNLIKELY(!blk)) direct_buf_oom(kind, n, at);
    if (zero_tail && n > old) memset(blk + DIRECT_BUF_HDR + old * es, 0, (n - old) * es);
    *(size_t *)blk = n;
    *r = hl__buf_handle((size_t *)blk, kind);
}

void hl__resize(hl_ref *r, size_t n, const hl_site *at) {
    if (direct_buf_kind(*r))
        direct_resize(r, n, 1, true, at);
    else
        direct_resize(r, n, 0, true, at);
}

/* ---- slices, vectors and helpers ----------------------------------------------------------- */

/* The capacity of v, once its len is known to fit in it. The out-of-line vector operations
** (growth, truncate, shrink) check this whether or not the program checks indices
** (HL_CHECKED_INDEX): they are off every hot path, and a len written past the capacity would
** have truncate drop handles beyond the buffer. */
static inline size_t direct_vec_checked_cap(const hl_vec *v, int kind, size_t es, const hl_site *at) {
    size_t cap = hl__vec_capacity(v, kind, es, at);
    if (v->len > cap) hl__vec_len_fail(v->len, cap, 0, at);
    return cap;
}

/* The capacity a vector of len elements grows to when n more must fit: double, at least
** 8 one-byte or 4 larger elements (Rust's RawVec does the same), at least len + n. */
static size_t direct_vec_grown(size_t cap, size_t len, size_t n, size_t es, const hl_site *at) {
    size_t need = hl__size(1, len, n, "a vector", at);
    size_t want = cap > SIZE_MAX / 2 ? SIZE_MAX : 2 * cap, least = es == 1 ? 8 : 4;
    if (want < least) want = least;
    return want > need ? want : need;
}

/* A vector's growth, inlined per kind and element size es (below): the vector's kind is known,
** so its buffer's need not be looked up (on gc that asks the collector). The capacity a bytes
** vector gains, its first buffer's included, is left as the allocator gives it, as Rust's Vec
** leaves it: no operation of the vector reads past len, and what lies there is already
** unspecified after a truncate or a pop. A C program growing an array with realloc does the
** same, and the pages of a capacity never filled are never touched. A refs vector's gain is
** cleared: its elements past len must stay HL_NULL. */
static inline __attribute__((always_inline)) void *direct_vec_grow(hl_vec *v, int kind, size_t es, size_t n,
                                                                   const hl_site *at) {
    size_t units = hl__dunits(kind, es), len = v->len, cap = direct_vec_checked_cap(v, kind, es, at);
    size_t ncap = direct_vec_grown(cap, len, n, es, at);
    if (HL__UNLIKELY(ncap > (SIZE_MAX - DIRECT_BUF_HDR) / es)) direct_buf_oom(kind, SIZE_MAX, at);
    if (v->buf.bits)
        direct_resize(&v->buf, ncap * units, kind, kind != 0, at);
    else
        v->buf = direct_buf_new(kind, ncap * units, kind != 0, at);
    v->len = len + n;
    return (char *)hl__bufp(v->buf) + len * es;
}

static HL__SLOW void *vec_grow_refs(hl_vec *v, size_t n, const hl_site *at) {
    return direct_vec_grow(v, 1, sizeof(hl_ref), n, at);
}

/* One bytes growth function per element size a program commonly pushes (1, 2, 4 and 8 bytes),
** each with its size a constant, so that dividing the capacity by it is a shift and each keeps
** only the registers its own path needs; any other size takes the general one.
** hl__dvec_place_slow picks one by a tail call, so the inline push keeps a single out-of-line
** entry. */
#define DIRECT_VEC_GROW_BYTES(es)                                                          \
    static HL__SLOW void *vec_grow_bytes_##es(hl_vec *v, size_t n, const hl_site *at) {     \
        return direct_vec_grow(v, 0, es, n, at);                                           \
    }
DIRECT_VEC_GROW_BYTES(1)
DIRECT_VEC_GROW_BYTES(2)
DIRECT_VEC_GROW_BYTES(4)
DIRECT_VEC_GROW_BYTES(8)
static HL__SLOW void *vec_grow_bytes(hl_vec *v, size_t es, size_t n, const hl_site *at) {
    return direct_vec_grow(v, 0, es, n, at);
}

void *hl__dvec_place_slow(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at) {
    if (kind) return vec_grow_refs(v, n, at);
    switch (es) {
    case 1: return vec_grow_bytes_1(v, n, at);
    case 2: return vec_grow_bytes_2(v, n, at);
    case 4: return vec_grow_bytes_4(v, n, at);
    case 8: return vec_grow_bytes_8(v, n, at);
    default: return vec_grow_bytes(v, es, n, at);
    }
}

hl_vec hl__vec_with_capacity(int kind, size_t es, size_t n, const hl_site *at) {
    if (n == 0) return (hl_vec){HL_NULL, 0};
    size_t units = hl__size(n, hl__dunits(kind, es), 0, HL__KIND_TYPE(kind)->name, at);
    return (hl_vec){kind ? hl__new_refs(units, at) : hl__new_bytes_uninit(units, at), 0};
}

void hl__vec_truncate(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at) {
    size_t len = v->len;
    if (n >= len) return;
    direct_vec_checked_cap(v, kind, es, at);
    if (kind)
        for (size_t k = n; k < len; k++) hl__drop((hl_ref *)hl__bufp(v->buf) + k, at);
    v->len = n;
}

void hl__vec_shrink_to(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at) {
    size_t len = v->len, cap = direct_vec_checked_cap(v, kind, es, at);
    size_t target = n > len ? n : len;
    if (target >= cap) return;
    if (target == 0)
        hl__drop(&v->buf, at);   /* every element past len is empty: frees just the buffer */
    else
        hl__resize(&v->buf, target * hl__dunits(kind, es), at);
}


/* Index errors: the kind, the location and the note, as owned reports them (without the
** allocation note: these runtimes remember no sites). */
void hl__index_fail(size_t len, size_t index, uint32_t obj, const hl_site *at) {
    (void)obj;
    hl__panic_begin("index out of bounds", at);
    hl__note("the len is %zu but the index is %zu", len, index);
    hl__panic_end();
}

void hl__range_fail(size_t len, size_t start, size_t n, uint32_t obj, const hl_site *at) {
    (void)obj;
    hl__panic_begin("index out of bounds", at);
    hl__range_note(len, start, n);
    hl__panic_end();
}

void hl__vec_len_fail(size_t len, size_t cap, uint32_t obj, const hl_site *at) {
    (void)obj;
    hl__panic_begin("index out of bounds", at);
    hl__note("the vector's len is %zu but its capacity is %zu", len, cap);
    hl__panic_end();
}

#endif
