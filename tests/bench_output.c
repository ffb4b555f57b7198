/*
** tests/bench_output.c: the driver's output formats. A matrix built by hand is summarised
** (medians, ratios to manual, checksum mismatches, geomean rows), written as CSV and JSON,
** and both are parsed back to the same numbers; the Markdown table has every cell.
*/
#define _GNU_SOURCE
#include "report/json.h"
#include "measure/schedule.h"
#include "report/bench_out.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void cell(hlb_bench *b, const char *prog, const char *rt, const double *w, int n, long rss, const char *sum) {
    hlb_cell *c = &b->cells[b->ncells++];
    memset(c, 0, sizeof *c);
    snprintf(c->program, sizeof c->program, "%s", prog);
    snprintf(c->runtime, sizeof c->runtime, "%s", rt);
    snprintf(c->size_class, sizeof c->size_class, "small");
    c->size = 12;
    c->walls = calloc((size_t)n + 1, sizeof *c->walls);
    c->cpus = calloc((size_t)n + 1, sizeof *c->cpus);
    c->rsss = calloc((size_t)n + 1, sizeof *c->rsss);
    for (int i = 0; i < n; i++) {
        c->walls[i] = w[i];
        c->cpus[i] = w[i] * 0.9;
        c->rsss[i] = rss - i;
    }
    c->reps = n;
    c->status = HLB_OK;
    snprintf(c->checksum, sizeof c->checksum, "%s", sum);
    c->stats.have = 1;
    snprintf(c->stats.runtime, sizeof c->stats.runtime, "%s", rt);
    c->stats.allocations = 1000 + b->ncells;
    c->stats.peak_live_bytes = 123456789012ULL;
    c->stats.collections = 7;
    c->stats.gc_heap_bytes = 1ULL << 33;
}

static hlb_bench make_bench(void) {
    hlb_bench b;
    memset(&b, 0, sizeof b);
    snprintf(b.size_class, sizeof b.size_class, "small");
    snprintf(b.machine.cpu, sizeof b.machine.cpu, "Test CPU \"quoted\", with comma");
    b.machine.cores = 2;
    b.reps = 3;
    b.cells = calloc(8, sizeof *b.cells);
    cell(&b, "alpha", "manual", (double[]){1.0, 3.0, 2.0}, 3, 1000, "aa");
    cell(&b, "alpha", "gc", (double[]){2.5, 3.5, 3.0}, 3, 2000, "aa");
    cell(&b, "alpha", "owned", (double[]){0.5, 0.25, 0.125}, 3, 1500, "ab");   /* wrong checksum */
    cell(&b, "beta", "manual", (double[]){0.123456}, 1, 500, "bb");
    cell(&b, "beta", "gc", (double[]){0.246912}, 1, 1000, "bb");
    cell(&b, "beta", "owned", (double[]){1}, 1, 1, "bb");
    hlb_cell *f = &b.cells[5];
    f->status = HLB_FAILED;
    snprintf(f->reason, sizeof f->reason, "exit status 101: heaplab: error: \"use after free\", at x.c:3");
    hlb_bench_summarise(&b);
    return b;
}

Test(output, summary) {
    hlb_bench b = make_bench();
    cr_assert_float_eq(b.cells[0].wall_median_s, 2.0, 1e-12);
    cr_assert_float_eq(b.cells[0].wall_min_s, 1.0, 1e-12);
    cr_assert_float_eq(b.cells[0].wall_max_s, 3.0, 1e-12);
    cr_assert_eq(b.cells[0].peak_rss_kib, 1000);
    cr_assert_float_eq(b.cells[1].ratio_wall, 1.5, 1e-12);
    cr_assert_float_eq(b.cells[1].ratio_rss, 2.0, 1e-12);
    cr_assert_eq(b.cells[2].status, HLB_MISMATCH);
    cr_assert(strstr(b.cells[2].reason, "differs from manual"));
    cr_assert_float_eq(b.cells[4].ratio_wall, 2.0, 1e-12);
    cr_assert_eq(b.cells[5].status, HLB_FAILED);
    cr_assert_eq(b.ngeo, 3);
    cr_assert_str_eq(b.geo[1].runtime, "gc");
    cr_assert_float_eq(b.geo[1].ratio_wall, sqrt(1.5 * 2.0), 1e-12);
    cr_assert_eq(b.geo[1].programs, 2);
    cr_assert(isnan(b.geo[2].ratio_wall));   /* owned: no ok cell */
    hlb_bench_free(&b);
}

