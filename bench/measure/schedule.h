/*
** bench/measure/schedule.h: a results set and how it is measured. The cells (a program on a
** variant, at a size, for the sweep under a heap limit) of one program form a group; each
** repetition runs every cell of the group once, one after the other (c, manual, gc, owned,
** c, manual, ...), so that machine drift hits every variant alike and repetition i of two
** cells can be paired. Warmup repetitions come first and are not kept. A cell that fails is
** not run again. bench, sweep and run all measure through hlb_schedule_run.
*/
#ifndef HLB_SCHEDULE_H
#define HLB_SCHEDULE_H

#include "analyze/ratio.h"
#include "discover/variants.h"
#include "measure/sample.h"
#include "report/provenance.h"
#include "util/util.h"

#include <stdio.h>

#define HLB_CELL_ENV 4

typedef struct hlb_cell {
    char program[64];
    char variant[64];
    char size_class[16];
    long long size;              /* -1 when unknown */
    double factor;               /* sweep: heap limit / manual's peak live bytes; NAN otherwise */
    unsigned long long limit;    /* the heap limit in bytes, 0 when none */
    hlb_status status;
    char reason[240];            /* why not ok */
    int reps;                    /* measured samples kept */
    double *wall, *cpu;          /* [reps] seconds */
    long *rss;                   /* [reps] KiB */
    char checksum[40];
    hlb_rtstats stats;           /* of the instrumented (untimed) run; stats.have = 0 when none */
    /* Filled by hlb_results_summarise (analyze/summary.h); NAN when unknown. */
    double wall_median_s, wall_min_s, wall_max_s, cpu_median_s, rss_median_kib;
    double ratio_wall, ratio_wall_lo, ratio_wall_hi, ratio_rss;
    char ratio_to[64];           /* the variant of those ratios ("" when none) */
    int noisy;
    char noise[HLB_NOISE_REASON_MAX];
    /* What to run. */
    const hlb_variant *var;
    char arg[32];                /* the program's argument ("" = none) */
    char *env[HLB_CELL_ENV + 1]; /* extra NAME=VALUE (malloc'd) */
} hlb_cell;

typedef struct hlb_geo {
    char variant[64];
    double ratio_wall, ratio_rss;   /* geometric means over programs; NAN when none */
    size_t programs;
} hlb_geo;

typedef struct hlb_results {
    char kind[8];                 /* "bench", "sweep", "run" */
    hlb_provenance prov;
    char baseline[64];            /* the variant every ratio is taken against */
    char size_class[16];
    int reps, warmup;
    double timeout_s;
    hlb_cell *cells;
    size_t ncells, cap;
    hlb_geo *geo;                 /* bench: one row per variant */
    size_t ngeo;
    struct hlb_decomp_row *decomp;/* bench: the cost ladder per program, then its geomean
                                     (analyze/decompose.h); ndecomp = 0 when no step applies */
    size_t ndecomp;
    hlb_strlist notices;          /* shown under the table */
    /* sweep */
    char program[64];
    unsigned long long peak_live; /* manual's peak live bytes: the unit of the factors */
    int divisor;                  /* GC_FREE_SPACE_DIVISOR, 0 = Boehm's default */
    double conclusion;            /* see hlb_sweep_conclusion; NAN: none */
    double elapsed_s;
    int interrupted;
    /* run: the first measured run's output, kept when keep_output is set (malloc'd) */
    int keep_output;
    char *out, *err;
} hlb_results;

/* Add a cell for program on v (size class, size and argument given); its factor is NAN and
** its status ok. Returns it (valid until the next add). */
hlb_cell *hlb_results_add(hlb_results *r, const char *program, const hlb_variant *v, const char *size_class,
                          long long size, const char *arg);
/* Add NAME=VALUE (copied) to the environment of cell c. */
void hlb_cell_env(hlb_cell *c, const char *kv);
/* Give cell c room for n samples (done by hlb_schedule_run; tests use it to build cells). */
void hlb_cell_alloc(hlb_cell *c, int n);
void hlb_results_free(hlb_results *r);

/* Run every cell r->warmup + r->reps times, interleaved per group, with r->timeout_s;
** progress lines on `progress` (NULL: quiet). Returns 0, or -1 when interrupted
** (r->interrupted set). */
int hlb_schedule_run(hlb_results *r, FILE *progress);

#endif
