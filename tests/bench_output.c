/*
** tests/bench_output.c: the driver's results and its one table layer. A results set built by
** hand is summarised (medians, paired ratios with an interval, checksum mismatches, the
** baseline falling back to manual for a program the peer lacks, noise, geomean rows), written as
** Markdown, CSV and JSON and read back: provenance and raw samples in JSON, noisy cells marked
** "~" with a legend, one status-name function and one missing-number format. The sweep's
** conclusion on synthetic points; checked, atomic file writes.
*/
#define _GNU_SOURCE
#include "analyze/decompose.h"
#include "analyze/summary.h"
#include "report/json.h"
#include "report/outfile.h"
#include "report/results.h"
#include "report/table.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static hlb_variant var_c = {.name = "c"}, var_manual = {.name = "manual"}, var_gc = {.name = "gc"},
                   var_owned = {.name = "owned"};

static hlb_cell *cell(hlb_results *r, const char *prog, hlb_variant *v, const double *w, int n, long rss,
                      const char *sum) {
    hlb_cell *c = hlb_results_add(r, prog, v, "small", 12, "12");
    hlb_cell_alloc(c, n);
    for (int i = 0; i < n; i++) {
        c->wall[i] = w[i];
        c->cpu[i] = w[i] * 0.95;
        c->rss[i] = rss;
    }
    c->reps = n;
    snprintf(c->checksum, sizeof c->checksum, "%s", sum);
    c->stats.have = 1;
    snprintf(c->stats.runtime, sizeof c->stats.runtime, "%s", v->name);
    c->stats.allocations = 1000;
    c->stats.peak_live_bytes = 123456789012ULL;
    c->stats.collections = 7;
    return c;
}

/* alpha: c, manual, gc (paired ratios 1.5, 1.5, 1.5 to c), owned (wrong checksum);
** beta: no c peer; manual, gc (ratio 2 to manual), owned failed. */
static hlb_results make(void) {
    hlb_results r;
    memset(&r, 0, sizeof r);
    snprintf(r.kind, sizeof r.kind, "bench");
    snprintf(r.baseline, sizeof r.baseline, "c");
    snprintf(r.size_class, sizeof r.size_class, "small");
    r.reps = 3;
    hlb_provenance_collect(&r.prov, NULL, 2, (char *[]){"heaplab", "bench", NULL});
    hlb_provenance_set_end(&r.prov);
    cell(&r, "alpha", &var_c, (double[]){1.0, 2.0, 4.0}, 3, 1000, "aa");
    cell(&r, "alpha", &var_manual, (double[]){1.1, 2.0, 4.1}, 3, 1000, "aa");
    cell(&r, "alpha", &var_gc, (double[]){1.5, 3.0, 6.0}, 3, 2000, "aa");
    cell(&r, "alpha", &var_owned, (double[]){1.0, 1.0, 1.0}, 3, 1500, "ab");
    cell(&r, "beta", &var_manual, (double[]){0.5}, 1, 500, "bb");
    cell(&r, "beta", &var_gc, (double[]){1.0}, 1, 1000, "bb");
    hlb_cell *f = cell(&r, "beta", &var_owned, (double[]){1}, 0, 1, "bb");
    f->status = HLB_FAILED;
    snprintf(f->reason, sizeof f->reason, "exit status 101: heaplab: error: \"use after free\", at x.c:3");
    hlb_results_summarise(&r);
    return r;
}

