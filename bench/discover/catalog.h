/*
** bench/discover/catalog.h: what there is to run. Finds the tree the driver belongs to, discovers the
** workload programs at run time (programs/<name>.c files and the binaries under build/<runtime>/, never a
** fixed list), asks each program's --help for its description and size range, and lists the
** runtime variants (see variants.h) that can run them.
*/
#ifndef HLB_CATALOG_H
#define HLB_CATALOG_H

#include <stddef.h>

typedef struct hlb_program {
    char *name;
    int spec_known;          /* --help was read */
    char *about;             /* --help's second line ("" when unknown) */
    char *what;              /* what SIZE means ("" when unknown) */
    long long dflt, min, max;/* from "SIZE  what: MIN..MAX (default D)"; have_range when parsed */
    int have_range;
} hlb_program;

struct hlb_variant;

typedef struct hlb_catalog {
    char *root;              /* source tree */
    char *build;             /* root/build */
    hlb_program *progs;
    size_t nprogs;
    struct hlb_variant *vars;
    size_t nvars;
} hlb_catalog;

/* The tree root: $HEAPLAB_ROOT, else the parent of the directory holding the driver binary
** (build/heaplab), else the current directory. malloc'd. */
char *hlb_find_root(void);

/* Discover programs and variants under root (NULL: hlb_find_root()). Returns 0, or -1 with
** a message in err when there is no build directory. */
int hlb_catalog_open(hlb_catalog *c, const char *root, char *err, size_t errlen);
void hlb_catalog_close(hlb_catalog *c);

hlb_program *hlb_catalog_program(hlb_catalog *c, const char *name);
struct hlb_variant *hlb_catalog_variant(hlb_catalog *c, const char *name);

/* Fill p's about/what/range from its --help (run once, cached). Returns 0 when read. */
int hlb_program_spec(hlb_catalog *c, hlb_program *p);

/* Parse a program's --help text into p (exposed for tests). Returns 0 when the first line
** starts with "usage:". */
int hlb_parse_help(const char *text, hlb_program *p);

#endif
