/*
** alloc_mix: allocator stress with mixed sizes and lifetimes.
**
** Models a server's heap traffic in the shape of the larson and xmalloc benchmarks, single-
** threaded: a working set of 16384 live objects (a refs buffer, the "window") into which new
** objects are stored, each store dropping the object it replaces. Where a new object goes
** decides its lifetime:
**   - half of the stores go to the next slot of a ring over the window (the sliding window:
**     that object dies when the ring comes round again, FIFO, unless a random store or a
**     hand-over reaches its slot first);
**   - the other half go to a random slot (geometric lifetimes, frees in random order);
**   - one store in 64 goes to a random slot of a smaller long-lived pool (1024 slots).
** One step in eight also hands an object over to another random slot (larson's "freed by
** another thread"): it is moved there and the object it lands on dies.
**
** Objects are mostly bytes buffers whose sizes follow a power law over 8 B..4 KiB (most are
** small, a few are page-sized); one in eight is a small typed Pair object owning two such
** buffers (one drop frees three blocks). Each object carries a stamp written at creation and
** checked when it dies, so the checksum covers every object's life. Buffers are allocated
** uninitialised (hl_new_bytes_uninit), as a C program mallocs them: only their stamp and check
** byte are ever written and read (the checked owned levels zero them all the same, as safe
** Rust must). The run borrows each pool's slots and bookkeeping once, as slices, and indexes
** them (Rust indexes the pool's two Vecs, checking each index against their lengths).
**
** Regions: not LIFO. Lifetimes are random (FIFO for the ring, geometric for random stores,
** long for the old slots), so no stretch of the run ends with everything born in it dead. The
** whole run is one region, ended after both pools are dropped; the region runtime reclaims
** nothing before that, so its peak RSS is every byte the run allocates, where the other
** runtimes hold about 16 K live objects. No stack objects: the pools are plain structs on
** main's stack, everything they hold is a heap object.
**
** Size argument: the number of objects allocated (default 5000000).
*/
#include "heaplab.h"
#include "hl_prog.h"
#include "hlp_util.h"

#include <stdio.h>

typedef struct Pair {
    hl_ref   a, b;    /* owned bytes buffers */
    uint64_t stamp;
} Pair;
HL_TYPE(Pair, a, b);

enum { WINDOW = 1 << 14, OLD = 1 << 10, MIN_SIZE = 8, MAX_SIZE = 4096 };
enum { K_EMPTY, K_BYTES, K_PAIR };

/* Per-slot bookkeeping, kept in a bytes buffer viewed as an array of Meta. */
typedef struct Meta {
    uint32_t size;   /* the bytes buffer's size (a Pair's first buffer) */
    uint8_t  kind;   /* K_EMPTY, K_BYTES or K_PAIR */
} Meta;
HL_SLICE_TYPES(Meta);

/* A pool of n slots, each empty or owning one object, with its bookkeeping beside it. */
typedef struct Pool {
    hl_ref   slots;   /* owned refs buffer */
    hl_ref   meta;    /* owned bytes: n Meta */
    uint32_t n;
} Pool;

/* A pool borrowed for the run (Rust: `&mut [Option<Obj>]` and `&mut [Meta]`). */
typedef struct Borrowed {
    HL_SLICE_MUT(hl_ref) slots;
    HL_SLICE_MUT(Meta)   meta;
} Borrowed;

static Pool pool_new(uint32_t n) { return (Pool){hl_new_refs(n), hl_new_bytes(sizeof(Meta) * (size_t)n), n}; }

static size_t draw_size(hlp_rng *rng) { return MIN_SIZE - 1 + hlp_rng_pow(rng, MAX_SIZE - MIN_SIZE + 1); }

/* A bytes buffer of size >= 8 bytes: the stamp in its first 8 bytes, a check byte last. */
static hl_ref new_bytes(size_t size, uint64_t stamp) {
    hl_ref b = hl_new_bytes_uninit(size);   /* only the stamp and the check byte are read */
    HL_WRITE_SLICE(uint8_t, w, b);
    hlp_put_u64(HL_RANGE(w, 0, 8), 0, stamp);
    if (size > 8) HL_AT(w, size - 1) = (uint8_t)(stamp >> 3);
    return b;
}

/* The stamp of a buffer made by new_bytes, or 0 when its check byte is wrong. */
static uint64_t check_bytes(hl_ref b, size_t size) {
    HL_READ_SLICE(uint8_t, r, b);
    uint64_t stamp = hlp_get_u64(HL_RANGE(r, 0, 8), 0);
    return size == 8 || HL_AT(r, size - 1) == (uint8_t)(stamp >> 3) ? stamp : 0;
}

/* Kill whatever the slot holds (m: its bookkeeping): check its stamp, fold it into the
** checksum, drop it. The caller borrows the pool; slot and m are elements of its slices
** (Rust: `kill(&mut slots[i], &mut meta[i])`). */
static void kill(hl_ref *slot, Meta *m, uint64_t *sum, uint64_t *bad) {
    uint64_t stamp = 0;
    if (m->kind == K_BYTES) {
        stamp = check_bytes(*slot, m->size);
    } else if (m->kind == K_PAIR) {
        HL_READ(Pair, p, *slot);
        stamp = p->stamp;
        if (check_bytes(p->a, m->size) != stamp || check_bytes(p->b, MIN_SIZE) != stamp + 1) stamp = 0;
    } else {
        return;
    }
    *bad += stamp == 0;
    *sum = hlp_mix(*sum, stamp ^ m->size);
    hl_drop(slot);
    m->kind = K_EMPTY;
}

