/*
** run.h: running many sequences (run.c), shared by the Criterion suite and the command line.
*/
#ifndef HLM_RUN_H
#define HLM_RUN_H

#include "model.h"

#include <stdio.h>

typedef struct hlm_run_opts {
    uint64_t     base;            /* base seed */
    uint64_t     first, stride;   /* sequences first, first + stride, ... */
    size_t       budget;          /* until this many operations have run */
    hlm_gen_opts gen;
    const char  *save_dir;        /* where a shrunk failing sequence is written (NULL: nowhere) */
} hlm_run_opts;

typedef struct hlm_stats {
    size_t seqs, ops;
    size_t kinds[HLM_NKINDS];     /* sequences stopped, by kind */
    size_t reused;                /* of those on a dead object's handle: after a later allocation */
    size_t skipped;               /* not run: they commit a violation this runtime cannot see */
} hlm_stats;

/* The generator's settings for this runtime: violations only where the runtime checks. */
hlm_gen_opts hlm_default_opts(void);

/* Run until the budget is spent; false at the first disagreement (reported on log). */
bool hlm_run(const hlm_run_opts *ro, hlm_stats *st, FILE *log);

/* Shrink, print and save a disagreeing sequence. */
void hlm_report(FILE *log, hlm_op *ops, size_t n, uint64_t seed, const char *why, const char *save_dir);

void hlm_stats_print(FILE *log, const char *what, const hlm_stats *st);
bool hlm_parse_u64(const char *s, uint64_t *out);

#endif
