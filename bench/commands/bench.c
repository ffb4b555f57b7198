/*
** bench/commands/bench.c: `heaplab bench`: choose programs and runtimes, run the matrix
** (matrix.h), print it and, with --out, write results.md, results.csv, results.json and the
** SVG plots atomically.
*/
#define _GNU_SOURCE
#include "cli/options.h"
#include "commands/commands.h"
#include "measure/schedule.h"
#include "report/outfile.h"
#include "report/plot.h"
#include "run/proc.h"
#include "report/bench_out.h"
#include "discover/variants.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *bench_help =
    "usage: heaplab bench [--programs a,b] [--runtimes r,s] [--reps N] [--warmup N]\n"
    "                     [--size small|default|large|N] [--format md|csv|json] [--out DIR] [--timeout S] [--no-plots]\n"
    "run every program on every runtime and compare them (times and sizes relative to manual)\n"
    "  --programs a,b   programs to run (default: all, see heaplab list)\n"
    "  --runtimes r,s   runtime variants (default: all available; manual is the reference for ratios)\n"
    "  --reps N         measured runs per cell (default 3); median, min, max reported\n"
    "  --warmup N       unmeasured runs per cell first (default 1)\n"
    "  --size S         small, default (each program's own), large, or a number (default: default)\n"
    "  --format F       stdout format: md (default), csv or json\n"
    "  --out DIR        also write DIR/results.{md,csv,json} and, with gnuplot, DIR/{wall,rss}_ratio.svg\n"
    "  --timeout S      seconds before a run is killed and its cell marked TIMEOUT (default 300)\n"
    "  --no-plots       do not draw plots\n"
    "Runtimes are interleaved per repetition; a cell that crashes, times out or prints another checksum\n"
    "than manual shows FAILED, TIMEOUT or MISMATCH with the reason, and the bench goes on. Progress on\n"
    "stderr. Exit status: 0 when the matrix was measured (even with failed cells), 1 when results could\n"
    "not be written, 2 on bad arguments, 130 when interrupted. How each figure is measured: docs/measuring.md\n";

static void notice(hlb_bench *b, const char *msg) {
    fprintf(stderr, "heaplab: notice: %s\n", msg);
    hlb_strlist_add(&b->notices, msg);
}

int hlb_cmd_bench(hlb_catalog *c, int argc, char **argv) {
    hlb_bench_opts o;
    char err[512];
    int pr = hlb_parse_bench(argc, argv, &o, err, sizeof err);
    if (pr == HLB_ARGS_HELP) return hlb_bench_opts_free(&o), fputs(bench_help, stdout), 0;
    if (pr) return hlb_bench_opts_free(&o), fprintf(stderr, "%s\n", err), 2;

    hlb_bench_plan plan = {0};
    plan.progs = hlb_xcalloc(c->nprogs + 1, sizeof *plan.progs);
    plan.vars = hlb_xcalloc(c->nvars + 1, sizeof *plan.vars);
    hlb_strlist notices = {0};
    char *outdir = NULL;
    int rc = 0;
    if (o.programs.n) {
        for (size_t i = 0; i < o.programs.n; i++) {
            hlb_program *p = hlb_catalog_program(c, o.programs.v[i]);
            if (!p) {
                fprintf(stderr, "heaplab bench: unknown program '%s' (heaplab list shows the programs)\n", o.programs.v[i]);
                rc = 2;
                goto out;
            }
            plan.progs[plan.nprogs++] = p;
        }
    } else {
        for (size_t i = 0; i < c->nprogs; i++) plan.progs[plan.nprogs++] = &c->progs[i];
    }
    if (o.runtimes.n) {
        for (size_t i = 0; i < o.runtimes.n; i++) {
            hlb_variant *v = hlb_catalog_variant(c, o.runtimes.v[i]);
            if (!v) {
                fprintf(stderr, "heaplab bench: unknown runtime '%s' (heaplab list shows the runtimes)\n", o.runtimes.v[i]);
                rc = 2;
                goto out;
            }
            if (v->available) plan.vars[plan.nvars++] = v;
            else hlb_strlist_add(&notices, v->notice);
        }
    } else {
        for (size_t i = 0; i < c->nvars; i++) {
            if (c->vars[i].available) plan.vars[plan.nvars++] = &c->vars[i];
            else hlb_strlist_add(&notices, c->vars[i].notice);
        }
    }
    if (!plan.nprogs || !plan.nvars) {
        for (size_t i = 0; i < notices.n; i++) fprintf(stderr, "heaplab: notice: %s\n", notices.v[i]);
        fprintf(stderr, "heaplab bench: nothing to run (%s)\n", !plan.nprogs ? "no programs" : "no runtime available");
        rc = 1;
        goto out;
    }
    outdir = o.out ? hlb_xstrdup(o.out) : NULL;
    for (size_t n = outdir ? strlen(outdir) : 0; n > 1 && outdir[n - 1] == '/'; n--) outdir[n - 1] = 0;
    o.out = outdir;
    if (o.out && hlb_mkdir_p(o.out)) {
        fprintf(stderr, "heaplab bench: cannot create %s: %s\n", o.out, strerror(errno));
        rc = 1;
        goto out;
    }
    plan.size_class = o.size;
    plan.reps = o.reps;
    plan.warmup = o.warmup;
    plan.timeout_s = o.timeout_s;
    plan.progress = stderr;

    hlb_bench b;
    int run = hlb_bench_run(c, &plan, &b);
    if (run) {
        hlb_bench_free(&b);
        rc = 130;
        goto out;
    }
    for (size_t i = 0; i < notices.n; i++) notice(&b, notices.v[i]);
    char *gp = hlb_gnuplot();
    if (o.out && o.plots && !gp) notice(&b, "gnuplot not installed (apt-get install gnuplot-nox): SVG plots skipped");
    fprintf(stderr, "heaplab: bench finished in %.1f s\n", b.elapsed_s);

    if (o.format == HLB_FMT_CSV) hlb_report_csv(stdout, &b);
    else if (o.format == HLB_FMT_JSON) hlb_report_json(stdout, &b);
    else hlb_report_md(stdout, &b);
    fflush(stdout);

    if (o.out) {
        static const char *const names[] = {"results.md", "results.csv", "results.json"};
        void (*const fn[])(FILE *, const void *) = {hlb_report_md, hlb_report_csv, hlb_report_json};
        for (int k = 0; k < 3; k++) {
            char *path = hlb_fmt("%s/%s", o.out, names[k]);
            if (hlb_write_atomic(path, fn[k], &b, err, sizeof err)) {
                fprintf(stderr, "heaplab bench: %s\n", err);
                rc = 1;
            } else fprintf(stderr, "heaplab: wrote %s\n", path);
            free(path);
        }
        if (o.plots && gp) {
            if (hlb_plot_bench(&b, o.out, err, sizeof err)) fprintf(stderr, "heaplab: notice: %s\n", err);
            else fprintf(stderr, "heaplab: wrote %s/wall_ratio.svg and %s/rss_ratio.svg\n", o.out, o.out);
        }
    }
    free(gp);
    hlb_bench_free(&b);
out:
    hlb_strlist_free(&notices);
    free(plan.progs);
    free(plan.vars);
    hlb_bench_opts_free(&o);
    free(outdir);
    return rc;
}
