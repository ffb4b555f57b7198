/*
** bench/commands/sweep.c: `heaplab sweep PROGRAM`, the GC space-time sweep (Hertz & Berger's
** method): gc runs the program in a fixed heap of K x manual's peak live bytes for each factor
** K (GC_INITIAL_HEAP_SIZE = GC_MAXIMUM_HEAP_SIZE, optionally with GC_FREE_SPACE_DIVISOR), on the
** same measuring path as bench: the baseline, gc without a limit and every limit are cells of
** one group, interleaved per repetition. A run that exceeds its heap is an out-of-memory cell,
** not a failure of the driver. The conclusion is the smallest factor from which gc stays within
** 10% of the baseline at every larger factor measured.
*/
#define _GNU_SOURCE
#include "analyze/summary.h"
#include "commands/commands.h"
#include "discover/sizes.h"
#include "report/outfile.h"
#include "report/plot.h"
#include "report/results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const hlb_cmd_spec hlb_sweep_spec = {
    "sweep", "PROGRAM", 1, 1, "GC space-time sweep: gc under heap limits of K x manual's peak live bytes, against the baseline",
    (const hlb_cmd_opt[]){
        {&hlb_opt_size, NULL},    {&hlb_opt_reps, NULL},     {&hlb_opt_warmup, "0"},   {&hlb_opt_factors, NULL},
        {&hlb_opt_divisor, NULL}, {&hlb_opt_baseline, NULL}, {&hlb_opt_format, NULL},  {&hlb_opt_out, NULL},
        {&hlb_opt_timeout, NULL}, {&hlb_opt_no_plots, NULL}, {&hlb_opt_build, NULL},   {NULL, NULL},
    },
    "manual runs once first to measure the program's peak live bytes. Each point runs build/gc/PROGRAM\n"
    "with a fixed heap: GC_INITIAL_HEAP_SIZE = GC_MAXIMUM_HEAP_SIZE = K x those bytes; a run that\n"
    "runs out of heap shows as out of memory. The conclusion is the smallest K from which gc's wall\n"
    "time stays within 10% of the baseline's at every larger K measured (or that there is none).\n"
    "With --out DIR: DIR/sweep_PROGRAM.{md,csv,json} and, with gnuplot, DIR/sweep_PROGRAM.svg.\n"
    "Exit status: 0 when the sweep was measured, 1 when manual or gc cannot run it or a file could\n"
    "not be written, 2 on bad arguments, 130 when interrupted.\n",
};

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int hlb_cmd_sweep(hlb_ctx *ctx) {
    hlb_opts *o = ctx->o;
    hlb_catalog *c = ctx->cat;
    hlb_program *p = ctx->prog;
    char why[512];
    hlb_variant *manual = hlb_catalog_variant(c, "manual"), *gc = hlb_catalog_variant(c, "gc");
    if (!manual || hlb_catalog_can_run(c, manual, p->name, why, sizeof why)) {
        if (!manual) snprintf(why, sizeof why, "manual is not built");
        return hlb_fail(ctx, 1, "needs manual to measure the peak live bytes: %s", why);
    }
    if (!gc || hlb_catalog_can_run(c, gc, p->name, why, sizeof why)) {
        if (!gc) snprintf(why, sizeof why, "gc is not built");
        return hlb_fail(ctx, 1, "needs gc: %s", why);
    }
    const hlb_variant *base;
    if (hlb_pick_baseline(ctx, &base)) return o->baseline ? 2 : 1;
    hlb_size sz;
    if (hlb_size_resolve(c, p, o->size, &sz, why, sizeof why)) return hlb_fail(ctx, 2, "%s", why);

    hlb_results r;
    hlb_results_begin(ctx, &r, "sweep");
    if (sz.notice[0]) hlb_strlist_add(&r.notices, sz.notice);
    if (base->peer && hlb_catalog_can_run(c, base, p->name, why, sizeof why)) {
        char *msg = hlb_fmt("%s has no %s peer: the baseline is manual", p->name, base->name);
        hlb_strlist_add(&r.notices, msg);
        free(msg);
        base = manual;
    }
    snprintf(r.baseline, sizeof r.baseline, "%s", base->name);
    snprintf(r.program, sizeof r.program, "%s", p->name);
    snprintf(r.size_class, sizeof r.size_class, "%s", o->size);
    r.reps = o->reps;
    r.warmup = o->warmup;
    r.timeout_s = o->timeout_s;
    r.divisor = o->divisor;
    int rc = 0;

    /* The unit of the factors: manual's peak live bytes, from one run. */
    fprintf(stderr, "heaplab: sweep %s: measuring manual's peak live bytes\n", p->name);
    hlb_sample s;
    hlb_sample_run(manual, p->name, sz.arg, NULL, 1, o->timeout_s, &s, NULL);
    if (s.status == HLB_INTERRUPTED) {
        rc = 130;
        goto out;
    }
    if (s.status != HLB_OK || !s.stats.have || !s.stats.peak_live_bytes) {
        rc = hlb_fail(ctx, 1, "manual's run of %s failed or reported no peak live bytes: %s", p->name,
                      s.status != HLB_OK ? s.reason : "no runtime statistics");
        goto out;
    }
    r.peak_live = s.stats.peak_live_bytes;
    long long size = sz.value >= 0 ? sz.value : s.size;

    double factors[HLB_MAX_FACTORS];
    size_t nf = 0;
    memcpy(factors, o->factors.v, o->factors.n * sizeof *factors);
    qsort(factors, o->factors.n, sizeof *factors, cmp_double);
    for (size_t i = 0; i < o->factors.n; i++)
        if (!nf || factors[i] != factors[nf - 1]) factors[nf++] = factors[i];

    char *div = o->divisor ? hlb_fmt("GC_FREE_SPACE_DIVISOR=%d", o->divisor) : NULL;
    hlb_results_add(&r, p->name, base, o->size, size, sz.arg);
    hlb_cell *cell = hlb_results_add(&r, p->name, gc, o->size, size, sz.arg);
    if (div) hlb_cell_env(cell, div);
    for (size_t i = 0; i < nf; i++) {
        cell = hlb_results_add(&r, p->name, gc, o->size, size, sz.arg);
        cell->factor = factors[i];
        cell->limit = (unsigned long long)ceil(factors[i] * (double)r.peak_live);
        /* A fixed heap, as in Hertz & Berger: it starts at the limit and may not grow past it. */
        char *kv = hlb_fmt("GC_MAXIMUM_HEAP_SIZE=%llu", cell->limit);
        hlb_cell_env(cell, kv);
        free(kv);
        kv = hlb_fmt("GC_INITIAL_HEAP_SIZE=%llu", cell->limit);
        hlb_cell_env(cell, kv);
        free(kv);
        if (div) hlb_cell_env(cell, div);
    }
    free(div);
    if ((rc = hlb_measure_results(&r))) goto out;
    char *stem = hlb_fmt("sweep_%s", p->name);
    rc = hlb_emit_results(ctx, &r, hlb_sweep_write, stem, hlb_plot_sweep);
    free(stem);
out:
    hlb_results_free(&r);
    return rc;
}
