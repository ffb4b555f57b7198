/*
** tests/bench_compare.c: `compare`'s judgement on synthetic results documents built here:
** faster, slower, no change, cells in only one file, statuses that cannot be compared, files
** of different kinds or not heaplab results refused, and the --fail-above gate.
*/
#define _GNU_SOURCE
#include "analyze/compare.h"
#include "report/json.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One synthetic cell: key, status and the wall times of its samples. */
typedef struct {
    const char *program, *variant;
    double size, factor;   /* NAN: not written */
    const char *status;
    double walls[8];       /* the first nwalls are written as samples */
    int nwalls;
} spec;

static const double quiet[8] = {1.00, 1.02, 0.98, 1.01, 0.99, 1.03, 0.97};

/* quiet's walls scaled by k. */
static spec cell_of(const char *program, const char *variant, double k) {
    spec s = {program, variant, 18, NAN, "ok", {0}, 7};
    for (int i = 0; i < 7; i++) s.walls[i] = quiet[i] * k;
    return s;
}

/* A results document of the given kind holding the cells, parsed. */
static hlb_json *doc(const char *kind, const spec *cells, size_t n) {
    char *text;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "{\"kind\": \"%s\", \"provenance\": {\"cpu\": \"Test CPU %s\", \"cores\": 2}, \"baseline\": \"c\", \"cells\": [",
            kind, kind);
    for (size_t i = 0; i < n; i++) {
        const spec *c = &cells[i];
        fprintf(f, "%s{\"program\": \"%s\", \"variant\": \"%s\", \"size_class\": \"default\"", i ? ", " : "",
                c->program, c->variant);
        if (!isnan(c->size)) fprintf(f, ", \"size\": %g", c->size);
        if (!isnan(c->factor)) fprintf(f, ", \"factor\": %.17g", c->factor);
        fprintf(f, ", \"status\": \"%s\", \"reps\": %d, \"samples\": [", c->status, c->nwalls);
        for (int k = 0; k < c->nwalls; k++)
            fprintf(f, "%s{\"wall_s\": %.17g, \"cpu_s\": %.17g, \"rss_kib\": 1000}", k ? ", " : "", c->walls[k],
                    c->walls[k]);
        fprintf(f, "], \"wall_median_s\": %s}", c->nwalls ? "1.0" : "null");
    }
    fputs("]}", f);
    fclose(f);
    char err[128];
    hlb_json *j = hlb_json_parse(text, err, sizeof err);
    cr_assert_not_null(j, "test document does not parse (%s): %s", err, text);
    free(text);
    return j;
}

static hlb_json *parse(const char *text) {
    hlb_json *j = hlb_json_parse(text, NULL, 0);
    cr_assert_not_null(j, "%s", text);
    return j;
}

/* Compare two documents that must be accepted. */
static void compare_ok(hlb_json *o, hlb_json *n, hlb_compare *c) {
    char err[256] = "";
    cr_assert_eq(hlb_compare_docs(o, "old.json", n, "new.json", c, err, sizeof err), 0, "refused: %s", err);
}

