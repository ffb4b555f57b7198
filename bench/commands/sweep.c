/*
** bench/commands/sweep.c: the GC space-time sweep: measure, find where gc matches manual, report
** (see sweep.h).
*/
#define _GNU_SOURCE
#include "commands/sweep.h"
#include "report/json.h"
#include "report/outfile.h"
#include "report/plot.h"
#include "run/proc.h"
#include "report/bench_out.h"
#include "discover/sizes.h"
#include "analyze/stats.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sweep_help =
    "usage: heaplab sweep PROGRAM [--size small|default|large|N] [--reps N] [--factors K,K,...]\n"
    "                     [--free-space-divisor N] [--format md|csv|json] [--out DIR] [--timeout S] [--no-plots]\n"
    "GC space-time sweep: gc under a heap limit of K x manual's peak live bytes, against manual\n"
    "  --size S                 small, default (the program's own), large or a number (default: default)\n"
    "  --reps N                 runs per point, median reported (default 3)\n"
    "  --factors K,...          heap limits as multiples of manual's peak live bytes\n"
    "                           (default 1.25,1.5,1.75,2,2.5,3,4,5,6)\n"
    "  --free-space-divisor N   also set GC_FREE_SPACE_DIVISOR=N (Boehm's default is 3)\n"
    "  --format F               stdout format: md (default), csv or json\n"
    "  --out DIR                also write DIR/sweep_PROGRAM.{md,csv,json} and, with gnuplot, .svg\n"
    "  --timeout S              seconds before a run is killed (default 300)\n"
    "  --no-plots               do not draw the SVG plot\n"
    "Each point runs build/gc/PROGRAM with a fixed heap: GC_INITIAL_HEAP_SIZE = GC_MAXIMUM_HEAP_SIZE =\n"
    "K x manual's peak live bytes; a run that runs out of heap\n"
    "shows as failed. \"matches manual\" is the smallest limit where gc's median wall time is\n"
    "within 10% of manual's.\n";

/* Run prog reps times on v with env; fill the row's summary. Returns 0 unless interrupted. */
static int measure_row(const hlb_variant *v, const char *prog, const char *arg, char *const env[], int reps,
                       double timeout, hlb_sweep_row *row, const char *label) {
    double *w = hlb_xcalloc((size_t)reps, sizeof *w);
    row->status = HLB_OK;
    row->peak_rss_kib = -1;
    row->wall_median_s = row->ratio_wall = NAN;
    for (int k = 0; k < reps; k++) {
        fprintf(stderr, "heaplab: sweep %s on %s (%s): run %d/%d\n", prog, v->name, label, k + 1, reps);
        hlb_sample s;
        hlb_measure(v, prog, arg, env, timeout, &s, NULL);
        if (s.status == HLB_INTERRUPT) {
            free(w);
            return -1;
        }
        if (s.status != HLB_OK) {
            row->status = s.status;
            snprintf(row->reason, sizeof row->reason, "%s", s.reason);
            break;
        }
        w[row->reps++] = s.wall_s;
        if (s.rss_kib > row->peak_rss_kib) row->peak_rss_kib = s.rss_kib;
        row->stats = s.stats;
    }
    if (row->status == HLB_OK) row->wall_median_s = hlb_median(w, (size_t)row->reps);
    free(w);
    return 0;
}

void hlb_sweep_find_match(hlb_sweep *s) {
    s->match_10 = s->match_0 = NAN;
    for (size_t i = 0; i < s->nrows; i++) {
        hlb_sweep_row *r = &s->rows[i];
        if (r->factor <= 0 || r->status != HLB_OK || isnan(r->ratio_wall)) continue;
        if (isnan(s->match_10) && r->ratio_wall <= 1.10) s->match_10 = r->factor;
        if (isnan(s->match_0) && r->ratio_wall <= 1.0) s->match_0 = r->factor;
    }
}

static const char *stat_name(hlb_status st) {
    return st == HLB_OK ? "ok" : st == HLB_TIMEOUT ? "TIMEOUT" : "FAILED";
}

