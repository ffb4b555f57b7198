/*
** word_freq: text processing with a hash map keyed by strings.
**
** Models a word-count / streaming-statistics job: a corpus is generated chunk by chunk
** (64 KiB bytes buffers of space-separated words drawn from a Zipf-like vocabulary of 2^20
** words), tokenised, and each token updates a chained hash map from word (a bytes key owned
** by its entry) to count. One token in four is a retraction: it decrements the word's count
** and deletes the entry when the count reaches zero; and every 2^17 tokens every count decays
** by one, deleting the entries that reach zero. So rare words are inserted and deleted over
** and over while common ones live for the whole run. The bucket array (a refs buffer
** that owns each chain) doubles with hl_resize when the load factor exceeds 3/4, and the
** chains are split in place.
**
** Allocation pattern: a steady stream of small keys (1..12 bytes) and entries with mixed
** lifetimes (a long-lived core of frequent words, a churning fringe of rare ones), short-lived
** large chunk buffers, and a few large bucket-array resizes.
**
** Written as Rust writes it (Vec<Option<Box<Entry>>> buckets): a walk over the buckets borrows
** them once as a slice (HL_WRITE_SLICE) and takes chains out of its elements (hl_take, Rust's
** Option::take); a key is copied out of the text with hl_bytes_from (Rust's `word.into()`).
**
** The checksum covers the map's final content (hashed word, count) in bucket order and the
** operation counts.
**
** Regions: not LIFO. A chunk dies after the words read from it were inserted, and entries die
** whenever their count reaches zero, so no stretch of the run (not even one chunk) ends with
** everything born in it dead. The whole run is one region, ended after the map is dropped;
** the region runtime reclaims nothing before that (deleted entries, old chunks, the bucket
** arrays each doubling left behind), so its peak RSS is every byte the run allocates. No
** stack objects: the Map is a plain struct on main's stack; a 64 KiB chunk could live on the
** stack too, but the chunks are kept on the heap as part of the traffic this program models.
**
** Size argument: the number of tokens processed (default 8000000).
*/
#include "heaplab.h"
#include "hl_prog.h"
#include "hlp_util.h"

#include <stdio.h>
#include <string.h>

typedef struct Entry {
    hl_ref   key;    /* owned bytes: the word */
    hl_ref   next;   /* owned: the rest of the chain */
    uint64_t hash;
    uint64_t count;
    uint32_t len;
} Entry;
HL_TYPE(Entry, key, next);

typedef struct Map {
    hl_ref buckets;   /* owned refs buffer of nbuckets chains */
    size_t nbuckets, count;
} Map;

enum { DECAY_EVERY = 1 << 17, VOCAB_BITS = 20, CHUNK = 64 * 1024, MAX_WORD = 12 };

/* Word number w of the vocabulary: its letters are a function of w alone. */
static size_t vocab_word(uint64_t w, uint8_t out[MAX_WORD]) {
    uint64_t h = hlp_hash_u64(w + 0x5eed);
    size_t len = 1 + (size_t)(h % MAX_WORD);
    for (size_t i = 0; i < len; i++) {
        h = hlp_hash_u64(h + i);
        out[i] = (uint8_t)('a' + h % 26);
    }
    return len;
}

/* One chunk of text: whole words separated by single spaces, at most CHUNK bytes. */
static hl_ref make_chunk(hlp_rng *rng, size_t *used) {
    hl_ref chunk = hl_new_bytes_uninit(CHUNK);   /* read only up to *used */
    HL_WRITE_SLICE(uint8_t, t, chunk);
    size_t n = 0;
    for (;;) {
        uint8_t w[MAX_WORD];
        size_t len = vocab_word(hlp_rng_pow(rng, 1u << VOCAB_BITS) - 1, w);
        if (n + len + 1 > CHUNK) break;
        memcpy(HL_RANGE(t, n, len), w, len);
        n += len;
        HL_AT(t, n++) = ' ';
    }
    *used = n;
    return chunk;
}

