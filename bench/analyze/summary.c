/*
** bench/analyze/summary.c: statistics, ratios and conclusions of a results set (see
** summary.h).
*/
#define _GNU_SOURCE
#include "analyze/summary.h"

#include "analyze/decompose.h"
#include "analyze/ratio.h"
#include "analyze/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static hlb_cell *cell_of(hlb_results *r, const char *program, const char *variant) {
    for (size_t i = 0; i < r->ncells; i++) {
        hlb_cell *c = &r->cells[i];
        if (!strcmp(c->program, program) && !strcmp(c->variant, variant) && isnan(c->factor)) return c;
    }
    return NULL;
}

/* The baseline's cell for program (the one without a heap limit); manual's when the baseline
** (a peer) has no such program; or NULL. */
static hlb_cell *baseline_of(hlb_results *r, const char *program) {
    if (!r->baseline[0]) return NULL;
    hlb_cell *c = cell_of(r, program, r->baseline);
    return c ? c : cell_of(r, program, "manual");
}

static void cell_stats(hlb_cell *c) {
    c->wall_median_s = c->wall_min_s = c->wall_max_s = c->cpu_median_s = c->rss_median_kib = NAN;
    c->ratio_wall = c->ratio_wall_lo = c->ratio_wall_hi = c->ratio_rss = NAN;
    c->ratio_to[0] = 0;
    c->noisy = 0;
    c->noise[0] = 0;
    if (c->status != HLB_OK || c->reps == 0) return;
    size_t n = (size_t)c->reps;
    double *rss = hlb_xmalloc(n * sizeof *rss);
    for (size_t k = 0; k < n; k++) rss[k] = (double)c->rss[k];
    c->wall_median_s = hlb_median(c->wall, n);
    c->wall_min_s = hlb_min(c->wall, n);
    c->wall_max_s = hlb_max(c->wall, n);
    c->cpu_median_s = hlb_median(c->cpu, n);
    c->rss_median_kib = hlb_median(rss, n);
    free(rss);
    c->noisy = hlb_noise(c->wall, c->cpu, n, c->noise, sizeof c->noise);
}

void hlb_results_summarise(hlb_results *r) {
    for (size_t i = 0; i < r->ncells; i++) cell_stats(&r->cells[i]);
    /* Checksums: every variant must print the baseline's (or the first ok cell's). */
    for (size_t i = 0; i < r->ncells; i++) {
        hlb_cell *c = &r->cells[i];
        if (c->status != HLB_OK) continue;
        hlb_cell *ref = baseline_of(r, c->program);
        if (!ref || ref->status != HLB_OK) {
            ref = NULL;
            for (size_t k = 0; k < r->ncells && !ref; k++)
                if (!strcmp(r->cells[k].program, c->program) && r->cells[k].status == HLB_OK) ref = &r->cells[k];
        }
        if (ref && ref != c && ref->checksum[0] && strcmp(ref->checksum, c->checksum)) {
            c->status = HLB_MISMATCH;
            snprintf(c->reason, sizeof c->reason, "checksum %s differs from %s's %s", c->checksum, ref->variant,
                     ref->checksum);
            cell_stats(c);
        }
    }
    for (size_t i = 0; i < r->ncells; i++) {
        hlb_cell *c = &r->cells[i];
        hlb_cell *b = baseline_of(r, c->program);
        if (c->status != HLB_OK || !b || b->status != HLB_OK) continue;
        size_t n = (size_t)(c->reps < b->reps ? c->reps : b->reps);
        hlb_ratio q = hlb_ratio_paired(c->wall, b->wall, n);
        snprintf(c->ratio_to, sizeof c->ratio_to, "%s", b->variant);
        c->ratio_wall = q.point, c->ratio_wall_lo = q.lo, c->ratio_wall_hi = q.hi;
        if (b->rss_median_kib > 0) c->ratio_rss = c->rss_median_kib / b->rss_median_kib;
    }
    /* Geometric means per variant, in the order variants first appear (bench only). */
    free(r->geo);
    r->geo = NULL;
    r->ngeo = 0;
    if (!strcmp(r->kind, "bench")) {
        r->geo = hlb_xcalloc(r->ncells + 1, sizeof *r->geo);
        double *w = hlb_xmalloc((r->ncells + 1) * sizeof *w), *q = hlb_xmalloc((r->ncells + 1) * sizeof *q);
        for (size_t i = 0; i < r->ncells; i++) {
            const char *v = r->cells[i].variant;
            int seen = 0;
            for (size_t g = 0; g < r->ngeo; g++) seen |= !strcmp(r->geo[g].variant, v);
            if (seen) continue;
            size_t n = 0;
            for (size_t k = 0; k < r->ncells; k++) {
                if (strcmp(r->cells[k].variant, v)) continue;
                w[n] = r->cells[k].ratio_wall;
                q[n++] = r->cells[k].ratio_rss;
            }
            hlb_geo *g = &r->geo[r->ngeo++];
            snprintf(g->variant, sizeof g->variant, "%s", v);
            g->ratio_wall = hlb_geomean(w, n, &g->programs);
            g->ratio_rss = hlb_geomean(q, n, NULL);
        }
        free(w);
        free(q);
    }
    if (!strcmp(r->kind, "bench")) hlb_decompose(r);
    r->conclusion = NAN;
    if (!strcmp(r->kind, "sweep")) r->conclusion = hlb_sweep_conclusion(r, "gc");
}

static int cmp_factor(const void *a, const void *b) {
    double x = (*(hlb_cell *const *)a)->factor, y = (*(hlb_cell *const *)b)->factor;
    return (x > y) - (x < y);
}

double hlb_sweep_conclusion(const hlb_results *r, const char *variant) {
    const hlb_cell **pts = hlb_xcalloc(r->ncells + 1, sizeof *pts);
    size_t n = 0;
    for (size_t i = 0; i < r->ncells; i++)
        if (!isnan(r->cells[i].factor) && !strcmp(r->cells[i].variant, variant)) pts[n++] = &r->cells[i];
    qsort(pts, n, sizeof *pts, cmp_factor);
    double from = NAN;
    for (size_t i = n; i-- > 0;) {
        const hlb_cell *c = pts[i];
        if (c->status != HLB_OK || !(c->ratio_wall <= 1.10 + 1e-9)) break;
        from = c->factor;
    }
    free(pts);
    return from;
}