Test(summary, statistics_ratios_and_checks) {
    hlb_results r = make();
    hlb_cell *c = r.cells;
    cr_assert_float_eq(c[0].wall_median_s, 2.0, 1e-12);
    cr_assert_float_eq(c[0].wall_min_s, 1.0, 1e-12);
    cr_assert_float_eq(c[0].wall_max_s, 4.0, 1e-12);
    cr_assert_float_eq(c[2].ratio_wall, 1.5, 1e-12, "median of the paired ratios");
    cr_assert_float_eq(c[2].ratio_wall_lo, 1.5, 1e-12);
    cr_assert_float_eq(c[2].ratio_wall_hi, 1.5, 1e-12);
    cr_assert(c[1].ratio_wall_lo <= c[1].ratio_wall && c[1].ratio_wall <= c[1].ratio_wall_hi);
    cr_assert_float_eq(c[2].ratio_rss, 2.0, 1e-12);
    cr_assert_str_eq(c[2].ratio_to, "c");
    cr_assert_eq(c[3].status, HLB_MISMATCH);
    cr_assert(strstr(c[3].reason, "differs from c's aa"), "%s", c[3].reason);
    /* beta has no c cell: its ratios are against manual */
    cr_assert_float_eq(c[5].ratio_wall, 2.0, 1e-12);
    cr_assert_str_eq(c[5].ratio_to, "manual");
    cr_assert_eq(c[6].status, HLB_FAILED);
    cr_assert(isnan(c[6].ratio_wall));
    cr_assert_eq(r.ngeo, 4);
    cr_assert_str_eq(r.geo[2].variant, "gc");
    cr_assert_float_eq(r.geo[2].ratio_wall, sqrt(1.5 * 2.0), 1e-12);
    cr_assert_eq(r.geo[2].programs, 2);
    cr_assert(isnan(r.geo[3].ratio_wall), "owned has no ok cell");
    /* wall 2.0 vs CPU 1.9 is within 10%; min-max spread 3 of median 2 is not */
    cr_assert(c[0].noisy);
    cr_assert(strstr(c[0].noise, "spread"), "%s", c[0].noise);
    cr_assert_not(c[3].noisy);
    hlb_results_free(&r);
}

static char *render(hlb_writer fn, const void *doc, hlb_format fmt) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(f, doc, fmt);
    fclose(f);
    return buf;
}

/* The cost ladder: each step is the paired ratio of its two variants, a step missing one of
** them is NAN, and the last row is the geometric mean over programs. */
Test(summary, decomposition_isolates_each_cost) {
    static hlb_variant off = {.name = "owned-off"}, fast = {.name = "owned-fast"};
    hlb_results r;
    memset(&r, 0, sizeof r);
    snprintf(r.kind, sizeof r.kind, "bench");
    snprintf(r.baseline, sizeof r.baseline, "c");
    const char *progs[] = {"p1", "p2"};
    for (int k = 0; k < 2; k++) {
        double f = k ? 4.0 : 1.0;   /* p2's checks cost 2x, p1's 1x: geomean 1.41x */
        cell(&r, progs[k], &var_c, (double[]){1.0, 2.0, 3.0}, 3, 1000, "aa");
        cell(&r, progs[k], &var_manual, (double[]){1.0, 2.0, 3.0}, 3, 1000, "aa");
        cell(&r, progs[k], &off, (double[]){1.5, 3.0, 4.5}, 3, 1000, "aa");
        cell(&r, progs[k], &fast, (double[]){1.5 * sqrt(f), 3.0 * sqrt(f), 4.5 * sqrt(f)}, 3, 1000, "aa");
        cell(&r, progs[k], &var_owned, (double[]){1.65 * sqrt(f), 3.3 * sqrt(f), 4.95 * sqrt(f)}, 3, 1000, "aa");
    }
    hlb_results_summarise(&r);
    cr_assert_eq(r.ndecomp, 3, "two programs and the geomean row");
    const hlb_decomp_row *p2 = &r.decomp[1], *geo = &r.decomp[2];
    size_t api = 0, gcs = 1, handle = 2, checks = 3, sites = 4, rust = 5;
    cr_assert_str_eq(hlb_steps[handle].num, "owned-off");
    cr_assert_float_eq(p2->step[api].point, 1.0, 1e-9);
    cr_assert(isnan(p2->step[gcs].point), "no gc cells: the step is missing");
    cr_assert(isnan(p2->step[rust].point));
    cr_assert_float_eq(p2->step[handle].point, 1.5, 1e-9);
    cr_assert_float_eq(p2->step[checks].point, 2.0, 1e-9);
    cr_assert_float_eq(p2->step[sites].point, 1.1, 1e-9);
    cr_assert_float_eq(r.decomp[0].step[checks].point, 1.0, 1e-9);
    cr_assert_str_eq(geo->program, "geomean");
    cr_assert_float_eq(geo->step[checks].point, sqrt(2.0), 1e-9);
    hlb_results_free(&r);
}

