/*
** bench/measure/schedule.c: run and summarise the bench matrix (see matrix.h).
*/
#define _GNU_SOURCE
#include "measure/schedule.h"
#include "analyze/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static hlb_cell *cell_at(hlb_bench *b, const char *prog, const char *rt) {
    for (size_t i = 0; i < b->ncells; i++)
        if (!strcmp(b->cells[i].program, prog) && !strcmp(b->cells[i].runtime, rt)) return &b->cells[i];
    return NULL;
}

static void set_status(hlb_cell *c, hlb_status s, const char *reason) {
    c->status = s;
    snprintf(c->reason, sizeof c->reason, "%s", reason);
}

void hlb_bench_summarise(hlb_bench *b) {
    for (size_t i = 0; i < b->ncells; i++) {
        hlb_cell *c = &b->cells[i];
        c->wall_median_s = c->wall_min_s = c->wall_max_s = c->cpu_median_s = NAN;
        c->peak_rss_kib = -1;
        c->ratio_wall = c->ratio_rss = NAN;
        if (c->status != HLB_OK || c->reps == 0) continue;
        size_t n = (size_t)c->reps;
        c->wall_median_s = hlb_median(c->walls, n);
        c->wall_min_s = hlb_min(c->walls, n);
        c->wall_max_s = hlb_max(c->walls, n);
        c->cpu_median_s = hlb_median(c->cpus, n);
        for (size_t k = 0; k < n; k++)
            if (c->rsss[k] > c->peak_rss_kib) c->peak_rss_kib = c->rsss[k];
    }
    /* Checksums: every runtime must print manual's (or, without manual, the first ok one's). */
    for (size_t i = 0; i < b->ncells; i++) {
        hlb_cell *c = &b->cells[i];
        if (c->status != HLB_OK) continue;
        hlb_cell *ref = cell_at(b, c->program, "manual");
        if (!ref || ref->status != HLB_OK) {
            ref = NULL;
            for (size_t k = 0; k < b->ncells && !ref; k++)
                if (!strcmp(b->cells[k].program, c->program) && b->cells[k].status == HLB_OK) ref = &b->cells[k];
        }
        if (ref && ref != c && strcmp(ref->checksum, c->checksum)) {
            char why[240];
            snprintf(why, sizeof why, "checksum %s differs from %s's %s", c->checksum, ref->runtime, ref->checksum);
            set_status(c, HLB_MISMATCH, why);
        }
    }
    for (size_t i = 0; i < b->ncells; i++) {
        hlb_cell *c = &b->cells[i];
        if (c->status != HLB_OK) continue;
        hlb_cell *m = cell_at(b, c->program, "manual");
        if (!m || m->status != HLB_OK) continue;
        if (m->wall_median_s > 0) c->ratio_wall = c->wall_median_s / m->wall_median_s;
        if (m->peak_rss_kib > 0) c->ratio_rss = (double)c->peak_rss_kib / (double)m->peak_rss_kib;
    }
    /* Geometric means per runtime, in the order runtimes first appear. */
    free(b->geo);
    b->geo = hlb_xcalloc(b->ncells ? b->ncells : 1, sizeof *b->geo);
    b->ngeo = 0;
    double *w = hlb_xmalloc((b->ncells + 1) * sizeof *w), *r = hlb_xmalloc((b->ncells + 1) * sizeof *r);
    for (size_t i = 0; i < b->ncells; i++) {
        const char *rt = b->cells[i].runtime;
        int seen = 0;
        for (size_t g = 0; g < b->ngeo; g++) seen |= !strcmp(b->geo[g].runtime, rt);
        if (seen) continue;
        size_t nw = 0, nr = 0;
        for (size_t k = 0; k < b->ncells; k++) {
            if (strcmp(b->cells[k].runtime, rt)) continue;
            w[nw++] = b->cells[k].ratio_wall;
            r[nr++] = b->cells[k].ratio_rss;
        }
        hlb_geo *g = &b->geo[b->ngeo++];
        snprintf(g->runtime, sizeof g->runtime, "%s", rt);
        g->ratio_wall = hlb_geomean(w, nw, &g->programs);
        g->ratio_rss = hlb_geomean(r, nr, NULL);
    }
    free(w);
    free(r);
}

static void progress(const hlb_bench_plan *plan, double t0, size_t run, size_t total, const hlb_cell *c, int rep,
                     int reps, int warm) {
    if (!plan->progress) return;
    fprintf(plan->progress, "heaplab: [%zu/%zu] %s on %s: %s %d/%d (%.1f s elapsed)\n", run, total, c->program,
            c->runtime, warm ? "warmup" : "run", rep, reps, hlb_now() - t0);
    fflush(plan->progress);
}

