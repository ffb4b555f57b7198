/*
** include/heaplab/direct_fast.h: the inline half of the manual and gc runtimes (included by heaplab.h).
**
** In both runtimes a handle is a plain pointer to the object's payload, and every access is
** a plain memory access: no checks, no function call. This is what C gives you, and the
** baseline the other runtimes are measured against.
**
** Layout of a block (8-byte aligned payload):
**
**     typed object:  [ const hl_type *type ][ payload: type->size bytes ]   (gc: no type word)
**     buffer:        [ size_t len ][ const hl_type *kind ][ payload: len elements ]
**                                                          ^ hl_ref.bits points here
**
** so the descriptor is always the word before the payload, and a buffer's length the word
** before that. kind is &hl__bytes_type or &hl__refs_type. A moved-out variable is HL_NULL.
*/
#ifndef HL_DIRECT_FAST_H
#define HL_DIRECT_FAST_H

#include <string.h>

/* The typed-object allocator, inline so that the descriptor's constant size folds into the
** call: manual's calloc plus the descriptor word its drop glue reads, or gc's GC_MALLOC with
** no header at all (the collector needs no drop glue). Blocks of 64 KiB and more use Boehm's
** _ignore_off_page variant: a handle always points near the block's start. */
#if defined(HL_RUNTIME_MANUAL)
#include <stdlib.h>
#define HL__DIRECT_OBJ_HDR sizeof(const hl_type *)
static inline void *hl__direct_obj_alloc(size_t n) { return calloc(1, n); }
#else
#include <gc.h>
#define HL__DIRECT_OBJ_HDR 0
#define HL__GC_LARGE_BLOCK (64 * 1024)
static inline void *hl__direct_obj_alloc(size_t n) {
    return n < HL__GC_LARGE_BLOCK ? GC_MALLOC(n) : GC_MALLOC_IGNORE_OFF_PAGE(n);
}
#endif

static inline hl_ref hl__new(const hl_type *t, const hl_site *at) {
    char *blk = (char *)hl__direct_obj_alloc(HL__DIRECT_OBJ_HDR + t->size);
    if (HL__UNLIKELY(!blk)) hl__out_of_memory(t->size, t->name, at);
    if (HL__DIRECT_OBJ_HDR) *(const hl_type **)blk = t;
    hl__count_alloc(t->size);
    return (hl_ref){(uintptr_t)(blk + HL__DIRECT_OBJ_HDR)};
}

/* manual frees (out of line: the drop glue); gc only forgets, inline. */
#if defined(HL_RUNTIME_MANUAL)
void hl__drop(hl_ref *r, const hl_site *at);
#else
static inline void hl__drop(hl_ref *r, const hl_site *at) {
    (void)at;
    *r = HL_NULL;
}
#endif

static inline bool hl_is_null(hl_ref r) { return r.bits == 0; }

static inline void *hl__ptr(hl_ref r) { return (void *)r.bits; }
static inline const hl_type *hl__type_of(hl_ref r) { return ((const hl_type *const *)r.bits)[-1]; }
static inline size_t hl__buf_len(hl_ref r) { return ((const size_t *)r.bits)[-2]; }

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
    return ((const uint8_t *)hl__ptr(b))[i];
}

static inline void hl__set_byte(hl_ref b, size_t i, uint8_t v, const hl_site *at) {
    (void)at;
    ((uint8_t *)hl__ptr(b))[i] = v;
}

static inline hl_ref hl__ref_at(hl_ref r, size_t i, const hl_site *at) {
    (void)at;
    return ((const hl_ref *)hl__ptr(r))[i];
}

static inline hl_ref *hl__slot(hl_ref r, size_t i, const hl_site *at) {
    (void)at;
    return (hl_ref *)hl__ptr(r) + i;
}

#define HL_READ(T, name, ref) const T *name = (const T *)hl__ptr(ref)
#define HL_WRITE(T, name, ref) T *name = (T *)hl__ptr(ref)
#define HL_READ_BYTES(name, ref) const uint8_t *name = (const uint8_t *)hl__ptr(ref)
#define HL_WRITE_BYTES(name, ref) uint8_t *name = (uint8_t *)hl__ptr(ref)
#define HL_READ_REFS(name, ref) const hl_ref *name = (const hl_ref *)hl__ptr(ref)
#define HL_WRITE_REFS(name, ref) hl_ref *name = (hl_ref *)hl__ptr(ref)

#endif