Test(output, json_has_provenance_samples_and_every_figure) {
    hlb_results r = make();
    char *text = render(hlb_bench_write, &r, HLB_FMT_JSON);
    char err[200];
    hlb_json *j = hlb_json_parse(text, err, sizeof err);
    cr_assert_not_null(j, "JSON does not parse: %s\n%s", err, text);
    cr_assert_str_eq(hlb_json_str(j, "kind"), "bench");
    cr_assert_str_eq(hlb_json_str(j, "baseline"), "c");
    const hlb_json *p = hlb_json_get(j, "provenance");
    static const char *const prov_keys[] = {"heaplab_commit", "compiler", "glibc", "libgc", "kernel", "cpu",
                                            "command", "start", "end", NULL};
    for (int k = 0; prov_keys[k]; k++) {
        const char *v = hlb_json_str(p, prov_keys[k]);
        cr_assert(v && *v, "provenance.%s missing", prov_keys[k]);
    }
    cr_assert(hlb_json_num(p, "cores") >= 1);
    cr_assert_str_eq(hlb_json_str(p, "command"), "heaplab bench");
    const hlb_json *cells = hlb_json_get(j, "cells");
    cr_assert(cells && cells->kind == HLB_JARR && cells->n == r.ncells);
    static const char *const keys[] = {"program", "variant", "size_class", "size", "status", "reps", "samples",
                                       "wall_median_s", "wall_min_s", "wall_max_s", "cpu_median_s", "rss_median_kib",
                                       "ratio_wall", "ratio_wall_lo", "ratio_wall_hi", "ratio_rss", "noisy", "noise",
                                       "checksum", "allocations", "collections", NULL};
    for (size_t i = 0; i < cells->n; i++) {
        const hlb_json *o = cells->items[i];
        const hlb_cell *c = &r.cells[i];
        for (int k = 0; keys[k]; k++) cr_assert_not_null(hlb_json_get(o, keys[k]), "cell %zu: %s missing", i, keys[k]);
        cr_assert_str_eq(hlb_json_str(o, "status"), hlb_status_name(c->status));
        const hlb_json *s = hlb_json_get(o, "samples");
        cr_assert(s->kind == HLB_JARR && s->n == (size_t)c->reps, "cell %zu: %zu samples for %d reps", i, s->n, c->reps);
        for (size_t k = 0; k < s->n; k++) {
            cr_assert_float_eq(hlb_json_num(s->items[k], "wall_s"), c->wall[k], 1e-6);
            cr_assert_float_eq(hlb_json_num(s->items[k], "cpu_s"), c->cpu[k], 1e-6);
            cr_assert_float_eq(hlb_json_num(s->items[k], "rss_kib"), (double)c->rss[k], 0);
        }
        if (c->status == HLB_OK) {
            cr_assert_float_eq(hlb_json_num(o, "wall_median_s"), c->wall_median_s, 1e-6);
        } else {
            cr_assert_eq(hlb_json_get(o, "wall_median_s")->kind, HLB_JNULL, "missing numbers are null");
            cr_assert_eq(hlb_json_get(o, "ratio_wall")->kind, HLB_JNULL);
        }
        cr_assert_eq(hlb_json_get(o, "noisy")->kind, HLB_JBOOL);
    }
    cr_assert_float_eq(hlb_json_num(cells->items[2], "ratio_wall_lo"), 1.5, 1e-4);
    cr_assert_eq(hlb_json_get(cells->items[0], "noisy")->num, 1);
    const hlb_json *g = hlb_json_get(j, "geomean");
    cr_assert(g && g->kind == HLB_JARR && g->n == r.ngeo);
    cr_assert_float_eq(hlb_json_num(g->items[2], "ratio_wall"), r.geo[2].ratio_wall, 1e-4);
    hlb_json_free(j);
    free(text);
    hlb_results_free(&r);
}

