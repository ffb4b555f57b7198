/*
** bench/peers/c/word_freq.c: the plain C peer of programs/word_freq.c (word counts in a
** string-keyed chained hash map with churn), written as a C programmer would write it without
** heaplab.
**
** Idioms: an entry is a typed struct that owns a raw pointer to its key bytes (length kept in
** the struct) and links to the next entry of its chain; the bucket array is an array of chain
** head pointers, allocated zeroed with peer_alloc (every chain starts empty), grown with
** peer_realloc and split in place. Entries come from peer_new (they hold pointers; every field
** is set by a compound literal), keys and text chunks from peer_alloc_raw (pointer-free, filled
** before they are read). Unlinking walks a pointer to the link (Entry **). entry_free frees an
** entry and its key the moment it is deleted; each text chunk is freed once tokenised; map_free
** frees every chain and the bucket array at the end. The map lives on main's stack.
**
** Size argument: the number of tokens processed (default 8000000), as programs/word_freq.c.
*/
#include "hl_prog.h"
#include "hlp_util.h"
#include "peer.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

typedef struct Entry {
    uint8_t      *key;    /* owned: the word, len bytes */
    struct Entry *next;   /* owned: the rest of the chain */
    uint64_t      hash;
    uint64_t      count;
    uint32_t      len;
} Entry;

