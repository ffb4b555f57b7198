/*
** bench/report/bench_out.c: Markdown, CSV and JSON output of the bench matrix (see report.h).
*/
#define _GNU_SOURCE
#include "report/bench_out.h"
#include "report/json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

const char *const hlb_report_columns[] = {
    "program", "runtime", "size_class", "size", "reps", "status", "wall_median_s", "wall_min_s", "wall_max_s",
    "cpu_median_s", "peak_rss_kib", "ratio_wall", "ratio_rss", "allocations", "frees", "bytes_allocated",
    "peak_live_bytes", "collections", "gc_heap_bytes", "checksum", "reason", NULL};

const char *hlb_fmt_num(char *buf, size_t len, double v, int prec, const char *placeholder) {
    if (isnan(v) || v < 0) snprintf(buf, len, "%s", placeholder);
    else snprintf(buf, len, "%.*f", prec, v);
    return buf;
}

static const char *upper_status(hlb_status s) {
    switch (s) {
    case HLB_FAILED: return "FAILED";
    case HLB_TIMEOUT: return "TIMEOUT";
    case HLB_MISMATCH: return "MISMATCH";
    case HLB_INTERRUPT: return "INTERRUPTED";
    default: return "ok";
    }
}

static const char *mib(char *buf, size_t len, double bytes) {
    if (bytes < 0 || isnan(bytes)) return "–";
    snprintf(buf, len, "%.1f", bytes / 1048576.0);
    return buf;
}

static const char *count(char *buf, size_t len, uint64_t n) {
    if (n >= 10000000) snprintf(buf, len, "%.1fM", (double)n / 1e6);
    else snprintf(buf, len, "%" PRIu64, n);
    return buf;
}

static const char *ratio(char *buf, size_t len, double r) {
    if (isnan(r)) return "–";
    snprintf(buf, len, "%.2fx", r);
    return buf;
}

void hlb_report_md(FILE *f, const void *bench) {
    const hlb_bench *b = bench;
    char line[512];
    hlb_machine_line(&b->machine, line, sizeof line);
    fprintf(f, "heaplab bench: size %s, median of %d run%s after %d warmup, runtimes interleaved; %s; %s\n\n",
            b->size_class, b->reps, b->reps == 1 ? "" : "s", b->warmup, line, b->machine.date);
    fputs("| program | runtime | wall s (median) | min–max s | ratio | CPU s | peak RSS MiB | RSS ratio | "
          "allocations | peak live MiB | GCs | GC heap MiB |\n",
          f);
    fputs("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n", f);
    for (size_t i = 0; i < b->ncells; i++) {
        const hlb_cell *c = &b->cells[i];
        char sz[32] = "";
        if (c->size >= 0) snprintf(sz, sizeof sz, " (%lld)", c->size);
        if (c->status != HLB_OK) {
            fprintf(f, "| %s%s | %s | **%s** | %s | – | – | – | – | – | – | – | – |\n", c->program, sz, c->runtime,
                    upper_status(c->status), c->reason);
            continue;
        }
        char a[32], bb[32], cc[32], d[32], e[32], g[32], h[32], k[32], l[32], m[32], n[32];
        const hlb_rtstats *s = &c->stats;
        int gc = s->have && !strcmp(s->runtime, "gc");
        fprintf(f, "| %s%s | %s | %s | %s–%s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c->program, sz, c->runtime,
                hlb_fmt_num(a, sizeof a, c->wall_median_s, 3, "–"), hlb_fmt_num(bb, sizeof bb, c->wall_min_s, 3, "–"),
                hlb_fmt_num(cc, sizeof cc, c->wall_max_s, 3, "–"), ratio(d, sizeof d, c->ratio_wall),
                hlb_fmt_num(e, sizeof e, c->cpu_median_s, 3, "–"), mib(g, sizeof g, (double)c->peak_rss_kib * 1024.0),
                ratio(h, sizeof h, c->ratio_rss), s->have ? count(k, sizeof k, s->allocations) : "–",
                s->have && s->peak_live_bytes ? mib(l, sizeof l, (double)s->peak_live_bytes) : "–",
                gc ? count(m, sizeof m, s->collections) : "–",
                gc ? mib(n, sizeof n, (double)s->gc_heap_bytes) : "–");
    }
    for (size_t i = 0; i < b->ngeo; i++) {
        const hlb_geo *g = &b->geo[i];
        char d[32], h[32];
        fprintf(f, "| **geomean** (%zu) | %s | | | **%s** | | | **%s** | | | | |\n", g->programs, g->runtime,
                ratio(d, sizeof d, g->ratio_wall), ratio(h, sizeof h, g->ratio_rss));
    }
    if (b->notices.n) fputc('\n', f);
    for (size_t i = 0; i < b->notices.n; i++) fprintf(f, "> notice: %s\n", b->notices.v[i]);
}

