/*
** tests/bench_stats.c: the driver's summary statistics (median, min, max, geometric mean)
** and the small parsers it relies on: a program's --help, its checksum line, the sizes table.
*/
#include "discover/catalog.h"
#include "measure/sample.h"
#include "discover/sizes.h"
#include "analyze/stats.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

Test(stats, median_odd_even_unsorted) {
    double a[] = {3, 1, 2};
    cr_assert_float_eq(hlb_median(a, 3), 2, 1e-12);
    cr_assert_float_eq(a[0], 3, 0, "input modified");
    double b[] = {4, 1, 3, 2};
    cr_assert_float_eq(hlb_median(b, 4), 2.5, 1e-12);
    double c[] = {7};
    cr_assert_float_eq(hlb_median(c, 1), 7, 1e-12);
    cr_assert(isnan(hlb_median(c, 0)));
}

Test(stats, min_max) {
    double a[] = {0.5, -2, 9, 3};
    cr_assert_float_eq(hlb_min(a, 4), -2, 1e-12);
    cr_assert_float_eq(hlb_max(a, 4), 9, 1e-12);
    cr_assert(isnan(hlb_min(a, 0)));
}

Test(stats, geomean) {
    double a[] = {1, 4};
    size_t used;
    cr_assert_float_eq(hlb_geomean(a, 2, &used), 2, 1e-12);
    cr_assert_eq(used, 2);
    double b[] = {2, 8, NAN, 0, -1, 4};   /* only the finite positive values count */
    cr_assert_float_eq(hlb_geomean(b, 6, &used), 4, 1e-12);
    cr_assert_eq(used, 3);
    double c[] = {NAN};
    cr_assert(isnan(hlb_geomean(c, 1, &used)));
    cr_assert_eq(used, 0);
    double d[] = {1.5, 1.5, 1.5};
    cr_assert_float_eq(hlb_geomean(d, 3, NULL), 1.5, 1e-12);
}

Test(parse, help_text) {
    hlb_program p = {0};
    cr_assert_eq(hlb_parse_help("usage: binary_trees [SIZE]\nmany trees\n  SIZE  maximum tree depth: 4..26 (default 18)\n", &p), 0);
    cr_assert_str_eq(p.about, "many trees");
    cr_assert_str_eq(p.what, "maximum tree depth");
    cr_assert(p.have_range);
    cr_assert_eq(p.min, 4);
    cr_assert_eq(p.max, 26);
    cr_assert_eq(p.dflt, 18);
    cr_assert_eq(hlb_parse_help("usage: x\njust a line\n", &p), 0);
    cr_assert_not(p.have_range);
    cr_assert_str_eq(p.about, "just a line");
    cr_assert_neq(hlb_parse_help("x: error\n", &p), 0);
    free(p.about);
    free(p.what);
}

Test(parse, checksum_line) {
    long long size;
    char hex[40];
    cr_assert_eq(hlb_parse_checksum("a\nb\nbinary_trees size=12 checksum=c8c5b19731429543\n\n", "binary_trees", &size, hex,
                                    sizeof hex),
                 0);
    cr_assert_eq(size, 12);
    cr_assert_str_eq(hex, "c8c5b19731429543");
    cr_assert_neq(hlb_parse_checksum("other size=12 checksum=ab\n", "binary_trees", &size, hex, sizeof hex), 0);
    cr_assert_neq(hlb_parse_checksum("binary_trees size=12 checksum=ab\nmore\n", "binary_trees", &size, hex, sizeof hex), 0);
    cr_assert_neq(hlb_parse_checksum("", "binary_trees", &size, hex, sizeof hex), 0);
}

Test(parse, sizes_table) {
    const char *t = "# comment\nbinary_trees 12 20\nfoo 1 2\n";
    long long s, l;
    cr_assert_eq(hlb_sizes_lookup(t, "foo", &s, &l), 0);
    cr_assert_eq(s, 1);
    cr_assert_eq(l, 2);
    cr_assert_eq(hlb_sizes_lookup(t, "binary_trees", &s, &l), 0);
    cr_assert_eq(l, 20);
    cr_assert_neq(hlb_sizes_lookup(t, "bar", &s, &l), 0);
    cr_assert_neq(hlb_sizes_lookup(t, "comment", &s, &l), 0);
}
