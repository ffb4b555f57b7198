/*
** vec_grow: growable arrays and strings.
**
** Models the most common heap object of modern code, the Vec / std::vector / StringBuilder:
** a buffer with a length and a capacity that doubles when an append does not fit (hl_vec,
** the API's Vec: HL_VEC_PUSH, hl_vec_extend). Each round
**   1. pushes a power-law number (1..8192) of 64-bit integers one at a time onto a fresh
**      vector (many resizes of one short-lived buffer);
**   2. builds a string of 1..1024 random words the same way;
**   3. copies 1..128 random slices of the string out into fresh bytes buffers, collected in a
**      vector of strings (a vector of handles), then truncates that vector to half, which
**      drops the slices cut off, and shrinks it to fit;
**   4. extends one of 64 long-lived vectors by 1..4096 integers; a long-lived vector that
**      passes 8192 elements is truncated to a quarter (shrinking in place).
** Everything but the 64 long-lived vectors is dropped at the end of the round.
**
** Regions: steps 1-3 of each round are a region (short_lived_steps drops everything it
** allocated before its region ends). Step 4 is not LIFO: the long-lived vectors grow across
** rounds, so their growth stays outside any region, and the region runtime, whose resize
** allocates anew and reclaims nothing outside a region, keeps every buffer they ever grew
** out of: that is this program's price on region. The stack: every vector's header (its
** buffer's handle and its length) is a C local, the round's in short_lived_steps and the 64
** long-lived ones in main's array, with their data on the heap, as Rust's Vec keeps its
** header in a local.
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

enum { NLONG = 64, LONG_LIMIT = 8 << 13 };   /* bytes: 8192 integers */

/* The step of the 64-bit LCG that makes the values pushed and the words spelled. */
static uint64_t lcg(uint64_t x) { return x * 6364136223846793005ULL + 1442695040888963407ULL; }

/* The bytes' hash and their count. */
static uint64_t buf_hash(const hl_vec *b) {
    HL_READ_VEC(uint8_t, d, b);
    return hlp_hash_bytes(d.ptr, d.len) ^ d.len;
}

/* A vector of bytes buffers (Vec<Vec<u8>>): the hash of every element in turn. */
static uint64_t slices_hash(const hl_vec *v) {
    uint64_t h = 0;
    HL_READ_VEC(hl_ref, items, v);
    for (size_t i = 0; i < items.len; i++) {
        HL_READ_SLICE(uint8_t, s, HL_AT(items, i));
        h = hlp_mix(h, hlp_hash_bytes(s.ptr, s.len));
    }
    return h;
}

/* Counts over the whole run. */
typedef struct Totals {
    uint64_t pushed, text_bytes, slices, truncations;
} Totals;

/* Steps 1-3 of a round; *state is the round's generator state (step 4 goes on with it).
** Everything allocated here is dropped before returning (the vectors are HL_OWNED_VEC).
** Returns the steps' share of the checksum. */
static uint64_t short_lived_steps(hlp_rng *rng, uint64_t *state, Totals *t) {
    uint64_t x = *state;
    /* 1. integers, one push at a time */
    HL_OWNED_VEC hl_vec nums = HL_VEC_NEW;
    uint64_t k = hlp_rng_pow(rng, 8192), acc = 0;
    for (uint64_t i = 0; i < k; i++) {
        x = lcg(x);
        HL_VEC_PUSH(uint64_t, &nums, x >> 7);
    }
    {
        HL_READ_VEC(uint64_t, d, &nums);
        for (size_t i = 0; i < d.len; i++) acc += HL_AT(d, i) * (i + 1);
    }
    t->pushed += k;
    /* 2. a string of words */
    HL_OWNED_VEC hl_vec text = HL_VEC_NEW;
    uint64_t words = hlp_rng_pow(rng, 1024);
    for (uint64_t i = 0; i < words; i++) {
        uint8_t w[16];
        size_t len = 1 + (size_t)hlp_rng_below(rng, 12);
        for (size_t j = 0; j < len; j++) w[j] = (uint8_t)('a' + (x >> (j * 4 % 60) & 15) + j % 10);
        w[len++] = ' ';
        x = lcg(x);
        hl_vec_extend(&text, w, len);
    }
    uint64_t tlen = hl_vec_len(&text);
    t->text_bytes += tlen;
    /* 3. slices copied out (text[off..off + len].to_vec()), then truncated to half */
    HL_OWNED_VEC hl_vec sv = HL_VEC_NEW;
    uint64_t ns = hlp_rng_pow(rng, 128);
    for (uint64_t i = 0; i < ns; i++) {
        uint64_t off = hlp_rng_below(rng, tlen), len = hlp_rng_pow(rng, 64);
        if (len > tlen - off) len = tlen - off;
        hl_ref s;
        {
            HL_READ_VEC(uint8_t, src, &text);
            s = hl_bytes_from(HL_RANGE(src, off, len), len);
        }
        HL_VEC_PUSH(hl_ref, &sv, hl_move(&s));
    }
    t->slices += ns;
    uint64_t h1 = slices_hash(&sv);
    HL_VEC_TRUNCATE(hl_ref, &sv, hl_vec_len(&sv) / 2);   /* drops the slices cut off */
    HL_VEC_SHRINK_TO_FIT(hl_ref, &sv);
    uint64_t h2 = slices_hash(&sv);
    *state = x;
    return acc ^ buf_hash(&text) ^ (h1 + 3 * h2);
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
    hl_vec longs[NLONG];   /* 64 long-lived byte vectors */
    for (size_t i = 0; i < NLONG; i++) longs[i] = HL_VEC_NEW;
    for (uint64_t round = 0; round < n; round++) {
        uint64_t x = round;
        hl_region round_region = hl_region_begin();
        uint64_t steps = short_lived_steps(&rng, &x, &t);
        hl_region_end(round_region);
        /* 4. one long-lived vector grows, and sometimes shrinks */
        hl_vec *lv = &longs[hlp_rng_below(&rng, NLONG)];
        uint64_t ext = hlp_rng_pow(&rng, 4096);
        for (uint64_t i = 0; i < ext; i++) {
            uint64_t v = x + i;
            hl_vec_extend(lv, &v, 8);
        }
        if (hl_vec_len(lv) > LONG_LIMIT) {
            HL_VEC_TRUNCATE(uint8_t, lv, hl_vec_len(lv) / 4);
            HL_VEC_SHRINK_TO_FIT(uint8_t, lv);
            t.truncations++;
        }
        sum = hlp_mix(sum, steps ^ hl_vec_len(lv));
    }
    for (size_t i = 0; i < NLONG; i++) sum = hlp_mix(sum, buf_hash(&longs[i]));
    printf("%llu rounds: %llu integers pushed, %llu bytes of text, %llu slices, %llu truncations\n",
           (unsigned long long)n, (unsigned long long)t.pushed, (unsigned long long)t.text_bytes,
           (unsigned long long)t.slices, (unsigned long long)t.truncations);
    for (size_t i = 0; i < NLONG; i++) hl_drop(&longs[i].buf);
    hlp_print_checksum(&spec, (long long)n, sum);
    return hl_shutdown() == 0 ? 0 : 1;
}
