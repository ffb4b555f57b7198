/*
** bench/analyze/stats.h: the summary statistics the driver reports: median, minimum, maximum and
** geometric mean of a set of measurements.
*/
#ifndef HLB_STATS_H
#define HLB_STATS_H

#include <stddef.h>

/* Median of n values (the mean of the two middle ones when n is even); NAN when n == 0.
** The input is not modified. */
double hlb_median(const double *v, size_t n);
double hlb_min(const double *v, size_t n);   /* NAN when n == 0 */
double hlb_max(const double *v, size_t n);   /* NAN when n == 0 */
/* Geometric mean of the finite positive values among v; NAN when there are none. *used, when
** not NULL, receives how many values were used. */
double hlb_geomean(const double *v, size_t n, size_t *used);

#endif
