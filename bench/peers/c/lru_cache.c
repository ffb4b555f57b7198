/*
** bench/peers/c/lru_cache.c: the plain C peer of programs/lru_cache.c (a fixed-capacity LRU
** cache under random gets and puts), written as a C programmer would write it without heaplab.
**
** Idioms: the cache owns its entries through an arena, an array of entry pointers with one slot
** per entry, and every link is a 32-bit index into it (the recency list's prev and next, the
** hash chains), as in the API program; the chain heads are a plain uint32_t array. An entry is
** a typed struct that owns a raw pointer to its value bytes (length kept in the struct).
** Entries and the arena come from peer_new (they hold pointers; an entry's fields are all set
** by a compound literal, an arena slot is written before it is read), values and chain heads
** from peer_alloc_raw (pointer-free, filled before they are read). An evicted entry is freed
** with entry_free (entry and value) and its slot reused by the next insert; a put frees the old
** value before making the new one; cache_free frees everything at the end. The cache struct
** lives on main's stack.
**
** Size argument: the number of cache operations (default 1600000), as programs/lru_cache.c.
*/
#include "hl_prog.h"
#include "hlp_util.h"
#include "peer.h"

#include <stdbool.h>
#include <stdio.h>

#define NIL UINT32_MAX

typedef struct Entry {
    uint8_t *value;         /* owned, len bytes */
    uint64_t key;
    uint64_t version;       /* how many times this key's value was written */
    uint32_t prev, next;    /* recency list: arena indices (NIL at the ends) */
    uint32_t hnext;         /* hash chain: arena index (NIL at the end) */
    uint32_t len;           /* value length */
} Entry;

enum { MAX_CAPACITY = 1 << 16, MIN_CAPACITY = 64 };

typedef struct Cache {
    Entry   **arena;       /* capacity slots; the first size are in use */
    uint32_t *heads;       /* nbuckets chain heads (NIL = empty) */
    uint32_t  mru, lru;    /* list ends (NIL when empty) */
    uint32_t  size;
    uint32_t  capacity;    /* entries */
    uint32_t  nbuckets;    /* a power of two >= capacity */
} Cache;

static void cache_init(Cache *c, uint32_t capacity) {
    uint32_t nbuckets = 1;
    while (nbuckets < capacity) nbuckets *= 2;
    c->arena = peer_new(capacity * sizeof *c->arena);
    c->heads = peer_alloc_raw(nbuckets * sizeof *c->heads);
    for (uint32_t b = 0; b < nbuckets; b++) c->heads[b] = NIL;
    c->mru = c->lru = NIL;
    c->size = 0;
    c->capacity = capacity;
    c->nbuckets = nbuckets;
}

static void entry_free(Entry *e) {
    peer_free(e->value);
    peer_free(e);
}

static void cache_free(Cache *c) {
    if (PEER_FREES)
        for (uint32_t i = 0; i < c->size; i++) entry_free(c->arena[i]);
    peer_free(c->arena);
    peer_free(c->heads);
}

static size_t bucket_of(const Cache *c, uint64_t key) { return hlp_hash_u64(key) & (c->nbuckets - 1); }

static uint32_t find(const Cache *c, uint64_t key) {
    uint32_t i = c->heads[bucket_of(c, key)];
    while (i != NIL && c->arena[i]->key != key) i = c->arena[i]->hnext;
    return i;
}

static void list_unlink(Cache *c, uint32_t i) {
    const Entry *e = c->arena[i];
    if (e->prev == NIL) c->mru = e->next;
    else c->arena[e->prev]->next = e->next;
    if (e->next == NIL) c->lru = e->prev;
    else c->arena[e->next]->prev = e->prev;
}

static void list_push_front(Cache *c, uint32_t i) {
    Entry *e = c->arena[i];
    e->prev = NIL;
    e->next = c->mru;
    if (c->mru == NIL) c->lru = i;
    else c->arena[c->mru]->prev = i;
    c->mru = i;
}

static void hash_unlink(Cache *c, uint32_t i) {
    uint32_t *link = &c->heads[bucket_of(c, c->arena[i]->key)];
    while (*link != i) link = &c->arena[*link]->hnext;
    *link = c->arena[i]->hnext;
}

static uint8_t value_byte(uint64_t key, uint64_t version, size_t i) {
    return (uint8_t)(key * 29 + version * 7 + i + (i >> 5));
}

