/*
** addr_map.h: a map from an address to a word, for manual's bookkeeping off the hot paths:
** the size of each typed object a statistics run makes (a manual handle's tag names an object's
** shape, not its type, so a drop cannot read the size from a descriptor: the run notes it here
** when the object is made and takes it back when the object is freed), and the id of each
** registered type (found once per call site). Open addressing with linear probing over a
** power-of-two table, at most half full (deleted slots included); deleted slots are tombstones
** until the table grows. Keys are addresses of blocks or descriptors, never 0 or 1. Included
** by manual.c only: every function is static.
*/
#ifndef HL_ADDR_MAP_H
#define HL_ADDR_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

enum { ADDR_MAP_EMPTY = 0, ADDR_MAP_DELETED = 1 };   /* keys no block has */

typedef struct addr_map {
    uintptr_t *keys;   /* addresses, or ADDR_MAP_EMPTY, ADDR_MAP_DELETED */
    size_t    *vals;   /* the words */
    size_t     cap, used;   /* cap: 0 or a power of two; used: slots not empty */
} addr_map;

static size_t addr_map_slot(const addr_map *m, uintptr_t key) {
    return (size_t)((key >> 4) * UINT64_C(0x9e3779b97f4a7c15) >> 20) & (m->cap - 1);
}

/* Store key -> val in a table with room for it (no growth). */
static void addr_map_store(addr_map *m, uintptr_t key, size_t val) {
    size_t i = addr_map_slot(m, key);
    while (m->keys[i] > ADDR_MAP_DELETED) i = (i + 1) & (m->cap - 1);
    if (m->keys[i] == ADDR_MAP_EMPTY) m->used++;
    m->keys[i] = key;
    m->vals[i] = val;
}

/* The slots of the table's next growth: 1024 at first, then twice as many. */
static size_t addr_map_next_cap(const addr_map *m) { return m->cap ? 2 * m->cap : 1024; }

/* The bytes the table's next growth asks for (for an out-of-memory report). */
static size_t addr_map_next_bytes(const addr_map *m) {
    return addr_map_next_cap(m) * (sizeof *m->keys + sizeof *m->vals);
}

/* Grow the table to addr_map_next_cap slots, dropping tombstones; false, with the map unchanged,
** when memory is exhausted. */
static bool addr_map_grow(addr_map *m) {
    addr_map g = {NULL, NULL, addr_map_next_cap(m), 0};
    g.keys = calloc(g.cap, sizeof *g.keys);
    g.vals = malloc(g.cap * sizeof *g.vals);
    if (!g.keys || !g.vals) {
        free(g.keys);
        free(g.vals);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i] > ADDR_MAP_DELETED) addr_map_store(&g, m->keys[i], m->vals[i]);
    free(m->keys);
    free(m->vals);
    *m = g;
    return true;
}

/* Map p (not yet in the map) to n; false when memory for the table is exhausted. */
static bool addr_map_put(addr_map *m, uintptr_t p, size_t n) {
    if (2 * (m->used + 1) > m->cap && !addr_map_grow(m)) return false;
    addr_map_store(m, p, n);
    return true;
}

/* The slot of p, or cap if p is not in the map. */
static size_t addr_map_find(const addr_map *m, uintptr_t p) {
    if (m->cap == 0) return m->cap;
    for (size_t i = addr_map_slot(m, p); m->keys[i] != ADDR_MAP_EMPTY; i = (i + 1) & (m->cap - 1))
        if (m->keys[i] == p) return i;
    return m->cap;
}

/* The word p maps to; 0 if none. */
static size_t addr_map_get(const addr_map *m, uintptr_t p) {
    size_t i = addr_map_find(m, p);
    return i < m->cap ? m->vals[i] : 0;
}

/* The word p maps to, removed from the map; 0 if none (for sizes: a block made while
** statistics were off). */
static size_t addr_map_take(addr_map *m, uintptr_t p) {
    size_t i = addr_map_find(m, p);
    if (i >= m->cap) return 0;
    m->keys[i] = ADDR_MAP_DELETED;
    return m->vals[i];
}

static void addr_map_clear(addr_map *m) {
    free(m->keys);
    free(m->vals);
    *m = (addr_map){NULL, NULL, 0, 0};
}

#endif