/* A non-owning copy of the entry for word[0..len) with hash h, or HL_NULL. */
static hl_ref map_find(const Map *m, const uint8_t *word, size_t len, uint64_t h) {
    hl_ref e = hl_ref_at(m->buckets, h & (m->nbuckets - 1));
    while (!hl_is_null(e)) {
        HL_READ(Entry, r, e);
        if (r->hash == h && r->len == len) {
            HL_READ_SLICE(uint8_t, k, r->key);
            if (memcmp(HL_RANGE(k, 0, len), word, len) == 0) return e;
        }
        e = r->next;
    }
    return HL_NULL;
}

/* Double the bucket array and split every chain between bucket i and bucket i + old. */
static void map_grow(Map *m) {
    size_t old = m->nbuckets;
    hl_resize(&m->buckets, 2 * old);
    m->nbuckets = 2 * old;
    HL_WRITE_SLICE(hl_ref, bk, m->buckets);
    for (size_t i = 0; i < old; i++) {
        /* Take the chain out, leaving an empty bucket (Rust's Option::take). */
        hl_ref chain = hl_take(&HL_AT(bk, i));
        while (!hl_is_null(chain)) {
            hl_ref e = hl_move(&chain);
            size_t b;
            {
                HL_WRITE(Entry, w, e);
                chain = hl_move(&w->next);
                b = w->hash & (m->nbuckets - 1);
                w->next = hl_take(&HL_AT(bk, b));
            }
            HL_AT(bk, b) = hl_move(&e);
        }
    }
}

static void map_insert(Map *m, const uint8_t *word, size_t len, uint64_t h) {
    if (4 * (m->count + 1) > 3 * m->nbuckets) map_grow(m);
    hl_ref key = hl_bytes_from(word, len);
    hl_ref e = hl_new(&Entry_type);
    HL_WRITE_SLICE(hl_ref, bk, m->buckets);
    size_t b = h & (m->nbuckets - 1);
    {
        HL_WRITE(Entry, w, e);
        w->key = hl_move(&key);
        w->next = hl_take(&HL_AT(bk, b));
        w->hash = h;
        w->len = (uint32_t)len;
        w->count = 1;
    }
    HL_AT(bk, b) = hl_move(&e);
    m->count++;
}

/* Unlink and drop the entry of bucket b whose count has just dropped to zero (there is one). */
static void map_remove_dead(Map *m, size_t b) {
    hl_ref prev = hl_ref_at(m->buckets, b);
    bool first;
    {
        HL_READ(Entry, r, prev);
        first = r->count == 0;
    }
    if (first) {
        HL_WRITE_SLICE(hl_ref, bk, m->buckets);
        hl_ref v = hl_take(&HL_AT(bk, b));
        {
            HL_WRITE(Entry, w, v);
            HL_AT(bk, b) = hl_move(&w->next);
        }
        hl_drop(&v);
    } else {
        /* Walk with non-owning copies until prev is the dead entry's predecessor. */
        for (;;) {
            HL_READ(Entry, r, prev);
            HL_READ(Entry, nx, r->next);
            if (nx->count == 0) break;
            prev = r->next;
        }
        HL_WRITE(Entry, p, prev);
        hl_ref v = hl_move(&p->next);
        {
            HL_WRITE(Entry, w, v);
            p->next = hl_move(&w->next);
        }
        hl_drop(&v);
    }
    m->count--;
}

