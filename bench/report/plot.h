/*
** bench/report/plot.h: SVG plots through gnuplot (an optional dependency): grouped bars of the wall
** time and peak RSS ratios to manual per program and runtime, and the GC space-time sweep
** curve. Without gnuplot the caller prints a notice instead.
*/
#ifndef HLB_PLOT_H
#define HLB_PLOT_H

#include "measure/schedule.h"

#include <stddef.h>

/* gnuplot's path (malloc'd) or NULL. */
char *hlb_gnuplot(void);

/* Write dir/wall_ratio.svg and dir/rss_ratio.svg. Returns 0, or -1 with err set. */
int hlb_plot_bench(const hlb_bench *b, const char *dir, char *err, size_t errlen);

/* One point of a sweep curve. */
typedef struct hlb_sweep_point {
    double factor;        /* heap limit / manual's peak live bytes */
    double ratio_wall;    /* NAN when the run failed */
    double collections;   /* NAN when unknown */
} hlb_sweep_point;

/* Write dir/sweep_<program>.svg. */
int hlb_plot_sweep(const char *program, const hlb_sweep_point *pts, size_t n, double default_ratio, const char *dir,
                   char *err, size_t errlen);

#endif
