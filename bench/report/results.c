/*
** bench/report/results.c: the pieces every results writer shares (see results.h).
*/
#define _GNU_SOURCE
#include "report/results.h"
#include "report/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *mib(char *buf, size_t len, double kib) {
    return hlb_fmt_num(buf, len, kib / 1024.0, 1, HLB_FMT_MD);
}

static const char *count(char *buf, size_t len, uint64_t n) {
    if (n >= 10000000) snprintf(buf, len, "%.1fM", (double)n / 1e6);
    else snprintf(buf, len, "%" PRIu64, n);
    return buf;
}

static char *samples_json(const hlb_cell *c) {
    size_t cap = 32 + (size_t)c->reps * 96, n = 0;
    char *s = hlb_xmalloc(cap);
    n += (size_t)snprintf(s + n, cap - n, "[");
    for (int i = 0; i < c->reps; i++)
        n += (size_t)snprintf(s + n, cap - n, "%s{\"wall_s\": %.6f, \"cpu_s\": %.6f, \"rss_kib\": %ld}", i ? ", " : "",
                              c->wall[i], c->cpu[i], c->rss[i]);
    snprintf(s + n, cap - n, "]");
    return s;
}

void hlb_cell_row(hlb_table *t, const hlb_cell *c) {
    char a[64], b[64], d[64], buf[200];
    int ok = c->status == HLB_OK;
    const hlb_rtstats *s = &c->stats;
    int st = ok && s->have;
    hlb_table_row(t);
    hlb_table_str(t, "program", c->program);
    hlb_table_str(t, "variant", c->variant);
    hlb_table_str(t, "size_class", c->size_class);
    hlb_table_num(t, "size", c->size >= 0 ? (double)c->size : NAN, 0);
    hlb_table_num(t, "factor", c->factor, 2);
    hlb_table_num(t, "heap_limit_bytes", c->limit ? (double)c->limit : NAN, 0);
    hlb_table_str(t, "status", hlb_status_name(c->status));
    hlb_table_str(t, "reason", ok ? "" : c->reason);
    hlb_table_num(t, "reps", c->reps, 0);
    hlb_table_raw(t, "samples", samples_json(c));
    hlb_table_num(t, "wall_median_s", c->wall_median_s, 6);
    hlb_table_num(t, "wall_min_s", c->wall_min_s, 6);
    hlb_table_num(t, "wall_max_s", c->wall_max_s, 6);
    hlb_table_num(t, "cpu_median_s", c->cpu_median_s, 6);
    hlb_table_num(t, "rss_median_kib", c->rss_median_kib, 0);
    hlb_table_num(t, "ratio_wall", c->ratio_wall, 4);
    hlb_table_num(t, "ratio_wall_lo", c->ratio_wall_lo, 4);
    hlb_table_num(t, "ratio_wall_hi", c->ratio_wall_hi, 4);
    hlb_table_num(t, "ratio_rss", c->ratio_rss, 4);
    hlb_table_str(t, "ratio_to", c->ratio_to);
    hlb_table_bool(t, "noisy", c->noisy);
    hlb_table_str(t, "noise", c->noise);
    hlb_table_str(t, "checksum", c->checksum);
    hlb_table_num(t, "allocations", st ? (double)s->allocations : NAN, 0);
    hlb_table_num(t, "frees", st ? (double)s->frees : NAN, 0);
    hlb_table_num(t, "bytes_allocated", st ? (double)s->bytes_allocated : NAN, 0);
    hlb_table_num(t, "live_objects", st ? (double)s->live_objects : NAN, 0);
    hlb_table_num(t, "peak_live_bytes", st ? (double)s->peak_live_bytes : NAN, 0);
    hlb_table_num(t, "collections", st ? (double)s->collections : NAN, 0);
    hlb_table_num(t, "gc_heap_bytes", st ? (double)s->gc_heap_bytes : NAN, 0);

    /* Markdown columns. */
    if (c->size >= 0) snprintf(buf, sizeof buf, "%s (%lld)", c->program, c->size);
    else snprintf(buf, sizeof buf, "%s", c->program);
    hlb_table_str(t, "md_program", buf);
    hlb_table_str(t, "md_variant", c->variant);
    if (ok) snprintf(buf, sizeof buf, "%s%s", hlb_fmt_num(a, sizeof a, c->wall_median_s, 3, HLB_FMT_MD),
                     c->noisy ? " ~" : "");
    else snprintf(buf, sizeof buf, "**%s**", hlb_status_name(c->status));
    hlb_table_str(t, "md_wall", buf);
    if (ok) snprintf(buf, sizeof buf, "%s–%s", hlb_fmt_num(a, sizeof a, c->wall_min_s, 3, HLB_FMT_MD),
                     hlb_fmt_num(b, sizeof b, c->wall_max_s, 3, HLB_FMT_MD));
    else snprintf(buf, sizeof buf, "–");
    hlb_table_str(t, "md_range", buf);
    if (isfinite(c->ratio_wall))
        snprintf(buf, sizeof buf, "%.2fx (%.2f–%.2f)%s", c->ratio_wall, c->ratio_wall_lo, c->ratio_wall_hi,
                 c->noisy ? " ~" : "");
    else snprintf(buf, sizeof buf, "–");
    hlb_table_str(t, "md_ratio", buf);
    hlb_table_str(t, "md_cpu", hlb_fmt_num(a, sizeof a, c->cpu_median_s, 3, HLB_FMT_MD));
    hlb_table_str(t, "md_rss", mib(a, sizeof a, c->rss_median_kib));
    if (isfinite(c->ratio_rss)) snprintf(buf, sizeof buf, "%.2fx", c->ratio_rss);
    else snprintf(buf, sizeof buf, "–");
    hlb_table_str(t, "md_rss_ratio", buf);
    hlb_table_str(t, "md_allocs", st ? count(a, sizeof a, s->allocations) : "–");
    hlb_table_str(t, "md_live", st && s->peak_live_bytes ? mib(a, sizeof a, (double)s->peak_live_bytes / 1024.0) : "–");
    int gc = st && !strcmp(s->runtime, "gc");
    hlb_table_str(t, "md_gcs", gc ? count(a, sizeof a, s->collections) : "–");
    hlb_table_str(t, "md_heap", gc ? mib(a, sizeof a, (double)s->gc_heap_bytes / 1024.0) : "–");
    if (isfinite(c->factor)) snprintf(d, sizeof d, "%.2fx", c->factor);
    else snprintf(d, sizeof d, "no limit");
    hlb_table_str(t, "md_factor", d);
    hlb_table_str(t, "md_limit", c->limit ? mib(a, sizeof a, (double)c->limit / 1024.0) : "–");
}