/* Decay: decrement every count, deleting the entries that reach zero (the streaming
** "frequent items" trick that keeps the map from filling with one-off words). Each chain is
** taken out of its bucket and the survivors are pushed back. Returns the number deleted. */
static uint64_t map_decay(Map *m) {
    uint64_t deleted = 0;
    HL_WRITE_SLICE(hl_ref, bk, m->buckets);
    for (size_t i = 0; i < bk.len; i++) {
        hl_ref *bucket = &HL_AT(bk, i);
        hl_ref chain = hl_take(bucket);
        while (!hl_is_null(chain)) {
            hl_ref e = hl_move(&chain);
            bool dead;
            {
                HL_WRITE(Entry, w, e);
                chain = hl_move(&w->next);
                dead = --w->count == 0;
                if (!dead) w->next = hl_take(bucket);
            }
            if (dead) {
                hl_drop(&e);
                deleted++;
            } else {
                *bucket = hl_move(&e);
            }
        }
    }
    m->count -= deleted;
    return deleted;
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"word_freq", "word counts in a string-keyed chained hash map with churn",
                                  "number of tokens", 8000000, 1, 1000000000};
    uint64_t n = (uint64_t)hlp_size_arg(&spec, argc, argv);
    hl_init();
    hl_region run = hl_region_begin();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0x0f0e0d);
    Map m = {hl_new_refs(16), 16, 0};
    uint64_t tokens = 0, inserts = 0, updates = 0, deletes = 0, decays = 0, misses = 0, max_count = 0;
    while (tokens < n) {
        size_t used;
        HL_OWNED hl_ref chunk = make_chunk(&rng, &used);
        HL_READ_SLICE(uint8_t, text, chunk);
        for (size_t pos = 0; pos < used && tokens < n;) {
            /* The next word: up to the space that ends it (every word of a chunk has one). */
            const uint8_t *word = HL_RANGE(text, pos, used - pos);
            const uint8_t *space = memchr(word, ' ', used - pos);
            if (!space) break;
            size_t len = (size_t)(space - word);
            pos += len + 1;
            if (++tokens % DECAY_EVERY == 0) {
                deletes += map_decay(&m);
                decays++;
            }
            uint64_t h = hlp_hash_bytes(word, len);
            hl_ref e = map_find(&m, word, len, h);
            bool retract = hlp_rng_below(&rng, 4) == 0;
            if (retract) {
                if (hl_is_null(e)) {
                    misses++;
                    continue;
                }
                bool gone;
                {
                    HL_WRITE(Entry, w, e);
                    gone = --w->count == 0;
                }
                if (gone) {
                    map_remove_dead(&m, h & (m.nbuckets - 1));
                    deletes++;
                }
            } else if (hl_is_null(e)) {
                map_insert(&m, word, len, h);
                inserts++;
            } else {
                HL_WRITE(Entry, w, e);
                if (++w->count > max_count) max_count = w->count;
                updates++;
            }
        }
    }
    uint64_t sum = HLP_CHECK_INIT, total = 0;
    {
        HL_READ_SLICE(hl_ref, bk, m.buckets);
        for (size_t i = 0; i < bk.len; i++) {
            hl_ref e = HL_AT(bk, i);
            while (!hl_is_null(e)) {
                HL_READ(Entry, r, e);
                sum = hlp_mix(sum, r->hash ^ r->count);
                total += r->count;
                e = r->next;
            }
        }
    }
    printf("tokens %llu: %llu inserts, %llu updates, %llu deletes, %llu misses; %llu distinct words "
           "(%llu occurrences) in %llu buckets, top count %llu\n",
           (unsigned long long)tokens, (unsigned long long)inserts, (unsigned long long)updates,
           (unsigned long long)deletes, (unsigned long long)misses, (unsigned long long)m.count,
           (unsigned long long)total, (unsigned long long)m.nbuckets, (unsigned long long)max_count);
    uint64_t counts[] = {decays, inserts, updates, deletes, misses, m.count, total, m.nbuckets, max_count};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) sum = hlp_mix(sum, counts[i]);
    hl_drop(&m.buckets);
    hl_region_end(run);
    hlp_print_checksum(&spec, (long long)n, sum);
    return hl_shutdown() == 0 ? 0 : 1;
}
