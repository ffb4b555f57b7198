/*
** owned_alloc.c: the owned runtime's block allocator.
**
** Most objects need no block from here: a small one lies in its slot's inline block
** (owned_table.c). This allocator serves the rest: buffers that grew past their slot's block,
** and objects too big for any class. The owned runtime knows every block's size from the
** object's slot, so it can skip what makes malloc general (per-block headers, coalescing,
** thread caches). Blocks up to HL_BLK_SMALL_MAX bytes come from per-size-class free lists
** (8-byte classes), refilled by bump allocation from 256 KiB chunks; larger blocks go to
** malloc/realloc/free.
**
** Invariants: a free small block's first word links to the next free block of its class;
** every small block of class c is exactly 8*c bytes; chunks are never returned to the system
** before hl__blk_release_all (hl_shutdown), so a block address is never reused by another
** class while its object lives.
*/
#include "owned.h"

#include <stdlib.h>
#include <string.h>

#define HL_BLK_CHUNK (256 * 1024)

typedef struct blk_free {
    struct blk_free *next;
} blk_free;

/* A chunk: a header linking all chunks (for release) followed by blocks. */
typedef struct blk_chunk {
    struct blk_chunk *next;
    uint64_t          pad;   /* keeps blocks 16-byte aligned relative to the chunk */
} blk_chunk;

static blk_free  *free_lists[HL_BLK_CLASSES];
static char      *bump, *bump_end;
static blk_chunk *chunks;

static bool chunk_new(void) {
    blk_chunk *c = malloc(HL_BLK_CHUNK);
    if (!c) return false;
    c->next = chunks;
    chunks = c;
    bump = (char *)(c + 1);
    bump_end = (char *)c + HL_BLK_CHUNK;
    return true;
}

static void *small_alloc(size_t cls) {
    blk_free *b = free_lists[cls];
    size_t size = cls * 8;
    if (HL__LIKELY(b != NULL)) {
        free_lists[cls] = b->next;
    } else {
        if (HL__UNLIKELY((size_t)(bump_end - bump) < size)) {
            /* The chunk's tail is too small: give it to the class that fits, then refill. */
            size_t rest = (size_t)(bump_end - bump) / 8;
            if (rest) hl__blk_free(bump, rest * 8);
            if (!chunk_new()) return NULL;
        }
        b = (blk_free *)bump;
        bump += size;
    }
    hl__blk_zero(b, cls);
    return b;
}

void *hl__blk_alloc(size_t n) {
    if (HL__LIKELY(n <= HL_BLK_SMALL_MAX)) return small_alloc(hl__blk_class(n));
    return hl__zalloc(n);
}

void hl__blk_free(void *p, size_t n) {
    if (HL__LIKELY(n <= HL_BLK_SMALL_MAX)) {
        size_t cls = hl__blk_class(n);
        blk_free *b = p;
        b->next = free_lists[cls];
        free_lists[cls] = b;
    } else {
        free(p);
    }
}

void *hl__blk_realloc(void *p, size_t old, size_t n) {
    if (old > HL_BLK_SMALL_MAX && n > HL_BLK_SMALL_MAX) {
        char *q = realloc(p, n);
        if (q && n > old) memset(q + old, 0, n - old);
        return q;
    }
    if (old <= HL_BLK_SMALL_MAX && n <= HL_BLK_SMALL_MAX && hl__blk_class(old) == hl__blk_class(n)) {
        if (n > old) memset((char *)p + old, 0, n - old);
        return p;
    }
    void *q = hl__blk_alloc(n);
    if (!q) return NULL;
    memcpy(q, p, old < n ? old : n);
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
