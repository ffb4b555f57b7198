/*
** lru_cache: a fixed-capacity least-recently-used cache under random gets and puts.
**
** Models an in-process cache (a web server's page cache, a database buffer pool's index): a
** hash index from 64-bit keys to entries, and a doubly linked recency list whose head is the
** most recently used entry and whose tail is evicted when the cache is full. Keys are drawn
** half from a power law (a hot set) and half uniformly from a key space four times the
** capacity, so hits, misses and evictions all happen all the time. The capacity is fixed for
** the run: 65536 entries (n/16 for runs shorter than 2^20 operations, at least 64). 80 % of operations are
** gets (a miss loads the value and inserts it), 20 % are puts (replacing the value of a
** present key).
**
** Written the way idiomatic Rust writes it: the cache owns its entries in an arena (a refs
** buffer, one slot per entry), and every link is a non-owning index into that arena: the
** list's next and prev, and the hash chains. Hash chain heads live in a bytes buffer of
** 32-bit indices. The arena never moves an entry, so no link ever goes stale; an evicted
** entry is dropped and its slot reused for the next insert.
**
** Allocation pattern: long-lived entries and values (bytes buffers of 17..2048 bytes, power
** law) that die in an order unrelated to their birth order: the fragmentation case for
** malloc, and a large live heap for a tracing collector to scan on every collection.
**
** Regions: not LIFO. Entries die when they fall off the recency list or their value is
** replaced, in an order unrelated to their birth, so no stretch of the run ends with
** everything born in it dead. The whole run is one region, ended after the cache is dropped;
** the region runtime reclaims nothing before that (not even replaced values), so its peak RSS
** is every byte the run allocates, where the other runtimes hold one cache's worth. No stack
** objects: the Cache is a plain struct on main's stack, its arena and entries are heap
** objects.
**
** Size argument: the number of cache operations (default 1600000).
*/
#include "heaplab.h"
#include "hl_prog.h"
#include "hlp_util.h"

#include <stdio.h>

#define NIL UINT32_MAX

typedef struct Entry {
    hl_ref   value;         /* owned bytes buffer */
    uint64_t key;
    uint64_t version;       /* how many times this key's value was written */
    uint32_t prev, next;    /* recency list: arena indices, non-owning (NIL at the ends) */
    uint32_t hnext;         /* hash chain: arena index (NIL at the end) */
    uint32_t len;           /* value length */
} Entry;
HL_TYPE(Entry, value);

enum { MAX_CAPACITY = 1 << 16, MIN_CAPACITY = 64 };

typedef struct Cache {
    hl_ref   arena;        /* owned refs buffer of CAPACITY entries */
    hl_ref   heads;        /* owned bytes: NBUCKETS uint32 chain heads (NIL = empty) */
    uint32_t mru, lru;     /* list ends (NIL when empty) */
    uint32_t size;
    uint32_t capacity;     /* entries */
    uint32_t nbuckets;     /* a power of two >= capacity */
} Cache;

static size_t bucket_of(const Cache *c, uint64_t key) { return hlp_hash_u64(key) & (c->nbuckets - 1); }

/* The list and hash operations take the arena as a borrowed slice (Rust: &[Box<Entry>]), so
** that an operation on several entries validates the arena once and each entry as it is
** borrowed. */
typedef HL_SLICE(hl_ref) Arena;

static uint32_t find(const Cache *c, uint64_t key) {
    HL_READ_SLICE(uint32_t, heads, c->heads);
    HL_READ_SLICE(hl_ref, arena, c->arena);
    for (uint32_t i = HL_AT(heads, bucket_of(c, key)); i != NIL;) {
        HL_READ(Entry, e, HL_AT(arena, i));
        if (e->key == key) return i;
        i = e->hnext;
    }
    return NIL;
}

static void set_next(Cache *c, Arena arena, uint32_t i, uint32_t next) {
    if (i == NIL) {
        c->mru = next;
        return;
    }
    HL_WRITE(Entry, e, HL_AT(arena, i));
    e->next = next;
}

static void set_prev(Cache *c, Arena arena, uint32_t i, uint32_t prev) {
    if (i == NIL) {
        c->lru = prev;
        return;
    }
    HL_WRITE(Entry, e, HL_AT(arena, i));
    e->prev = prev;
}

static void list_unlink(Cache *c, Arena arena, uint32_t i) {
    uint32_t prev, next;
    {
        HL_READ(Entry, e, HL_AT(arena, i));
        prev = e->prev;
        next = e->next;
    }
    set_next(c, arena, prev, next);
    set_prev(c, arena, next, prev);
}

static void list_push_front(Cache *c, Arena arena, uint32_t i) {
    {
        HL_WRITE(Entry, e, HL_AT(arena, i));
        e->prev = NIL;
        e->next = c->mru;
    }
    set_prev(c, arena, c->mru, i);
    c->mru = i;
}

/* Mark entry i as the most recently used. */
static void touch(Cache *c, uint32_t i) {
    HL_READ_SLICE(hl_ref, arena, c->arena);
    list_unlink(c, arena, i);
    list_push_front(c, arena, i);
}