void hlb_sweep_md(FILE *f, const void *sweep) {
    const hlb_sweep *s = sweep;
    char line[512];
    hlb_machine_line(&s->machine, line, sizeof line);
    fprintf(f, "heaplab sweep: %s size %lld on gc with a fixed heap (GC_INITIAL_HEAP_SIZE = GC_MAXIMUM_HEAP_SIZE) of k x manual's peak live bytes (%.1f MiB); %s\n\n",
            s->program, s->size, (double)s->manual_peak_live / 1048576.0, line);
    if (s->divisor) fprintf(f, "GC_FREE_SPACE_DIVISOR=%d for every gc run.\n\n", s->divisor);
    fprintf(f, "manual: %.3f s median wall, peak RSS %.1f MiB\n\n", s->manual_wall_s, (double)s->manual_rss_kib / 1024.0);
    fputs("| heap limit | limit MiB | status | wall s (median) | ratio to manual | collections | GC heap MiB | peak RSS MiB |\n", f);
    fputs("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |\n", f);
    for (size_t i = 0; i < s->nrows; i++) {
        const hlb_sweep_row *r = &s->rows[i];
        char lim[32] = "–";
        if (r->limit) snprintf(lim, sizeof lim, "%.1f", (double)r->limit / 1048576.0);
        if (r->status != HLB_OK) {
            fprintf(f, "| %s | %s | **%s** %s | – | – | – | – | – |\n", r->label, lim, stat_name(r->status), r->reason);
            continue;
        }
        fprintf(f, "| %s | %s | ok | %.3f | %.2fx | %llu | %.1f | %.1f |\n", r->label, lim, r->wall_median_s,
                r->ratio_wall, (unsigned long long)r->stats.collections, (double)r->stats.gc_heap_bytes / 1048576.0,
                (double)r->peak_rss_kib / 1024.0);
    }
    fputc('\n', f);
    if (!isnan(s->match_10))
        fprintf(f, "gc comes within 10%% of manual's time from a heap of %.2fx manual's peak live bytes", s->match_10);
    else fprintf(f, "gc does not come within 10%% of manual's time at any heap limit tried");
    if (!isnan(s->match_0)) fprintf(f, "; it matches or beats manual from %.2fx.\n", s->match_0);
    else fprintf(f, "; it never matches manual's time here.\n");
}

static void num(FILE *f, double v, int prec, const char *null) {
    if (isnan(v)) fputs(null, f);
    else fprintf(f, "%.*f", prec, v);
}

void hlb_sweep_csv(FILE *f, const void *sweep) {
    const hlb_sweep *s = sweep;
    fputs("program,size,factor,heap_limit_bytes,status,wall_median_s,ratio_wall,collections,gc_heap_bytes,peak_rss_kib,reason\n", f);
    for (size_t i = 0; i < s->nrows; i++) {
        const hlb_sweep_row *r = &s->rows[i];
        int ok = r->status == HLB_OK;
        fprintf(f, "%s,%lld,", s->program, s->size);
        if (r->factor > 0) fprintf(f, "%.3f", r->factor);
        fprintf(f, ",%llu,%s,", r->limit, hlb_status_name(r->status));
        num(f, ok ? r->wall_median_s : NAN, 6, "");
        fputc(',', f);
        num(f, ok ? r->ratio_wall : NAN, 4, "");
        if (ok && r->stats.have)
            fprintf(f, ",%llu,%llu,", (unsigned long long)r->stats.collections, (unsigned long long)r->stats.gc_heap_bytes);
        else fputs(",,,", f);
        if (ok) fprintf(f, "%ld", r->peak_rss_kib);
        fputc(',', f);
        if (!ok) {
            fputc('"', f);
            for (const char *p = r->reason; *p; p++) fprintf(f, *p == '"' ? "\"\"" : "%c", *p);
            fputc('"', f);
        }
        fputc('\n', f);
    }
}

