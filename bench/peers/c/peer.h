/*
** bench/peers/c/peer.h: the allocator of the plain C peers, chosen when the peer is built.
**
** Each peer is written once as a C programmer would write the workload without heaplab:
** typed structs, raw pointers, type-specific free functions. Built plainly it is the `c`
** variant (glibc malloc/free); built with -DHL_PEER_GC it is `c+gc`, the same source on Boehm
** as Boehm documents it: GC_MALLOC for objects that hold pointers, GC_MALLOC_ATOMIC for
** pointer-free data, and every free compiled out (the collector reclaims).
**
**   peer_new(n)           uninitialised memory that may hold pointers, for a struct whose every
**                         field the caller sets at once, as C code does after malloc
**                         (malloc / GC_MALLOC, which clears: Boehm must never scan garbage)
**   peer_alloc(n)         zeroed memory that may hold pointers (calloc / GC_MALLOC)
**   peer_alloc_atomic(n)  zeroed memory that holds no pointers (calloc / GC_MALLOC_ATOMIC + memset)
**   peer_alloc_raw(n)     uninitialised memory that holds no pointers (malloc / GC_MALLOC_ATOMIC),
**                         for buffers the program fills before reading
**   peer_realloc(p, n)    realloc / GC_REALLOC (new bytes are not zeroed)
**   peer_free(p)          free / nothing
**   PEER_FREES            1 when frees run (a type-specific free function may skip its walk when 0)
**
** Allocation failure is reported and the program exits with status 1.
*/
#ifndef PEER_H
#define PEER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void *peer_check(void *p, size_t n) {
    if (!p && n) {
        fprintf(stderr, "peer: out of memory allocating %zu bytes\n", n);
        exit(1);
    }
    return p;
}

#ifdef HL_PEER_GC
#include <gc.h>
#define PEER_FREES 0
#define peer_init() GC_INIT()
static inline void *peer_new(size_t n) { return peer_check(GC_MALLOC(n), n); }
static inline void *peer_alloc(size_t n) { return peer_check(GC_MALLOC(n), n); }
static inline void *peer_alloc_atomic(size_t n) {
    /* GC_MALLOC_ATOMIC does not clear: the peers rely on zeroed memory as calloc gives it. */
    return memset(peer_check(GC_MALLOC_ATOMIC(n), n), 0, n);
}
static inline void *peer_alloc_raw(size_t n) { return peer_check(GC_MALLOC_ATOMIC(n), n); }
static inline void *peer_realloc(void *p, size_t n) { return peer_check(GC_REALLOC(p, n), n); }
static inline void peer_free(void *p) { (void)p; }
#else
#define PEER_FREES 1
#define peer_init() ((void)0)
static inline void *peer_new(size_t n) { return peer_check(malloc(n), n); }
static inline void *peer_alloc(size_t n) { return peer_check(calloc(1, n), n); }
static inline void *peer_alloc_atomic(size_t n) { return peer_check(calloc(1, n), n); }
static inline void *peer_alloc_raw(size_t n) { return peer_check(malloc(n), n); }
static inline void *peer_realloc(void *p, size_t n) { return peer_check(realloc(p, n), n); }
static inline void peer_free(void *p) { free(p); }
#endif

#endif
