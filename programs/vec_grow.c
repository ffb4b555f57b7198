/*
** vec_grow: growable arrays and strings.
**
** Models the most common heap object of modern code, the Vec / std::vector / StringBuilder:
** a buffer with a length and a capacity that doubles (hl_resize) when an append does not fit.
** Each round
**   1. pushes a power-law number (1..8192) of 64-bit integers one at a time onto a fresh
**      vector (many resizes of one short-lived buffer);
**   2. builds a string of 1..1024 random words the same way;
**   3. copies 1..128 random slices of the string out into fresh bytes buffers, collected in a
**      vector of strings (a refs buffer that also doubles), then truncates that vector to half
**      with hl_resize, which drops the slices cut off;
**   4. extends one of 64 long-lived vectors by 1..4096 integers; a long-lived vector that
**      passes 8192 elements is truncated to a quarter (shrinking in place).
** Everything but the 64 long-lived vectors is dropped at the end of the round.
**
** Regions: steps 1-3 of each round are a region (short_lived_steps drops everything it
** allocated before its region ends). Step 4 is not LIFO: the long-lived vectors grow across
** rounds, so their growth stays outside any region, and the region runtime, whose resize
** allocates anew and reclaims nothing outside a region, keeps every buffer they ever grew
** out of: that is this program's price on region. Stack objects: the round's integer vector
** and string are Buf objects on the stack (HL_LOCAL in short_lived_steps, their data on the
** heap), as Rust's Vec keeps its header in a local; the long-lived vectors are heap objects.
**
** Allocation pattern: repeated reallocations of growing buffers (which a copying or
** in-place-growing allocator handles very differently), short-lived small slices, and
** long-lived buffers that grow and shrink.
**
** Size argument: the number of rounds (default 60000).
*/
#include "heaplab.h"
#include "hl_prog.h"
#include "hlp_util.h"

#include <stdio.h>
#include <string.h>

/* A growable byte vector: data holds cap bytes, the first len used. */
typedef struct Buf {
    hl_ref   data;   /* owned bytes buffer */
    uint64_t len, cap;
} Buf;
HL_TYPE(Buf, data);

enum { NLONG = 64, LONG_LIMIT = 8 << 13 };   /* bytes: 8192 integers */

/* Give a zeroed Buf (on the stack or the heap) its empty data buffer. */
static void buf_init(hl_ref b) {
    hl_ref data = hl_new_bytes(0);
    HL_WRITE(Buf, w, b);
    w->data = hl_move(&data);
}

static hl_ref buf_new(void) {
    hl_ref b = hl_new(&Buf_type);
    buf_init(b);
    return b;
}

static void buf_append(hl_ref b, const void *src, size_t n) {
    HL_WRITE(Buf, w, b);
    if (w->len + n > w->cap) {
        uint64_t cap = w->cap ? w->cap : 8;
        while (w->len + n > cap) cap *= 2;
        hl_resize(&w->data, cap);
        w->cap = cap;
    }
    HL_WRITE_BYTES(d, w->data);
    memcpy(d + w->len, src, n);
    w->len += n;
}

static void buf_push_u64(hl_ref b, uint64_t x) { buf_append(b, &x, 8); }

static uint64_t buf_len(hl_ref b) {
    HL_READ(Buf, r, b);
    return r->len;
}

static uint64_t buf_hash(hl_ref b) {
    HL_READ(Buf, r, b);
    HL_READ_BYTES(d, r->data);
    return hlp_hash_bytes(d, r->len) ^ r->len;
}

/* A growable vector of owned handles (Vec<Vec<u8>>), kept in a local. */
typedef struct RefVec {
    hl_ref   items;   /* owned refs buffer of cap elements, the first len used */
    uint64_t len, cap;
} RefVec;

static void refvec_push(RefVec *v, hl_ref *x) {
    if (v->len == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 4;
        hl_resize(&v->items, v->cap);
    }
    *hl_slot(v->items, v->len++) = hl_move(x);
}

static uint64_t slices_hash(const RefVec *v, const uint64_t *lens) {
    uint64_t h = 0;
    for (uint64_t i = 0; i < v->len; i++) {
        HL_READ_BYTES(s, hl_ref_at(v->items, i));
        h = hlp_mix(h, hlp_hash_bytes(s, lens[i]));
    }
    return h;
}

/* Counts over the whole run. */
typedef struct Totals {
    uint64_t pushed, text_bytes, slices, truncations;
} Totals;