void hlb_sweep_json(FILE *f, const void *sweep) {
    const hlb_sweep *s = sweep;
    fputs("{\n  \"machine\": ", f);
    hlb_machine_write_json(f, &s->machine);
    fputs(",\n  \"program\": ", f);
    hlb_json_write_str(f, s->program);
    fprintf(f, ",\n  \"size\": %lld,\n  \"free_space_divisor\": %d,\n  \"manual\": {\"wall_median_s\": %.6f, \"peak_rss_kib\": %ld, "
               "\"peak_live_bytes\": %llu},\n  \"points\": [",
            s->size, s->divisor, s->manual_wall_s, s->manual_rss_kib, s->manual_peak_live);
    for (size_t i = 0; i < s->nrows; i++) {
        const hlb_sweep_row *r = &s->rows[i];
        int ok = r->status == HLB_OK;
        fputs(i ? ",\n    {\"factor\": " : "\n    {\"factor\": ", f);
        num(f, r->factor > 0 ? r->factor : NAN, 3, "null");
        fprintf(f, ", \"heap_limit_bytes\": %llu, \"status\": \"%s\", \"wall_median_s\": ", r->limit,
                hlb_status_name(r->status));
        num(f, ok ? r->wall_median_s : NAN, 6, "null");
        fputs(", \"ratio_wall\": ", f);
        num(f, ok ? r->ratio_wall : NAN, 4, "null");
        if (ok && r->stats.have)
            fprintf(f, ", \"collections\": %llu, \"gc_heap_bytes\": %llu", (unsigned long long)r->stats.collections,
                    (unsigned long long)r->stats.gc_heap_bytes);
        else fputs(", \"collections\": null, \"gc_heap_bytes\": null", f);
        fputs(", \"peak_rss_kib\": ", f);
        num(f, ok ? (double)r->peak_rss_kib : NAN, 0, "null");
        fputs(", \"reason\": ", f);
        hlb_json_write_str(f, ok ? "" : r->reason);
        fputc('}', f);
    }
    fputs("\n  ],\n  \"within_10pct_at\": ", f);
    num(f, s->match_10, 3, "null");
    fputs(",\n  \"matches_manual_at\": ", f);
    num(f, s->match_0, 3, "null");
    fputs("\n}\n", f);
}

static int fail2(const char *msg) {
    fprintf(stderr, "%s\n", msg);
    return 2;
}

