/*
** regressions.h: hand-written sequences kept as regression tests (regressions.c), each with
** the kind the model must predict for it (HLM_OK: runs to the end).
*/
#ifndef HLM_REGRESSIONS_H
#define HLM_REGRESSIONS_H

#include "model.h"

typedef struct hlm_regression {
    const char   *name;
    const hlm_op *ops;
    size_t        n;
    hlm_kind      expect;
} hlm_regression;

extern const hlm_regression hlm_regressions[];   /* ends with a NULL name */

#endif
