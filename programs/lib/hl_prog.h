/*
** hl_prog.h: what every workload program shares: the seeded PRNG, the size argument, the
** checksum line. Programs are deterministic: the same size gives the same checksum on every
** runtime, because everything random comes from this PRNG with a fixed seed.
*/
#ifndef HL_PROG_H
#define HL_PROG_H

#include <stdint.h>
#include <stddef.h>

/* xoshiro256** seeded through splitmix64: fast, good quality, identical on every platform. */
typedef struct hlp_rng {
    uint64_t s[4];
} hlp_rng;

void hlp_rng_seed(hlp_rng *r, uint64_t seed);
uint64_t hlp_rng_next(hlp_rng *r);
/* Uniform in [0, n) (n > 0), without modulo bias. */
uint64_t hlp_rng_below(hlp_rng *r, uint64_t n);
/* Uniform double in [0, 1). */
double hlp_rng_unit(hlp_rng *r);

/* The program's command line: `prog [size]` or `prog --help`. Returns the size: the default
** when absent, else the parsed argument, which must be an integer in [min, max]. Bad input
** prints a one-line error (and --help a usage text) and exits: status 2 for errors, 0 for
** --help. `what` names the size ("tree depth"), `about` is one line on what the program
** models. */
typedef struct hlp_spec {
    const char *name;      /* program name */
    const char *about;     /* one line: what it models */
    const char *what;      /* what the size argument means */
    long long   dflt, min, max;
} hlp_spec;

long long hlp_size_arg(const hlp_spec *spec, int argc, char **argv);

/* 64-bit FNV-1a style mixing for checksums: fold a value into a running checksum. */
static inline uint64_t hlp_mix(uint64_t h, uint64_t v) {
    h ^= v;
    h *= 0x100000001b3ULL;
    return h ^ (h >> 29);
}
#define HLP_CHECK_INIT 0xcbf29ce484222325ULL

/* Print the program's result line: "<name> size=<n> checksum=<hex>" on stdout. */
void hlp_print_checksum(const hlp_spec *spec, long long size, uint64_t checksum);

#endif
