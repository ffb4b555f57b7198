/*
** bench/report/bench_out.c: the bench results as Markdown, CSV and JSON (see results.h).
*/
#define _GNU_SOURCE
#include "analyze/decompose.h"
#include "report/json.h"
#include "report/results.h"

#include <math.h>
#include <string.h>

static const hlb_col bench_cols[] = {
    HLB_CELL_KEY_COLUMNS,
    HLB_CELL_DATA_COLUMNS,
    {"md_program", "program (size)", HLB_COL_MD, 0},
    HLB_CELL_MD_TIME_COLUMNS,
    {"md_cpu", "CPU s", HLB_COL_MD, 1},
    {"md_rss", "RSS MiB", HLB_COL_MD, 1},
    {"md_rss_ratio", "RSS ratio", HLB_COL_MD, 1},
    {"md_allocs", "allocations", HLB_COL_MD, 1},
    {"md_live", "peak live MiB", HLB_COL_MD, 1},
    {"md_gcs", "GCs", HLB_COL_MD, 1},
    {"md_heap", "GC heap MiB", HLB_COL_MD, 1},
};

static const hlb_col geo_cols[] = {
    {"variant", "variant", HLB_COL_ALL, 0},
    {"programs", "programs", HLB_COL_ALL, 1},
    {"ratio_wall", "wall ratio (geomean)", HLB_COL_ALL, 1},
    {"ratio_rss", "RSS ratio (geomean)", HLB_COL_ALL, 1},
};

static void geo_table(const hlb_results *r, hlb_table *t) {
    hlb_table_init(t, geo_cols, sizeof geo_cols / sizeof *geo_cols);
    for (size_t i = 0; i < r->ngeo; i++) {
        char buf[32];
        hlb_table_row(t);
        hlb_table_str(t, "variant", r->geo[i].variant);
        hlb_table_num(t, "programs", (double)r->geo[i].programs, 0);
        hlb_table_num(t, "ratio_wall", r->geo[i].ratio_wall, 4);
        hlb_table_num(t, "ratio_rss", r->geo[i].ratio_rss, 4);
        if (isfinite(r->geo[i].ratio_wall)) snprintf(buf, sizeof buf, "%.2fx", r->geo[i].ratio_wall), hlb_table_md(t, "ratio_wall", buf);
        if (isfinite(r->geo[i].ratio_rss)) snprintf(buf, sizeof buf, "%.2fx", r->geo[i].ratio_rss), hlb_table_md(t, "ratio_rss", buf);
    }
}

/* The cost ladder (analyze/decompose.h): one row per program, one column per step. The
** columns are built from hlb_steps, so a step is declared once. */
static void decomp_table(const hlb_results *r, hlb_table *t, hlb_col *cols) {
    cols[0] = (hlb_col){"program", "program", HLB_COL_ALL, 0};
    size_t n = 1;
    for (size_t k = 0; k < hlb_nsteps; k++) cols[n++] = (hlb_col){hlb_steps[k].key, hlb_steps[k].label, HLB_COL_ALL, 1};
    hlb_table_init(t, cols, n);
    for (size_t i = 0; i < r->ndecomp; i++) {
        const hlb_decomp_row *row = &r->decomp[i];
        hlb_table_row(t);
        hlb_table_str(t, "program", row->program);
        for (size_t k = 0; k < hlb_nsteps; k++) {
            const hlb_ratio *q = &row->step[k];
            hlb_table_num(t, hlb_steps[k].key, q->point, 4);
            char buf[48];
            if (!isfinite(q->point)) continue;
            if (isfinite(q->lo)) snprintf(buf, sizeof buf, "%.2fx (%.2f–%.2f)", q->point, q->lo, q->hi);
            else snprintf(buf, sizeof buf, "**%.2fx**", q->point);
            hlb_table_md(t, hlb_steps[k].key, buf);
        }
    }
}

void hlb_bench_write(FILE *f, const void *doc, hlb_format fmt) {
    const hlb_results *r = doc;
    hlb_table t, g;
    hlb_table_init(&t, bench_cols, sizeof bench_cols / sizeof *bench_cols);
    for (size_t i = 0; i < r->ncells; i++) hlb_cell_row(&t, &r->cells[i]);
    geo_table(r, &g);
    hlb_table d;
    hlb_col dcols[HLB_MAX_STEPS + 1];
    decomp_table(r, &d, dcols);
    if (fmt == HLB_FMT_MD) {
        hlb_md_provenance(f, &r->prov);
        fprintf(f,
                "heaplab bench: size %s, median of %d run%s after %d warmup, variants interleaved; ratios against "
                "%s with a 95%% bootstrap interval over the paired runs.\n\n",
                r->size_class, r->reps, r->reps == 1 ? "" : "s", r->warmup, r->baseline);
        hlb_table_write(f, &t, fmt, 0);
        fputc('\n', f);
        hlb_table_write(f, &g, fmt, 0);
        if (r->ndecomp) {
            fputs("\nWhat each guarantee costs (wall-time ratio between neighbouring variants, paired runs, 95% "
                  "interval; the last row is the geometric mean):\n\n",
                  f);
            hlb_table_write(f, &d, fmt, 0);
        }
        hlb_md_notes(f, r);
    } else if (fmt == HLB_FMT_CSV) {
        hlb_table_write(f, &t, fmt, 0);
    } else {
        hlb_json_open_doc(f, r);
        fputs(",\n  \"size_class\": ", f);
        hlb_json_write_str(f, r->size_class);
        fprintf(f, ",\n  \"reps\": %d,\n  \"warmup\": %d,\n  \"timeout_s\": %g,\n  \"elapsed_s\": %.3f,\n  \"cells\": ",
                r->reps, r->warmup, r->timeout_s, r->elapsed_s);
        hlb_table_write(f, &t, fmt, 2);
        fputs(",\n  \"geomean\": ", f);
        hlb_table_write(f, &g, fmt, 2);
        fputs(",\n  \"decomposition\": ", f);
        hlb_table_write(f, &d, fmt, 2);
        hlb_json_close_doc(f, r);
    }
    hlb_table_free(&t);
    hlb_table_free(&g);
    hlb_table_free(&d);
}