static uint8_t *make_value(uint64_t key, uint64_t version, uint32_t len) {
    uint8_t *v = peer_alloc_raw(len);
    for (size_t i = 0; i < len; i++) v[i] = value_byte(key, version, i);
    return v;
}

/* Insert a key known to be absent, evicting the least recently used entry when full. */
static void insert(Cache *c, uint64_t key, uint32_t len, uint64_t *evictions) {
    uint32_t i;
    if (c->size < c->capacity) {
        i = c->size++;
    } else {
        i = c->lru;
        list_unlink(c, i);
        hash_unlink(c, i);
        entry_free(c->arena[i]);
        (*evictions)++;
    }
    uint8_t *value = make_value(key, 0, len);
    Entry *e = peer_new(sizeof *e);
    size_t b = bucket_of(c, key);
    *e = (Entry){.value = value, .key = key, .version = 0, .prev = NIL, .next = NIL,
                 .hnext = c->heads[b], .len = len};
    c->heads[b] = i;
    c->arena[i] = e;
    list_push_front(c, i);
}

/* Replace the value of entry i. */
static void replace(Cache *c, uint32_t i, uint32_t len) {
    Entry *e = c->arena[i];
    peer_free(e->value);
    e->version++;
    e->value = make_value(e->key, e->version, len);
    e->len = len;
}

/* Check and hash entry i's value. */
static uint64_t read_value(const Cache *c, uint32_t i) {
    const Entry *e = c->arena[i];
    if (e->value[e->len - 1] != value_byte(e->key, e->version, e->len - 1)) return 0;
    return hlp_hash_bytes(e->value, e->len) ^ e->version;
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"lru_cache", "fixed-capacity LRU cache: random gets and puts",
                                  "number of operations", 1600000, 1, 1000000000};
    uint64_t n = (uint64_t)hlp_size_arg(&spec, argc, argv);
    peer_init();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0x1e0);
    /* The capacity is fixed for a run: n/16 entries, at least 64 and at most 65536. */
    uint32_t capacity = n / 16 < MIN_CAPACITY ? MIN_CAPACITY : n / 16 > MAX_CAPACITY ? MAX_CAPACITY : (uint32_t)(n / 16);
    uint64_t keyspace = 4 * (uint64_t)capacity;
    Cache c;
    cache_init(&c, capacity);
    uint64_t sum = HLP_CHECK_INIT, hits = 0, misses = 0, puts = 0, evictions = 0, bad = 0;
    for (uint64_t op = 0; op < n; op++) {
        uint64_t key = hlp_rng_below(&rng, 2) ? hlp_rng_pow(&rng, keyspace) : 1 + hlp_rng_below(&rng, keyspace);
        uint32_t len = (uint32_t)(16 + hlp_rng_pow(&rng, 2032));
        bool is_put = hlp_rng_below(&rng, 5) == 0;
        uint32_t i = find(&c, key);
        if (i == NIL) {
            insert(&c, key, len, &evictions);
            misses += !is_put;
            puts += is_put;
            continue;
        }
        list_unlink(&c, i);
        list_push_front(&c, i);
        if (is_put) {
            replace(&c, i, len);
            puts++;
        } else {
            uint64_t h = read_value(&c, i);
            bad += h == 0;
            sum = hlp_mix(sum, h);
            hits++;
        }
    }
    if (bad) {
        fprintf(stderr, "lru_cache: error: %llu corrupt values\n", (unsigned long long)bad);
        cache_free(&c);
        return 1;
    }
    /* Walk the recency list from the most recently used end. */
    uint64_t walked = 0;
    for (uint32_t i = c.mru; i != NIL; i = c.arena[i]->next, walked++)
        sum = hlp_mix(sum, c.arena[i]->key ^ (c.arena[i]->version << 32));
    printf("%llu operations: %llu hits, %llu misses, %llu puts, %llu evictions, %llu entries\n",
           (unsigned long long)n, (unsigned long long)hits, (unsigned long long)misses,
           (unsigned long long)puts, (unsigned long long)evictions, (unsigned long long)walked);
    uint64_t counts[] = {hits, misses, puts, evictions, walked};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) sum = hlp_mix(sum, counts[k]);
    cache_free(&c);
    hlp_print_checksum(&spec, (long long)n, sum);
    return 0;
}
