/*
** bench/discover/catalog.h: what there is to run. Finds the build directory (the same way for
** every command), discovers the workload programs at run time (the binaries under its runtime
** directories, and programs/<name>.c when the source tree is beside it: never a fixed list),
** asks each program's --help for its description and size range, and lists the runtime
** variants (see variants.h).
**
** The build directory is, in this order: --build DIR; $HEAPLAB_ROOT/build; for an installed
** driver, <directory of the executable>/../lib/heaplab when it exists; else the directory of
** the executable (build/heaplab lives in build/).
*/
#ifndef HLB_CATALOG_H
#define HLB_CATALOG_H

#include "discover/variants.h"

#include <stddef.h>

typedef struct hlb_program {
    char *name;
    int spec_known;          /* --help was read */
    char *about;             /* --help's second line ("" when unknown) */
    char *what;              /* what SIZE means ("" when unknown) */
    long long dflt, min, max;/* from "SIZE  what: MIN..MAX (default D)"; have_range when parsed */
    int have_range;
} hlb_program;

typedef struct hlb_catalog {
    char *build;             /* the build directory */
    char *src;               /* the source tree beside it (build/..) when it has programs/, else NULL */
    hlb_program *progs;
    size_t nprogs;
    hlb_variant *vars;
    size_t nvars;
} hlb_catalog;

/* The build directory for --build `given` (may be NULL), as above. malloc'd. */
char *hlb_find_build(const char *given);

/* Discover programs and variants in the build directory found for `given`. Returns 0, or -1
** with a message in err when there is no such directory. */
int hlb_catalog_open(hlb_catalog *c, const char *given, char *err, size_t errlen);
void hlb_catalog_close(hlb_catalog *c);

hlb_program *hlb_catalog_program(hlb_catalog *c, const char *name);
/* The variant called name (or by its alias), or NULL. */
hlb_variant *hlb_catalog_variant(hlb_catalog *c, const char *name);
/* The names of the variants for which `pick` is true, joined by ", " (malloc'd). */
char *hlb_catalog_variant_names(const hlb_catalog *c, int (*pick)(const hlb_variant *));

/* Can program prog run on variant v? Returns 0; -2 when v is a peer that has no such program
** ("lru_cache has no rust peer (yet)" in buf); -1 when it is not built or not available (why
** in buf: "owned is not built (...)", "binary_trees is not built for gc (... missing)"). */
int hlb_catalog_can_run(const hlb_catalog *c, const hlb_variant *v, const char *prog, char *buf, size_t len);

/* The names of the C sources (<name>.c) in dir, added to l. */
void hlb_scan_sources(const char *dir, hlb_strlist *l);

/* Fill p's about/what/range from its --help (run once, cached). Returns 0 when read. */
int hlb_program_spec(hlb_catalog *c, hlb_program *p);

/* Parse a program's --help text into p (exposed for tests). Returns 0 when the first line
** starts with "usage:". */
int hlb_parse_help(const char *text, hlb_program *p);

#endif
