/*
** bench/analyze/ratio.c: paired and unpaired wall ratios with percentile bootstrap intervals,
** and the noisy-cell rule (see ratio.h).
*/
#define _GNU_SOURCE
#include "analyze/ratio.h"
#include "util/util.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The bootstrap's random numbers: splitmix64, small and with a well-spread output for any seed.
** The state lives on the caller's stack, so every call starts from HLB_BOOTSTRAP_SEED. */
typedef struct {
    uint64_t s;
} prng;

static uint64_t prng_next(prng *r) {
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* An index in [0, n). The modulo bias is below n / 2^64: nothing at the sample counts used. */
static size_t prng_index(prng *r, size_t n) {
    return (size_t)(prng_next(r) % (uint64_t)n);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n), n > 0, sorting v in place. */
static double median_inplace(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double median_copy(const double *v, size_t n, double *scratch) {
    memcpy(scratch, v, n * sizeof *v);
    return median_inplace(scratch, n);
}

/* The q-quantile (0 <= q <= 1) of sorted v[0..n), interpolated linearly between order
** statistics at position q * (n - 1). */
static double quantile_sorted(const double *v, size_t n, double q) {
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    if (i + 1 >= n) return v[n - 1];
    double frac = pos - (double)i;
    return v[i] + frac * (v[i + 1] - v[i]);
}

static int all_positive(const double *v, size_t n) {
    if (!v) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]) || v[i] <= 0) return 0;
    return 1;
}

static hlb_ratio no_ratio(void) {
    return (hlb_ratio){NAN, NAN, NAN};
}

/* Turn the sorted bootstrap distribution into the interval around point. */
static hlb_ratio interval(double point, double *boot, size_t nboot) {
    qsort(boot, nboot, sizeof *boot, cmp_double);
    hlb_ratio r = {point, quantile_sorted(boot, nboot, 0.025), quantile_sorted(boot, nboot, 0.975)};
    if (r.lo > point) r.lo = point;
    if (r.hi < point) r.hi = point;
    return r;
}

hlb_ratio hlb_ratio_paired(const double *var, const double *base, size_t n) {
    if (n == 0 || !all_positive(var, n) || !all_positive(base, n)) return no_ratio();
    double *ratios = hlb_xmalloc(n * sizeof *ratios);
    double *scratch = hlb_xmalloc(n * sizeof *scratch);
    for (size_t i = 0; i < n; i++) ratios[i] = var[i] / base[i];
    double point = median_copy(ratios, n, scratch);
    hlb_ratio r = {point, point, point};
    if (n > 1) {
        double *boot = hlb_xmalloc(HLB_BOOTSTRAP_RESAMPLES * sizeof *boot);
        prng rng = {HLB_BOOTSTRAP_SEED};
        for (size_t b = 0; b < HLB_BOOTSTRAP_RESAMPLES; b++) {
            for (size_t i = 0; i < n; i++) scratch[i] = ratios[prng_index(&rng, n)];
            boot[b] = median_inplace(scratch, n);
        }
        r = interval(point, boot, HLB_BOOTSTRAP_RESAMPLES);
        free(boot);
    }
    free(scratch);
    free(ratios);
    return r;
}

hlb_ratio hlb_ratio_unpaired(const double *old_v, size_t n_old, const double *new_v, size_t n_new) {
    if (n_old == 0 || n_new == 0 || !all_positive(old_v, n_old) || !all_positive(new_v, n_new))
        return no_ratio();
    size_t nmax = n_old > n_new ? n_old : n_new;
    double *scratch = hlb_xmalloc(nmax * sizeof *scratch);
    double point = median_copy(new_v, n_new, scratch) / median_copy(old_v, n_old, scratch);
    hlb_ratio r = {point, point, point};
    if (n_old > 1 || n_new > 1) {
        double *boot = hlb_xmalloc(HLB_BOOTSTRAP_RESAMPLES * sizeof *boot);
        prng rng = {HLB_BOOTSTRAP_SEED};
        for (size_t b = 0; b < HLB_BOOTSTRAP_RESAMPLES; b++) {
            for (size_t i = 0; i < n_old; i++) scratch[i] = old_v[prng_index(&rng, n_old)];
            double m_old = median_inplace(scratch, n_old);
            for (size_t i = 0; i < n_new; i++) scratch[i] = new_v[prng_index(&rng, n_new)];
            boot[b] = median_inplace(scratch, n_new) / m_old;
        }
        r = interval(point, boot, HLB_BOOTSTRAP_RESAMPLES);
        free(boot);
    }
    free(scratch);
    return r;
}

/* The relative margin under which "more than 10%" is not decided by rounding error. */
#define NOISE_LIMIT 0.10
#define NOISE_MARGIN 1e-9

int hlb_noise_stats(double wall_median, double wall_min, double wall_max, double cpu_median,
                    char *reason, size_t len) {
    char buf[HLB_NOISE_REASON_MAX] = "";
    int noisy = 0;
    if (isfinite(wall_median) && wall_median > 0) {
        if (isfinite(cpu_median) && cpu_median > 0 &&
            wall_median > cpu_median * (1 + NOISE_LIMIT) * (1 + NOISE_MARGIN)) {
            double pct = (wall_median / cpu_median - 1) * 100;
            snprintf(buf, sizeof buf, pct < 10.5 ? "wall exceeds CPU by %.1f%%" : "wall exceeds CPU by %.0f%%", pct);
            noisy = 1;
        }
        double spread = wall_max - wall_min;
        if (isfinite(spread) && spread > wall_median * NOISE_LIMIT * (1 + NOISE_MARGIN)) {
            double pct = spread / wall_median * 100;
            size_t used = strlen(buf);
            snprintf(buf + used, sizeof buf - used, pct < 10.5 ? "%sspread %.1f%% of median" : "%sspread %.0f%% of median",
                     noisy ? "; " : "", pct);
            noisy = 1;
        }
    }
    if (reason && len > 0) snprintf(reason, len, "%s", buf);
    return noisy;
}

int hlb_noise(const double *wall, const double *cpu, size_t n, char *reason, size_t len) {
    if (n == 0 || !wall) {
        if (reason && len > 0) reason[0] = 0;
        return 0;
    }
    double *scratch = hlb_xmalloc(n * sizeof *scratch);
    double wmed = median_copy(wall, n, scratch);
    double wmin = wall[0], wmax = wall[0];
    int nan = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(wall[i])) nan = 1;
        if (wall[i] < wmin) wmin = wall[i];
        if (wall[i] > wmax) wmax = wall[i];
    }
    if (nan) wmed = NAN;
    double cmed = NAN;
    if (cpu) {
        cmed = median_copy(cpu, n, scratch);
        for (size_t i = 0; i < n; i++)
            if (isnan(cpu[i])) cmed = NAN;
    }
    free(scratch);
    return hlb_noise_stats(wmed, wmin, wmax, cmed, reason, len);
}
