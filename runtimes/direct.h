/*
** direct.h: the runtime shape shared by manual, gc and region, where a handle is a pointer to
** the payload (layout in heaplab/direct_fast.h). manual.c, gc.c and region.c each define the
** allocator below as static inline functions and then include this file, so the calls inline:
**
**   static void *direct_alloc(size_t n, bool pointer_free);     zeroed block, NULL on failure
**   static void *direct_realloc(void *p, size_t old, size_t n, bool pointer_free);
**                                                               content kept, tail NOT zeroed
**   static void  direct_free(void *p);                          release a block
**   #define DIRECT_DROP_FREES  1 if hl_drop frees (manual), 0 if it only forgets (gc)
**
** Only a runtime whose drop frees needs a typed object's descriptor at run time (for the
** drop glue), so gc allocates typed objects without the descriptor word: a 16-byte node
** stays a 16-byte block, the honest best for the collector.
**
** Everything else (layout, drop glue, resize, statistics) is written once, here.
*/
#ifndef HL_DIRECT_H
#define HL_DIRECT_H

#include "runtime.h"

#include <stdlib.h>
#include <string.h>

/* Typed objects are never allocated pointer-free: besides their owned fields they may hold
** non-owning handle copies, which gc must see to keep their targets alive. */

/* A buffer's header is its length. Its kind (bytes or refs) travels in a tagged handle
** (manual, HL__TAG_SHIFT); on gc the collector knows it: bytes are its pointer-free kind. */
#define DIRECT_BUF_HDR sizeof(size_t)
#ifdef HL__TAG_SHIFT
static inline hl_ref direct_buf_handle(size_t *blk, const hl_type *kind) {
    return hl__tagged(blk + 1, kind == &hl__bytes_type ? HL__MTID_BYTES : HL__MTID_REFS);
}
static inline const hl_type *direct_buf_kind(hl_ref r) { return hl__type_of(r); }
#else
static inline hl_ref direct_buf_handle(size_t *blk, const hl_type *kind) {
    (void)kind;
    return (hl_ref){(uintptr_t)(blk + 1)};
}
static inline const hl_type *direct_buf_kind(hl_ref r) {
    return direct_alloc_kind((const char *)hl__ptr(r) - DIRECT_BUF_HDR) == DIRECT_KIND_POINTER_FREE ? &hl__bytes_type
                                                                                                 : &hl__refs_type;
}
#endif

#if DIRECT_DROP_FREES
static hl__worklist direct_worklist;
#endif

static hl_ref direct_buf_new(const hl_type *kind, size_t n, const hl_site *at) {
    size_t bytes = hl__size(n, hl__elem_size(kind), 0, kind->name, at);
    size_t *blk = direct_alloc(hl__size(1, bytes, DIRECT_BUF_HDR, kind->name, at), kind == &hl__bytes_type);
    if (!blk) hl__out_of_memory(bytes, kind->name, at);
    blk[0] = n;
    hl__count_alloc(bytes);
    return direct_buf_handle(blk, kind);
}

hl_ref hl__new_bytes(size_t n, const hl_site *at) { return direct_buf_new(&hl__bytes_type, n, at); }
hl_ref hl__new_refs(size_t n, const hl_site *at) { return direct_buf_new(&hl__refs_type, n, at); }

/* ---- drop glue ---------------------------------------------------------------------------
** A type-specific free walks the tree recursively; so does this, while the recursion is
** shallow (DIRECT_DROP_DEPTH frames), and hands deeper subtrees to the worklist, so that a
** list of millions costs heap, not stack. Owned fields drop in declaration order, elements
** first to last. gc never frees, so it has no drop glue. */
#if DIRECT_DROP_FREES
#define DIRECT_DROP_DEPTH 256

static void direct_drop_one(hl_ref r, unsigned depth);

static inline void direct_drop_child(hl_ref c, unsigned depth) {
    if (hl_is_null(c)) return;
    if (HL__LIKELY(depth < DIRECT_DROP_DEPTH))
        direct_drop_one(c, depth + 1);
    else
        hl__worklist_push(&direct_worklist, c);
}

/* Free r and what it owns. The last owned field is dropped by iterating, not recursing (its
** handle is read before the object is freed): a list costs no stack, and a tree's right
** spine none. The other fields and a refs buffer's elements recurse. Objects with at most
** two owned fields, the common shapes, take a path with no loop. */
static void direct_drop_one(hl_ref r, unsigned depth) {
    for (;;) {
        char *p = hl__ptr(r);
        const hl_type *t = hl__type_of(r);
        if (t == &hl__bytes_type) {
            hl__count_free(hl__buf_len(r));
            direct_free(p - DIRECT_BUF_HDR);
            return;
        }
        if (t == &hl__refs_type) {
            size_t n = hl__buf_len(r);
            for (size_t k = 0; k < n; k++) direct_drop_child(((const hl_ref *)p)[k], depth);
            hl__count_free(n * sizeof(hl_ref));
            direct_free(p - DIRECT_BUF_HDR);
            return;
        }
        size_t n = t->nrefs;
        const size_t *off = t->refs;
        hl_ref last;
        if (HL__LIKELY(n <= 2)) {
            /* A leaf, a list node or a tree node: both fields are read and the object freed
            ** before descending, so nothing but the second child is live across the call
            ** (free order is not observable on manual). */
            hl_ref first = n ? *(const hl_ref *)(p + off[0]) : HL_NULL;
            last = n == 2 ? *(const hl_ref *)(p + off[1]) : first;
            hl__count_free(t->size);
            direct_free(p);
            if (n == 2) direct_drop_child(first, depth);
        } else {
            for (size_t k = 0; k + 1 < n; k++) direct_drop_child(*(const hl_ref *)(p + off[k]), depth);
            last = *(const hl_ref *)(p + off[n - 1]);
            hl__count_free(t->size);
            direct_free(p);
        }
        if (hl_is_null(last)) return;
        r = last;
    }
}

