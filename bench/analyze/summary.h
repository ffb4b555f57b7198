/*
** bench/analyze/summary.h: what a results set says: each cell's statistics (median, min, max
** wall; median CPU and RSS), its checksum against the baseline's, its paired wall ratio to the
** baseline with a 95% interval and its RSS ratio (analyze/ratio.h), whether it is noisy, the
** geometric-mean row of each variant, and the sweep's conclusion.
*/
#ifndef HLB_SUMMARY_H
#define HLB_SUMMARY_H

#include "measure/schedule.h"

/* Fill every cell's summary, checksum mismatches, ratios, noise, the geomean rows (bench) and
** the conclusion (sweep). Ratios are taken against the cell of r->baseline for the same program
** (for a sweep, the baseline's cell without a heap limit), or manual's when the baseline is a
** peer without that program (cell->ratio_to names it); the baseline's checksum, or else the
** first ok cell's, is the one every cell of the program must print. */
void hlb_results_summarise(hlb_results *r);

/* The sweep's conclusion over the cells of `variant` that have a factor: the smallest factor F
** such that F and every larger factor measured are ok and within 10% of the baseline
** (ratio_wall <= 1.10); NAN when the largest factor is not. */
double hlb_sweep_conclusion(const hlb_results *r, const char *variant);

#endif
