/*
** include/heaplab/direct_fast.h: the inline half of the manual, gc and region runtimes
** (included by heaplab.h).
**
** In these runtimes a handle holds an object's address, and every access is a plain memory
** access: no checks, no function call. This is what C gives you, and the baseline the other
** runtimes are measured against. Blocks (8-byte aligned payload), the same on all three:
**
**   typed:     [ payload: type->size bytes ]
**   buffer:    [ size_t len ][ payload: len elements ]
**
** A handle holds the payload's address on manual (with the type id in its top 16 bits:
** payload | id << 48) and on region, the block's address on gc.
** A gc handle points at the start of its block, a buffer's length included, because the
** collector finds the block of a pointer to its start fastest (an interior pointer costs it a
** lookup of the offset on every visit). hl__ptr is a typed object's payload; hl__bufp is a
** buffer's elements (hl__bufp_or_null: NULL for HL_NULL), and hl__buf_len its length,
** whatever the runtime's layout.
** A buffer's kind (bytes or refs) is in manual's tag; on gc it is the block's kind in the
** collector (bytes are pointer-free); on region a word before the length (runtimes/region.c).
** A moved-out variable is HL_NULL.
*/
#ifndef HL_DIRECT_FAST_H
#define HL_DIRECT_FAST_H

#include <string.h>
#if defined(HL_RUNTIME_MANUAL)
#include <stdlib.h>
#elif !defined(HL_RUNTIME_REGION)
#include <gc.h>
#endif

static inline bool hl_is_null(hl_ref r) { return r.bits == 0; }

#if defined(HL_RUNTIME_MANUAL)
/* manual: a handle is the payload's address with the object's type id in its top 16 bits
** (user-space addresses fit in 48 bits on x86-64 and AArch64). The descriptor is then known
** without a word in the object: a typed object is exactly its struct, as malloc gives it to a
** C programmer, and a buffer carries only its length. Ids index hl__mtypes:
**   1, 2         the bytes and refs buffers;
**   3 to 75      shape ids, one per shape of typed object that hl_drop knows: no owned field
**                (3), one at offset 8k (4 + k), or two at offsets 8i < 8j (12 + 8i + j), all
**                within the first 64 bytes. How an object is dropped depends only on where its
**                owned fields are, so types of one shape share the id, and its hl__mtypes entry
**                is a descriptor of the shape (size 0, name "object");
**   76 and up    every other type, registered on first allocation.
** A shape id is a function of the descriptor's constant fields: where the descriptor is
** defined in the file that calls hl_new (HL_TYPE's usual place), the compiler computes it, and
** hl_new makes no test for the type at all. Elsewhere the id is cached in the call site: its
** fast_type (the descriptor last made there) and fast_word (that id << 48). */
#define HL__TAG_SHIFT 48
#define HL__ADDR_MASK ((UINT64_C(1) << HL__TAG_SHIFT) - 1)
#define HL__MTYPES (1u << 16)
#define HL__MTID_BYTES 1u
#define HL__MTID_REFS 2u
#define HL__MTID_LEAF 3u         /* typed, no owned field */
#define HL__MTID_ONE 4u          /* + k: one owned field, at offset 8k */
#define HL__MTID_TWO 12u         /* + 8i + j: two owned fields, at offsets 8i < 8j */
#define HL__MTID_REGISTERED 76u  /* the first id of a registered type */
extern const hl_type *hl__mtypes[HL__MTYPES];

/* The shape id of t, or 0 when t has no shape id. */
static inline uint32_t hl__mshape_id(const hl_type *t) {
    size_t n = t->nrefs;
    if (n == 0) return HL__MTID_LEAF;
    if (n > 2 || t->refs[0] % 8 || t->refs[n - 1] % 8 || t->refs[n - 1] >= 64) return 0;
    if (n == 1) return HL__MTID_ONE + (uint32_t)(t->refs[0] / 8);
    if (t->refs[0] >= t->refs[1]) return 0;
    return HL__MTID_TWO + (uint32_t)(t->refs[0] / 8 * 8 + t->refs[1] / 8);
}

/* The handle tag (id << 48) of t: its shape id's when the compiler knows it, else the call
** site's cache, filled out of line (hl__mtag_slow registers the type). */
HL__COLD uintptr_t hl__mtag_slow(const hl_type *t, hl_site *at);
static inline uintptr_t hl__mtag(const hl_type *t, const hl_site *at) {
    uint32_t id = hl__mshape_id(t);
    if (__builtin_constant_p(id) && id != 0) return (uintptr_t)id << HL__TAG_SHIFT;
    if (HL__UNLIKELY(at->fast_type != t)) return hl__mtag_slow(t, (hl_site *)at);
    return at->fast_word;
}