/* Split one CSV record (RFC 4180 quoting) starting at *p; advances *p past its newline. */
static int csv_record(const char **p, char fields[][256], int max) {
    int n = 0;
    const char *s = *p;
    if (!*s) return 0;
    for (;;) {
        char *o = fields[n];
        size_t k = 0;
        if (*s == '"') {
            s++;
            while (*s && !(*s == '"' && s[1] != '"')) {
                if (*s == '"') s++;
                if (k < 255) o[k++] = *s;
                s++;
            }
            if (*s == '"') s++;
        } else {
            while (*s && *s != ',' && *s != '\n')
                if (k < 255) o[k++] = *s++;
                else s++;
        }
        o[k] = 0;
        n++;
        if (*s == ',' && n < max) {
            s++;
            continue;
        }
        if (*s == '\n') s++;
        break;
    }
    *p = s;
    return n;
}

Test(output, csv_has_the_json_cell_columns) {
    hlb_results r = make();
    char *text = render(hlb_bench_write, &r, HLB_FMT_CSV);
    const char *p = text;
    char h[48][256], f[48][256];
    int n = csv_record(&p, h, 48);
    cr_assert_geq(n, 25);
    int status = -1, reason = -1, wall = -1, noisy = -1;
    for (int i = 0; i < n; i++) {
        cr_assert(strcmp(h[i], "samples"), "samples are JSON only");
        if (!strcmp(h[i], "status")) status = i;
        if (!strcmp(h[i], "reason")) reason = i;
        if (!strcmp(h[i], "wall_median_s")) wall = i;
        if (!strcmp(h[i], "noisy")) noisy = i;
    }
    cr_assert(status >= 0 && reason >= 0 && wall >= 0 && noisy >= 0);
    for (size_t row = 0; row < r.ncells; row++) {
        cr_assert_eq(csv_record(&p, f, 48), n, "row %zu", row);
        const hlb_cell *c = &r.cells[row];
        cr_assert_str_eq(f[status], hlb_status_name(c->status));
        cr_assert_str_eq(f[reason], c->status == HLB_OK ? "" : c->reason, "quoted fields come back");
        if (c->status == HLB_OK) cr_assert_float_eq(strtod(f[wall], NULL), c->wall_median_s, 1e-6);
        else cr_assert_str_eq(f[wall], "", "a missing number is empty in CSV");
        cr_assert_str_eq(f[noisy], c->noisy ? "true" : "false");
    }
    cr_assert_eq(*p, 0, "trailing CSV: %s", p);
    free(text);
    hlb_results_free(&r);
}

Test(output, markdown_marks_noise_and_failures) {
    hlb_results r = make();
    char *text = render(hlb_bench_write, &r, HLB_FMT_MD);
    cr_assert(!strncmp(text, "> heaplab ", 10), "provenance header first:\n%s", text);
    cr_assert(strstr(text, "> `heaplab bench`"), "%s", text);
    cr_assert(strstr(text, "| alpha (12) | c | 2.000 ~ | 1.000–4.000 | 1.00x (1.00–1.00) ~ |"), "%s", text);
    cr_assert(strstr(text, "| alpha (12) | gc | 3.000 ~ | 1.500–6.000 | 1.50x (1.50–1.50) ~ |"), "%s", text);
    cr_assert(strstr(text, "\n~ noisy: "), "legend of the noise mark:\n%s", text);
    cr_assert(strstr(text, "| **mismatch** |"), "%s", text);
    cr_assert(strstr(text, "| **failed** |"), "%s", text);
    cr_assert(strstr(text, "- beta on owned: failed: exit status 101"), "%s", text);
    cr_assert(strstr(text, "| gc | 2 | 1.73x |"), "geomean row:\n%s", text);
    free(text);
    hlb_results_free(&r);
}

