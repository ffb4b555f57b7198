/*
** bench/report/bench_out.h: the bench matrix as text: a Markdown table (with a geometric-mean row per
** runtime and the notices), CSV and JSON. CSV and JSON have the same columns (in this order):
**   program, runtime, size_class, size, reps, status, wall_median_s, wall_min_s, wall_max_s,
**   cpu_median_s, peak_rss_kib, ratio_wall, ratio_rss, allocations, frees, bytes_allocated,
**   peak_live_bytes, collections, gc_heap_bytes, checksum, reason
** Unknown numbers are empty in CSV and null in JSON. JSON is
**   {"machine": {...}, "size_class", "reps", "warmup", "results": [...], "geomean": [...]}.
*/
#ifndef HLB_REPORT_H
#define HLB_REPORT_H

#include "measure/schedule.h"

#include <stdio.h>

extern const char *const hlb_report_columns[];   /* NULL-terminated */

void hlb_report_md(FILE *f, const void *bench);    /* const hlb_bench * */
void hlb_report_csv(FILE *f, const void *bench);
void hlb_report_json(FILE *f, const void *bench);

/* Format helpers shared with the sweep report: a number with `prec` decimals or the
** placeholder when NAN/negative. */
const char *hlb_fmt_num(char *buf, size_t len, double v, int prec, const char *placeholder);

#endif