static void hash_unlink(Cache *c, Arena arena, uint32_t i, uint64_t key) {
    size_t b = bucket_of(c, key);
    uint32_t hnext;
    {
        HL_READ(Entry, e, HL_AT(arena, i));
        hnext = e->hnext;
    }
    HL_WRITE_SLICE(uint32_t, heads, c->heads);
    uint32_t j = HL_AT(heads, b);
    if (j == i) {
        HL_AT(heads, b) = hnext;
        return;
    }
    for (;;) {
        HL_WRITE(Entry, e, HL_AT(arena, j));
        if (e->hnext == i) {
            e->hnext = hnext;
            return;
        }
        j = e->hnext;
    }
}

static uint8_t value_byte(uint64_t key, uint64_t version, size_t i) {
    return (uint8_t)(key * 29 + version * 7 + i + (i >> 5));
}

static hl_ref make_value(uint64_t key, uint64_t version, uint32_t len) {
    hl_ref v = hl_new_bytes_uninit(len);   /* filled below */
    HL_WRITE_SLICE(uint8_t, b, v);
    for (size_t i = 0; i < b.len; i++) HL_AT(b, i) = value_byte(key, version, i);
    return v;
}

/* Insert a key known to be absent, evicting the least recently used entry when full. */
static void insert(Cache *c, uint64_t key, uint32_t len, uint64_t *evictions) {
    HL_WRITE_SLICE(hl_ref, arena, c->arena);
    uint32_t i;
    if (c->size < c->capacity) {
        i = c->size++;
    } else {
        i = c->lru;
        uint64_t old_key;
        {
            HL_READ(Entry, old, HL_AT(arena, i));
            old_key = old->key;
        }
        list_unlink(c, HL_SLICE_SHARED(hl_ref, arena), i);
        hash_unlink(c, HL_SLICE_SHARED(hl_ref, arena), i, old_key);
        hl_drop(&HL_AT(arena, i));   /* the entry and its value */
        (*evictions)++;
    }
    hl_ref value = make_value(key, 0, len);
    hl_ref e = hl_new(&Entry_type);
    size_t b = bucket_of(c, key);
    {
        HL_WRITE(Entry, w, e);
        w->value = hl_move(&value);
        w->key = key;
        w->len = len;
        HL_WRITE_SLICE(uint32_t, heads, c->heads);
        w->hnext = HL_AT(heads, b);
        HL_AT(heads, b) = i;
    }
    HL_AT(arena, i) = hl_move(&e);
    list_push_front(c, HL_SLICE_SHARED(hl_ref, arena), i);
}

/* Replace the value of entry i. */
static void replace(Cache *c, uint32_t i, uint32_t len) {
    HL_WRITE(Entry, w, hl_ref_at(c->arena, i));
    hl_drop(&w->value);
    w->version++;
    w->value = make_value(w->key, w->version, len);
    w->len = len;
}

/* Check and hash entry i's value. */
static uint64_t read_value(const Cache *c, uint32_t i) {
    HL_READ(Entry, e, hl_ref_at(c->arena, i));
    HL_READ_SLICE(uint8_t, b, e->value);
    if (HL_AT(b, e->len - 1) != value_byte(e->key, e->version, e->len - 1)) return 0;
    return hlp_hash_bytes(HL_RANGE(b, 0, e->len), e->len) ^ e->version;
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"lru_cache", "fixed-capacity LRU cache: random gets and puts",
                                  "number of operations", 1600000, 1, 1000000000};
    uint64_t n = (uint64_t)hlp_size_arg(&spec, argc, argv);
    hl_init();
    hl_region run = hl_region_begin();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0x1e0);
    /* The capacity is fixed for a run: n/16 entries, at least 64 and at most 65536. */
    uint32_t capacity = n / 16 < MIN_CAPACITY ? MIN_CAPACITY : n / 16 > MAX_CAPACITY ? MAX_CAPACITY : (uint32_t)(n / 16);
    uint32_t nbuckets = 1;
    while (nbuckets < capacity) nbuckets *= 2;
    uint64_t keyspace = 4 * (uint64_t)capacity;
    Cache c = {hl_new_refs(capacity), hl_new_bytes_uninit(4 * (size_t)nbuckets), NIL, NIL, 0, capacity, nbuckets};
    {
        HL_WRITE_SLICE(uint32_t, heads, c.heads);
        for (size_t b = 0; b < heads.len; b++) HL_AT(heads, b) = NIL;
    }
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
        touch(&c, i);
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
        return 1;
    }
    /* Walk the recency list from the most recently used end. */
    uint64_t walked = 0;
    {
        HL_READ_SLICE(hl_ref, arena, c.arena);
        for (uint32_t i = c.mru; i != NIL; walked++) {
            HL_READ(Entry, e, HL_AT(arena, i));
            sum = hlp_mix(sum, e->key ^ (e->version << 32));
            i = e->next;
        }
    }
    printf("%llu operations: %llu hits, %llu misses, %llu puts, %llu evictions, %llu entries\n",
           (unsigned long long)n, (unsigned long long)hits, (unsigned long long)misses,
           (unsigned long long)puts, (unsigned long long)evictions, (unsigned long long)walked);
    uint64_t counts[] = {hits, misses, puts, evictions, walked};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) sum = hlp_mix(sum, counts[k]);
    hl_drop(&c.arena);
    hl_drop(&c.heads);
    hl_region_end(run);
    hlp_print_checksum(&spec, (long long)n, sum);
    return hl_shutdown() == 0 ? 0 : 1;
}