Test(table, one_status_name_and_missing_number_format) {
    for (int s = 0; s < HLB_NSTATUS; s++) cr_assert_eq(hlb_status_parse(hlb_status_name((hlb_status)s)), s);
    cr_assert_str_eq(hlb_status_name(HLB_OOM), "out of memory");
    cr_assert_eq(hlb_status_parse("fine"), -1);
    char b[32];
    cr_assert_str_eq(hlb_fmt_num(b, sizeof b, NAN, 2, HLB_FMT_MD), "–");
    cr_assert_str_eq(hlb_fmt_num(b, sizeof b, NAN, 2, HLB_FMT_CSV), "");
    cr_assert_str_eq(hlb_fmt_num(b, sizeof b, INFINITY, 2, HLB_FMT_JSON), "null");
    cr_assert_str_eq(hlb_fmt_num(b, sizeof b, 1.005, 1, HLB_FMT_JSON), "1.0");
    static const hlb_col cols[] = {{"a", "A", HLB_COL_ALL, 0}, {"b", "B", HLB_COL_ALL, 1}, {"m", "M", HLB_COL_MD, 0}};
    hlb_table t;
    hlb_table_init(&t, cols, 3);
    hlb_table_row(&t);
    hlb_table_str(&t, "a", "x|y, \"z\"");
    hlb_table_num(&t, "b", NAN, 2);
    hlb_table_str(&t, "m", "only md");
    hlb_table_str(&t, "nosuch", "ignored");
    char *md = NULL, *csv = NULL, *json = NULL;
    size_t n;
    FILE *f = open_memstream(&md, &n);
    hlb_table_write(f, &t, HLB_FMT_MD, 0);
    fclose(f);
    f = open_memstream(&csv, &n);
    hlb_table_write(f, &t, HLB_FMT_CSV, 0);
    fclose(f);
    f = open_memstream(&json, &n);
    hlb_table_write(f, &t, HLB_FMT_JSON, 0);
    fclose(f);
    cr_assert_str_eq(md, "| A | B | M |\n| --- | ---: | --- |\n| x\\|y, \"z\" | – | only md |\n");
    cr_assert_str_eq(csv, "a,b\n\"x|y, \"\"z\"\"\",\n");
    cr_assert_str_eq(json, "[\n  {\"a\": \"x|y, \\\"z\\\"\", \"b\": null}\n]");
    free(md);
    free(csv);
    free(json);
    hlb_table_free(&t);
}

/* ---- the sweep's conclusion ------------------------------------------------------------------ */

static hlb_results sweep(const double *factors, const double *ratios, size_t n) {
    hlb_results r;
    memset(&r, 0, sizeof r);
    snprintf(r.kind, sizeof r.kind, "sweep");
    snprintf(r.baseline, sizeof r.baseline, "manual");
    for (size_t i = 0; i < n; i++) {
        hlb_cell *c = hlb_results_add(&r, "vec_grow", &var_gc, "small", 1200, "1200");
        c->factor = factors[i];
        if (isnan(ratios[i])) c->status = HLB_OOM;
        c->ratio_wall = ratios[i];
    }
    return r;
}

/* What `heaplab sweep vec_grow --size small` measured when it wrongly said "from 1.50x". */
Test(conclusion, later_points_above_10pct_mean_none) {
    double k[] = {1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6};
    double q[] = {NAN, 1.08, 1.09, 1.07, 1.15, 1.22, 1.25, 1.29, 1.18};
    hlb_results r = sweep(k, q, 9);
    cr_assert(isnan(hlb_sweep_conclusion(&r, "gc")));
    hlb_results_free(&r);
}

