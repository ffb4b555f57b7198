/*
** bench/commands/common.c: what the commands share: error and notice lines, the baseline
** variant, the start of a results set, the --out directory (see commands.h).
*/
#define _GNU_SOURCE
#include "commands/commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int hlb_fail(const hlb_ctx *ctx, int status, const char *fmt, ...) {
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++)
        if (*p == '\n') *p = ' ';
    fprintf(stderr, "heaplab %s: error: %s\n", ctx->o->cmd, msg);
    return status;
}

void hlb_notice(const char *msg) { fprintf(stderr, "heaplab: notice: %s\n", msg); }

static int is_bench(const hlb_variant *v) { return v->bench; }

int hlb_pick_baseline(const hlb_ctx *ctx, const hlb_variant **out) {
    const char *name = ctx->o->baseline;
    hlb_variant *v;
    if (name) {
        v = hlb_catalog_variant(ctx->cat, name);
        if (!v || !v->bench) {
            char *known = hlb_catalog_variant_names(ctx->cat, is_bench);
            hlb_fail(ctx, 2, "unknown variant '%s' for --baseline (one of: %s)", name, known);
            free(known);
            return -1;
        }
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

char *hlb_out_dir(const hlb_ctx *ctx) {
    if (!ctx->o->out) return NULL;
    char *d = hlb_xstrdup(ctx->o->out);
    for (size_t n = strlen(d); n > 1 && d[n - 1] == '/'; n--) d[n - 1] = 0;
    return d;
}