Test(compare, faster_slower_no_change) {
    spec olds[] = {cell_of("binary_trees", "manual", 1), cell_of("vec_grow", "gc", 1), cell_of("lru_cache", "owned", 1)};
    spec news[] = {cell_of("binary_trees", "manual", 0.5), cell_of("vec_grow", "gc", 1.3), cell_of("lru_cache", "owned", 1)};
    /* Same spread, a different order and a 1% shift: nothing to conclude. */
    for (int i = 0; i < 7; i++) news[2].walls[i] = quiet[6 - i] * 1.01;
    hlb_json *o = doc("bench", olds, 3), *n = doc("bench", news, 3);
    hlb_compare c;
    compare_ok(o, n, &c);
    cr_assert_str_eq(c.kind, "bench");
    cr_assert_eq(c.n, 3);

    const hlb_cmp_row *r = &c.rows[0];
    cr_assert_str_eq(r->program, "binary_trees");
    cr_assert_eq(r->verdict, HLB_CMP_FASTER);
    cr_assert_str_eq(r->verdict_text, "faster");
    cr_assert_float_eq(r->ratio.point, 0.5, 1e-9);
    cr_assert(r->ratio.hi < 1 && r->ratio.lo <= 0.5 && r->ratio.hi >= 0.5);
    cr_assert_float_eq(r->old_wall, 1.0, 1e-12, "median of the samples");
    cr_assert_float_eq(r->new_wall, 0.5, 1e-12);
    cr_assert_eq(r->old_n, 7);
    cr_assert_eq(r->size, 18);
    cr_assert(isnan(r->factor), "bench cells have no factor");
    cr_assert_str_eq(r->size_class, "default");
    cr_assert_str_eq(r->old_status, "ok");

    r = &c.rows[1];
    cr_assert_eq(r->verdict, HLB_CMP_SLOWER);
    cr_assert_str_eq(r->verdict_text, "slower");
    cr_assert_float_eq(r->ratio.point, 1.3, 1e-9);
    cr_assert(r->ratio.lo > 1);

    r = &c.rows[2];
    cr_assert_eq(r->verdict, HLB_CMP_NO_CHANGE, "%s [%g, %g]", r->verdict_text, r->ratio.lo, r->ratio.hi);
    cr_assert_str_eq(r->verdict_text, "no change");
    cr_assert(r->ratio.lo < 1 && r->ratio.hi > 1);

    cr_assert_eq(c.counts[HLB_CMP_FASTER], 1);
    cr_assert_eq(c.counts[HLB_CMP_SLOWER], 1);
    cr_assert_eq(c.counts[HLB_CMP_NO_CHANGE], 1);
    cr_assert_str_eq(c.old_prov.cpu, "Test CPU bench");
    cr_assert_eq(c.new_prov.cores, 2);
    hlb_json_free(o);
    hlb_json_free(n);
    /* The rows own their strings: still readable after the documents are gone. */
    cr_assert_str_eq(c.rows[1].variant, "gc");
    hlb_compare_free(&c);
    cr_assert_eq(c.n, 0);
    cr_assert_null(c.rows);
    hlb_compare_free(&c);
}

Test(compare, cells_in_one_file_only) {
    spec olds[] = {cell_of("a", "manual", 1), cell_of("gone", "manual", 1), cell_of("b", "manual", 1)};
    spec news[] = {cell_of("added", "gc", 1), cell_of("b", "manual", 1), cell_of("a", "manual", 1)};
    olds[2].size = 10;   /* b at size 10 in OLD, at 18 in NEW: not the same cell */
    hlb_json *o = doc("bench", olds, 3), *n = doc("bench", news, 3);
    hlb_compare c;
    compare_ok(o, n, &c);
    cr_assert_eq(c.n, 5);
    /* OLD's order first, then what only NEW has, in NEW's order. */
    const char *programs[] = {"a", "gone", "b", "added", "b"};
    const hlb_cmp_verdict verdicts[] = {HLB_CMP_NO_CHANGE, HLB_CMP_ONLY_OLD, HLB_CMP_ONLY_OLD, HLB_CMP_ONLY_NEW,
                                        HLB_CMP_ONLY_NEW};
    for (size_t i = 0; i < 5; i++) {
        cr_assert_str_eq(c.rows[i].program, programs[i], "row %zu", i);
        cr_assert_eq(c.rows[i].verdict, verdicts[i], "row %zu: %s", i, c.rows[i].verdict_text);
    }
    cr_assert_eq(c.rows[0].ratio.point, 1.0);
    /* Unpaired: each side is resampled on its own, so identical files still have an interval. */
    cr_assert(c.rows[0].ratio.lo < 1 && c.rows[0].ratio.hi > 1);
    const hlb_cmp_row *gone = &c.rows[1], *added = &c.rows[3];
    cr_assert_str_eq(gone->verdict_text, "only in OLD");
    cr_assert_null(gone->new_status);
    cr_assert(isnan(gone->new_wall) && isnan(gone->ratio.point));
    cr_assert_float_eq(gone->old_wall, 1.0, 1e-12);
    cr_assert_str_eq(added->verdict_text, "only in NEW");
    cr_assert_null(added->old_status);
    cr_assert_str_eq(added->new_status, "ok");
    cr_assert(isnan(added->old_wall) && isnan(added->ratio.point));
    cr_assert_eq(c.rows[2].size, 10);
    cr_assert_eq(c.rows[4].size, 18);
    cr_assert_eq(c.counts[HLB_CMP_ONLY_OLD], 2);
    cr_assert_eq(c.counts[HLB_CMP_ONLY_NEW], 2);
    hlb_compare_free(&c);
    hlb_json_free(o);
    hlb_json_free(n);
}