int hlb_cmd_sweep(hlb_catalog *c, int argc, char **argv) {
    hlb_sweep_opts o;
    char err[512];
    int pr = hlb_parse_sweep(argc, argv, &o, err, sizeof err);
    if (pr == HLB_ARGS_HELP) return fputs(sweep_help, stdout), 0;
    if (pr) return fail2(err);
    hlb_program *p = hlb_catalog_program(c, o.program);
    if (!p) {
        snprintf(err, sizeof err, "heaplab sweep: unknown program '%s' (heaplab list shows the programs)", o.program);
        return fail2(err);
    }
    hlb_variant *manual = hlb_catalog_variant(c, "manual"), *gc = hlb_catalog_variant(c, "gc");
    if (!manual || !manual->available || !gc || !gc->available)
        return fail2("heaplab sweep: needs the manual and gc runtimes built (run make)");
    hlb_size sz;
    if (hlb_size_resolve(c, p, o.size, &sz, err, sizeof err)) {
        char msg[600];
        snprintf(msg, sizeof msg, "heaplab sweep: %s", err);
        return fail2(msg);
    }
    if (sz.notice[0]) fprintf(stderr, "heaplab: notice: %s\n", sz.notice);

    hlb_sweep s;
    memset(&s, 0, sizeof s);
    hlb_machine_get(&s.machine);
    snprintf(s.program, sizeof s.program, "%s", p->name);
    s.size = sz.value;
    s.divisor = o.divisor;
    hlb_sweep_row mrow;
    memset(&mrow, 0, sizeof mrow);
    if (measure_row(manual, p->name, sz.arg, NULL, o.reps, o.timeout_s, &mrow, "reference")) return 130;
    if (mrow.status != HLB_OK || !mrow.stats.have || !mrow.stats.peak_live_bytes) {
        fprintf(stderr, "heaplab sweep: manual run of %s failed or reported no peak live bytes: %s\n", p->name,
                mrow.status != HLB_OK ? mrow.reason : "no statistics");
        return 1;
    }
    s.manual_wall_s = mrow.wall_median_s;
    s.manual_rss_kib = mrow.peak_rss_kib;
    s.manual_peak_live = mrow.stats.peak_live_bytes;
    if (s.size < 0) s.size = p->have_range ? p->dflt : -1;

    s.nrows = o.nfactors + 1;
    s.rows = hlb_xcalloc(s.nrows, sizeof *s.rows);
    char *div = o.divisor ? hlb_fmt("GC_FREE_SPACE_DIVISOR=%d", o.divisor) : NULL;
    for (size_t i = 0; i < s.nrows; i++) {
        hlb_sweep_row *r = &s.rows[i];
        char *env[4] = {NULL, NULL, NULL, NULL}, *lim = NULL, *init = NULL;
        size_t ne = 0;
        if (i == 0) {
            snprintf(r->label, sizeof r->label, "no limit");
        } else {
            r->factor = o.factors[i - 1];
            r->limit = (unsigned long long)ceil(r->factor * (double)s.manual_peak_live);
            snprintf(r->label, sizeof r->label, "%.2fx", r->factor);
            /* A fixed heap of the given size, as in Hertz & Berger: it may not grow past the
            ** limit, and it starts there, so a larger heap means fewer collections. */
            lim = hlb_fmt("GC_MAXIMUM_HEAP_SIZE=%llu", r->limit);
            init = hlb_fmt("GC_INITIAL_HEAP_SIZE=%llu", r->limit);
            env[ne++] = lim;
            env[ne++] = init;
        }
        if (div) env[ne++] = div;
        int rc = measure_row(gc, p->name, sz.arg, env, o.reps, o.timeout_s, r, r->label);
        free(lim);
        free(init);
        if (rc) {
            free(div);
            free(s.rows);
            return 130;
        }
        if (r->status == HLB_OK) r->ratio_wall = r->wall_median_s / s.manual_wall_s;
        if (r->status == HLB_FAILED && strstr(r->reason, "exit status") && r->limit)
            snprintf(r->reason + strlen(r->reason), sizeof r->reason - strlen(r->reason), "%s",
                     strstr(r->reason, "memory") ? "" : " (likely out of memory under the heap limit)");
    }
    free(div);
    hlb_sweep_find_match(&s);

    if (o.format == HLB_FMT_CSV) hlb_sweep_csv(stdout, &s);
    else if (o.format == HLB_FMT_JSON) hlb_sweep_json(stdout, &s);
    else hlb_sweep_md(stdout, &s);
    fflush(stdout);

    int status = 0;
    char *outdir = o.out ? hlb_xstrdup(o.out) : NULL;
    for (size_t n = outdir ? strlen(outdir) : 0; n > 1 && outdir[n - 1] == '/'; n--) outdir[n - 1] = 0;
    o.out = outdir;
    if (o.out) {
        if (hlb_mkdir_p(o.out)) {
            fprintf(stderr, "heaplab sweep: cannot create %s\n", o.out);
            free(outdir);
            free(s.rows);
            return 1;
        }
        static const char *const ext[] = {"md", "csv", "json"};
        void (*const fn[])(FILE *, const void *) = {hlb_sweep_md, hlb_sweep_csv, hlb_sweep_json};
        for (int k = 0; k < 3; k++) {
            char *path = hlb_fmt("%s/sweep_%s.%s", o.out, s.program, ext[k]);
            if (hlb_write_atomic(path, fn[k], &s, err, sizeof err)) {
                fprintf(stderr, "heaplab sweep: %s\n", err);
                status = 1;
            } else fprintf(stderr, "heaplab: wrote %s\n", path);
            free(path);
        }
        if (o.plots) {
            hlb_sweep_point *pts = hlb_xcalloc(s.nrows, sizeof *pts);
            size_t np = 0;
            for (size_t i = 1; i < s.nrows; i++) {
                pts[np].factor = s.rows[i].factor;
                pts[np].ratio_wall = s.rows[i].status == HLB_OK ? s.rows[i].ratio_wall : NAN;
                pts[np].collections = s.rows[i].status == HLB_OK && s.rows[i].stats.have ? (double)s.rows[i].stats.collections : NAN;
                np++;
            }
            if (hlb_plot_sweep(s.program, pts, np, s.rows[0].ratio_wall, o.out, err, sizeof err))
                fprintf(stderr, "heaplab: notice: %s\n", err);
            else fprintf(stderr, "heaplab: wrote %s/sweep_%s.svg\n", o.out, s.program);
            free(pts);
        }
    }
    free(outdir);
    free(s.rows);
    return status;
}
