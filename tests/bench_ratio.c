/*
** tests/bench_ratio.c: the wall ratios and their bootstrap intervals on synthetic samples
** (paired for bench, unpaired for compare), and the noisy-cell rule at its 10% boundaries.
*/
#include "analyze/ratio.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

/* Reps that wander by a few percent, like a quiet machine's. */
static const double base7[] = {1.00, 1.03, 0.98, 1.05, 0.97, 1.02, 1.01};

static void expect_nan(hlb_ratio r) {
    cr_assert(isnan(r.point) && isnan(r.lo) && isnan(r.hi), "expected no ratio, got %g [%g, %g]",
              r.point, r.lo, r.hi);
}

Test(ratio_paired, twice_as_slow_excludes_one) {
    double var[7];
    const double jitter[] = {1.01, 0.97, 1.04, 0.99, 1.02, 0.96, 1.03};
    for (int i = 0; i < 7; i++) var[i] = 2 * base7[i] * jitter[i];
    hlb_ratio r = hlb_ratio_paired(var, base7, 7);
    cr_assert_float_eq(r.point, 2.02, 1e-9, "median of the paired ratios: got %g", r.point);
    cr_assert(r.lo > 1.5 && r.hi < 2.5, "interval [%g, %g]", r.lo, r.hi);
    cr_assert(r.lo > 1, "a 2x shift must give an interval above 1: [%g, %g]", r.lo, r.hi);
    cr_assert(r.lo <= r.point && r.point <= r.hi);
    cr_assert(r.lo < r.hi, "jittered ratios must give a non-empty interval");
}

Test(ratio_paired, median_of_ratios_not_ratio_of_medians) {
    /* Pairing matters: each variant rep is 1.1x its own baseline rep, although the variant's
    ** median over the baseline's median would be far from 1.1. */
    double base[] = {1, 2, 4, 8, 16};
    double var[] = {1.1, 2.2, 4.4, 8.8, 17.6};
    hlb_ratio r = hlb_ratio_paired(var, base, 5);
    cr_assert_float_eq(r.point, 1.1, 1e-12);
    cr_assert_float_eq(r.lo, 1.1, 1e-12);
    cr_assert_float_eq(r.hi, 1.1, 1e-12);
}

Test(ratio_paired, identical_samples_give_one_one) {
    hlb_ratio r = hlb_ratio_paired(base7, base7, 7);
    cr_assert_eq(r.point, 1.0);
    cr_assert_eq(r.lo, 1.0);
    cr_assert_eq(r.hi, 1.0);
}

Test(ratio_paired, deterministic) {
    double var[7];
    for (int i = 0; i < 7; i++) var[i] = base7[6 - i] * 1.05;
    hlb_ratio a = hlb_ratio_paired(var, base7, 7);
    /* Another computation in between must not change the next result. */
    (void)hlb_ratio_unpaired(base7, 7, var, 7);
    hlb_ratio b = hlb_ratio_paired(var, base7, 7);
    cr_assert_eq(a.point, b.point);
    cr_assert_eq(a.lo, b.lo);
    cr_assert_eq(a.hi, b.hi);
    cr_assert(a.lo < a.hi, "reversed pairing must spread the ratios: [%g, %g]", a.lo, a.hi);
}

Test(ratio_paired, single_rep_interval_is_the_point) {
    double v = 3.0, b = 2.0;
    hlb_ratio r = hlb_ratio_paired(&v, &b, 1);
    cr_assert_float_eq(r.point, 1.5, 1e-12);
    cr_assert_eq(r.lo, r.point);
    cr_assert_eq(r.hi, r.point);
}

Test(ratio_paired, no_reps_or_bad_values_give_nan) {
    double v[] = {1, 2, 3}, b[] = {1, 2, 3};
    expect_nan(hlb_ratio_paired(v, b, 0));
    expect_nan(hlb_ratio_paired(NULL, b, 3));
    double zero[] = {1, 0, 3}, neg[] = {1, -2, 3}, nan[] = {1, NAN, 3}, inf[] = {1, INFINITY, 3};
    expect_nan(hlb_ratio_paired(zero, b, 3));
    expect_nan(hlb_ratio_paired(v, neg, 3));
    expect_nan(hlb_ratio_paired(nan, b, 3));
    expect_nan(hlb_ratio_paired(v, inf, 3));
}

Test(ratio_unpaired, clear_shift_both_ways) {
    double slow[7], fast[7];
    for (int i = 0; i < 7; i++) {
        slow[i] = base7[i] * 2;
        fast[i] = base7[6 - i] * 0.5;
    }
    hlb_ratio up = hlb_ratio_unpaired(base7, 7, slow, 7);
    cr_assert_float_eq(up.point, 2.0, 1e-9, "2.02 / 1.01: got %g", up.point);
    cr_assert(up.lo > 1 && up.lo <= up.point && up.point <= up.hi, "[%g, %g]", up.lo, up.hi);
    hlb_ratio down = hlb_ratio_unpaired(base7, 7, fast, 7);
    cr_assert_float_eq(down.point, 0.5, 1e-9);
    cr_assert(down.hi < 1 && down.lo <= down.point && down.point <= down.hi, "[%g, %g]", down.lo, down.hi);
}

Test(ratio_unpaired, same_distribution_contains_one) {
    double other[] = {1.02, 0.99, 1.04, 0.98, 1.01, 1.03, 0.97};
    hlb_ratio r = hlb_ratio_unpaired(base7, 7, other, 7);
    cr_assert(r.lo < 1 && r.hi > 1, "[%g, %g] should contain 1", r.lo, r.hi);
    hlb_ratio same = hlb_ratio_unpaired(base7, 7, base7, 7);
    cr_assert_eq(same.point, 1.0);
    cr_assert(same.lo <= 1 && same.hi >= 1);
}

