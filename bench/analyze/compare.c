/*
** bench/analyze/compare.c: match the cells of two results documents and judge each pair
** (see compare.h).
*/
#define _GNU_SOURCE
#include "analyze/compare.h"
#include "analyze/stats.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const verdict_names[HLB_CMP_NVERDICTS] = {
    "faster", "slower", "no change", "not comparable", "only in OLD", "only in NEW",
};

const char *hlb_cmp_verdict_name(hlb_cmp_verdict v) {
    return (unsigned)v < HLB_CMP_NVERDICTS ? verdict_names[v] : "?";
}

/* The kinds of results a heaplab command writes, and those compare reads. */
static const char *const known_kinds[] = {"bench", "sweep", "safety", "run"};

static int is_known_kind(const char *k) {
    for (size_t i = 0; i < sizeof known_kinds / sizeof known_kinds[0]; i++)
        if (!strcmp(k, known_kinds[i])) return 1;
    return 0;
}

/* The document's kind when it is a heaplab results file, else NULL with err filled. */
static const char *results_kind(const hlb_json *doc, const char *name, char *err, size_t errlen) {
    const char *kind = doc && doc->kind == HLB_JOBJ ? hlb_json_str(doc, "kind") : NULL;
    const hlb_json *cells = kind ? hlb_json_get(doc, "cells") : NULL;
    if (!kind || !cells || cells->kind != HLB_JARR) {
        snprintf(err, errlen, "%s is not a heaplab results file (it needs a \"kind\" and a \"cells\" list)", name);
        return NULL;
    }
    if (!is_known_kind(kind)) {
        snprintf(err, errlen, "%s is not a heaplab results file (unknown kind \"%s\")", name, kind);
        return NULL;
    }
    return kind;
}

/* What compare needs of one cell, pointing into the document. */
typedef struct {
    const hlb_json *j;
    const char *program, *variant, *size_class, *status;
    double size, factor;
    double *walls;       /* wall_s of every sample (malloc'd), nwalls of them */
    size_t nwalls;
    int matched;
} cell;

typedef struct {
    cell *v;
    size_t n;
} cell_list;

static void cells_free(cell_list *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i].walls);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

static int read_cells(const hlb_json *doc, const char *name, cell_list *out, char *err, size_t errlen) {
    const hlb_json *cells = hlb_json_get(doc, "cells");
    out->n = 0;
    out->v = hlb_xcalloc(cells->n ? cells->n : 1, sizeof *out->v);
    for (size_t i = 0; i < cells->n; i++) {
        const hlb_json *cj = cells->items[i];
        cell *c = &out->v[i];
        c->j = cj;
        if (cj->kind != HLB_JOBJ || !(c->program = hlb_json_str(cj, "program")) ||
            !(c->variant = hlb_json_str(cj, "variant"))) {
            snprintf(err, errlen, "%s: cell %zu has no \"program\" and \"variant\"", name, i + 1);
            cells_free(out);
            return -1;
        }
        out->n = i + 1;
        c->size_class = hlb_json_str(cj, "size_class");
        c->status = hlb_json_str(cj, "status");
        if (!c->status) c->status = "unknown";
        c->size = hlb_json_num(cj, "size");
        c->factor = hlb_json_num(cj, "factor");
        const hlb_json *samples = hlb_json_get(cj, "samples");
        if (samples && samples->kind == HLB_JARR && samples->n) {
            c->walls = hlb_xmalloc(samples->n * sizeof *c->walls);
            for (size_t k = 0; k < samples->n; k++) {
                const hlb_json *s = samples->items[k];
                c->walls[k] = s->kind == HLB_JOBJ ? hlb_json_num(s, "wall_s") : NAN;
            }
            c->nwalls = samples->n;
        }
    }
    return 0;
}