/* One value of column col for cell c; kind 's' string, 'n' number (text), '-' unknown. */
static char value(const hlb_cell *c, const char *col, char *buf, size_t len) {
    const hlb_rtstats *s = &c->stats;
    int ok = c->status == HLB_OK;
#define NUM(cond, ...) return (cond) ? (snprintf(buf, len, __VA_ARGS__), 'n') : '-'
    if (!strcmp(col, "program")) return snprintf(buf, len, "%s", c->program), 's';
    if (!strcmp(col, "runtime")) return snprintf(buf, len, "%s", c->runtime), 's';
    if (!strcmp(col, "size_class")) return snprintf(buf, len, "%s", c->size_class), 's';
    if (!strcmp(col, "size")) NUM(c->size >= 0, "%lld", c->size);
    if (!strcmp(col, "reps")) NUM(1, "%d", c->reps);
    if (!strcmp(col, "status")) return snprintf(buf, len, "%s", hlb_status_name(c->status)), 's';
    if (!strcmp(col, "wall_median_s")) NUM(ok && !isnan(c->wall_median_s), "%.6f", c->wall_median_s);
    if (!strcmp(col, "wall_min_s")) NUM(ok && !isnan(c->wall_min_s), "%.6f", c->wall_min_s);
    if (!strcmp(col, "wall_max_s")) NUM(ok && !isnan(c->wall_max_s), "%.6f", c->wall_max_s);
    if (!strcmp(col, "cpu_median_s")) NUM(ok && !isnan(c->cpu_median_s), "%.6f", c->cpu_median_s);
    if (!strcmp(col, "peak_rss_kib")) NUM(ok && c->peak_rss_kib >= 0, "%ld", c->peak_rss_kib);
    if (!strcmp(col, "ratio_wall")) NUM(ok && !isnan(c->ratio_wall), "%.4f", c->ratio_wall);
    if (!strcmp(col, "ratio_rss")) NUM(ok && !isnan(c->ratio_rss), "%.4f", c->ratio_rss);
    if (!strcmp(col, "allocations")) NUM(ok && s->have, "%" PRIu64, s->allocations);
    if (!strcmp(col, "frees")) NUM(ok && s->have, "%" PRIu64, s->frees);
    if (!strcmp(col, "bytes_allocated")) NUM(ok && s->have, "%" PRIu64, s->bytes_allocated);
    if (!strcmp(col, "peak_live_bytes")) NUM(ok && s->have, "%" PRIu64, s->peak_live_bytes);
    if (!strcmp(col, "collections")) NUM(ok && s->have, "%" PRIu64, s->collections);
    if (!strcmp(col, "gc_heap_bytes")) NUM(ok && s->have, "%" PRIu64, s->gc_heap_bytes);
    if (!strcmp(col, "checksum")) return snprintf(buf, len, "%s", c->checksum), 's';
    if (!strcmp(col, "reason")) return snprintf(buf, len, "%s", c->status == HLB_OK ? "" : c->reason), 's';
#undef NUM
    return '-';
}

static void csv_field(FILE *f, const char *s) {
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void hlb_report_csv(FILE *f, const void *bench) {
    const hlb_bench *b = bench;
    for (size_t k = 0; hlb_report_columns[k]; k++) fprintf(f, "%s%s", k ? "," : "", hlb_report_columns[k]);
    fputc('\n', f);
    char buf[512];
    for (size_t i = 0; i < b->ncells; i++) {
        for (size_t k = 0; hlb_report_columns[k]; k++) {
            if (k) fputc(',', f);
            if (value(&b->cells[i], hlb_report_columns[k], buf, sizeof buf) != '-') csv_field(f, buf);
        }
        fputc('\n', f);
    }
}

static void json_num(FILE *f, double v, int prec) {
    if (isnan(v)) fputs("null", f);
    else fprintf(f, "%.*f", prec, v);
}

void hlb_report_json(FILE *f, const void *bench) {
    const hlb_bench *b = bench;
    fputs("{\n  \"machine\": ", f);
    hlb_machine_write_json(f, &b->machine);
    fputs(",\n  \"size_class\": ", f);
    hlb_json_write_str(f, b->size_class);
    fprintf(f, ",\n  \"reps\": %d,\n  \"warmup\": %d,\n  \"elapsed_s\": %.3f,\n  \"results\": [", b->reps, b->warmup,
            b->elapsed_s);
    char buf[512];
    for (size_t i = 0; i < b->ncells; i++) {
        fputs(i ? ",\n    {" : "\n    {", f);
        for (size_t k = 0; hlb_report_columns[k]; k++) {
            if (k) fputs(", ", f);
            fprintf(f, "\"%s\": ", hlb_report_columns[k]);
            char kind = value(&b->cells[i], hlb_report_columns[k], buf, sizeof buf);
            if (kind == 's') hlb_json_write_str(f, buf);
            else if (kind == 'n') fputs(buf, f);
            else fputs("null", f);
        }
        fputc('}', f);
    }
    fputs("\n  ],\n  \"geomean\": [", f);
    for (size_t i = 0; i < b->ngeo; i++) {
        fputs(i ? ",\n    {\"runtime\": " : "\n    {\"runtime\": ", f);
        hlb_json_write_str(f, b->geo[i].runtime);
        fputs(", \"ratio_wall\": ", f);
        json_num(f, b->geo[i].ratio_wall, 4);
        fputs(", \"ratio_rss\": ", f);
        json_num(f, b->geo[i].ratio_rss, 4);
        fprintf(f, ", \"programs\": %zu}", b->geo[i].programs);
    }
    fputs("\n  ],\n  \"notices\": [", f);
    for (size_t i = 0; i < b->notices.n; i++) {
        fputs(i ? ", " : "", f);
        hlb_json_write_str(f, b->notices.v[i]);
    }
    fputs("]\n}\n", f);
}
