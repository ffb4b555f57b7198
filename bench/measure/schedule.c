/*
** bench/measure/schedule.c: cells and their interleaved measurement (see schedule.h).
*/
#define _GNU_SOURCE
#include "measure/schedule.h"
#include "report/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

hlb_cell *hlb_results_add(hlb_results *r, const char *program, const hlb_variant *v, const char *size_class,
                          long long size, const char *arg) {
    if (r->ncells == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 16;
        r->cells = hlb_xrealloc(r->cells, r->cap * sizeof *r->cells);
    }
    hlb_cell *c = &r->cells[r->ncells++];
    memset(c, 0, sizeof *c);
    snprintf(c->program, sizeof c->program, "%s", program);
    snprintf(c->variant, sizeof c->variant, "%s", v ? v->name : "");
    snprintf(c->size_class, sizeof c->size_class, "%s", size_class ? size_class : "");
    snprintf(c->arg, sizeof c->arg, "%s", arg ? arg : "");
    c->size = size;
    c->factor = NAN;
    c->var = v;
    c->status = HLB_OK;
    return c;
}

void hlb_cell_env(hlb_cell *c, const char *kv) {
    for (int i = 0; i < HLB_CELL_ENV; i++)
        if (!c->env[i]) {
            c->env[i] = hlb_xstrdup(kv);
            return;
        }
}

void hlb_cell_alloc(hlb_cell *c, int n) {
    free(c->wall);
    free(c->cpu);
    free(c->rss);
    c->wall = hlb_xcalloc((size_t)n + 1, sizeof *c->wall);
    c->cpu = hlb_xcalloc((size_t)n + 1, sizeof *c->cpu);
    c->rss = hlb_xcalloc((size_t)n + 1, sizeof *c->rss);
    c->reps = 0;
}

void hlb_results_free(hlb_results *r) {
    for (size_t i = 0; i < r->ncells; i++) {
        hlb_cell *c = &r->cells[i];
        free(c->wall);
        free(c->cpu);
        free(c->rss);
        for (int k = 0; k < HLB_CELL_ENV; k++) free(c->env[k]);
    }
    free(r->cells);
    free(r->geo);
    free(r->decomp);
    hlb_strlist_free(&r->notices);
    hlb_provenance_free(&r->prov);
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

static void set_status(hlb_cell *c, hlb_status s, const char *reason) {
    c->status = s;
    snprintf(c->reason, sizeof c->reason, "%s", reason);
}

/* "gc at 2.50x" or "gc" */
static void label(const hlb_cell *c, char *buf, size_t len) {
    if (isnan(c->factor)) snprintf(buf, len, "%s", c->variant);
    else snprintf(buf, len, "%s at %.2fx", c->variant, c->factor);
}

/* A peer's statistics run would only repeat a timed run: it has no runtime to count. */
static int skips_stats_run(const hlb_cell *c) { return c->var && c->var->peer; }

int hlb_schedule_run(hlb_results *r, FILE *progress) {
    double t0 = hlb_now();
    for (size_t i = 0; i < r->ncells; i++) hlb_cell_alloc(&r->cells[i], r->reps);
    /* The runtime statistics come from one instrumented run per cell, never a timed one: the
    ** first warmup run, or an extra unmeasured run (rep -1) when there is no warmup. A peer has
    ** no runtime and no statistics: it skips that run (so, with one warmup, it has none). */
    int first_rep = r->warmup > 0 ? 0 : -1;
    size_t total = 0, run = 0;
    for (size_t i = 0; i < r->ncells; i++)
        total += (size_t)(r->warmup + r->reps - first_rep - skips_stats_run(&r->cells[i]));
    for (size_t first = 0; first < r->ncells && !r->interrupted;) {
        size_t end = first;
        while (end < r->ncells && !strcmp(r->cells[end].program, r->cells[first].program)) end++;
        for (int rep = first_rep; rep < r->warmup + r->reps && !r->interrupted; rep++) {
            int warm = rep < r->warmup, stats_run = rep == first_rep;
            for (size_t i = first; i < end && !r->interrupted; i++) {
                hlb_cell *c = &r->cells[i];
                char name[96];
                if (stats_run && skips_stats_run(c)) continue;
                run++;
                if (c->status != HLB_OK) continue;   /* a failed cell is not run again */
                label(c, name, sizeof name);
                if (progress) {
                    char what[48];
                    if (rep < 0) snprintf(what, sizeof what, "statistics run");
                    else if (warm) snprintf(what, sizeof what, "warmup %d/%d", rep + 1, r->warmup);
                    else snprintf(what, sizeof what, "run %d/%d", rep - r->warmup + 1, r->reps);
                    fprintf(progress, "heaplab: [%zu/%zu] %s on %s: %s (%.1f s elapsed)\n", run, total, c->program,
                            name, what, hlb_now() - t0);
                    fflush(progress);
                }
                hlb_sample s;
                hlb_proc_result kept;
                int keep = r->keep_output && !r->out && !warm;
                hlb_sample_run(c->var, c->program, c->arg, c->env[0] ? c->env : NULL, stats_run, r->timeout_s, &s,
                               keep ? &kept : NULL);
                if (keep) {
                    r->out = kept.out ? kept.out : hlb_xstrdup("");
                    r->err = kept.err ? kept.err : hlb_xstrdup("");
                }
                if (s.status == HLB_INTERRUPTED) {
                    r->interrupted = 1;
                    break;
                }
                if (s.status != HLB_OK) {
                    set_status(c, s.status, s.reason);
                    if (progress)
                        fprintf(progress, "heaplab: %s on %s: %s: %s\n", c->program, name, hlb_status_name(s.status),
                                s.reason);
                    continue;
                }
                if (c->checksum[0] && strcmp(c->checksum, s.checksum)) {
                    char why[240];
                    snprintf(why, sizeof why, "checksum changed between runs (%s, then %s)", c->checksum, s.checksum);
                    set_status(c, HLB_MISMATCH, why);
                    continue;
                }
                snprintf(c->checksum, sizeof c->checksum, "%s", s.checksum);
                if (c->size < 0) c->size = s.size;
                if (stats_run) c->stats = s.stats;
                if (warm) continue;
                c->wall[c->reps] = s.wall_s;
                c->cpu[c->reps] = s.cpu_s;
                c->rss[c->reps] = s.rss_kib;
                c->reps++;
            }
        }
        first = end;
    }
    r->elapsed_s = hlb_now() - t0;
    return r->interrupted ? -1 : 0;
}
