/*
** bench/analyze/decompose.c: the cost ladder of decompose.h, computed from a bench's cells.
*/
#include "analyze/decompose.h"

#include "analyze/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const hlb_step hlb_steps[] = {
    {"api_manual", "manual / c (API on malloc)", "manual", "c"},
    {"api_gc", "gc / c+gc (API on Boehm)", "gc", "c+gc"},
    {"handle", "owned-off / c (handle)", "owned-off", "c"},
    {"checks", "owned-fast / owned-off (checks)", "owned-fast", "owned-off"},
    {"sites", "owned / owned-fast (sites)", "owned", "owned-fast"},
    {"rust", "rust / c (safe Rust)", "rust", "c"},
};
const size_t hlb_nsteps = sizeof hlb_steps / sizeof *hlb_steps;
_Static_assert(sizeof hlb_steps / sizeof *hlb_steps <= HLB_MAX_STEPS, "hlb_decomp_row has room for every step");

static const hlb_cell *find(const hlb_results *r, const char *program, const char *variant) {
    for (size_t i = 0; i < r->ncells; i++)
        if (!strcmp(r->cells[i].program, program) && !strcmp(r->cells[i].variant, variant)) return &r->cells[i];
    return NULL;
}

static hlb_ratio step_ratio(const hlb_results *r, const char *program, const hlb_step *s) {
    const hlb_cell *a = find(r, program, s->num), *b = find(r, program, s->den);
    if (!a || !b || a->status != HLB_OK || b->status != HLB_OK) return (hlb_ratio){NAN, NAN, NAN};
    return hlb_ratio_paired(a->wall, b->wall, (size_t)(a->reps < b->reps ? a->reps : b->reps));
}

static int has_program(const hlb_results *r, const char *program) {
    for (size_t i = 0; i < r->ndecomp; i++)
        if (!strcmp(r->decomp[i].program, program)) return 1;
    return 0;
}

void hlb_decompose(hlb_results *r) {
    free(r->decomp);
    r->decomp = hlb_xcalloc(r->ncells + 1, sizeof *r->decomp);
    r->ndecomp = 0;
    int any = 0;
    for (size_t i = 0; i < r->ncells; i++) {
        const char *p = r->cells[i].program;
        if (has_program(r, p)) continue;
        hlb_decomp_row *row = &r->decomp[r->ndecomp++];
        snprintf(row->program, sizeof row->program, "%s", p);
        for (size_t k = 0; k < hlb_nsteps; k++) {
            row->step[k] = step_ratio(r, p, &hlb_steps[k]);
            any |= isfinite(row->step[k].point);
        }
    }
    if (!any) {
        r->ndecomp = 0;
        return;
    }
    /* The geometric mean of each step over the programs that have it (the interval is not
    ** pooled: a geomean row carries the point only). */
    hlb_decomp_row *geo = &r->decomp[r->ndecomp];
    snprintf(geo->program, sizeof geo->program, "geomean");
    double *v = hlb_xmalloc(r->ndecomp * sizeof *v);
    for (size_t k = 0; k < hlb_nsteps; k++) {
        for (size_t i = 0; i < r->ndecomp; i++) v[i] = r->decomp[i].step[k].point;
        double g = hlb_geomean(v, r->ndecomp, NULL);
        geo->step[k] = (hlb_ratio){g, NAN, NAN};
    }
    free(v);
    r->ndecomp++;
}