/* Steps 1-3 of a round; *state is the round's generator state (step 4 goes on with it).
** Everything allocated here is dropped before returning. Returns the steps' share of the
** checksum. */
static uint64_t short_lived_steps(hlp_rng *rng, uint64_t *state, Totals *t) {
    uint64_t x = *state;
    /* 1. integers, one push at a time */
    HL_LOCAL(Buf, nums);
    buf_init(nums);
    uint64_t k = hlp_rng_pow(rng, 8192), acc = 0;
    for (uint64_t i = 0; i < k; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        buf_push_u64(nums, x >> 7);
    }
    {
        HL_READ(Buf, r, nums);
        HL_READ_BYTES(d, r->data);
        for (uint64_t i = 0; i < k; i++) acc += hlp_get_u64(d, i) * (i + 1);
    }
    t->pushed += k;
    /* 2. a string of words */
    HL_LOCAL(Buf, text);
    buf_init(text);
    uint64_t words = hlp_rng_pow(rng, 1024);
    for (uint64_t i = 0; i < words; i++) {
        uint8_t w[16];
        size_t len = 1 + (size_t)hlp_rng_below(rng, 12);
        for (size_t j = 0; j < len; j++) w[j] = (uint8_t)('a' + (x >> (j * 4 % 60) & 15) + j % 10);
        w[len++] = ' ';
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        buf_append(text, w, len);
    }
    uint64_t tlen = buf_len(text);
    t->text_bytes += tlen;
    /* 3. slices copied out, then truncated to half */
    uint64_t lens[128];
    RefVec sv = {hl_new_refs(0), 0, 0};
    uint64_t ns = hlp_rng_pow(rng, 128);
    for (uint64_t i = 0; i < ns; i++) {
        uint64_t off = hlp_rng_below(rng, tlen), len = hlp_rng_pow(rng, 64);
        if (len > tlen - off) len = tlen - off;
        hl_ref s = hl_new_bytes(len);
        {
            HL_READ(Buf, src_buf, text);
            HL_READ_BYTES(src, src_buf->data);
            HL_WRITE_BYTES(dst, s);
            memcpy(dst, src + off, len);
        }
        lens[i] = len;
        refvec_push(&sv, &s);
    }
    t->slices += ns;
    uint64_t h1 = slices_hash(&sv, lens);
    sv.len /= 2;
    sv.cap = sv.len;
    hl_resize(&sv.items, sv.cap);   /* drops the slices cut off */
    uint64_t h2 = slices_hash(&sv, lens);
    hl_drop(&sv.items);
    *state = x;
    return acc ^ buf_hash(text) ^ (h1 + 3 * h2);
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"vec_grow", "growable arrays and strings: doubling, appends, slices",
                                  "number of rounds", 60000, 1, 100000000};
    uint64_t n = (uint64_t)hlp_size_arg(&spec, argc, argv);
    hl_init();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0x7ec);
    uint64_t sum = HLP_CHECK_INIT;
    Totals t = {0, 0, 0, 0};
    HL_OWNED hl_ref longs = hl_new_refs(NLONG);
    for (size_t i = 0; i < NLONG; i++) {
        hl_ref b = buf_new();
        *hl_slot(longs, i) = hl_move(&b);
    }
    for (uint64_t round = 0; round < n; round++) {
        uint64_t x = round;
        hl_region round_region = hl_region_begin();
        uint64_t steps = short_lived_steps(&rng, &x, &t);
        hl_region_end(round_region);
        /* 4. one long-lived vector grows, and sometimes shrinks */
        hl_ref lv = hl_ref_at(longs, hlp_rng_below(&rng, NLONG));
        uint64_t ext = hlp_rng_pow(&rng, 4096);
        for (uint64_t i = 0; i < ext; i++) buf_push_u64(lv, x + i);
        {
            HL_WRITE(Buf, w, lv);
            if (w->len > LONG_LIMIT) {
                w->len = w->cap = w->len / 4;
                hl_resize(&w->data, w->cap);
                t.truncations++;
            }
        }
        sum = hlp_mix(sum, steps ^ buf_len(lv));
    }
    for (size_t i = 0; i < NLONG; i++) sum = hlp_mix(sum, buf_hash(hl_ref_at(longs, i)));
    printf("%llu rounds: %llu integers pushed, %llu bytes of text, %llu slices, %llu truncations\n",
           (unsigned long long)n, (unsigned long long)t.pushed, (unsigned long long)t.text_bytes,
           (unsigned long long)t.slices, (unsigned long long)t.truncations);
    hl_drop(&longs);
    hlp_print_checksum(&spec, (long long)n, sum);
    return hl_shutdown() == 0 ? 0 : 1;
}
