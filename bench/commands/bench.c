/*
** bench/commands/bench.c: `heaplab bench`: choose programs and variants, measure every cell
** (measure/schedule.h), summarise against the baseline (analyze/summary.h), print the table and,
** with --out, write results.{md,csv,json} and the SVG plots atomically.
*/
#define _GNU_SOURCE
#include "analyze/summary.h"
#include "commands/commands.h"
#include "discover/sizes.h"
#include "report/outfile.h"
#include "report/plot.h"
#include "report/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const hlb_cmd_spec hlb_bench_spec = {
    "bench", NULL, 0, 0, "every program on every runtime variant, compared with the baseline (c when built, else manual)",
    (const hlb_cmd_opt[]){
        {&hlb_opt_programs, NULL}, {&hlb_opt_runtimes, NULL}, {&hlb_opt_reps, NULL},     {&hlb_opt_warmup, NULL},
        {&hlb_opt_size, NULL},     {&hlb_opt_baseline, NULL}, {&hlb_opt_format, NULL},   {&hlb_opt_out, NULL},
        {&hlb_opt_timeout, NULL},  {&hlb_opt_no_plots, NULL}, {&hlb_opt_strict, NULL},   {&hlb_opt_build, NULL},
        {NULL, NULL},
    },
    "Variants are interleaved per repetition; the wall ratio of a cell is the median of its paired\n"
    "ratios to the baseline, with a 95% bootstrap interval. A cell whose wall time exceeds its CPU\n"
    "time by more than 10%, or whose min-max spread exceeds 10% of its median, is marked noisy (~).\n"
    "A cell that crashes, times out or prints another checksum than the baseline shows failed,\n"
    "timeout or mismatch with the reason, and the bench goes on. Progress on stderr.\n"
    "With --out DIR: DIR/results.{md,csv,json} and, with gnuplot, DIR/{wall,rss}_ratio.svg.\n"
    "Exit status: 0 when the matrix was measured (with --strict: and every cell is ok), 1 when a\n"
    "file could not be written (or --strict and a cell is not ok), 2 on bad arguments, 130 when\n"
    "interrupted. How each figure is measured: docs/measuring.md\n",
};

/* The variants to run, in the order of the one list: --runtimes or every available one that is
** not on request only, plus the baseline. Returns 0, or the exit status after an error. */
static int pick_variants(hlb_ctx *ctx, const hlb_variant *base, const hlb_variant **vars, size_t *nvars,
                         hlb_strlist *notices) {
    hlb_catalog *c = ctx->cat;
    const hlb_strlist *want = &ctx->o->runtimes;
    for (size_t i = 0; i < want->n; i++) {
        const hlb_variant *v = hlb_catalog_variant(c, want->v[i]);
        if (!v || !v->bench) return hlb_unknown_variant(ctx, "runtime", want->v[i], hlb_is_bench_variant);
    }
    *nvars = 0;
    for (size_t i = 0; i < c->nvars; i++) {
        const hlb_variant *v = &c->vars[i];
        int chosen = want->n ? hlb_strlist_has(want, v->name) || (v->alias && hlb_strlist_has(want, v->alias))
                             : v->bench && !v->on_request;
        if (!want->n && v->on_request && v->available) {
            char *msg = hlb_fmt("%s runs on request only (--runtimes %s): see heaplab list", v->name, v->name);
            hlb_strlist_add(notices, msg);
            free(msg);
        }
        if (v == base && !chosen && want->n) {
            char *msg = hlb_fmt("%s (the baseline) added to the runtimes", v->name);
            hlb_strlist_add(notices, msg);
            free(msg);
            chosen = 1;
        }
        if (!chosen) continue;
        if (!v->available) hlb_strlist_add(notices, v->notice);
        else vars[(*nvars)++] = v;
    }
    return 0;
}

int hlb_cmd_bench(hlb_ctx *ctx) {
    hlb_opts *o = ctx->o;
    hlb_catalog *c = ctx->cat;
    for (size_t i = 0; i < o->programs.n; i++)
        if (!hlb_program_arg(ctx, o->programs.v[i])) return 2;
    const hlb_variant *base;
    if (hlb_pick_baseline(ctx, &base)) return o->baseline ? 2 : 1;
    hlb_results r;
    hlb_results_begin(ctx, &r, "bench");
    const hlb_variant **vars = hlb_xcalloc(c->nvars + 1, sizeof *vars);
    size_t nvars = 0;
    int rc = pick_variants(ctx, base, vars, &nvars, &r.notices);
    if (rc) goto out;
    snprintf(r.baseline, sizeof r.baseline, "%s", base->name);
    snprintf(r.size_class, sizeof r.size_class, "%s", o->size);
    r.reps = o->reps;
    r.warmup = o->warmup;
    r.timeout_s = o->timeout_s;

    for (size_t i = 0; i < c->nprogs; i++) {
        hlb_program *p = &c->progs[i];
        if (o->programs.n && !hlb_strlist_has(&o->programs, p->name)) continue;
        hlb_size sz;
        char err[512] = "";
        /* Only a number can fail to resolve (outside the program's range): a bad argument,
        ** refused before anything runs. */
        if (hlb_size_resolve(c, p, o->size, &sz, err, sizeof err)) {
            rc = hlb_fail(ctx, 2, "%s (a numeric --size applies to every program; choose them with --programs)", err);
            goto out;
        }
        if (sz.notice[0]) hlb_strlist_add(&r.notices, sz.notice);
        for (size_t k = 0; k < nvars; k++) {
            char why[512];
            if (vars[k]->peer && hlb_catalog_can_run(c, vars[k], p->name, why, sizeof why)) {
                if (vars[k] == base) {
                    char *msg = hlb_fmt("%s has no %s peer: its ratios are against manual", p->name, base->name);
                    hlb_strlist_add(&r.notices, msg);
                    free(msg);
                }
                continue;   /* a peer that lacks this program */
            }
            hlb_results_add(&r, p->name, vars[k], o->size, sz.value, sz.arg);
        }
    }
    if (!r.ncells) {
        for (size_t i = 0; i < r.notices.n; i++) hlb_notice(r.notices.v[i]);
        rc = hlb_fail(ctx, 1, "nothing to run (%s)", nvars ? "no programs" : "no runtime available");
        goto out;
    }
    char *gp = hlb_gnuplot();
    if (o->out && !o->no_plots && !gp)
        hlb_strlist_add(&r.notices, "gnuplot not installed (apt-get install gnuplot-nox): SVG plots skipped");
    if ((rc = hlb_measure_results(&r))) {
        free(gp);
        goto out;
    }
    rc = hlb_emit_results(ctx, &r, hlb_bench_write, "results", gp ? hlb_plot_bench : NULL);
    free(gp);
    if (!rc && o->strict) {
        size_t bad = 0;
        for (size_t i = 0; i < r.ncells; i++) bad += r.cells[i].status != HLB_OK;
        if (bad) {
            char n[64];
            rc = hlb_fail(ctx, 1, "--strict: %s not ok", hlb_plural(n, sizeof n, bad, "cell is", "cells are"));
        }
    }
out:
    free(vars);
    hlb_results_free(&r);
    return rc;
}