/* Typed objects come from hl__mnew_alloc: malloc itself in a timed run, so that a statistics
** run costs a timed run nothing (the inline allocation paths test nothing for statistics), and
** a counting malloc in a statistics run (HEAPLAB_STATS). It starts as, and hl_init and
** hl_shutdown set it back to, a function that starts the runtime if it is stopped, reads
** whether statistics were requested and installs one of the two. A call through it is one
** instruction, where a call to malloc goes through the PLT's jump as well. */
extern void *(*hl__mnew_alloc)(size_t n);

static inline void *hl__ptr(hl_ref r) { return (void *)(uintptr_t)(r.bits & HL__ADDR_MASK); }
static inline void *hl__bufp(hl_ref r) { return hl__ptr(r); }
static inline void *hl__bufp_or_null(hl_ref r) { return hl__ptr(r); }   /* HL_NULL's is NULL */
static inline const hl_type *hl__type_of(hl_ref r) { return hl__mtypes[r.bits >> HL__TAG_SHIFT]; }
static inline size_t hl__buf_len(hl_ref r) { return ((const size_t *)hl__ptr(r))[-1]; }
/* (Telling GCC that a payload's address fits in 48 bits lets it drop hl__ptr's mask from a
** handle just made: 0.8% of graph_arena's instructions, but fifo_queue then ran 3% longer, in
** interleaved runs, so the hint is not given.) */
static inline hl_ref hl__tagged(void *payload, uintptr_t tag) { return (hl_ref){(uintptr_t)payload | tag}; }
/* The handle of a buffer whose block (its length word) is at blk; kind: 1 refs, 0 bytes. */
static inline hl_ref hl__buf_handle(size_t *blk, int kind) {
    return hl__tagged(blk + 1, (uintptr_t)(kind ? HL__MTID_REFS : HL__MTID_BYTES) << HL__TAG_SHIFT);
}

static inline hl_ref hl__new(const hl_type *t, const hl_site *at) {
    /* malloc and clear (the size is a constant: a few stores), not calloc: glibc's calloc
    ** bypasses its per-thread cache. */
    void *obj = hl__mnew_alloc(t->size ? t->size : 1);   /* a distinct object even when empty */
    if (HL__UNLIKELY(!obj)) hl__out_of_memory(t->size, t->name, at);
    memset(obj, 0, t->size);
    return hl__tagged(obj, hl__mtag(t, at));
}

/* Frees the object and, through its descriptor's drop glue, what it owns (out of line). */
void hl__drop(hl_ref *r, const hl_site *at);

#elif defined(HL_RUNTIME_REGION)
/* region: a handle is the payload's address, as on gc. Typed objects carry no header (drops
** free nothing, so no drop glue reads a descriptor). Allocation is a pointer bump through the
** current chunk, inline so that the descriptor's constant size folds into it. */
typedef struct hl__rbump {
    uintptr_t next, end;   /* the free part of the current chunk */
} hl__rbump;
extern hl__rbump hl__rbump_now;

/* A zeroed block of n bytes (a multiple of 8) from a fresh or recycled chunk, or from a
** chunk of its own when n is large; NULL when memory is exhausted. */
void *hl__region_alloc_slow(size_t n);

/* A block of n bytes, zeroed when zero is true (hl_new_bytes_uninit's blocks are not: chunks
** are reused, so they may hold an earlier region's bytes). */
static inline void *hl__region_alloc(size_t n, bool zero) {
    n = (n + 7) & ~(size_t)7;
    uintptr_t p = hl__rbump_now.next;
    if (HL__LIKELY(hl__rbump_now.end - p >= n)) {
        hl__rbump_now.next = p + n;
        return zero ? memset((void *)p, 0, n) : (void *)p;
    }
    return hl__region_alloc_slow(n);
}

static inline void *hl__ptr(hl_ref r) { return (void *)r.bits; }
static inline void *hl__bufp(hl_ref r) { return (void *)r.bits; }
static inline void *hl__bufp_or_null(hl_ref r) { return (void *)r.bits; }
static inline size_t hl__buf_len(hl_ref r) { return ((const size_t *)r.bits)[-1]; }
static inline hl_ref hl__buf_handle(size_t *blk, int kind) {
    (void)kind;
    return (hl_ref){(uintptr_t)(blk + 1)};
}

