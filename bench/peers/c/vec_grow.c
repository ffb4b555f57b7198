/*
** bench/peers/c/vec_grow.c: the plain C peer of programs/vec_grow.c (growable arrays and
** strings: pushes with capacity doubling, slices copied out and truncated, 64 long-lived
** vectors that grow and sometimes shrink), written as a C programmer would write it without
** heaplab.
**
** Idioms: a growable byte buffer is the usual {data, len, cap} struct, kept by value (the
** round's integer and text buffers are stack locals, the 64 long-lived ones an array of
** structs), grown by doubling with realloc and shrunk with realloc; integers are appended as
** 8 raw bytes, since a truncation to a quarter of the byte length may leave a vector whose
** length is not a whole number of integers. Buffer data is pointer-free (peer_alloc_raw, or
** GC_MALLOC_ATOMIC in the c+gc build: the first allocation is not a realloc of NULL, which
** Boehm would make a scanned object). The copied-out slices are malloc'd byte arrays in a
** doubling array of pointers, their lengths kept beside them; truncating that vector frees
** the slices cut off. Everything is freed where the API program drops it: the slices after
** hashing, the round's buffers at the end of the round, the long-lived ones at the end.
**
** Size argument: the number of rounds (default 60000), as programs/vec_grow.c.
*/
#include "hl_prog.h"
#include "hlp_util.h"
#include "peer.h"

#include <stdio.h>
#include <string.h>

/* A growable byte vector: data holds cap bytes, the first len used. */
typedef struct Buf {
    uint8_t *data;
    size_t   len, cap;
} Buf;

enum { NLONG = 64, LONG_LIMIT = 8 << 13 };   /* bytes: 8192 integers */

/* Resize a pointer-free block (NULL: a fresh one) to n bytes. */
static void *resize_bytes(void *p, size_t n) { return p ? peer_realloc(p, n) : peer_alloc_raw(n); }

static void buf_append(Buf *b, const void *src, size_t n) {
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 8;
        while (b->len + n > cap) cap *= 2;
        b->data = resize_bytes(b->data, cap);
        b->cap = cap;
    }
    memcpy(b->data + b->len, src, n);
    b->len += n;
}

static void buf_push_u64(Buf *b, uint64_t x) { buf_append(b, &x, 8); }

/* Keep the first quarter of b, giving the rest of its memory back. */
static void buf_truncate_quarter(Buf *b) {
    b->len = b->cap = b->len / 4;
    b->data = peer_realloc(b->data, b->cap);
}

static uint64_t buf_hash(const Buf *b) { return hlp_hash_bytes(b->data, b->len) ^ b->len; }

static void buf_free(Buf *b) { peer_free(b->data); }

/* A growable array of owned byte slices, their lengths in a separate array. */
typedef struct SliceVec {
    uint8_t **items;   /* cap slots, the first len used */
    size_t    len, cap;
} SliceVec;

static void slices_push(SliceVec *v, uint8_t *s) {
    if (v->len == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 4;
        v->items = peer_realloc(v->items, v->cap * sizeof *v->items);
    }
    v->items[v->len++] = s;
}

static uint64_t slices_hash(const SliceVec *v, const uint64_t *lens) {
    uint64_t h = 0;
    for (size_t i = 0; i < v->len; i++) h = hlp_mix(h, hlp_hash_bytes(v->items[i], lens[i]));
    return h;
}

/* Keep the first len slices, freeing the rest (first to last). */
static void slices_truncate(SliceVec *v, size_t len) {
    for (size_t i = len; i < v->len; i++) peer_free(v->items[i]);
    v->len = len;
}

static void slices_free(SliceVec *v) {
    slices_truncate(v, 0);
    peer_free(v->items);
}

static uint64_t next_lcg(uint64_t x) { return x * 6364136223846793005ULL + 1442695040888963407ULL; }

