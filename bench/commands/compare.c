/*
** bench/commands/compare.c: `heaplab compare OLD.json NEW.json`: the same cells of two bench
** (or two sweep) results files side by side, each with the ratio NEW/OLD of its median wall time,
** its 95% interval and a verdict (analyze/compare.h); --fail-above PCT makes it a regression gate.
*/
#define _GNU_SOURCE
#include "analyze/compare.h"
#include "commands/commands.h"
#include "report/compare_out.h"
#include "report/outfile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const hlb_cmd_spec hlb_compare_spec = {
    "compare", "OLD.json NEW.json", 2, 2, "the same cells of two bench (or sweep) results files: NEW/OLD per cell, faster, slower or no change",
    (const hlb_cmd_opt[]){
        {&hlb_opt_fail_above, NULL}, {&hlb_opt_format, NULL}, {&hlb_opt_out, NULL}, {&hlb_opt_build, NULL}, {NULL, NULL},
    },
    "Cells are matched by program, variant, size and heap-limit factor. The ratio is NEW's median wall\n"
    "time over OLD's, with a 95% bootstrap interval (each file's samples resampled independently);\n"
    "a cell is faster or slower when the interval lies below or above 1, else no change. Files of\n"
    "different kinds, or not heaplab results, are refused. --build is checked but not needed.\n"
    "With --out DIR: DIR/compare.{md,csv,json}.\n"
    "Exit status: 0 when compared (and no cell fails --fail-above), 1 when a cell is slower by more\n"
    "than PCT percent or a file could not be written, 2 on bad arguments or unreadable files.\n",
};

int hlb_cmd_compare(hlb_ctx *ctx) {
    hlb_opts *o = ctx->o;
    char err[600];
    hlb_json *docs[2] = {NULL, NULL};
    for (int i = 0; i < 2; i++) {
        docs[i] = hlb_is_dir(o->args[i]) ? NULL : hlb_json_parse_file(o->args[i], err, sizeof err);
        if (!docs[i]) {
            int rc = hlb_is_dir(o->args[i]) ? hlb_fail(ctx, 2, "%s is a directory, not a results file", o->args[i])
                                            : hlb_fail(ctx, 2, "%s is not a readable JSON file (%s)", o->args[i], err);
            hlb_json_free(docs[0]);
            return rc;
        }
    }
    hlb_compare c;
    int rc = 0;
    if (hlb_compare_docs(docs[0], o->args[0], docs[1], o->args[1], &c, err, sizeof err)) {
        rc = hlb_fail(ctx, 2, "%s", err);
        goto out;
    }
    hlb_compare_doc d = {&c, o->args[0], o->args[1]};
    char *dir = hlb_out_dir(ctx);
    rc = hlb_emit("compare", hlb_compare_write, NULL, &d, o->format, dir, "compare");
    free(dir);
    if (!rc && !isnan(o->fail_above)) {
        size_t first = 0, n = hlb_compare_gate(&c, o->fail_above, &first);
        if (n) {
            char a[64];
            const hlb_cmp_row *r = &c.rows[first];
            rc = hlb_fail(ctx, 1, "%s slower by more than %g%% (first: %s on %s, %.2fx)",
                          hlb_plural(a, sizeof a, n, "cell is", "cells are"), o->fail_above, r->program, r->variant,
                          r->ratio.point);
        }
    }
    hlb_compare_free(&c);
out:
    hlb_json_free(docs[0]);
    hlb_json_free(docs[1]);
    return rc;
}