Test(conclusion, smallest_factor_from_which_all_larger_are_within) {
    double k[] = {6, 1.5, 3, 2, 1.25};   /* any order */
    double q[] = {1.0, 1.12, 1.10, 1.05, NAN};
    hlb_results r = sweep(k, q, 5);
    cr_assert_float_eq(hlb_sweep_conclusion(&r, "gc"), 2.0, 0);
    hlb_results_free(&r);
    double k2[] = {1.5, 2, 3};
    double q2[] = {1.01, NAN, 1.0};   /* a failed point in between breaks the run */
    r = sweep(k2, q2, 3);
    cr_assert_float_eq(hlb_sweep_conclusion(&r, "gc"), 3.0, 0);
    hlb_results_free(&r);
}

Test(conclusion, said_in_words) {
    double k[] = {1.5, 3};
    double q[] = {1.2, 1.3};
    hlb_results r = sweep(k, q, 2);
    r.conclusion = hlb_sweep_conclusion(&r, "gc");
    char *text = render(hlb_sweep_write, &r, HLB_FMT_MD);
    cr_assert(strstr(text, "there is no limit from which it stays within 10%"), "%s", text);
    free(text);
    r.cells[1].ratio_wall = 1.05;
    r.conclusion = hlb_sweep_conclusion(&r, "gc");
    text = render(hlb_sweep_write, &r, HLB_FMT_MD);
    cr_assert(strstr(text, "from 3.00x manual's peak live bytes up to 3.00x"), "%s", text);
    free(text);
    hlb_results_free(&r);
}

/* ---- files ------------------------------------------------------------------------------------ */

static void hello(FILE *f, const void *doc, hlb_format fmt) {
    (void)fmt;
    fputs(doc, f);
}

Test(files, write_errors_are_reported) {
    char err[600];
    cr_assert_eq(hlb_write_file("/dev/full", hello, "x", HLB_FMT_MD, err, sizeof err), -1);
    cr_assert(strstr(err, "cannot write /dev/full"), "%s", err);
    cr_assert_eq(hlb_write_file("/nonexistent-dir/f.json", hello, "x", HLB_FMT_MD, err, sizeof err), -1);
    cr_assert_eq(hlb_check_out_dir("/proc/heaplab-cannot", err, sizeof err), -1);
}

Test(files, atomic_and_never_replaces_a_symlink) {
    char dir[] = "/tmp/heaplab-files.XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[300], link[300], real[300], err[600];
    snprintf(path, sizeof path, "%s/a.txt", dir);
    cr_assert_eq(hlb_write_file(path, hello, "first", HLB_FMT_MD, err, sizeof err), 0, "%s", err);
    cr_assert_eq(hlb_write_file(path, hello, "second", HLB_FMT_MD, err, sizeof err), 0, "%s", err);
    FILE *f = fopen(path, "r");
    char buf[32] = "";
    cr_assert(fgets(buf, sizeof buf, f));
    fclose(f);
    cr_assert_str_eq(buf, "second");
    snprintf(real, sizeof real, "%s/real.txt", dir);
    snprintf(link, sizeof link, "%s/link.txt", dir);
    cr_assert_eq(symlink(real, link), 0);
    cr_assert_eq(hlb_write_file(link, hello, "through", HLB_FMT_MD, err, sizeof err), 0, "%s", err);
    struct stat st;
    cr_assert_eq(lstat(link, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the symlink was replaced");
    f = fopen(real, "r");
    cr_assert_not_null(f);
    cr_assert(fgets(buf, sizeof buf, f));
    fclose(f);
    cr_assert_str_eq(buf, "through");
    unlink(link);
    unlink(real);
    unlink(path);
    cr_assert_eq(rmdir(dir), 0, "a temporary file was left behind");
}