static inline hl_ref hl__new(const hl_type *t, const hl_site *at) {
    void *obj = hl__region_alloc(t->size ? t->size : 1, true);   /* a distinct object even when empty */
    if (HL__UNLIKELY(!obj)) hl__out_of_memory(t->size, t->name, at);
    hl__count_alloc(t->size);
    return (hl_ref){(uintptr_t)obj};
}

/* region frees nothing on drop: hl_region_end releases. */
static inline void hl__drop(hl_ref *r, const hl_site *at) {
    (void)at;
    *r = HL_NULL;
}

#else
/* gc: a handle is the block's address, untagged: the conservative collector must recognise
** it as a pointer, and finds its block fastest from the block's start. Typed objects carry no
** header (the collector needs no drop glue); a buffer carries its length: [len][payload].
** (Without the word, a length would be GC_size's block size less a count kept in Boehm's spare
** bytes: a call per length read, which made fifo_queue 6-13% slower for alloc_mix's 5%:
** docs/performance.md, alloc_mix.)
** Allocation is inline so the descriptor's constant size folds into the call; blocks of
** 64 KiB and more use Boehm's _ignore_off_page variant (a handle points at the block's start). */
#define HL__GC_LARGE_BLOCK (64 * 1024)

static inline void *hl__ptr(hl_ref r) { return (void *)r.bits; }
static inline void *hl__bufp(hl_ref r) { return (size_t *)r.bits + 1; }
static inline void *hl__bufp_or_null(hl_ref r) { return r.bits ? hl__bufp(r) : NULL; }
static inline size_t hl__buf_len(hl_ref r) { return ((const size_t *)r.bits)[0]; }
static inline hl_ref hl__buf_handle(size_t *blk, int kind) {
    (void)kind;
    return (hl_ref){(uintptr_t)blk};
}

/* hl_new's one test after the allocation: a block address below hl__gc_new_min takes the
** out-of-line path, which reports a failed allocation and counts statistics. It is 1 (only
** NULL is below it) once that path has found statistics off, UINTPTR_MAX before and from
** hl_init (statistics may have been requested) and hl_shutdown: so a timed run tests nothing
** for statistics (as on manual, above). */
extern uintptr_t hl__gc_new_min;
HL__SLOW void *hl__gc_new_slow(void *obj, const hl_type *t, const hl_site *at);

static inline hl_ref hl__new(const hl_type *t, const hl_site *at) {
    void *obj = t->size < HL__GC_LARGE_BLOCK ? GC_MALLOC(t->size) : GC_MALLOC_IGNORE_OFF_PAGE(t->size);
    if (HL__UNLIKELY((uintptr_t)obj < hl__gc_new_min)) obj = hl__gc_new_slow(obj, t, at);
    return (hl_ref){(uintptr_t)obj};
}

/* gc only forgets. */
static inline void hl__drop(hl_ref *r, const hl_site *at) {
    (void)at;
    *r = HL_NULL;
}
#endif

#if !defined(HL_RUNTIME_REGION)
/* A bytes buffer whose content the caller writes is the allocator's raw block and a length
** word: C's malloc (manual) or GC_MALLOC_ATOMIC (gc, below its large-block size), inline as
** hl_new is. (Zeroed buffers stay out of line: runtime.h chooses between calloc and
** malloc + memset by size.) Sizes from hl__bytes_inline_max up, a failed allocation and
** statistics runs take the out-of-line path (runtimes/direct.h), which checks the size, counts
** the bytes and reports failure: hl__bytes_inline_max is 0 (none inline) until that path finds
** statistics off, and again from hl_init (statistics may have been requested) and hl_shutdown. */
extern size_t hl__bytes_inline_max;
hl_ref hl__bytes_uninit_slow(size_t n, const hl_site *at);

static inline hl_ref hl__new_bytes_uninit(size_t n, const hl_site *at) {
    size_t max = hl__bytes_inline_max;
    if (max > SIZE_MAX - sizeof(size_t)) __builtin_unreachable();   /* so n + 8 cannot wrap */
    if (HL__LIKELY(n < max)) {
#if defined(HL_RUNTIME_MANUAL)
        size_t *blk = malloc(n + sizeof(size_t));
#else
        size_t *blk = GC_MALLOC_ATOMIC(n + sizeof(size_t));
#endif
        if (HL__LIKELY(blk != NULL)) {
            blk[0] = n;
            if (HL__COUNTS_ALWAYS) hl__count.allocations++;
            return hl__buf_handle(blk, 0);
        }
    }
    return hl__bytes_uninit_slow(n, at);
}
#endif

