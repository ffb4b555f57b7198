/*
** bench/report/sweep_out.c: the GC space-time sweep as Markdown, CSV and JSON (see
** results.h): one cell per point, the baseline and gc without a limit first, and the
** conclusion (the smallest heap limit from which gc stays within 10% of the baseline).
*/
#define _GNU_SOURCE
#include "report/json.h"
#include "report/results.h"

#include <math.h>
#include <string.h>

static const hlb_col sweep_cols[] = {
    HLB_CELL_KEY_COLUMNS,
    {"factor", "factor", HLB_COL_DATA, 1},
    {"heap_limit_bytes", "heap limit", HLB_COL_DATA, 1},
    HLB_CELL_DATA_COLUMNS,
    {"md_factor", "heap limit", HLB_COL_MD, 1},
    {"md_limit", "limit MiB", HLB_COL_MD, 1},
    HLB_CELL_MD_TIME_COLUMNS,
    {"md_gcs", "GCs", HLB_COL_MD, 1},
    {"md_heap", "GC heap MiB", HLB_COL_MD, 1},
    {"md_rss", "RSS MiB", HLB_COL_MD, 1},
};

/* The conclusion in words. */
static void conclusion(FILE *f, const hlb_results *r) {
    double largest = NAN;
    for (size_t i = 0; i < r->ncells; i++)
        if (isfinite(r->cells[i].factor) && !(r->cells[i].factor <= largest)) largest = r->cells[i].factor;
    if (isnan(largest)) return;
    if (isfinite(r->conclusion))
        fprintf(f,
                "gc stays within 10%% of %s's time at every heap limit measured from %.2fx manual's peak live bytes "
                "up to %.2fx.\n",
                r->baseline, r->conclusion, largest);
    else
        fprintf(f,
                "gc is not within 10%% of %s's time at the largest heap limit measured (%.2fx): there is no limit "
                "from which it stays within 10%%.\n",
                r->baseline, largest);
}

void hlb_sweep_write(FILE *f, const void *doc, hlb_format fmt) {
    const hlb_results *r = doc;
    hlb_table t;
    hlb_table_init(&t, sweep_cols, sizeof sweep_cols / sizeof *sweep_cols);
    for (size_t i = 0; i < r->ncells; i++) hlb_cell_row(&t, &r->cells[i]);
    long long size = r->ncells ? r->cells[0].size : -1;
    if (fmt == HLB_FMT_MD) {
        hlb_md_provenance(f, &r->prov);
        fprintf(f,
                "heaplab sweep: %s size %lld on gc with a fixed heap (GC_INITIAL_HEAP_SIZE = GC_MAXIMUM_HEAP_SIZE) of "
                "K x manual's peak live bytes (%.1f MiB); median of %d run%s, points interleaved; ratios against %s.\n\n",
                r->program, size, (double)r->peak_live / 1048576.0, r->reps, r->reps == 1 ? "" : "s", r->baseline);
        if (r->divisor) fprintf(f, "GC_FREE_SPACE_DIVISOR=%d for every gc run.\n\n", r->divisor);
        hlb_table_write(f, &t, fmt, 0);
        fputc('\n', f);
        conclusion(f, r);
        hlb_md_notes(f, r);
    } else if (fmt == HLB_FMT_CSV) {
        hlb_table_write(f, &t, fmt, 0);
    } else {
        char buf[64];
        hlb_json_open_doc(f, r);
        fputs(",\n  \"program\": ", f);
        hlb_json_write_str(f, r->program);
        fprintf(f,
                ",\n  \"size_class\": \"%s\",\n  \"reps\": %d,\n  \"warmup\": %d,\n  \"timeout_s\": %g,\n"
                "  \"peak_live_bytes\": %llu,\n  \"free_space_divisor\": %d,\n  \"within_10pct_from\": %s,\n"
                "  \"cells\": ",
                r->size_class, r->reps, r->warmup, r->timeout_s, r->peak_live, r->divisor,
                hlb_fmt_num(buf, sizeof buf, r->conclusion, 3, HLB_FMT_JSON));
        hlb_table_write(f, &t, fmt, 2);
        hlb_json_close_doc(f, r);
    }
    hlb_table_free(&t);
}