void hl__drop(hl_ref *r, const hl_site *at) {
    (void)at;
    hl_ref v = *r;
    *r = HL_NULL;
    if (hl_is_null(v)) return;
    if (HL__UNLIKELY(direct_stopped)) {
        /* After hl_shutdown drops do nothing, until the runtime starts again: through hl_init,
        ** or implicitly, through an allocation (the counters restart at shutdown). */
        if (hl__count.allocations == 0) return;
        direct_stopped = false;
    }
    size_t base = direct_worklist.len;
    direct_drop_one(v, 0);
    while (direct_worklist.len > base) direct_drop_one(direct_worklist.items[--direct_worklist.len], 0);
}
#endif

void hl__drop_at_scope_end(hl_ref *r) { hl__drop(r, NULL); }

void hl__resize(hl_ref *r, size_t n, const hl_site *at) {
    const hl_type *kind = direct_buf_kind(*r);
    size_t es = hl__elem_size(kind), old = hl__buf_len(*r);
    if (DIRECT_DROP_FREES && kind == &hl__refs_type)
        for (size_t i = n; i < old; i++) hl__drop(hl__slot(*r, i, at), at);
    char *blk = (char *)hl__ptr(*r) - DIRECT_BUF_HDR;
    size_t bytes = hl__size(n, es, 0, kind->name, at);
    blk = direct_realloc(blk, old * es + DIRECT_BUF_HDR, bytes + DIRECT_BUF_HDR, kind == &hl__bytes_type);
    if (!blk) hl__out_of_memory(bytes, kind->name, at);
    if (n > old) memset(blk + DIRECT_BUF_HDR + old * es, 0, (n - old) * es);
    *(size_t *)blk = n;
    hl__count_resize(old * es, bytes);
    *r = direct_buf_handle((size_t *)blk, kind);
}

/* ---- slices, vectors and helpers ----------------------------------------------------------- */

/* The capacity a vector of len elements grows to when n more must fit: double, at least
** 8 one-byte or 4 larger elements (Rust's RawVec does the same), at least len + n. */
static size_t direct_vec_grown(size_t cap, size_t len, size_t n, size_t es, const hl_site *at) {
    size_t need = hl__size(1, len, n, "a vector", at);
    size_t want = cap > SIZE_MAX / 2 ? SIZE_MAX : 2 * cap, least = es == 1 ? 8 : 4;
    if (want < least) want = least;
    return want > need ? want : need;
}

void *hl__dvec_place_slow(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at) {
    size_t units = hl__dunits(kind, es), len = v->len;
    size_t cap = v->buf.bits ? hl__buf_len(v->buf) / units : 0;
    if (HL__INDEX_CHECKS && len > cap) hl__vec_len_fail(len, cap, 0, at);
    size_t ncap = direct_vec_grown(cap, len, n, es, at);
    size_t nunits = hl__size(ncap, units, 0, HL__KIND_TYPE(kind)->name, at);
    if (v->buf.bits)
        hl__resize(&v->buf, nunits, at);
    else
        v->buf = direct_buf_new(HL__KIND_TYPE(kind), nunits, at);
    v->len = len + n;
    return (char *)hl__ptr(v->buf) + len * es;
}

hl_vec hl__vec_with_capacity(int kind, size_t es, size_t n, const hl_site *at) {
    if (n == 0) return (hl_vec){HL_NULL, 0};
    return (hl_vec){direct_buf_new(HL__KIND_TYPE(kind), hl__size(n, hl__dunits(kind, es), 0, HL__KIND_TYPE(kind)->name, at), at), 0};
}

void hl__vec_truncate(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at) {
    size_t len = v->len;
    if (n >= len) return;
    size_t cap = hl__vec_capacity(v, kind, es, at);
    if (HL__INDEX_CHECKS && len > cap) hl__vec_len_fail(len, cap, 0, at);
    if (kind)
        for (size_t k = n; k < len; k++) hl__drop((hl_ref *)hl__ptr(v->buf) + k, at);
    v->len = n;
}

void hl__vec_shrink_to(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at) {
    size_t len = v->len, cap = hl__vec_capacity(v, kind, es, at);
    if (HL__INDEX_CHECKS && len > cap) hl__vec_len_fail(len, cap, 0, at);
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
