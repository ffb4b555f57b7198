/*
** hl_prog.c: the programs' shared helpers (see hl_prog.h).
*/
#include "hl_prog.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void hlp_rng_seed(hlp_rng *r, uint64_t seed) {
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t hlp_rng_next(hlp_rng *r) {
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Rejection sampling: draw until the value falls below the largest multiple of n. */
uint64_t hlp_rng_below(hlp_rng *r, uint64_t n) {
    uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;
    do x = hlp_rng_next(r);
    while (x >= limit);
    return x % n;
}

double hlp_rng_unit(hlp_rng *r) { return (double)(hlp_rng_next(r) >> 11) * 0x1.0p-53; }

static void usage(const hlp_spec *spec, FILE *to) {
    fprintf(to, "usage: %s [SIZE]\n%s\n  SIZE  %s: %lld..%lld (default %lld)\n", spec->name, spec->about,
            spec->what, spec->min, spec->max, spec->dflt);
}

long long hlp_size_arg(const hlp_spec *spec, int argc, char **argv) {
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(spec, stdout);
        exit(0);
    }
    if (argc > 2) {
        fprintf(stderr, "%s: error: expected at most one argument (%s), got %d; try --help\n", spec->name,
                spec->what, argc - 1);
        exit(2);
    }
    if (argc < 2) return spec->dflt;
    char *end;
    errno = 0;
    long long v = strtoll(argv[1], &end, 10);
    if (errno || end == argv[1] || *end) {
        fprintf(stderr, "%s: error: %s must be an integer, got '%s'\n", spec->name, spec->what, argv[1]);
        exit(2);
    }
    if (v < spec->min || v > spec->max) {
        fprintf(stderr, "%s: error: %s must be in %lld..%lld, got %lld\n", spec->name, spec->what, spec->min,
                spec->max, v);
        exit(2);
    }
    return v;
}

void hlp_print_checksum(const hlp_spec *spec, long long size, uint64_t checksum) {
    printf("%s size=%lld checksum=%016" PRIx64 "\n", spec->name, size, checksum);
}