static char *render(void (*fn)(FILE *, const void *), const hlb_bench *b) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(f, b);
    fclose(f);
    return buf;
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

static int col_index(const char *name) {
    for (int i = 0; hlb_report_columns[i]; i++)
        if (!strcmp(hlb_report_columns[i], name)) return i;
    return -1;
}

/* Expected value of a numeric column for cell c, NAN when it should be empty/null. */
static double expected(const hlb_cell *c, const char *col) {
    int ok = c->status == HLB_OK;
    if (!strcmp(col, "size")) return (double)c->size;
    if (!strcmp(col, "reps")) return c->reps;
    if (!ok) return NAN;
    if (!strcmp(col, "wall_median_s")) return c->wall_median_s;
    if (!strcmp(col, "wall_min_s")) return c->wall_min_s;
    if (!strcmp(col, "wall_max_s")) return c->wall_max_s;
    if (!strcmp(col, "cpu_median_s")) return c->cpu_median_s;
    if (!strcmp(col, "peak_rss_kib")) return (double)c->peak_rss_kib;
    if (!strcmp(col, "ratio_wall")) return c->ratio_wall;
    if (!strcmp(col, "ratio_rss")) return c->ratio_rss;
    if (!strcmp(col, "allocations")) return (double)c->stats.allocations;
    if (!strcmp(col, "peak_live_bytes")) return (double)c->stats.peak_live_bytes;
    if (!strcmp(col, "collections")) return (double)c->stats.collections;
    if (!strcmp(col, "gc_heap_bytes")) return (double)c->stats.gc_heap_bytes;
    return NAN;
}

static const char *numeric_cols[] = {"size", "reps", "wall_median_s", "wall_min_s", "wall_max_s", "cpu_median_s",
                                     "peak_rss_kib", "ratio_wall", "ratio_rss", "allocations", "peak_live_bytes",
                                     "collections", "gc_heap_bytes", NULL};

static void check_num(double got, double want, const char *col, size_t row) {
    if (isnan(want)) {
        cr_assert(isnan(got), "row %zu %s: expected empty, got %g", row, col, got);
        return;
    }
    cr_assert_float_eq(got, want, 5e-5 * (fabs(want) > 1 ? fabs(want) : 1), "row %zu %s: %.9g != %.9g", row, col, got, want);
}

Test(output, csv_parses_back) {
    hlb_bench b = make_bench();
    char *text = render(hlb_report_csv, &b);
    const char *p = text;
    char fields[32][256];
    int n = csv_record(&p, fields, 32);
    int ncols = 0;
    while (hlb_report_columns[ncols]) ncols++;
    cr_assert_eq(n, ncols);
    for (int i = 0; i < n; i++) cr_assert_str_eq(fields[i], hlb_report_columns[i]);
    for (size_t r = 0; r < b.ncells; r++) {
        n = csv_record(&p, fields, 32);
        cr_assert_eq(n, ncols, "row %zu has %d fields", r, n);
        const hlb_cell *c = &b.cells[r];
        cr_assert_str_eq(fields[col_index("program")], c->program);
        cr_assert_str_eq(fields[col_index("runtime")], c->runtime);
        cr_assert_str_eq(fields[col_index("status")], hlb_status_name(c->status));
        cr_assert_str_eq(fields[col_index("reason")], c->status == HLB_OK ? "" : c->reason);
        for (int k = 0; numeric_cols[k]; k++) {
            const char *v = fields[col_index(numeric_cols[k])];
            check_num(*v ? strtod(v, NULL) : NAN, expected(c, numeric_cols[k]), numeric_cols[k], r);
        }
    }
    cr_assert_eq(*p, 0, "trailing CSV: %s", p);
    free(text);
    hlb_bench_free(&b);
}

