/*
** bench/peers/c/alloc_mix.c: the plain C peer of programs/alloc_mix.c (allocator stress in
** the shape of larson and xmalloc: a window of 16384 live objects and a long-lived region of
** 1024, power-law sizes over 8 B..4 KiB, ring, random and hand-over lifetimes, a stamp per
** object checked when it dies), written as a C programmer would write it without heaplab.
**
** Idioms: a region is an array of slots, each a tagged union (kind, size, and a raw pointer to
** a byte block or to a Pair struct owning two byte blocks), allocated zeroed with peer_alloc
** (every slot starts empty: K_EMPTY is 0; GC_MALLOC in the c+gc build: it holds pointers). A
** Pair is malloc'd with peer_new and every field set at once. Byte blocks are malloc'd
** uninitialised (peer_alloc_raw, GC_MALLOC_ATOMIC): only the stamp and the check byte are ever
** written or read. A slot's object is freed by its type-specific free (pair_free frees both
** blocks and the pair) when it is replaced, handed over onto, or at the end, where the API
** program drops it; a hand-over moves the pointer and empties the source slot.
**
** Size argument: the number of objects allocated (default 5000000), as programs/alloc_mix.c.
*/
#include "hl_prog.h"
#include "hlp_util.h"
#include "peer.h"

#include <stdio.h>

typedef struct Pair {
    uint8_t *a, *b;   /* owned byte blocks: a of the slot's size, b of MIN_SIZE */
    uint64_t stamp;
} Pair;

enum { WINDOW = 1 << 14, OLD = 1 << 10, MIN_SIZE = 8, MAX_SIZE = 4096 };
enum { K_EMPTY, K_BYTES, K_PAIR };

typedef struct Slot {
    union {
        uint8_t *bytes;   /* K_BYTES */
        Pair    *pair;    /* K_PAIR */
    } obj;
    uint32_t size;        /* the byte block's size (the pair's a) */
    uint8_t  kind;
} Slot;

typedef struct Region {
    Slot    *slots;
    uint32_t n;
} Region;

static Region region_new(uint32_t n) { return (Region){peer_alloc(n * sizeof(Slot)), n}; }

static size_t draw_size(hlp_rng *rng) { return MIN_SIZE - 1 + hlp_rng_pow(rng, MAX_SIZE - MIN_SIZE + 1); }

/* A block of size >= 8 bytes: the stamp in its first 8 bytes, a check byte last. */
static uint8_t *new_bytes(size_t size, uint64_t stamp) {
    uint8_t *b = peer_alloc_raw(size);
    hlp_put_u64(b, 0, stamp);
    if (size > 8) b[size - 1] = (uint8_t)(stamp >> 3);
    return b;
}

/* The stamp of a block made by new_bytes, or 0 when its check byte is wrong. */
static uint64_t check_bytes(const uint8_t *b, size_t size) {
    uint64_t stamp = hlp_get_u64(b, 0);
    return size == 8 || b[size - 1] == (uint8_t)(stamp >> 3) ? stamp : 0;
}

static Pair *pair_new(size_t size, uint64_t stamp) {
    Pair *p = peer_new(sizeof *p);
    p->a = new_bytes(size, stamp);
    p->b = new_bytes(MIN_SIZE, stamp + 1);
    p->stamp = stamp;
    return p;
}

/* The pair's stamp, or 0 when either block's stamp disagrees. */
static uint64_t check_pair(const Pair *p, size_t size) {
    if (check_bytes(p->a, size) != p->stamp || check_bytes(p->b, MIN_SIZE) != p->stamp + 1) return 0;
    return p->stamp;
}

static void pair_free(Pair *p) {
    peer_free(p->a);
    peer_free(p->b);
    peer_free(p);
}

/* Kill whatever slot s holds: check its stamp, fold it into the checksum, free it. */
static void kill(Slot *s, uint64_t *sum, uint64_t *bad) {
    uint64_t stamp;
    if (s->kind == K_BYTES) {
        stamp = check_bytes(s->obj.bytes, s->size);
        peer_free(s->obj.bytes);
    } else if (s->kind == K_PAIR) {
        stamp = check_pair(s->obj.pair, s->size);
        pair_free(s->obj.pair);
    } else {
        return;
    }
    *bad += stamp == 0;
    *sum = hlp_mix(*sum, stamp ^ s->size);
    s->kind = K_EMPTY;
}

/* Store a new object in slot s (which is empty). */
static void store(Slot *s, hlp_rng *rng, uint64_t stamp) {
    size_t size = draw_size(rng);
    s->kind = hlp_rng_below(rng, 8) == 0 ? K_PAIR : K_BYTES;
    s->size = (uint32_t)size;
    if (s->kind == K_BYTES)
        s->obj.bytes = new_bytes(size, stamp);
    else
        s->obj.pair = pair_new(size, stamp);
}

/* Hand the object in slot from over to slot to (killing what was there). */
static void hand_over(Region *r, uint32_t from, uint32_t to, uint64_t *sum, uint64_t *bad) {
    if (from == to) return;
    kill(&r->slots[to], sum, bad);
    r->slots[to] = r->slots[from];
    r->slots[from].kind = K_EMPTY;
}

static void region_free(Region *r, uint64_t *sum, uint64_t *bad) {
    for (uint32_t i = 0; i < r->n; i++) kill(&r->slots[i], sum, bad);
    peer_free(r->slots);
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"alloc_mix", "allocator stress: power-law sizes, random lifetimes, sliding window",
                                  "number of objects allocated", 5000000, 1, 2000000000};
    uint64_t n = (uint64_t)hlp_size_arg(&spec, argc, argv);
    peer_init();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0xa110c);
    Region young = region_new(WINDOW), old = region_new(OLD);
    uint64_t sum = HLP_CHECK_INIT, bad = 0, handovers = 0, olds = 0;
    uint32_t ring = 0;
    for (uint64_t step = 0; step < n; step++) {
        uint64_t stamp = hlp_hash_u64(step) | 1;   /* never 0, which marks a bad check */
        Slot *s;
        if (hlp_rng_below(&rng, 64) == 0) {
            s = &old.slots[hlp_rng_below(&rng, OLD)];
            olds++;
        } else if (hlp_rng_below(&rng, 2) == 0) {
            s = &young.slots[ring];
            ring = (ring + 1) & (WINDOW - 1);
        } else {
            s = &young.slots[hlp_rng_below(&rng, WINDOW)];
        }
        kill(s, &sum, &bad);
        store(s, &rng, stamp);
        if (hlp_rng_below(&rng, 8) == 0) {
            /* The reference program draws both in one call's arguments, which gcc
            ** evaluates last to first: the destination is drawn before the source. */
            uint32_t to = (uint32_t)hlp_rng_below(&rng, WINDOW);
            uint32_t from = (uint32_t)hlp_rng_below(&rng, WINDOW);
            hand_over(&young, from, to, &sum, &bad);
            handovers++;
        }
    }
    region_free(&young, &sum, &bad);
    region_free(&old, &sum, &bad);
    if (bad) {
        fprintf(stderr, "alloc_mix: error: %llu objects with a corrupt stamp\n", (unsigned long long)bad);
        return 1;
    }
    printf("%llu objects: %llu long-lived, %llu handed over\n", (unsigned long long)n, (unsigned long long)olds,
           (unsigned long long)handovers);
    sum = hlp_mix(sum, olds);
    sum = hlp_mix(sum, handovers);
    hlp_print_checksum(&spec, (long long)n, sum);
    return 0;
}