/* Step 1: push a power-law number of integers one at a time; *acc gets their weighted sum. */
static uint64_t push_integers(Buf *nums, hlp_rng *rng, uint64_t *x, uint64_t *acc) {
    uint64_t k = hlp_rng_pow(rng, 8192);
    for (uint64_t i = 0; i < k; i++) {
        *x = next_lcg(*x);
        buf_push_u64(nums, *x >> 7);
    }
    *acc = 0;
    for (uint64_t i = 0; i < k; i++) *acc += hlp_get_u64(nums->data, i) * (i + 1);
    return k;
}

/* Step 2: a string of a power-law number of words. */
static void build_text(Buf *text, hlp_rng *rng, uint64_t *x) {
    uint64_t words = hlp_rng_pow(rng, 1024);
    for (uint64_t i = 0; i < words; i++) {
        uint8_t w[16];
        size_t len = 1 + (size_t)hlp_rng_below(rng, 12);
        for (size_t j = 0; j < len; j++) w[j] = (uint8_t)('a' + (*x >> (j * 4 % 60) & 15) + j % 10);
        w[len++] = ' ';
        *x = next_lcg(*x);
        buf_append(text, w, len);
    }
}

/* Step 3: copy slices of the text out, hash them, truncate to half, hash again. Returns the
** number of slices; *h gets h1 + 3 * h2. */
static uint64_t copy_slices(const Buf *text, hlp_rng *rng, uint64_t *h) {
    uint64_t lens[128];
    SliceVec sv = {NULL, 0, 0};
    uint64_t ns = hlp_rng_pow(rng, 128);
    for (uint64_t i = 0; i < ns; i++) {
        uint64_t off = hlp_rng_below(rng, text->len), len = hlp_rng_pow(rng, 64);
        if (len > text->len - off) len = text->len - off;
        uint8_t *s = peer_alloc_raw(len);
        memcpy(s, text->data + off, len);
        lens[i] = len;
        slices_push(&sv, s);
    }
    uint64_t h1 = slices_hash(&sv, lens);
    slices_truncate(&sv, sv.len / 2);
    uint64_t h2 = slices_hash(&sv, lens);
    slices_free(&sv);
    *h = h1 + 3 * h2;
    return ns;
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"vec_grow", "growable arrays and strings: doubling, appends, slices",
                                  "number of rounds", 60000, 1, 100000000};
    uint64_t n = (uint64_t)hlp_size_arg(&spec, argc, argv);
    peer_init();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0x7ec);
    uint64_t sum = HLP_CHECK_INIT, pushed = 0, text_bytes = 0, slices = 0, truncations = 0;
    Buf longs[NLONG] = {{NULL, 0, 0}};
    for (uint64_t round = 0; round < n; round++) {
        uint64_t x = round, acc, h;
        Buf nums = {NULL, 0, 0}, text = {NULL, 0, 0};
        pushed += push_integers(&nums, &rng, &x, &acc);
        build_text(&text, &rng, &x);
        text_bytes += text.len;
        slices += copy_slices(&text, &rng, &h);
        /* 4. one long-lived vector grows, and sometimes shrinks */
        Buf *lv = &longs[hlp_rng_below(&rng, NLONG)];
        uint64_t ext = hlp_rng_pow(&rng, 4096);
        for (uint64_t i = 0; i < ext; i++) buf_push_u64(lv, x + i);
        if (lv->len > LONG_LIMIT) {
            buf_truncate_quarter(lv);
            truncations++;
        }
        sum = hlp_mix(sum, acc ^ buf_hash(&text) ^ h ^ lv->len);
        buf_free(&text);
        buf_free(&nums);
    }
    for (size_t i = 0; i < NLONG; i++) sum = hlp_mix(sum, buf_hash(&longs[i]));
    printf("%llu rounds: %llu integers pushed, %llu bytes of text, %llu slices, %llu truncations\n",
           (unsigned long long)n, (unsigned long long)pushed, (unsigned long long)text_bytes,
           (unsigned long long)slices, (unsigned long long)truncations);
    for (size_t i = 0; i < NLONG; i++) buf_free(&longs[i]);
    hlp_print_checksum(&spec, (long long)n, sum);
    return 0;
}