void hlb_md_provenance(FILE *f, const hlb_provenance *p) {
    fprintf(f, "> heaplab %s · %s · glibc %s · libgc %s  \n", p->heaplab_commit, p->compiler, p->glibc, p->libgc);
    fprintf(f, "> %s, %d core%s · %s · %s to %s  \n", p->cpu, p->cores, p->cores == 1 ? "" : "s", p->kernel, p->start,
            p->end[0] ? p->end : "…");
    fprintf(f, "> `%s`\n\n", p->command ? p->command : "unknown");
}

void hlb_md_notes(FILE *f, const hlb_results *r) {
    int noisy = 0, failed = 0;
    for (size_t i = 0; i < r->ncells; i++) {
        noisy |= r->cells[i].noisy;
        failed |= r->cells[i].status != HLB_OK;
    }
    if (noisy || failed || r->notices.n) fputc('\n', f);
    if (noisy)
        fputs("~ noisy: the median wall time exceeds the median CPU time by more than 10%, or the min–max "
              "spread exceeds 10% of the median; do not quote these figures.\n",
              f);
    for (size_t i = 0; i < r->ncells; i++) {
        const hlb_cell *c = &r->cells[i];
        if (c->status == HLB_OK) continue;
        fprintf(f, "- %s on %s", c->program, c->variant);
        if (isfinite(c->factor)) fprintf(f, " at %.2fx", c->factor);
        fprintf(f, ": %s: %s\n", hlb_status_name(c->status), c->reason);
    }
    for (size_t i = 0; i < r->notices.n; i++) fprintf(f, "> notice: %s\n", r->notices.v[i]);
}

void hlb_json_open_doc(FILE *f, const hlb_results *r) {
    fputs("{\n  \"kind\": ", f);
    hlb_json_write_str(f, r->kind);
    fputs(",\n  \"provenance\": ", f);
    hlb_provenance_write_json(f, &r->prov, 2);
    fputs(",\n  \"baseline\": ", f);
    if (r->baseline[0]) hlb_json_write_str(f, r->baseline);
    else fputs("null", f);
}

void hlb_json_close_doc(FILE *f, const hlb_results *r) {
    fputs(",\n  \"notices\": [", f);
    for (size_t i = 0; i < r->notices.n; i++) {
        fputs(i ? ", " : "", f);
        hlb_json_write_str(f, r->notices.v[i]);
    }
    fputs("]\n}\n", f);
}