Test(ratio_unpaired, uneven_counts_and_determinism) {
    double n3[] = {1.5, 1.6, 1.55};
    hlb_ratio a = hlb_ratio_unpaired(base7, 7, n3, 3);
    hlb_ratio b = hlb_ratio_unpaired(base7, 7, n3, 3);
    cr_assert_float_eq(a.point, 1.55 / 1.01, 1e-12);
    cr_assert(a.lo > 1);
    cr_assert(a.point == b.point && a.lo == b.lo && a.hi == b.hi);
}

Test(ratio_unpaired, single_samples_and_bad_input) {
    double o = 2, n = 3;
    hlb_ratio r = hlb_ratio_unpaired(&o, 1, &n, 1);
    cr_assert_float_eq(r.point, 1.5, 1e-12);
    cr_assert(r.lo == r.point && r.hi == r.point);
    expect_nan(hlb_ratio_unpaired(&o, 0, &n, 1));
    expect_nan(hlb_ratio_unpaired(&o, 1, &n, 0));
    double z = 0;
    expect_nan(hlb_ratio_unpaired(&z, 1, &n, 1));
    expect_nan(hlb_ratio_unpaired(&o, 1, NULL, 1));
}

Test(noise, wall_against_cpu_boundary) {
    char why[HLB_NOISE_REASON_MAX];
    /* Exactly 10% more wall than CPU is not noisy; a little more is. */
    cr_assert_eq(hlb_noise_stats(1.10, 1.10, 1.10, 1.00, why, sizeof why), 0);
    cr_assert_str_empty(why);
    cr_assert_eq(hlb_noise_stats(1.1011, 1.1011, 1.1011, 1.00, why, sizeof why), 1);
    cr_assert_str_eq(why, "wall exceeds CPU by 10.1%");
    cr_assert_eq(hlb_noise_stats(1.14, 1.14, 1.14, 1.00, why, sizeof why), 1);
    cr_assert_str_eq(why, "wall exceeds CPU by 14%");
    /* CPU above wall (several threads) is never noisy by this rule. */
    cr_assert_eq(hlb_noise_stats(1.0, 1.0, 1.0, 1.9, why, sizeof why), 0);
    /* Unknown CPU time skips the rule. */
    cr_assert_eq(hlb_noise_stats(1.0, 1.0, 1.0, NAN, why, sizeof why), 0);
}

Test(noise, spread_boundary) {
    char why[HLB_NOISE_REASON_MAX];
    cr_assert_eq(hlb_noise_stats(1.00, 0.95, 1.05, 1.00, why, sizeof why), 0, "exactly 10%%: %s", why);
    cr_assert_eq(hlb_noise_stats(1.00, 0.94, 1.06, 1.00, why, sizeof why), 1);
    cr_assert_str_eq(why, "spread 12% of median");
    cr_assert_eq(hlb_noise_stats(1.00, 0.949, 1.052, 1.00, why, sizeof why), 1);
    cr_assert_str_eq(why, "spread 10.3% of median");
}

Test(noise, both_rules_and_truncation) {
    char why[HLB_NOISE_REASON_MAX];
    cr_assert_eq(hlb_noise_stats(1.2, 1.0, 1.4, 1.0, why, sizeof why), 1);
    cr_assert_str_eq(why, "wall exceeds CPU by 20%; spread 33% of median");
    char small[6];
    cr_assert_eq(hlb_noise_stats(1.2, 1.0, 1.4, 1.0, small, sizeof small), 1);
    cr_assert_str_eq(small, "wall ");
    cr_assert_eq(hlb_noise_stats(1.2, 1.0, 1.4, 1.0, NULL, 0), 1);
}

Test(noise, from_samples) {
    char why[HLB_NOISE_REASON_MAX] = "stale";
    double wall[] = {1.00, 1.02, 0.99, 1.01, 1.00};
    double cpu[] = {0.99, 1.01, 0.98, 1.00, 0.99};
    cr_assert_eq(hlb_noise(wall, cpu, 5, why, sizeof why), 0);
    cr_assert_str_empty(why);
    double spread[] = {1.00, 1.20, 0.99, 1.01, 1.00};
    cr_assert_eq(hlb_noise(spread, cpu, 5, why, sizeof why), 1);
    cr_assert_str_eq(why, "spread 21% of median");
    double waited[] = {0.80, 0.81, 0.79, 0.80, 0.80};
    cr_assert_eq(hlb_noise(wall, waited, 5, why, sizeof why), 1);
    cr_assert_str_eq(why, "wall exceeds CPU by 25%");
    cr_assert_eq(hlb_noise(wall, NULL, 5, why, sizeof why), 0, "no CPU times: spread rule only");
}

Test(noise, one_and_zero_samples) {
    char why[HLB_NOISE_REASON_MAX] = "stale";
    double w = 1.0, c = 0.5;
    cr_assert_eq(hlb_noise(&w, &c, 1, why, sizeof why), 1);
    cr_assert_str_eq(why, "wall exceeds CPU by 100%");
    double c_ok = 0.99;
    cr_assert_eq(hlb_noise(&w, &c_ok, 1, why, sizeof why), 0, "one sample has no spread");
    strcpy(why, "stale");
    cr_assert_eq(hlb_noise(&w, &c, 0, why, sizeof why), 0);
    cr_assert_str_empty(why);
    double nan_wall[] = {1.0, NAN, 1.0};
    cr_assert_eq(hlb_noise(nan_wall, NULL, 3, why, sizeof why), 0, "a NAN wall is not judged");
}