static inline size_t hl__len(hl_ref buf, const hl_site *at) {
    (void)at;
    return hl__buf_len(buf);
}

static inline hl_ref hl__move(hl_ref *from, const hl_site *at) {
    (void)at;
    hl_ref r = *from;
    *from = HL_NULL;
    return r;
}

static inline uint8_t hl__byte(hl_ref b, size_t i, const hl_site *at) {
    (void)at;
    return ((const uint8_t *)hl__bufp(b))[i];
}

static inline void hl__set_byte(hl_ref b, size_t i, uint8_t v, const hl_site *at) {
    (void)at;
    ((uint8_t *)hl__bufp(b))[i] = v;
}

static inline hl_ref hl__ref_at(hl_ref r, size_t i, const hl_site *at) {
    (void)at;
    return ((const hl_ref *)hl__bufp(r))[i];
}

static inline hl_ref *hl__slot(hl_ref r, size_t i, const hl_site *at) {
    (void)at;
    return (hl_ref *)hl__bufp(r) + i;
}

#define HL_READ(T, name, ref) const T *name = (const T *)hl__ptr(ref)
#define HL_WRITE(T, name, ref) T *name = (T *)hl__ptr(ref)
#define HL_READ_BYTES(name, ref) const uint8_t *name = (const uint8_t *)hl__bufp(ref)
#define HL_WRITE_BYTES(name, ref) uint8_t *name = (uint8_t *)hl__bufp(ref)
#define HL_READ_REFS(name, ref) const hl_ref *name = (const hl_ref *)hl__bufp(ref)
#define HL_WRITE_REFS(name, ref) hl_ref *name = (hl_ref *)hl__bufp(ref)

/* ---- stack objects and regions (docs/design.md, "Stack objects", "Regions") ----------------
** A stack object lies in the block's storage exactly as a heap object of its kind lies in its
** block (the layout above: a typed object is its struct, a buffer has its length before it),
** and its handle is made as a heap object's is (manual tags it with the type id), so borrows,
** the accessors and hl_len work on it unchanged. Only manual has work to do when the block
** ends: dropping the owned fields (a refs buffer's elements) frees them. gc and region forget
** them, as their hl_drop does, and a stack object has no cleanup there at all. (hl_resize is
** never applied to a stack object, so region needs no kind word before a stack buffer's
** length.) */

#if defined(HL_RUNTIME_MANUAL)
#define HL__DLOCAL_END __attribute__((cleanup(hl__dlocal_end)))
/* The end of a typed stack object's block, or a stack refs buffer's: its owned fields are
** dropped in declaration order, a buffer's elements in index order. */
static inline void hl__dlocal_end(const hl_ref *r) {
    const hl_type *t = hl__type_of(*r);
    if (t == &hl__refs_type) {
        for (size_t i = 0; i < hl__buf_len(*r); i++) hl__drop((hl_ref *)hl__bufp(*r) + i, NULL);
        return;
    }
    for (size_t k = 0; k < t->nrefs; k++) hl__drop((hl_ref *)((char *)hl__ptr(*r) + t->refs[k]), NULL);
}
#else
#define HL__DLOCAL_END
#endif

static inline hl_ref hl__dlocal_init(void *obj, size_t size, const hl_type *t, const hl_site *at) {
    memset(obj, 0, size);
#if defined(HL_RUNTIME_MANUAL)
    return hl__tagged(obj, hl__mtag(t, at));
#else
    (void)t, (void)at;
    return (hl_ref){(uintptr_t)obj};
#endif
}

/* A stack buffer (kind: 1 refs, 0 bytes): storage is [ size_t len ][ n elements ], a heap
** buffer's layout, and its handle is made as a heap buffer's is. */
static inline hl_ref hl__dlocal_buf_init(void *storage, size_t size, size_t *len, size_t n, int kind) {
    memset(storage, 0, size);
    *len = n;
    return hl__buf_handle(len, kind);
}