Test(compare, statuses_other_than_ok_are_not_compared) {
    spec olds[] = {cell_of("t", "gc", 1), cell_of("f", "gc", 1), cell_of("s", "gc", 1), cell_of("m", "gc", 1)};
    spec news[] = {cell_of("t", "gc", 5), cell_of("f", "gc", 1), cell_of("s", "gc", 1), cell_of("m", "gc", 1)};
    news[0].status = "timeout";
    olds[1].status = "failed";
    news[1].status = "out of memory";
    news[2].nwalls = 0;   /* ok, but nothing to compare */
    olds[3].status = "mismatch";
    news[3].status = "mismatch";
    hlb_json *o = doc("bench", olds, 4), *n = doc("bench", news, 4);
    hlb_compare c;
    compare_ok(o, n, &c);
    const char *texts[] = {"not comparable (timeout)", "not comparable (failed / out of memory)",
                           "not comparable (no samples)", "not comparable (mismatch)"};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(c.rows[i].verdict, HLB_CMP_NOT_COMPARABLE, "row %zu", i);
        cr_assert_str_eq(c.rows[i].verdict_text, texts[i]);
        cr_assert(isnan(c.rows[i].ratio.point) && isnan(c.rows[i].ratio.lo) && isnan(c.rows[i].ratio.hi),
                  "row %zu has a ratio", i);
    }
    cr_assert_str_eq(c.rows[0].new_status, "timeout");
    cr_assert_str_eq(c.rows[0].old_status, "ok");
    cr_assert(isnan(c.rows[2].new_wall), "no samples and a null median: no wall");
    cr_assert_eq(c.counts[HLB_CMP_NOT_COMPARABLE], 4);
    cr_assert_eq(hlb_compare_gate(&c, 0, NULL), 0, "a 5x timeout is not a measured slowdown");
    cr_assert_str_eq(hlb_cmp_verdict_name(c.rows[0].verdict), "not comparable");
    hlb_compare_free(&c);
    hlb_json_free(o);
    hlb_json_free(n);
}

Test(compare, sweep_cells_match_by_factor) {
    spec olds[3], news[3];
    const double factors[] = {1.5, 2.5, 4};
    for (int i = 0; i < 3; i++) {
        olds[i] = cell_of("binary_trees", "gc", 1 + i);
        olds[i].factor = factors[i];
        /* NEW lists the points in reverse; only the 2.5x point got slower. */
        news[2 - i] = cell_of("binary_trees", "gc", (1 + i) * (i == 1 ? 1.5 : 1));
        news[2 - i].factor = factors[i];
    }
    hlb_json *o = doc("sweep", olds, 3), *n = doc("sweep", news, 3);
    hlb_compare c;
    compare_ok(o, n, &c);
    cr_assert_str_eq(c.kind, "sweep");
    cr_assert_eq(c.n, 3);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(c.rows[i].factor, factors[i]);
        cr_assert_eq(c.rows[i].verdict, i == 1 ? HLB_CMP_SLOWER : HLB_CMP_NO_CHANGE, "factor %g: %s", factors[i],
                     c.rows[i].verdict_text);
    }
    cr_assert_float_eq(c.rows[1].ratio.point, 1.5, 1e-9);
    hlb_compare_free(&c);
    hlb_json_free(o);
    hlb_json_free(n);
}

Test(compare, repeated_keys_pair_in_order) {
    spec olds[] = {cell_of("x", "c", 1), cell_of("x", "c", 2)};
    spec news[] = {cell_of("x", "c", 1), cell_of("x", "c", 4)};
    hlb_json *o = doc("bench", olds, 2), *n = doc("bench", news, 2);
    hlb_compare c;
    compare_ok(o, n, &c);
    cr_assert_eq(c.n, 2);
    cr_assert_eq(c.rows[0].verdict, HLB_CMP_NO_CHANGE);
    cr_assert_eq(c.rows[1].verdict, HLB_CMP_SLOWER);
    cr_assert_float_eq(c.rows[1].ratio.point, 2, 1e-9);
    hlb_compare_free(&c);
    hlb_json_free(o);
    hlb_json_free(n);
}

/* The refusal must be one line that contains every given word. */
static void expect_refused(hlb_json *o, hlb_json *n, const char *w1, const char *w2) {
    char err[256] = "";
    hlb_compare c;
    memset(&c, 0x5a, sizeof c);
    cr_assert_eq(hlb_compare_docs(o, "old.json", n, "new.json", &c, err, sizeof err), -1, "accepted");
    cr_assert_str_not_empty(err);
    cr_assert_null(strchr(err, '\n'), "more than one line: %s", err);
    cr_assert(strstr(err, w1), "'%s' does not mention %s", err, w1);
    if (w2) cr_assert(strstr(err, w2), "'%s' does not mention %s", err, w2);
    cr_assert_eq(c.n, 0, "a refused comparison leaves the result empty");
    cr_assert_null(c.rows);
    hlb_compare_free(&c);
    hlb_json_free(o);
    hlb_json_free(n);
}

