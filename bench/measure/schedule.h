/*
** bench/measure/schedule.h: the bench matrix: programs x runtime variants, each cell run warmup + reps
** times with the runtimes interleaved per repetition (manual, gc, owned, manual, gc, ...) so
** that machine drift hits every runtime alike. Summaries per cell (median/min/max wall,
** median CPU, peak RSS, runtime statistics), checksum checks against manual, ratios to
** manual from the same run and a geometric-mean row per runtime.
*/
#ifndef HLB_MATRIX_H
#define HLB_MATRIX_H

#include "discover/catalog.h"
#include "report/machine.h"
#include "measure/sample.h"
#include "discover/sizes.h"
#include "util/util.h"

#include <stdio.h>

typedef struct hlb_cell {
    char program[64];
    char runtime[64];
    char size_class[16];
    long long size;              /* -1 when unknown */
    int reps;                    /* measured runs kept */
    hlb_status status;
    char reason[240];
    double wall_median_s, wall_min_s, wall_max_s, cpu_median_s;   /* NAN when not ok */
    long peak_rss_kib;           /* -1 when not ok */
    double ratio_wall, ratio_rss;/* to manual; NAN when unknown */
    hlb_rtstats stats;           /* of the last measured run; stats.have = 0 when none */
    char checksum[40];
    /* samples (engine internal) */
    double *walls, *cpus;
    long *rsss;
} hlb_cell;

typedef struct hlb_geo {
    char runtime[64];
    double ratio_wall, ratio_rss;   /* geometric means over programs; NAN when none */
    size_t programs;
} hlb_geo;

typedef struct hlb_bench {
    hlb_machine machine;
    char size_class[16];
    int reps, warmup;
    double timeout_s;
    hlb_cell *cells;
    size_t ncells;
    hlb_geo *geo;
    size_t ngeo;
    hlb_strlist notices;          /* shown under the table */
    double elapsed_s;
    int interrupted;
} hlb_bench;

typedef struct hlb_bench_plan {
    hlb_program **progs;
    size_t nprogs;
    hlb_variant **vars;
    size_t nvars;
    const char *size_class;
    int reps, warmup;
    double timeout_s;
    FILE *progress;               /* NULL: quiet */
} hlb_bench_plan;

/* Run the matrix. Returns 0, or -1 when interrupted (b->interrupted set). */
int hlb_bench_run(hlb_catalog *c, const hlb_bench_plan *plan, hlb_bench *b);
/* Fill summaries, mismatches, ratios and the geomean rows from the cells' samples (done by
** hlb_bench_run; exposed for tests that build cells by hand). */
void hlb_bench_summarise(hlb_bench *b);
void hlb_bench_free(hlb_bench *b);

#endif
