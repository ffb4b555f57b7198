/*
** bench/analyze/decompose.h: what each guarantee costs, per program. The bench variants form
** a ladder from plain C to the fully checked runtime, and the ratio between two neighbouring
** rungs isolates one cost:
**
**   manual / c            the API's own cost on malloc/free (it should be ~1)
**   gc / c+gc             the API's own cost on Boehm
**   owned-off / c         the handle indirection alone (a table lookup per access, no checks)
**   owned-fast / owned-off  the checks (generation, type, borrow state, bounds)
**   owned / owned-fast    remembering allocation, move and drop sites for the diagnostics
**   rust / c              safe Rust's distance from plain C, for reference
**
** Each ratio is paired over the interleaved repetitions of the two cells (analyze/ratio.h),
** with its 95% interval; a step whose two cells are not both ok is missing (NAN).
*/
#ifndef HLB_DECOMPOSE_H
#define HLB_DECOMPOSE_H

#include "measure/schedule.h"

typedef struct hlb_step {
    const char *key;     /* JSON/CSV key: "api_manual", "handle", ... */
    const char *label;   /* Markdown header: "owned-off / c (handle)" */
    const char *num, *den;
} hlb_step;

extern const hlb_step hlb_steps[];
extern const size_t hlb_nsteps;

/* One program's row: the ratio of every step (NAN when missing). The last row of a
** decomposition is the geometric mean over programs, named "geomean". */
#define HLB_MAX_STEPS 8
typedef struct hlb_decomp_row {
    char program[64];
    hlb_ratio step[HLB_MAX_STEPS];
} hlb_decomp_row;

/* Fill r->decomp (bench only; nothing when no step has both of its variants). */
void hlb_decompose(hlb_results *r);

#endif