int hlb_bench_run(hlb_catalog *cat, const hlb_bench_plan *plan, hlb_bench *b) {
    memset(b, 0, sizeof *b);
    hlb_machine_get(&b->machine);
    snprintf(b->size_class, sizeof b->size_class, "%s", plan->size_class);
    b->reps = plan->reps;
    b->warmup = plan->warmup;
    b->timeout_s = plan->timeout_s;
    double t0 = hlb_now();

    /* The cells, in table order; a peer variant only where a peer of that program exists. */
    b->cells = hlb_xcalloc(plan->nprogs * plan->nvars + 1, sizeof *b->cells);
    hlb_size *sizes = hlb_xcalloc(plan->nprogs + 1, sizeof *sizes);
    for (size_t p = 0; p < plan->nprogs; p++) {
        char err[256] = "";
        int size_ok = hlb_size_resolve(cat, plan->progs[p], plan->size_class, &sizes[p], err, sizeof err) == 0;
        if (sizes[p].notice[0]) hlb_strlist_add(&b->notices, sizes[p].notice);
        for (size_t v = 0; v < plan->nvars; v++) {
            hlb_variant *var = plan->vars[v];
            if (var->peer) {
                char *bin = hlb_variant_binary(var, plan->progs[p]->name);
                int exists = hlb_is_executable(bin);
                free(bin);
                if (!exists) continue;
            }
            hlb_cell *c = &b->cells[b->ncells++];
            snprintf(c->program, sizeof c->program, "%s", plan->progs[p]->name);
            snprintf(c->runtime, sizeof c->runtime, "%s", var->name);
            snprintf(c->size_class, sizeof c->size_class, "%s", plan->size_class);
            c->size = sizes[p].value;
            c->walls = hlb_xcalloc((size_t)plan->reps, sizeof *c->walls);
            c->cpus = hlb_xcalloc((size_t)plan->reps, sizeof *c->cpus);
            c->rsss = hlb_xcalloc((size_t)plan->reps, sizeof *c->rsss);
            c->status = HLB_OK;
            if (!size_ok) set_status(c, HLB_FAILED, err);
        }
    }

    size_t total = b->ncells * (size_t)(plan->warmup + plan->reps), run = 0;
    size_t first = 0;
    for (size_t p = 0; p < plan->nprogs && !b->interrupted; p++) {
        size_t end = first;
        while (end < b->ncells && !strcmp(b->cells[end].program, plan->progs[p]->name)) end++;
        for (int rep = 0; rep < plan->warmup + plan->reps && !b->interrupted; rep++) {
            int warm = rep < plan->warmup;
            for (size_t i = first; i < end && !b->interrupted; i++) {
                hlb_cell *c = &b->cells[i];
                run++;
                if (c->status != HLB_OK) continue;   /* a failed cell is not run again */
                progress(plan, t0, run, total, c, warm ? rep + 1 : rep - plan->warmup + 1,
                         warm ? plan->warmup : plan->reps, warm);
                hlb_sample s;
                hlb_measure(hlb_catalog_variant(cat, c->runtime), c->program, sizes[p].arg, NULL, plan->timeout_s, &s,
                            NULL);
                if (s.status == HLB_INTERRUPT) {
                    b->interrupted = 1;
                    break;
                }
                if (s.status != HLB_OK) {
                    set_status(c, s.status, s.reason);
                    if (plan->progress)
                        fprintf(plan->progress, "heaplab: %s on %s: %s: %s\n", c->program, c->runtime,
                                hlb_status_name(s.status), s.reason);
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
                if (warm) continue;
                c->walls[c->reps] = s.wall_s;
                c->cpus[c->reps] = s.cpu_s;
                c->rsss[c->reps] = s.rss_kib;
                c->reps++;
                c->stats = s.stats;
            }
        }
        first = end;
    }
    free(sizes);
    b->elapsed_s = hlb_now() - t0;
    if (b->interrupted) return -1;
    hlb_bench_summarise(b);
    return 0;
}

void hlb_bench_free(hlb_bench *b) {
    for (size_t i = 0; i < b->ncells; i++) {
        free(b->cells[i].walls);
        free(b->cells[i].cpus);
        free(b->cells[i].rsss);
    }
    free(b->cells);
    free(b->geo);
    hlb_strlist_free(&b->notices);
    memset(b, 0, sizeof *b);
}
