/*
** bench/analyze/ratio.h: how much slower one set of timings is than another, with a 95%
** confidence interval, and whether a cell's timings are too noisy to quote.
**
** Two ratios are provided:
**   - paired (bench, sweep): wall[variant][i] / wall[baseline][i] for interleaved repetition i;
**     the point is the median of those n ratios, the interval a percentile bootstrap over them;
**   - unpaired (compare): median(NEW samples) / median(OLD samples) of two independent runs;
**     the interval is a percentile bootstrap that resamples each side independently.
** Both bootstraps draw HLB_BOOTSTRAP_RESAMPLES resamples from a PRNG private to ratio.c that is
** reseeded with HLB_BOOTSTRAP_SEED at every call, so the same samples always give the same
** interval, whatever was computed before. Nothing here prints; nothing keeps state.
*/
#ifndef HLB_RATIO_H
#define HLB_RATIO_H

#include <stddef.h>

#define HLB_BOOTSTRAP_RESAMPLES 2000
#define HLB_BOOTSTRAP_SEED 0x686561706c6162ULL   /* "heaplab" */

/* A ratio and its 95% interval. point, lo and hi are all NAN when no ratio can be computed
** (see each function); otherwise all three are finite and lo <= point <= hi (the percentile
** interval is widened to include the point in the rare case it would not). */
typedef struct hlb_ratio {
    double point;
    double lo;      /* 2.5th percentile of the bootstrap distribution */
    double hi;      /* 97.5th percentile */
} hlb_ratio;

/* Paired wall ratio of a variant against the baseline.
** var[i] and base[i] (i < n) are the wall times of repetition i of the variant and of the
** baseline; the arrays are only read. Result: point = median over i of var[i] / base[i];
** [lo, hi] = 2.5th and 97.5th percentiles of the medians of HLB_BOOTSTRAP_RESAMPLES resamples
** (n ratios drawn with replacement). n == 1 gives lo = hi = point.
** Errors: n == 0, a NULL array, or any var[i] or base[i] that is not a finite number > 0 gives
** all three fields NAN (a cell with a failed repetition has no ratio). */
hlb_ratio hlb_ratio_paired(const double *var, const double *base, size_t n);

/* Unpaired ratio NEW/OLD of two independent sets of samples (compare OLD NEW).
** old_v[0..n_old) and new_v[0..n_new) are only read. Result: point = median(new_v) /
** median(old_v); [lo, hi] = percentiles of median(new resample) / median(old resample) over
** HLB_BOOTSTRAP_RESAMPLES rounds, each side resampled with replacement at its own size.
** n_old == n_new == 1 gives lo = hi = point.
** Errors: either count 0, a NULL array, or any value that is not a finite number > 0 gives all
** three fields NAN. */
hlb_ratio hlb_ratio_unpaired(const double *old_v, size_t n_old, const double *new_v, size_t n_new);

/* Room for any reason string written by the noise checks, terminating NUL included. */
#define HLB_NOISE_REASON_MAX 64

/* The noisy-cell rule: a cell is noisy when its median wall time exceeds its median CPU time
** by more than 10% (the process waited: other load, I/O, frequency changes), or when its
** max - min wall spread exceeds 10% of its median wall time. Exactly 10% is not noisy (the
** comparison allows a relative rounding margin of 1e-9, so that values written as 1.10 and
** 1.00 are not flagged by floating-point error).
**
** hlb_noise_stats takes the cell's summary: median, min and max wall, median CPU (seconds).
** A NAN cpu_median (CPU time unknown) skips the first rule; NAN or non-positive wall figures
** make the cell not noisy (there is nothing to judge).
** Returns 1 when noisy, 0 when not. reason (when not NULL and len > 0) receives "" when not
** noisy, else a short explanation such as "wall exceeds CPU by 14%" or "spread 12% of median";
** when both rules hold they are joined: "wall exceeds CPU by 14%; spread 12% of median".
** The reason is truncated to len - 1 characters; HLB_NOISE_REASON_MAX is always enough. */
int hlb_noise_stats(double wall_median, double wall_min, double wall_max, double cpu_median,
                    char *reason, size_t len);

/* The same rule from a cell's raw samples: wall[0..n) and cpu[0..n) (cpu may be NULL: CPU
** time unknown). n == 0 is not noisy. Values are only read; NAN entries are not skipped (they
** make the corresponding median NAN, and a NAN figure is not judged, as above). */
int hlb_noise(const double *wall, const double *cpu, size_t n, char *reason, size_t len);

#endif
