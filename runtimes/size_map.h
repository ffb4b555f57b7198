/*
** size_map.h: a map from a block's address to its size, for manual's statistics runs.
**
** A manual handle's tag names an object's shape, not its type, so a drop cannot read a typed
** object's size from its descriptor; a statistics run notes each size here when the object is
** made and takes it back when the object is freed, so that live and peak bytes stay exact. Timed
** runs never touch it. Open addressing with linear probing over a power-of-two table, at most
** half full (deleted slots included); deleted slots are tombstones until the table grows.
** Included by manual.c only: every function is static.
*/
#ifndef HL_SIZE_MAP_H
#define HL_SIZE_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

enum { SIZE_MAP_EMPTY = 0, SIZE_MAP_DELETED = 1 };   /* keys no block has */

typedef struct size_map {
    uintptr_t *keys;   /* addresses, or SIZE_MAP_EMPTY, SIZE_MAP_DELETED */
    size_t    *vals;   /* sizes */
    size_t     cap, used;   /* cap: 0 or a power of two; used: slots not empty */
} size_map;

static size_t size_map_slot(const size_map *m, uintptr_t key) {
    return (size_t)((key >> 4) * UINT64_C(0x9e3779b97f4a7c15) >> 20) & (m->cap - 1);
}

/* Store key -> val in a table with room for it (no growth). */
static void size_map_store(size_map *m, uintptr_t key, size_t val) {
    size_t i = size_map_slot(m, key);
    while (m->keys[i] > SIZE_MAP_DELETED) i = (i + 1) & (m->cap - 1);
    if (m->keys[i] == SIZE_MAP_EMPTY) m->used++;
    m->keys[i] = key;
    m->vals[i] = val;
}

/* Double the table (1024 slots at first), dropping tombstones; false, with the map unchanged,
** when memory is exhausted. */
static bool size_map_grow(size_map *m) {
    size_map g = {NULL, NULL, m->cap ? 2 * m->cap : 1024, 0};
    g.keys = calloc(g.cap, sizeof *g.keys);
    g.vals = malloc(g.cap * sizeof *g.vals);
    if (!g.keys || !g.vals) {
        free(g.keys);
        free(g.vals);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i] > SIZE_MAP_DELETED) size_map_store(&g, m->keys[i], m->vals[i]);
    free(m->keys);
    free(m->vals);
    *m = g;
    return true;
}

/* Note that block p has size n; false when memory for the table is exhausted. */
static bool size_map_put(size_map *m, uintptr_t p, size_t n) {
    if (2 * (m->used + 1) > m->cap && !size_map_grow(m)) return false;
    size_map_store(m, p, n);
    return true;
}

/* The size noted for p, forgotten; 0 if none was (a block made while statistics were off). */
static size_t size_map_take(size_map *m, uintptr_t p) {
    if (m->cap == 0) return 0;
    for (size_t i = size_map_slot(m, p); m->keys[i] != SIZE_MAP_EMPTY; i = (i + 1) & (m->cap - 1))
        if (m->keys[i] == p) {
            m->keys[i] = SIZE_MAP_DELETED;
            return m->vals[i];
        }
    return 0;
}

static void size_map_clear(size_map *m) {
    free(m->keys);
    free(m->vals);
    *m = (size_map){NULL, NULL, 0, 0};
}

#endif