/* Store a new object in the slot (which is empty). */
static void store(hl_ref *slot, Meta *m, hlp_rng *rng, uint64_t stamp) {
    size_t size = draw_size(rng);
    uint8_t kind = hlp_rng_below(rng, 8) == 0 ? K_PAIR : K_BYTES;
    hl_ref obj;
    if (kind == K_BYTES) {
        obj = new_bytes(size, stamp);
    } else {
        obj = hl_new(&Pair_type);
        hl_ref a = new_bytes(size, stamp), b = new_bytes(MIN_SIZE, stamp + 1);
        HL_WRITE(Pair, p, obj);
        p->a = hl_move(&a);
        p->b = hl_move(&b);
        p->stamp = stamp;
    }
    *slot = hl_move(&obj);
    m->kind = kind;
    m->size = (uint32_t)size;
}

/* Replace whatever slot i of the pool p holds with a new object. */
static void replace(Borrowed p, uint32_t i, hlp_rng *rng, uint64_t stamp, uint64_t *sum, uint64_t *bad) {
    kill(&HL_AT(p.slots, i), &HL_AT(p.meta, i), sum, bad);
    store(&HL_AT(p.slots, i), &HL_AT(p.meta, i), rng, stamp);
}

/* Hand the object in slot from of the pool p over to slot to (killing what was there). */
static void hand_over(Borrowed p, uint32_t from, uint32_t to, uint64_t *sum, uint64_t *bad) {
    if (from == to) return;
    kill(&HL_AT(p.slots, to), &HL_AT(p.meta, to), sum, bad);
    HL_AT(p.slots, to) = hl_take(&HL_AT(p.slots, from));   /* the place is left empty, not moved-out */
    HL_AT(p.meta, to) = HL_AT(p.meta, from);
    HL_AT(p.meta, from).kind = K_EMPTY;
}

static void pool_drop(Pool *r, uint64_t *sum, uint64_t *bad) {
    {
        HL_WRITE_SLICE(hl_ref, slots, r->slots);
        HL_WRITE_SLICE(Meta, meta, r->meta);
        for (size_t i = 0; i < slots.len; i++) kill(&HL_AT(slots, i), &HL_AT(meta, i), sum, bad);
    }
    hl_drop(&r->slots);
    hl_drop(&r->meta);
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"alloc_mix", "allocator stress: power-law sizes, random lifetimes, sliding window",
                                  "number of objects allocated", 5000000, 1, 2000000000};
    uint64_t n = (uint64_t)hlp_size_arg(&spec, argc, argv);
    hl_init();
    hl_region run = hl_region_begin();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0xa110c);
    Pool young = pool_new(WINDOW), old = pool_new(OLD);
    uint64_t sum = HLP_CHECK_INIT, bad = 0, handovers = 0, olds = 0;
    uint32_t ring = 0;
    {
        HL_WRITE_SLICE(hl_ref, young_slots, young.slots);
        HL_WRITE_SLICE(Meta, young_meta, young.meta);
        HL_WRITE_SLICE(hl_ref, old_slots, old.slots);
        HL_WRITE_SLICE(Meta, old_meta, old.meta);
        const Borrowed y = {young_slots, young_meta}, o = {old_slots, old_meta};
        for (uint64_t step = 0; step < n; step++) {
            uint64_t stamp = hlp_hash_u64(step) | 1;   /* never 0, which marks a bad check */
            Borrowed p = y;
            uint32_t i;
            if (hlp_rng_below(&rng, 64) == 0) {
                p = o;
                i = (uint32_t)hlp_rng_below(&rng, OLD);
                olds++;
            } else if (hlp_rng_below(&rng, 2) == 0) {
                i = ring;
                ring = (ring + 1) & (WINDOW - 1);
            } else {
                i = (uint32_t)hlp_rng_below(&rng, WINDOW);
            }
            replace(p, i, &rng, stamp, &sum, &bad);
            if (hlp_rng_below(&rng, 8) == 0) {
                /* Drawn into locals, destination first: C leaves the order of argument
                ** evaluation open, and the checksum must not depend on the compiler. */
                uint32_t to = (uint32_t)hlp_rng_below(&rng, WINDOW);
                uint32_t from = (uint32_t)hlp_rng_below(&rng, WINDOW);
                hand_over(y, from, to, &sum, &bad);
                handovers++;
            }
        }
    }
    pool_drop(&young, &sum, &bad);
    pool_drop(&old, &sum, &bad);
    hl_region_end(run);
    if (bad) {
        fprintf(stderr, "alloc_mix: error: %llu objects with a corrupt stamp\n", (unsigned long long)bad);
        return 1;
    }
    printf("%llu objects: %llu long-lived, %llu handed over\n", (unsigned long long)n, (unsigned long long)olds,
           (unsigned long long)handovers);
    sum = hlp_mix(sum, olds);
    sum = hlp_mix(sum, handovers);
    hlp_print_checksum(&spec, (long long)n, sum);
    return hl_shutdown() == 0 ? 0 : 1;
}
