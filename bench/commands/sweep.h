/*
** bench/commands/sweep.h: `heaplab sweep PROGRAM`, the GC space-time sweep (Hertz & Berger's method):
** gc runs the program in a fixed heap of k x manual's peak live bytes for k from 1.25 to 6
** (GC_INITIAL_HEAP_SIZE = GC_MAXIMUM_HEAP_SIZE, optionally with GC_FREE_SPACE_DIVISOR), reporting time,
** collections and heap against k, and where gc matches manual's time. A run that exceeds its
** heap is an out-of-memory failure in its row, not a failure of the driver.
*/
#ifndef HLB_SWEEP_H
#define HLB_SWEEP_H

#include "cli/options.h"
#include "discover/catalog.h"
#include "report/machine.h"
#include "measure/sample.h"

typedef struct hlb_sweep_row {
    char label[32];              /* "1.25x", or "no limit" */
    double factor;               /* 0 for the unlimited run */
    unsigned long long limit;    /* bytes, 0 = none */
    hlb_status status;
    char reason[240];
    int reps;
    double wall_median_s, ratio_wall;
    long peak_rss_kib;
    hlb_rtstats stats;
} hlb_sweep_row;

typedef struct hlb_sweep {
    hlb_machine machine;
    char program[64];
    long long size;
    int divisor;
    double manual_wall_s;
    long manual_rss_kib;
    unsigned long long manual_peak_live;
    hlb_sweep_row *rows;         /* rows[0]: gc without a limit; then one per factor */
    size_t nrows;
    double match_10, match_0;    /* smallest factor within 10 % of manual / at or below it; NAN */
} hlb_sweep;

/* The command (argv[0] = "sweep"). Returns the exit status. */
int hlb_cmd_sweep(hlb_catalog *c, int argc, char **argv);

void hlb_sweep_md(FILE *f, const void *sweep);
void hlb_sweep_csv(FILE *f, const void *sweep);
void hlb_sweep_json(FILE *f, const void *sweep);
/* Fill match_10/match_0 from the rows. */
void hlb_sweep_find_match(hlb_sweep *s);

#endif