typedef struct Map {
    Entry **buckets;   /* nbuckets chains, nbuckets a power of two */
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
static uint8_t *make_chunk(hlp_rng *rng, size_t *used) {
    uint8_t *t = peer_alloc_raw(CHUNK);
    size_t n = 0;
    for (;;) {
        uint8_t w[MAX_WORD];
        size_t len = vocab_word(hlp_rng_pow(rng, 1u << VOCAB_BITS) - 1, w);
        if (n + len + 1 > CHUNK) break;
        memcpy(t + n, w, len);
        n += len;
        t[n++] = ' ';
    }
    *used = n;
    return t;
}

static void entry_free(Entry *e) {
    peer_free(e->key);
    peer_free(e);
}

static void map_init(Map *m) {
    m->nbuckets = 16;
    m->buckets = peer_alloc(m->nbuckets * sizeof *m->buckets);
    m->count = 0;
}

static void map_free(Map *m) {
    if (PEER_FREES) {
        for (size_t i = 0; i < m->nbuckets; i++) {
            for (Entry *e = m->buckets[i], *next; e; e = next) {
                next = e->next;
                entry_free(e);
            }
        }
    }
    peer_free(m->buckets);
}

/* The entry for word[0..len) with hash h, or NULL. */
static Entry *map_find(const Map *m, const uint8_t *word, size_t len, uint64_t h) {
    for (Entry *e = m->buckets[h & (m->nbuckets - 1)]; e; e = e->next)
        if (e->hash == h && e->len == len && memcmp(e->key, word, len) == 0) return e;
    return NULL;
}

/* Double the bucket array and split every chain between bucket i and bucket i + old, pushing
** each entry onto the front of its new bucket. */
static void map_grow(Map *m) {
    size_t old = m->nbuckets;
    m->buckets = peer_realloc(m->buckets, 2 * old * sizeof *m->buckets);
    memset(m->buckets + old, 0, old * sizeof *m->buckets);
    m->nbuckets = 2 * old;
    for (size_t i = 0; i < old; i++) {
        Entry *chain = m->buckets[i];
        m->buckets[i] = NULL;
        while (chain) {
            Entry *e = chain;
            chain = e->next;
            size_t b = e->hash & (m->nbuckets - 1);
            e->next = m->buckets[b];
            m->buckets[b] = e;
        }
    }
}

static void map_insert(Map *m, const uint8_t *word, size_t len, uint64_t h) {
    if (4 * (m->count + 1) > 3 * m->nbuckets) map_grow(m);
    uint8_t *key = peer_alloc_raw(len);
    memcpy(key, word, len);
    size_t b = h & (m->nbuckets - 1);
    Entry *e = peer_new(sizeof *e);
    *e = (Entry){.key = key, .next = m->buckets[b], .hash = h, .count = 1, .len = (uint32_t)len};
    m->buckets[b] = e;
    m->count++;
}

/* Unlink and free entry e (it is in its chain). */
static void map_remove(Map *m, Entry *e) {
    Entry **link = &m->buckets[e->hash & (m->nbuckets - 1)];
    while (*link != e) link = &(*link)->next;
    *link = e->next;
    entry_free(e);
    m->count--;
}

/* Decay: decrement every count, deleting the entries that reach zero (the streaming
** "frequent items" trick that keeps the map from filling with one-off words). Each chain is
** taken out of its bucket and the survivors are pushed back. Returns the number deleted. */
static uint64_t map_decay(Map *m) {
    uint64_t deleted = 0;
    for (size_t i = 0; i < m->nbuckets; i++) {
        Entry *chain = m->buckets[i];
        m->buckets[i] = NULL;
        while (chain) {
            Entry *e = chain;
            chain = e->next;
            if (--e->count == 0) {
                entry_free(e);
                deleted++;
            } else {
                e->next = m->buckets[i];
                m->buckets[i] = e;
            }
        }
    }
    m->count -= deleted;
    return deleted;
}

/* The operation counts, reported and folded into the checksum. */
typedef struct Counts {
    uint64_t tokens, inserts, updates, deletes, decays, misses, max_count;
} Counts;

/* One token: a retraction (one in four) or an occurrence of word[0..len). */
static void count_token(Map *m, Counts *k, hlp_rng *rng, const uint8_t *word, size_t len) {
    if (++k->tokens % DECAY_EVERY == 0) {
        k->deletes += map_decay(m);
        k->decays++;
    }
    uint64_t h = hlp_hash_bytes(word, len);
    Entry *e = map_find(m, word, len, h);
    bool retract = hlp_rng_below(rng, 4) == 0;
    if (retract) {
        if (!e) {
            k->misses++;
        } else if (--e->count == 0) {
            map_remove(m, e);
            k->deletes++;
        }
    } else if (!e) {
        map_insert(m, word, len, h);
        k->inserts++;
    } else {
        if (++e->count > k->max_count) k->max_count = e->count;
        k->updates++;
    }
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"word_freq", "word counts in a string-keyed chained hash map with churn",
                                  "number of tokens", 8000000, 1, 1000000000};
    uint64_t n = (uint64_t)hlp_size_arg(&spec, argc, argv);
    peer_init();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0x0f0e0d);
    Map m;
    map_init(&m);
    Counts k = {0};
    while (k.tokens < n) {
        size_t used;
        uint8_t *text = make_chunk(&rng, &used);
        for (size_t pos = 0; pos < used && k.tokens < n;) {
            size_t start = pos;
            while (text[pos] != ' ') pos++;
            count_token(&m, &k, &rng, text + start, pos - start);
            pos++;   /* the space */
        }
        peer_free(text);
    }
    uint64_t sum = HLP_CHECK_INIT, total = 0;
    for (size_t i = 0; i < m.nbuckets; i++) {
        for (const Entry *e = m.buckets[i]; e; e = e->next) {
            sum = hlp_mix(sum, e->hash ^ e->count);
            total += e->count;
        }
    }
    printf("tokens %llu: %llu inserts, %llu updates, %llu deletes, %llu misses; %llu distinct words "
           "(%llu occurrences) in %llu buckets, top count %llu\n",
           (unsigned long long)k.tokens, (unsigned long long)k.inserts, (unsigned long long)k.updates,
           (unsigned long long)k.deletes, (unsigned long long)k.misses, (unsigned long long)m.count,
           (unsigned long long)total, (unsigned long long)m.nbuckets, (unsigned long long)k.max_count);
    uint64_t counts[] = {k.decays, k.inserts, k.updates, k.deletes, k.misses, m.count, total, m.nbuckets, k.max_count};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) sum = hlp_mix(sum, counts[i]);
    map_free(&m);
    hlp_print_checksum(&spec, (long long)n, sum);
    return 0;
}
