/*
** bench/report/compare_out.c: the comparison of two results files (see compare_out.h).
*/
#define _GNU_SOURCE
#include "report/compare_out.h"
#include "report/json.h"
#include "report/results.h"
#include "report/table.h"

#include <math.h>
#include <string.h>

static const hlb_col cols[] = {
    {"program", "program", HLB_COL_ALL, 0},
    {"variant", "variant", HLB_COL_ALL, 0},
    {"size", "size", HLB_COL_ALL, 1},
    {"factor", "heap limit", HLB_COL_ALL, 1},
    {"old_status", "old status", HLB_COL_DATA, 0},
    {"new_status", "new status", HLB_COL_DATA, 0},
    {"old_wall_s", "old wall s", HLB_COL_ALL, 1},
    {"new_wall_s", "new wall s", HLB_COL_ALL, 1},
    {"old_n", "old runs", HLB_COL_DATA, 1},
    {"new_n", "new runs", HLB_COL_DATA, 1},
    {"ratio", "new/old (95% CI)", HLB_COL_ALL, 1},
    {"ratio_lo", "lo", HLB_COL_DATA, 1},
    {"ratio_hi", "hi", HLB_COL_DATA, 1},
    {"verdict", "verdict", HLB_COL_ALL, 0},
};


static void provenance_line(FILE *f, const char *which, const char *file, const hlb_provenance *p) {
    fprintf(f, "> %s: `%s`: heaplab %s, %s, %d core%s, %s to %s  \n", which, file, p->heaplab_commit, p->cpu, p->cores,
            p->cores == 1 ? "" : "s", p->start, p->end[0] ? p->end : "unknown");
}

void hlb_compare_write(FILE *f, const void *doc, hlb_format fmt) {
    const hlb_compare_doc *d = doc;
    const hlb_compare *c = d->cmp;
    int sweep = !strcmp(c->kind, "sweep");
    hlb_col cl[sizeof cols / sizeof *cols];
    memcpy(cl, cols, sizeof cols);
    if (!sweep) cl[3] = (hlb_col){"factor", "", 0, 0};
    hlb_table t;
    hlb_table_init(&t, cl, sizeof cl / sizeof *cl);
    char buf[160];
    for (size_t i = 0; i < c->n; i++) {
        const hlb_cmp_row *r = &c->rows[i];
        hlb_table_row(&t);
        hlb_table_str(&t, "program", r->program);
        hlb_table_str(&t, "variant", r->variant);
        hlb_table_num(&t, "size", r->size, 0);
        hlb_table_num(&t, "factor", r->factor, 2);
        if (isfinite(r->factor)) snprintf(buf, sizeof buf, "%.2fx", r->factor), hlb_table_md(&t, "factor", buf);
        if (r->old_status) hlb_table_str(&t, "old_status", r->old_status);
        if (r->new_status) hlb_table_str(&t, "new_status", r->new_status);
        hlb_table_num(&t, "old_wall_s", r->old_wall, 6);
        hlb_table_num(&t, "new_wall_s", r->new_wall, 6);
        if (isfinite(r->old_wall)) snprintf(buf, sizeof buf, "%.3f", r->old_wall), hlb_table_md(&t, "old_wall_s", buf);
        if (isfinite(r->new_wall)) snprintf(buf, sizeof buf, "%.3f", r->new_wall), hlb_table_md(&t, "new_wall_s", buf);
        hlb_table_num(&t, "old_n", (double)r->old_n, 0);
        hlb_table_num(&t, "new_n", (double)r->new_n, 0);
        hlb_table_num(&t, "ratio", r->ratio.point, 4);
        hlb_table_num(&t, "ratio_lo", r->ratio.lo, 4);
        hlb_table_num(&t, "ratio_hi", r->ratio.hi, 4);
        if (isfinite(r->ratio.point)) {
            snprintf(buf, sizeof buf, "%.2fx (%.2f–%.2f)", r->ratio.point, r->ratio.lo, r->ratio.hi);
            hlb_table_md(&t, "ratio", buf);
        }
        hlb_table_str(&t, "verdict", r->verdict_text);
        if (r->verdict == HLB_CMP_FASTER || r->verdict == HLB_CMP_SLOWER) {
            snprintf(buf, sizeof buf, "**%s**", r->verdict_text);
            hlb_table_md(&t, "verdict", buf);
        }
    }
    if (fmt == HLB_FMT_MD) {
        fprintf(f, "heaplab compare: %s results, NEW/OLD of the median wall time with a 95%% bootstrap interval; "
                   "faster or slower when the interval excludes 1.\n\n",
                c->kind);
        provenance_line(f, "OLD", d->old_file, &c->old_prov);
        provenance_line(f, "NEW", d->new_file, &c->new_prov);
        fputc('\n', f);
        hlb_table_write(f, &t, fmt, 0);
        fputc('\n', f);
        int first = 1;
        for (int v = 0; v < HLB_CMP_NVERDICTS; v++) {
            if (!c->counts[v]) continue;
            fprintf(f, "%s%zu %s", first ? "" : ", ", c->counts[v], hlb_cmp_verdict_name((hlb_cmp_verdict)v));
            first = 0;
        }
        fputs(first ? "no cells\n" : "\n", f);
    } else if (fmt == HLB_FMT_CSV) {
        hlb_table_write(f, &t, fmt, 0);
    } else {
        fputs("{\n  \"kind\": \"compare\",\n  \"compared\": ", f);
        hlb_json_write_str(f, c->kind);
        fputs(",\n  \"old\": {\"file\": ", f);
        hlb_json_write_str(f, d->old_file);
        fputs(", \"provenance\": ", f);
        hlb_provenance_write_json(f, &c->old_prov, -1);
        fputs("},\n  \"new\": {\"file\": ", f);
        hlb_json_write_str(f, d->new_file);
        fputs(", \"provenance\": ", f);
        hlb_provenance_write_json(f, &c->new_prov, -1);
        fputs("},\n  \"cells\": ", f);
        hlb_table_write(f, &t, fmt, 2);
        fputs(",\n  \"counts\": {", f);
        for (int v = 0; v < HLB_CMP_NVERDICTS; v++)
            fprintf(f, "%s\"%s\": %zu", v ? ", " : "", hlb_cmp_verdict_name((hlb_cmp_verdict)v), c->counts[v]);
        fputs("}\n}\n", f);
    }
    hlb_table_free(&t);
}
