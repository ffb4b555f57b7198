/*
** bench/report/safety_out.h: the safety matrix and its writer. Markdown: the provenance header,
** the matrix (a row per fault, a column per variant, each cell's outcome), the legend, the
** notices and, verbosely (always in files), each cell's evidence. CSV and JSON: one cell per
** fault and variant: fault, variant, outcome, exit_status, signal, evidence; the JSON document
** is {"kind": "safety", "provenance", "columns", "cells", "notices"}.
*/
#ifndef HLB_SAFETY_OUT_H
#define HLB_SAFETY_OUT_H

#include "analyze/classify.h"
#include "cli/options.h"
#include "discover/variants.h"
#include "report/provenance.h"
#include "util/util.h"

#include <stdio.h>

typedef struct hlb_safety_cell {
    int missing;              /* no binary: "not built" */
    hlb_verdict verdict;
    int exit_status, signal;  /* how it ended (exit_status when signal == 0 and not timed out) */
    int timed_out;
} hlb_safety_cell;

typedef struct hlb_safety {
    hlb_provenance prov;
    hlb_strlist faults;           /* the rows */
    const hlb_variant **cols;     /* the columns */
    size_t ncols;
    hlb_safety_cell *cells;       /* faults.n x ncols */
    hlb_strlist notices;
    int verbose;                  /* evidence on stdout too */
} hlb_safety;

/* The writer (hlb_writer signature; doc is a const hlb_safety *). */
void hlb_safety_write(FILE *f, const void *doc, hlb_format fmt);
/* The same for files: Markdown always with the evidence. */
void hlb_safety_write_file(FILE *f, const void *doc, hlb_format fmt);

#endif
