/*
** owned_alloc.c: the owned runtime's block allocator.
**
** Most objects need no block from here: a small one lies in its slot's inline block
** (owned_table.c). This allocator serves the rest: buffers that grew past their slot's block,
** and objects too big for any class. The owned runtime knows every block's size from the
** object's slot, so it can skip what makes malloc general (per-block headers, coalescing,
** thread caches). Blocks up to 32 KiB come from per-size-class free lists, refilled by bump
** allocation from 256 KiB chunks: 8-byte classes up to HL_BLK_SMALL_MAX bytes, then eight
** classes to each doubling. Larger blocks go to malloc/realloc/free.
**
** Invariants: a free block's first word links to the next free block of its class; every
** block of a class is exactly the class's size (8*c bytes for a small class c); chunks are
** never returned to the system before hl__blk_release_all (hl_shutdown), so a block address
** is never reused by another class while its object lives.
*/
#include "owned.h"

#include <stdlib.h>
#include <string.h>

#define HL_BLK_CHUNK (256 * 1024)

/* Medium blocks, above HL_BLK_SMALL_MAX up to BLK_MEDIUM_MAX bytes, have classes spaced
** geometrically, BLK_STEPS to each doubling of size: a block wastes at most an eighth of
** itself. Their own free lists spare them malloc's bins, whose best-fit search and
** coalescing cost a trip through _int_malloc and _int_free on every allocation and drop. */
#define BLK_MEDIUM_MAX (32 * 1024)
#define BLK_STEPS      8
#define BLK_SMALL_N    HL_BLK_CLASSES                         /* classes 0..64, 8*c bytes */
#define BLK_MEDIUM_N   (BLK_STEPS * (15 - 9))                 /* 2^9 < n <= 2^15 */
#define BLK_CLASSES    (BLK_SMALL_N + BLK_MEDIUM_N)

typedef struct blk_free {
    struct blk_free *next;
} blk_free;

/* A chunk: a header linking all chunks (for release) followed by blocks. */
typedef struct blk_chunk {
    struct blk_chunk *next;
    uint64_t          pad;   /* keeps blocks 16-byte aligned relative to the chunk */
} blk_chunk;

static blk_free  *free_lists[BLK_CLASSES];
static char      *bump, *bump_end;
static blk_chunk *chunks;

/* The class of a block of n bytes (n <= BLK_MEDIUM_MAX). A medium class's size is
** (k + 1) << (b - 3) for the k (BLK_STEPS..2*BLK_STEPS-1) and b (>= 9) of its index. */
static inline size_t blk_class(size_t n) {
    if (n <= HL_BLK_SMALL_MAX) return hl__blk_class(n);
    unsigned b = 63 - (unsigned)__builtin_clzll(n - 1);   /* 2^b <= n - 1 < 2^(b+1) */
    size_t k = (n - 1) >> (b - 3);
    return BLK_SMALL_N + (b - 9) * BLK_STEPS + (k - BLK_STEPS);
}

/* The size of every block of class cls: the inverse of blk_class. */
static size_t blk_class_size(size_t cls) {
    if (cls < BLK_SMALL_N) return cls * 8;
    size_t m = cls - BLK_SMALL_N, b = 9 + m / BLK_STEPS, k = BLK_STEPS + m % BLK_STEPS;
    return (k + 1) << (b - 3);
}

static inline void blk_push(size_t cls, void *p) {
    blk_free *b = p;
    b->next = free_lists[cls];
    free_lists[cls] = b;
}

static bool chunk_new(void) {
    blk_chunk *c = malloc(HL_BLK_CHUNK);
    if (!c) return false;
    c->next = chunks;
    chunks = c;
    bump = (char *)(c + 1);
    bump_end = (char *)c + HL_BLK_CHUNK;
    return true;
}

/* Give the tail of the current chunk, too small for the block asked for, to the small
** classes, in blocks of at most HL_BLK_SMALL_MAX bytes (each exactly its class's size). */
static void chunk_retire_tail(void) {
    while (bump_end - bump >= 8) {
        size_t n = (size_t)(bump_end - bump) / 8 * 8;
        if (n > HL_BLK_SMALL_MAX) n = HL_BLK_SMALL_MAX;
        blk_push(n / 8, bump);
        bump += n;
    }
}

/* A block of class cls, its content undefined; NULL when memory is exhausted. */
static void *blk_take(size_t cls) {
    blk_free *b = free_lists[cls];
    if (HL__LIKELY(b != NULL)) {
        free_lists[cls] = b->next;
        return b;
    }
    size_t size = blk_class_size(cls);
    if (HL__UNLIKELY((size_t)(bump_end - bump) < size)) {
        chunk_retire_tail();
        if (!chunk_new()) return NULL;
    }
    b = (blk_free *)bump;
    bump += size;
    return b;
}

void *hl__blk_alloc(size_t n, bool zero) {
    if (HL__UNLIKELY(n > BLK_MEDIUM_MAX)) return zero ? hl__zalloc(n) : malloc(n);
    size_t cls = blk_class(n);
    void *b = blk_take(cls);
    if (!b || !zero) return b;
    if (HL__LIKELY(cls < BLK_SMALL_N))
        hl__blk_zero(b, cls);
    else
        memset(b, 0, n);   /* the rest of the class's size is never read */
    return b;
}

void *hl__blk_alloc_copy(const void *from, size_t old, size_t n) {
    size_t kept = old < n ? old : n;
    void *b = HL__UNLIKELY(n > BLK_MEDIUM_MAX) ? malloc(n) : blk_take(blk_class(n));
    if (!b) return NULL;
    memcpy(b, from, kept);
    memset((char *)b + kept, 0, n - kept);
    return b;
}

void hl__blk_free(void *p, size_t n) {
    if (HL__UNLIKELY(n > BLK_MEDIUM_MAX)) {
        free(p);
        return;
    }
    blk_push(blk_class(n), p);
}

void *hl__blk_realloc(void *p, size_t old, size_t n) {
    if (old > BLK_MEDIUM_MAX && n > BLK_MEDIUM_MAX) {
        char *q = realloc(p, n);
        if (q && n > old) memset(q + old, 0, n - old);
        return q;
    }
    if (old <= BLK_MEDIUM_MAX && n <= BLK_MEDIUM_MAX && blk_class(old) == blk_class(n)) {
        if (n > old) memset((char *)p + old, 0, n - old);
        return p;
    }
    void *q = hl__blk_alloc_copy(p, old, n);
    if (!q) return NULL;
    hl__blk_free(p, old);
    return q;
}

void hl__blk_release_all(void) {
    while (chunks) {
        blk_chunk *next = chunks->next;
        free(chunks);
        chunks = next;
    }
    memset(free_lists, 0, sizeof free_lists);
    bump = bump_end = NULL;
}