#define HL_LOCAL(T, name)                                                                  \
    _Alignas(8) T hl__local_##name;                                                        \
    HL__DLOCAL_END const hl_ref name =                                                     \
        hl__dlocal_init(&hl__local_##name, sizeof hl__local_##name, &T##_type, HL__SITE)

/* A stack buffer (HL_LOCAL_BYTES, HL_LOCAL_REFS in heaplab.h) of n elements of type ET, of
** kind (1 refs, 0 bytes). A refs buffer ends with the cleanup that drops what it owns
** (HL__DLOCAL_END_1); a bytes buffer owns nothing and has none. */
#define HL__DLOCAL_END_0
#define HL__DLOCAL_END_1 HL__DLOCAL_END
#define HL__LOCAL_BUF(name, n, ET, kind)                                                   \
    HL__LOCAL_STORAGE(name, n, ET);                                                        \
    HL__DLOCAL_END_##kind const hl_ref name =                                              \
        hl__dlocal_buf_init(&hl__local_##name, sizeof hl__local_##name, &hl__local_##name.len, (n), (kind))

/* Regions are tokens here (region.c has its own). */
#if defined(HL_RUNTIME_REGION)
hl_region hl__region_begin(const hl_site *at);
void      hl__region_end(hl_region m, const hl_site *at);
#else
static inline hl_region hl__region_begin(const hl_site *at) {
    (void)at;
    return (hl_region){1};
}
static inline void hl__region_end(hl_region m, const hl_site *at) { (void)m, (void)at; }
#endif

/* ---- slices and vectors ----------------------------------------------------------------
** A slice is the buffer's pointer and its length in elements; a vector's primitives only
** check for room. The one check a slice keeps, the index against its length, is
** heaplab.h's hl__at. */

typedef struct hl__dguard {
    void  *ptr;
    size_t len;
} hl__dguard;

static inline size_t hl__dunits(int kind, size_t es) { return HL__UNITS(kind, es); }

static inline hl__dguard hl__dslice(hl_ref buf, int kind, size_t es) {
    return (hl__dguard){hl__bufp(buf), hl__buf_len(buf) / hl__dunits(kind, es)};
}

/* The first len elements of v (none without a buffer). */
static inline hl__dguard hl__dvec(const hl_vec *v, int kind, size_t es, const hl_site *at) {
    hl_ref b = v->buf;
    size_t len = v->len, cap = b.bits ? hl__buf_len(b) / hl__dunits(kind, es) : 0;
    if (HL__INDEX_CHECKS && HL__UNLIKELY(len > cap)) hl__vec_len_fail(len, cap, 0, at);
    return (hl__dguard){hl__bufp_or_null(b), len};
}

#define HL__SLICE_DECL(mode, ST, CT, name, buf, kind, es, g)                                \
    hl__dguard g = hl__dslice((buf), (kind), (es));                                        \
    const ST name = {(CT *)g.ptr, g.len, 0}
#define HL__VEC_DECL(mode, ST, CT, name, v, kind, es, g)                                   \
    hl__dguard g = hl__dvec((v), (kind), (es), HL__SITE);                                  \
    const ST name = {(CT *)g.ptr, g.len, 0}

static inline size_t hl__vec_capacity(const hl_vec *v, int kind, size_t es, const hl_site *at) {
    (void)at;
    return v->buf.bits ? hl__buf_len(v->buf) / hl__dunits(kind, es) : 0;
}

/* Grow v (or give it its first buffer) so that n more elements fit; as hl__vec_place. */
void *hl__dvec_place_slow(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at);

static inline void *hl__vec_place(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at) {
    hl_ref b = v->buf;
    size_t len = v->len;
    if (HL__LIKELY(b.bits != 0)) {
        size_t cap = hl__buf_len(b) / hl__dunits(kind, es);
        if (HL__LIKELY(len <= cap && n <= cap - len)) {
            v->len = len + n;
            return (char *)hl__bufp(b) + len * es;
        }
    }
    return hl__dvec_place_slow(v, kind, es, n, at);
}

static inline void *hl__vec_pop_place(hl_vec *v, int kind, size_t es, const hl_site *at) {
    size_t len = v->len;
    if (len == 0) return NULL;
    if (HL__INDEX_CHECKS) {
        size_t cap = v->buf.bits ? hl__buf_len(v->buf) / hl__dunits(kind, es) : 0;
        if (HL__UNLIKELY(len > cap)) hl__vec_len_fail(len, cap, 0, at);
    }
    v->len = len - 1;
    return (char *)hl__bufp(v->buf) + (len - 1) * es;
}

#endif
