/*
** bench/analyze/stats.c: median, minimum, maximum, geometric mean (see stats.h).
*/
#define _GNU_SOURCE
#include "analyze/stats.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double hlb_median(const double *v, size_t n) {
    if (n == 0) return NAN;
    double *s = hlb_xmalloc(n * sizeof *s);
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    free(s);
    return m;
}

double hlb_min(const double *v, size_t n) {
    if (n == 0) return NAN;
    double m = v[0];
    for (size_t i = 1; i < n; i++)
        if (v[i] < m) m = v[i];
    return m;
}

double hlb_max(const double *v, size_t n) {
    if (n == 0) return NAN;
    double m = v[0];
    for (size_t i = 1; i < n; i++)
        if (v[i] > m) m = v[i];
    return m;
}

double hlb_geomean(const double *v, size_t n, size_t *used) {
    double sum = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i]) || v[i] <= 0) continue;
        sum += log(v[i]);
        k++;
    }
    if (used) *used = k;
    return k ? exp(sum / (double)k) : NAN;
}