/* Numbers in a key are equal when both are absent or they agree to rounding (a factor written
** as 2.5 in one file and 2.5000000000000001 in another is the same point). */
static int same_num(double a, double b) {
    if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
    return a == b || fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

static int same_key(const cell *a, const cell *b) {
    return !strcmp(a->program, b->program) && !strcmp(a->variant, b->variant) && same_num(a->size, b->size) &&
           same_num(a->factor, b->factor);
}

static char *dup_or_null(const char *s) {
    return s ? hlb_xstrdup(s) : NULL;
}

static double median_wall(const cell *c) {
    if (c->nwalls) return hlb_median(c->walls, c->nwalls);
    return hlb_json_num(c->j, "wall_median_s");
}

static void fill_side(hlb_cmp_row *r, const cell *c, int is_new) {
    if (is_new) {
        r->new_status = hlb_xstrdup(c->status);
        r->new_wall = median_wall(c);
        r->new_n = c->nwalls;
    } else {
        r->old_status = hlb_xstrdup(c->status);
        r->old_wall = median_wall(c);
        r->old_n = c->nwalls;
    }
}

static void init_row(hlb_cmp_row *r, const cell *key) {
    memset(r, 0, sizeof *r);
    r->program = hlb_xstrdup(key->program);
    r->variant = hlb_xstrdup(key->variant);
    r->size = key->size;
    r->factor = key->factor;
    r->size_class = dup_or_null(key->size_class);
    r->old_wall = r->new_wall = NAN;
    r->ratio = (hlb_ratio){NAN, NAN, NAN};
}

static void set_verdict(hlb_cmp_row *r, hlb_cmp_verdict v) {
    r->verdict = v;
    snprintf(r->verdict_text, sizeof r->verdict_text, "%s", hlb_cmp_verdict_name(v));
}

/* Judge a matched pair. Statuses come from the files, so their length is bounded here. */
static void judge(hlb_cmp_row *r, const cell *o, const cell *n) {
    int old_ok = !strcmp(o->status, "ok"), new_ok = !strcmp(n->status, "ok");
    r->verdict = HLB_CMP_NOT_COMPARABLE;
    if (!old_ok && !new_ok && strcmp(o->status, n->status)) {
        snprintf(r->verdict_text, sizeof r->verdict_text, "not comparable (%.20s / %.20s)", o->status, n->status);
        return;
    }
    if (!old_ok || !new_ok) {
        snprintf(r->verdict_text, sizeof r->verdict_text, "not comparable (%.40s)", old_ok ? n->status : o->status);
        return;
    }
    hlb_ratio q = hlb_ratio_unpaired(o->walls, o->nwalls, n->walls, n->nwalls);
    if (isnan(q.point)) {
        snprintf(r->verdict_text, sizeof r->verdict_text, "not comparable (no samples)");
        return;
    }
    r->ratio = q;
    set_verdict(r, q.lo > 1 ? HLB_CMP_SLOWER : q.hi < 1 ? HLB_CMP_FASTER : HLB_CMP_NO_CHANGE);
}

int hlb_compare_docs(const hlb_json *old_doc, const char *old_name, const hlb_json *new_doc,
                     const char *new_name, hlb_compare *out, char *err, size_t errlen) {
    char scratch[8];
    if (!err || errlen == 0) {
        err = scratch;
        errlen = sizeof scratch;
    }
    err[0] = 0;
    memset(out, 0, sizeof *out);
    const char *ok = results_kind(old_doc, old_name, err, errlen);
    const char *nk = ok ? results_kind(new_doc, new_name, err, errlen) : NULL;
    if (!ok || !nk) return -1;
    if (strcmp(ok, nk)) {
        snprintf(err, errlen, "cannot compare %s results (%s) with %s results (%s): the files must be of the same kind",
                 ok, old_name, nk, new_name);
        return -1;
    }
    if (strcmp(ok, "bench") && strcmp(ok, "sweep")) {
        snprintf(err, errlen, "cannot compare %s results (%s, %s): compare reads bench or sweep results", ok, old_name,
                 new_name);
        return -1;
    }
    cell_list oc = {0}, nc = {0};
    if (read_cells(old_doc, old_name, &oc, err, errlen) || read_cells(new_doc, new_name, &nc, err, errlen)) {
        cells_free(&oc);
        return -1;
    }

    snprintf(out->kind, sizeof out->kind, "%s", ok);
    out->rows = hlb_xcalloc(oc.n + nc.n ? oc.n + nc.n : 1, sizeof *out->rows);
    for (size_t i = 0; i < oc.n; i++) {
        const cell *o = &oc.v[i];
        cell *n = NULL;
        for (size_t j = 0; j < nc.n && !n; j++)
            if (!nc.v[j].matched && same_key(o, &nc.v[j])) n = &nc.v[j];
        hlb_cmp_row *r = &out->rows[out->n++];
        init_row(r, n ? n : o);
        fill_side(r, o, 0);
        if (n) {
            n->matched = 1;
            fill_side(r, n, 1);
            judge(r, o, n);
        } else set_verdict(r, HLB_CMP_ONLY_OLD);
    }
    for (size_t j = 0; j < nc.n; j++) {
        if (nc.v[j].matched) continue;
        hlb_cmp_row *r = &out->rows[out->n++];
        init_row(r, &nc.v[j]);
        fill_side(r, &nc.v[j], 1);
        set_verdict(r, HLB_CMP_ONLY_NEW);
    }
    for (size_t i = 0; i < out->n; i++) out->counts[out->rows[i].verdict]++;
    hlb_provenance_from_json(hlb_json_get(old_doc, "provenance"), &out->old_prov);
    hlb_provenance_from_json(hlb_json_get(new_doc, "provenance"), &out->new_prov);
    cells_free(&oc);
    cells_free(&nc);
    return 0;
}

size_t hlb_compare_gate(const hlb_compare *c, double pct, size_t *first) {
    size_t count = 0;
    double limit = 1 + pct / 100;
    for (size_t i = 0; i < c->n; i++) {
        const hlb_cmp_row *r = &c->rows[i];
        if (r->verdict != HLB_CMP_SLOWER || !(r->ratio.point > limit)) continue;
        if (count++ == 0 && first) *first = i;
    }
    return count;
}

void hlb_compare_free(hlb_compare *c) {
    for (size_t i = 0; i < c->n; i++) {
        hlb_cmp_row *r = &c->rows[i];
        free(r->program);
        free(r->variant);
        free(r->size_class);
        free(r->old_status);
        free(r->new_status);
    }
    free(c->rows);
    hlb_provenance_free(&c->old_prov);
    hlb_provenance_free(&c->new_prov);
    memset(c, 0, sizeof *c);
}
