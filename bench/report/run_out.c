/*
** bench/report/run_out.c: `heaplab run` as Markdown, CSV and JSON (see results.h): in
** Markdown, each repetition's figures and the runtime statistics of the last; in CSV and JSON,
** the one cell in the results format.
*/
#define _GNU_SOURCE
#include "report/json.h"
#include "report/results.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

static const hlb_col run_cols[] = {HLB_CELL_KEY_COLUMNS, HLB_CELL_DATA_COLUMNS};

static const hlb_col rep_cols[] = {
    {"rep", "run", HLB_COL_MD, 1},
    {"wall_s", "wall s", HLB_COL_MD, 1},
    {"cpu_s", "CPU s", HLB_COL_MD, 1},
    {"rss", "peak RSS MiB", HLB_COL_MD, 1},
};

static void run_md(FILE *f, const hlb_results *r) {
    const hlb_cell *c = &r->cells[0];
    hlb_md_provenance(f, &r->prov);
    fprintf(f, "heaplab run: %s on %s, size %s", c->program, c->variant, c->size_class);
    if (c->size >= 0) fprintf(f, " (%lld)", c->size);
    fprintf(f, "; %d run%s\n\n", r->reps, r->reps == 1 ? "" : "s");
    if (c->var)
        for (int i = 0; i < HLB_MAX_ENV && c->var->env[i]; i++) fprintf(f, "environment: `%s`  \n", c->var->env[i]);
    fprintf(f, "status: %s%s%s  \n", hlb_status_name(c->status), c->status == HLB_OK ? "" : ": ",
            c->status == HLB_OK ? "" : c->reason);
    if (c->checksum[0]) fprintf(f, "checksum: %s  \n", c->checksum);
    fputc('\n', f);
    hlb_table t;
    hlb_table_init(&t, rep_cols, sizeof rep_cols / sizeof *rep_cols);
    for (int i = 0; i < c->reps; i++) {
        hlb_table_row(&t);
        hlb_table_num(&t, "rep", i + 1, 0);
        hlb_table_num(&t, "wall_s", c->wall[i], 3);
        hlb_table_num(&t, "cpu_s", c->cpu[i], 3);
        hlb_table_num(&t, "rss", (double)c->rss[i] / 1024.0, 1);
    }
    if (c->reps > 1) {
        hlb_table_row(&t);
        hlb_table_md(&t, "rep", "median");
        hlb_table_num(&t, "wall_s", c->wall_median_s, 3);
        hlb_table_num(&t, "cpu_s", c->cpu_median_s, 3);
        hlb_table_num(&t, "rss", c->rss_median_kib / 1024.0, 1);
    }
    if (c->reps) hlb_table_write(f, &t, HLB_FMT_MD, 0);
    hlb_table_free(&t);
    const hlb_rtstats *s = &c->stats;
    if (s->have) {
        fprintf(f, "\nruntime statistics (%s, from the untimed statistics run):\n\n", s->runtime);
        fprintf(f, "| allocations | frees | bytes allocated | live objects | peak live bytes | collections | GC heap bytes |\n"
                   "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        fprintf(f, "| %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " | %" PRIu64 " |\n",
                s->allocations, s->frees, s->bytes_allocated, s->live_objects, s->peak_live_bytes, s->collections,
                s->gc_heap_bytes);
    } else if (c->status == HLB_OK) {
        fputs("\nruntime statistics: none (the program did not write HEAPLAB_STATS)\n", f);
    }
    if (c->noisy) fprintf(f, "\nnoisy: %s\n", c->noise);
    for (size_t i = 0; i < r->notices.n; i++) fprintf(f, "> notice: %s\n", r->notices.v[i]);
}

void hlb_run_write(FILE *f, const void *doc, hlb_format fmt) {
    const hlb_results *r = doc;
    if (fmt == HLB_FMT_MD) {
        if (r->ncells) run_md(f, r);
        return;
    }
    hlb_table t;
    hlb_table_init(&t, run_cols, sizeof run_cols / sizeof *run_cols);
    for (size_t i = 0; i < r->ncells; i++) hlb_cell_row(&t, &r->cells[i]);
    if (fmt == HLB_FMT_CSV) {
        hlb_table_write(f, &t, fmt, 0);
    } else {
        hlb_json_open_doc(f, r);
        fprintf(f, ",\n  \"reps\": %d,\n  \"timeout_s\": %g,\n  \"cells\": ", r->reps, r->timeout_s);
        hlb_table_write(f, &t, fmt, 2);
        hlb_json_close_doc(f, r);
    }
    hlb_table_free(&t);
}
