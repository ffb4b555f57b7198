/*
** bench/analyze/compare.h: `heaplab compare OLD NEW` without the output: match the cells of two
** results documents (bench or sweep, the format of driver_layout.md), give each matched cell
** the ratio NEW/OLD of its median wall time with a 95% interval and a verdict (faster, slower,
** no change), list the cells found in only one file, and apply the --fail-above gate.
** Nothing here prints; the compare writer turns the rows into md, csv or json.
*/
#ifndef HLB_COMPARE_H
#define HLB_COMPARE_H

#include "analyze/ratio.h"
#include "report/json.h"
#include "report/provenance.h"

#include <stddef.h>

typedef enum hlb_cmp_verdict {
    HLB_CMP_FASTER,          /* both ok, the interval of NEW/OLD lies below 1 */
    HLB_CMP_SLOWER,          /* both ok, the interval lies above 1 */
    HLB_CMP_NO_CHANGE,       /* both ok, the interval contains 1 */
    HLB_CMP_NOT_COMPARABLE,  /* a status other than "ok" on either side, or no usable samples */
    HLB_CMP_ONLY_OLD,        /* the cell is in OLD only */
    HLB_CMP_ONLY_NEW,        /* the cell is in NEW only */
    HLB_CMP_NVERDICTS
} hlb_cmp_verdict;

/* Longest verdict text, NUL included ("not comparable (out of memory / interrupted)" fits). */
#define HLB_CMP_VERDICT_MAX 64

/* One cell of either file, or the pair of them. Strings are owned by the row (copied from the
** documents, so rows stay valid after the documents are freed). */
typedef struct hlb_cmp_row {
    /* The key: cells match when all four are equal (NAN equals NAN, i.e. both absent). */
    char *program;
    char *variant;
    double size;             /* the cell's "size"; NAN when absent */
    double factor;           /* sweep cells' "factor"; NAN for bench cells */
    char *size_class;        /* NEW's "size_class" (OLD's for ONLY_OLD rows); NULL when absent */
    char *old_status;        /* the cell's "status" in each file ("unknown" when the cell has */
    char *new_status;        /* none); NULL when the cell is not in that file */
    double old_wall;         /* median wall seconds: median of the cell's samples' wall_s, */
    double new_wall;         /* else its "wall_median_s"; NAN when absent or not in that file */
    size_t old_n, new_n;     /* how many samples each side has (0 when absent) */
    hlb_ratio ratio;         /* NEW/OLD (hlb_ratio_unpaired over both cells' wall_s samples):
                             ** set only for FASTER, SLOWER and NO_CHANGE, else all NAN */
    hlb_cmp_verdict verdict;
    /* "faster", "slower", "no change", "only in OLD", "only in NEW", or "not comparable (S)"
    ** where S is the status that is not ok (both, as "OLD / NEW", when both are not ok and
    ** differ; a status is cut at 40 characters, 20 each when both are shown) or "no samples"
    ** when both are ok but a side has no usable wall_s samples (absent, or a value that is not a
    ** finite number > 0). */
    char verdict_text[HLB_CMP_VERDICT_MAX];
} hlb_cmp_row;

typedef struct hlb_compare {
    char kind[8];                      /* "bench" or "sweep", the kind of both files */
    hlb_cmp_row *rows;                 /* n rows: every OLD cell in OLD's order (matched or */
    size_t n;                          /* ONLY_OLD), then the ONLY_NEW cells in NEW's order */
    size_t counts[HLB_CMP_NVERDICTS];  /* how many rows have each verdict */
    hlb_provenance old_prov;           /* each file's "provenance" (fields "unknown" when the */
    hlb_provenance new_prov;           /* file has none) */
} hlb_compare;

/* Compare two parsed results documents. old_name and new_name (e.g. the file paths) are used
** only in error messages. On success fills *out and returns 0; release it with
** hlb_compare_free. On refusal returns -1, leaves *out empty (safe to free) and writes one line
** (no "heaplab compare: error:" prefix, no newline) into err[errlen]:
**   - a document that is not a heaplab results file (not an object, no "kind" string among
**     bench, sweep, safety, run, or no "cells" array), naming the file;
**   - files of two different kinds, naming both kinds;
**   - two files of a kind other than bench or sweep;
**   - a cell that is not an object with "program" and "variant" strings, naming file and cell.
** Matching: cell keys are (program, variant, size, factor); when a key occurs several times in
** a file, its k-th occurrence in OLD matches its k-th occurrence in NEW. A matched pair with
** both statuses "ok" and usable samples gets the ratio and verdict FASTER / SLOWER / NO_CHANGE
** (with one sample on each side the interval is the point, so any difference is a verdict). */
int hlb_compare_docs(const hlb_json *old_doc, const char *old_name, const hlb_json *new_doc,
                     const char *new_name, hlb_compare *out, char *err, size_t errlen);

/* The --fail-above gate: the number of rows that are SLOWER with ratio.point > 1 + pct / 100
** (0: the gate passes). pct is a percentage, range-checked by the caller (>= 0). When first is
** not NULL and the count is not 0, *first gets the index of the first such row. */
size_t hlb_compare_gate(const hlb_compare *c, double pct, size_t *first);

/* The verdict's generic name: "faster", "slower", "no change", "not comparable",
** "only in OLD", "only in NEW" (a static string; "?" for a value out of range). */
const char *hlb_cmp_verdict_name(hlb_cmp_verdict v);

/* Release everything c owns and leave it empty. Safe on a zeroed or already freed struct. */
void hlb_compare_free(hlb_compare *c);

#endif
