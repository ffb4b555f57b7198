/*
** bench/commands/run.c: `heaplab run PROGRAM`: one program on one variant, --reps times: the
** program's own output, then each run's wall and CPU time and peak RSS and the runtime's
** statistics (Markdown), or the one cell in the results format (CSV, JSON).
*/
#define _GNU_SOURCE
#include "analyze/summary.h"
#include "commands/commands.h"
#include "discover/sizes.h"
#include "report/outfile.h"
#include "report/results.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const hlb_cmd_spec hlb_run_spec = {
    "run", "PROGRAM", 1, 1, "run one program on one runtime variant: its output, time, peak RSS and runtime statistics",
    (const hlb_cmd_opt[]){
        {&hlb_opt_runtime, NULL}, {&hlb_opt_size, NULL},   {&hlb_opt_reps, "1"},  {&hlb_opt_timeout, "600"},
        {&hlb_opt_format, NULL},  {&hlb_opt_out, NULL},    {&hlb_opt_build, NULL}, {NULL, NULL},
    },
    "With --out DIR the results are also written to DIR/run_PROGRAM.{md,csv,json}.\n"
    "Exit status: 0 when every run succeeded, 1 when one failed, 2 on bad arguments, 130 when\n"
    "interrupted.\n",
};

int hlb_cmd_run(hlb_ctx *ctx) {
    hlb_opts *o = ctx->o;
    hlb_catalog *c = ctx->cat;
    hlb_program *p = ctx->prog;
    char why[512];
    hlb_variant *v = hlb_catalog_variant(c, o->runtime);
    if (!v || !v->bench) return hlb_unknown_variant(ctx, "runtime", o->runtime, hlb_is_bench_variant);
    int can = hlb_catalog_can_run(c, v, p->name, why, sizeof why);
    if (can) return hlb_fail(ctx, can == -2 ? 2 : 1, "%s", why);
    hlb_size sz;
    if (hlb_size_resolve(c, p, o->size, &sz, why, sizeof why)) return hlb_fail(ctx, 2, "%s", why);

    hlb_results r;
    hlb_results_begin(ctx, &r, "run");
    snprintf(r.size_class, sizeof r.size_class, "%s", o->size);
    r.reps = o->reps;
    r.timeout_s = o->timeout_s;
    r.keep_output = 1;
    if (sz.notice[0]) hlb_strlist_add(&r.notices, sz.notice);
    hlb_results_add(&r, p->name, v, o->size, sz.value, sz.arg);
    if (hlb_measure_results(&r)) {
        hlb_results_free(&r);
        return 130;
    }
    if (r.err && *r.err) {
        fflush(stdout);
        fputs(r.err, stderr);
    }
    if (o->format == HLB_FMT_MD && r.out) {
        fputs(r.out, stdout);
        fputc('\n', stdout);
    }
    char *stem = hlb_fmt("run_%s", p->name);
    int rc = hlb_emit_results(ctx, &r, hlb_run_write, stem, NULL);
    if (!rc && r.cells[0].status != HLB_OK) rc = 1;
    free(stem);
    hlb_results_free(&r);
    return rc;
}