Test(output, json_parses_back) {
    hlb_bench b = make_bench();
    char *text = render(hlb_report_json, &b);
    char err[200];
    hlb_json *j = hlb_json_parse(text, err, sizeof err);
    cr_assert_not_null(j, "JSON does not parse: %s\n%s", err, text);
    const hlb_json *m = hlb_json_get(j, "machine");
    cr_assert_not_null(m);
    cr_assert_str_eq(hlb_json_str(m, "cpu"), b.machine.cpu);
    const hlb_json *res = hlb_json_get(j, "results");
    cr_assert(res && res->kind == HLB_JARR);
    cr_assert_eq(res->n, b.ncells);
    for (size_t r = 0; r < b.ncells; r++) {
        const hlb_json *o = res->items[r];
        const hlb_cell *c = &b.cells[r];
        for (int k = 0; hlb_report_columns[k]; k++) cr_assert_not_null(hlb_json_get(o, hlb_report_columns[k]), "%s missing", hlb_report_columns[k]);
        cr_assert_str_eq(hlb_json_str(o, "program"), c->program);
        cr_assert_str_eq(hlb_json_str(o, "status"), hlb_status_name(c->status));
        cr_assert_str_eq(hlb_json_str(o, "reason"), c->status == HLB_OK ? "" : c->reason);
        for (int k = 0; numeric_cols[k]; k++) check_num(hlb_json_num(o, numeric_cols[k]), expected(c, numeric_cols[k]), numeric_cols[k], r);
    }
    const hlb_json *g = hlb_json_get(j, "geomean");
    cr_assert(g && g->kind == HLB_JARR && g->n == b.ngeo);
    cr_assert_float_eq(hlb_json_num(g->items[1], "ratio_wall"), b.geo[1].ratio_wall, 1e-4);
    hlb_json_free(j);
    free(text);
    hlb_bench_free(&b);
}

Test(output, markdown_has_every_cell) {
    hlb_bench b = make_bench();
    char *text = render(hlb_report_md, &b);
    size_t rows = 0;
    for (const char *p = text; (p = strstr(p, "\n| ")); p++) rows++;
    /* header + separator + cells + geomean rows */
    cr_assert_eq(rows, 2 + b.ncells + b.ngeo, "%s", text);
    cr_assert(strstr(text, "**MISMATCH**"));
    cr_assert(strstr(text, "**FAILED**"));
    cr_assert(strstr(text, "| alpha (12) | gc | 3.000 | 2.500–3.500 | 1.50x |"), "%s", text);
    cr_assert(strstr(text, "**geomean** (2) | gc"));
    free(text);
    hlb_bench_free(&b);
}

Test(output, json_reader) {
    char err[200];
    hlb_json *j = hlb_json_parse("{\"a\": [1, -2.5e3, true, null, \"x\\n\\u00e9\"], \"b\": {}}", err, sizeof err);
    cr_assert_not_null(j, "%s", err);
    const hlb_json *a = hlb_json_get(j, "a");
    cr_assert_eq(a->n, 5);
    cr_assert_float_eq(a->items[1]->num, -2500, 1e-9);
    cr_assert_eq(a->items[3]->kind, HLB_JNULL);
    cr_assert_str_eq(a->items[4]->str, "x\n\xc3\xa9");
    hlb_json_free(j);
    cr_assert_null(hlb_json_parse("{\"a\": }", err, sizeof err));
    cr_assert_null(hlb_json_parse("[1, 2", err, sizeof err));
    cr_assert_null(hlb_json_parse("{} x", err, sizeof err));
}
