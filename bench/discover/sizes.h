/*
** bench/discover/sizes.h: the size classes small | default | large. "default" runs a program with no
** argument; small and large come from sizes.txt (in the build directory), falling back to what the program's
** --help states (its minimum for small, its default for large). A plain integer is also
** accepted and passed on as the program's argument.
*/
#ifndef HLB_SIZES_H
#define HLB_SIZES_H

#include "discover/catalog.h"

/* Is s a valid size class or size ("small", "default", "large", or a positive integer)? */
int hlb_size_valid(const char *s);

typedef struct hlb_size {
    char arg[32];       /* the argument to pass ("" = none: the program's default) */
    long long value;    /* the size it means (-1 when unknown) */
    char notice[200];   /* a fallback that the user should know about ("" when none) */
} hlb_size;

/* Resolve class for program p. Returns 0, or -1 with err set (a size outside the program's
** range). */
int hlb_size_resolve(hlb_catalog *c, hlb_program *p, const char *cls, hlb_size *out, char *err, size_t errlen);

/* Look up program in a sizes table text ("name small large" lines, # comments). Returns 0
** when found. Exposed for tests. */
int hlb_sizes_lookup(const char *table, const char *program, long long *small, long long *large);

#endif