Test(compare, kind_mismatch_refused) {
    spec one[] = {cell_of("a", "manual", 1)};
    expect_refused(doc("bench", one, 1), doc("sweep", one, 1), "bench", "sweep");
    expect_refused(doc("sweep", one, 1), doc("bench", one, 1), "sweep", "bench");
    expect_refused(doc("bench", one, 1), doc("safety", one, 1), "bench", "safety");
    /* Two results files of a kind compare does not read. */
    expect_refused(doc("safety", one, 1), doc("safety", one, 1), "safety", "bench or sweep");
    expect_refused(doc("run", one, 1), doc("run", one, 1), "run", "bench or sweep");
}

Test(compare, non_heaplab_json_refused) {
    spec one[] = {cell_of("a", "manual", 1)};
    expect_refused(parse("{\"name\": \"package.json\", \"version\": \"1.0\"}"), doc("bench", one, 1), "old.json",
                   "not a heaplab results file");
    expect_refused(doc("bench", one, 1), parse("[1, 2, 3]"), "new.json", "not a heaplab results file");
    expect_refused(doc("bench", one, 1), parse("{\"kind\": \"bench\", \"results\": []}"), "new.json", "cells");
    expect_refused(parse("{\"kind\": \"benchmark\", \"cells\": []}"), doc("bench", one, 1), "benchmark",
                   "old.json is not a heaplab results file");
    expect_refused(doc("bench", one, 1), parse("{\"kind\": \"bench\", \"cells\": [{\"program\": \"a\"}]}"), "new.json",
                   "cell 1");
    expect_refused(NULL, doc("bench", one, 1), "old.json", NULL);
}

Test(compare, fail_above_gate) {
    spec olds[] = {cell_of("a", "gc", 1), cell_of("b", "gc", 1), cell_of("c", "gc", 1), cell_of("d", "gc", 1)};
    spec news[] = {cell_of("a", "gc", 1.08), cell_of("b", "gc", 1.25), cell_of("c", "gc", 0.5), cell_of("d", "gc", 1)};
    /* d: a higher median (1.2x) from samples so spread that the interval contains 1. */
    const double wide_old[] = {0.6, 1.0, 1.6, 0.7, 1.5}, wide_new[] = {0.7, 1.2, 1.7, 0.8, 1.6};
    for (int i = 0; i < 5; i++) {
        olds[3].walls[i] = wide_old[i];
        news[3].walls[i] = wide_new[i];
    }
    olds[3].nwalls = news[3].nwalls = 5;
    hlb_json *o = doc("bench", olds, 4), *n = doc("bench", news, 4);
    hlb_compare c;
    compare_ok(o, n, &c);
    cr_assert_eq(c.rows[0].verdict, HLB_CMP_SLOWER, "%s", c.rows[0].verdict_text);
    cr_assert_eq(c.rows[1].verdict, HLB_CMP_SLOWER);
    cr_assert_eq(c.rows[2].verdict, HLB_CMP_FASTER);
    cr_assert_eq(c.rows[3].verdict, HLB_CMP_NO_CHANGE, "%s [%g, %g]", c.rows[3].verdict_text, c.rows[3].ratio.lo,
                 c.rows[3].ratio.hi);
    cr_assert_float_eq(c.rows[3].ratio.point, 1.2, 1e-9);
    size_t first = 99;
    cr_assert_eq(hlb_compare_gate(&c, 5, &first), 2, "a (+8%%) and b (+25%%) are above 5%%");
    cr_assert_eq(first, 0);
    cr_assert_eq(hlb_compare_gate(&c, 10, &first), 1, "only b is above 10%%; d's +20%% is no change");
    cr_assert_eq(first, 1);
    first = 99;
    cr_assert_eq(hlb_compare_gate(&c, 25, &first), 0, "b is 25%%, not above it");
    cr_assert_eq(first, 99, "first is left alone when the gate passes");
    cr_assert_eq(hlb_compare_gate(&c, 0, NULL), 2);
    hlb_compare_free(&c);
    hlb_json_free(o);
    hlb_json_free(n);
}
