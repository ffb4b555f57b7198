/*
** hlp_util.h: small header-only helpers several workload programs share: a power-law
** (log-uniform) draw from the shared PRNG, FNV-1a hashing of byte spans, and unaligned
** little helpers to keep integers in bytes buffers (memcpy: no alignment or aliasing issue).
** Nothing here allocates or knows a runtime.
*/
#ifndef HLP_UTIL_H
#define HLP_UTIL_H

#include "hl_prog.h"

#include <stdint.h>
#include <string.h>

/* A power-law draw in [1, max] (max >= 1): an exponent e uniform in [0, floor(log2 max)],
** then uniform in [2^e, 2^(e+1)), rejecting values above max. The density falls off like
** 1/x: small values are common, large ones rare but present (Zipf-like with exponent 1). */
static inline uint64_t hlp_rng_pow(hlp_rng *r, uint64_t max) {
    unsigned k = 0;
    while (k < 63 && (2ULL << k) <= max) k++;   /* k = floor(log2 max) */
    for (;;) {
        unsigned e = (unsigned)hlp_rng_below(r, k + 1);
        uint64_t v = (1ULL << e) + hlp_rng_below(r, 1ULL << e);
        if (v <= max) return v;
    }
}

/* 64-bit FNV-1a of n bytes. */
static inline uint64_t hlp_hash_bytes(const uint8_t *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* A 64-bit integer hash (the splitmix64 finaliser). */
static inline uint64_t hlp_hash_u64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Integers stored in bytes buffers, element i of an array of them. */
static inline uint32_t hlp_get_u32(const uint8_t *p, size_t i) {
    uint32_t v;
    memcpy(&v, p + 4 * i, 4);
    return v;
}
static inline void hlp_put_u32(uint8_t *p, size_t i, uint32_t v) { memcpy(p + 4 * i, &v, 4); }
static inline uint64_t hlp_get_u64(const uint8_t *p, size_t i) {
    uint64_t v;
    memcpy(&v, p + 8 * i, 8);
    return v;
}
static inline void hlp_put_u64(uint8_t *p, size_t i, uint64_t v) { memcpy(p + 8 * i, &v, 8); }

#endif
