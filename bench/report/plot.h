/*
** bench/report/plot.h: SVG plots through gnuplot (an optional dependency): grouped bars of the
** wall time and RSS ratios to the baseline per program and variant, and the GC space-time sweep
** curve. Without gnuplot the caller prints a notice instead.
*/
#ifndef HLB_PLOT_H
#define HLB_PLOT_H

#include "measure/schedule.h"

#include <stddef.h>

/* gnuplot's path (malloc'd) or NULL. */
char *hlb_gnuplot(void);

/* Write dir/wall_ratio.svg and dir/rss_ratio.svg. Returns 0, or -1 with err set. */
int hlb_plot_bench(const hlb_results *b, const char *dir, char *err, size_t errlen);

/* Write dir/sweep_<program>.svg. */
int hlb_plot_sweep(const hlb_results *r, const char *dir, char *err, size_t errlen);

#endif
