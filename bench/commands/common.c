/*
** bench/commands/common.c: what the commands share: error and notice lines, the baseline
** variant, the start of a results set, the --out directory (see commands.h).
*/
#define _GNU_SOURCE
#include "analyze/summary.h"
#include "commands/commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hlb_fail(const hlb_ctx *ctx, int status, const char *fmt, ...) {
    char line[800];
    va_list ap;
    va_start(ap, fmt);
    hlb_verrf(line, sizeof line, ctx->o->cmd, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", line);
    return status;
}

void hlb_notice(const char *msg) { fprintf(stderr, "heaplab: notice: %s\n", msg); }

int hlb_unknown_variant(const hlb_ctx *ctx, const char *what, const char *name, int (*pick)(const hlb_variant *)) {
    char *known = hlb_catalog_variant_names(ctx->cat, pick);
    hlb_fail(ctx, 2, "unknown %s '%s' (one of: %s)", what, name, known);
    free(known);
    return 2;
}

hlb_program *hlb_program_arg(const hlb_ctx *ctx, const char *name) {
    hlb_program *p = hlb_catalog_program(ctx->cat, name);
    if (!p) hlb_fail(ctx, 2, "unknown program '%s' (heaplab list shows the programs)", name);
    return p;
}

int hlb_pick_baseline(const hlb_ctx *ctx, const hlb_variant **out) {
    const char *name = ctx->o->baseline;
    hlb_variant *v;
    if (name) {
        v = hlb_catalog_variant(ctx->cat, name);
        if (!v || !v->bench) return hlb_unknown_variant(ctx, "baseline variant", name, hlb_is_bench_variant), -1;
        if (!v->available) return hlb_fail(ctx, 2, "--baseline %s is not available: %s", name, v->notice), -1;
        *out = v;
        return 0;
    }
    v = hlb_catalog_variant(ctx->cat, "c");
    if (!v || !v->available) v = hlb_catalog_variant(ctx->cat, "manual");
    if (!v || !v->available) return hlb_fail(ctx, 1, "neither c nor manual is built (run make)"), -1;
    *out = v;
    return 0;
}

void hlb_results_begin(const hlb_ctx *ctx, hlb_results *r, const char *kind) {
    memset(r, 0, sizeof *r);
    snprintf(r->kind, sizeof r->kind, "%s", kind);
    hlb_provenance_collect(&r->prov, ctx->cat ? ctx->cat->src : NULL, ctx->argc, ctx->argv);
}

int hlb_measure_results(hlb_results *r) {
    if (hlb_schedule_run(r, stderr)) return 130;
    hlb_results_summarise(r);
    hlb_provenance_set_end(&r->prov);
    for (size_t i = 0; i < r->notices.n; i++) hlb_notice(r->notices.v[i]);
    fprintf(stderr, "heaplab: %s finished in %.1f s\n", r->kind, r->elapsed_s);
    return 0;
}

int hlb_emit_results(const hlb_ctx *ctx, const hlb_results *r, hlb_writer fn, const char *stem,
                     int (*plot)(const hlb_results *, const char *, char *, size_t)) {
    char *dir = hlb_out_dir(ctx);
    int rc = hlb_emit(ctx->o->cmd, fn, NULL, r, ctx->o->format, dir, stem);
    if (dir && plot && !ctx->o->no_plots) {
        char err[600];
        if (plot(r, dir, err, sizeof err)) hlb_notice(err);
        else fprintf(stderr, "heaplab: wrote the plots in %s\n", dir);
    }
    free(dir);
    return rc;
}

char *hlb_out_dir(const hlb_ctx *ctx) {
    if (!ctx->o->out) return NULL;
    char *d = hlb_xstrdup(ctx->o->out);
    for (size_t n = strlen(d); n > 1 && d[n - 1] == '/'; n--) d[n - 1] = 0;
    return d;
}
