/*
** bench/report/report_out.h: the one-page HTML report of everything heaplab measured
** (`heaplab report`): machine and provenance, the bench table (ratios coloured, noisy cells
** flagged), the cost decomposition, the Rust rows, the plots, the GC sweep, the safety matrix
** (each cell's evidence on hover and in a <details>), the lesson's claims, and per program why
** each runtime is faster or slower (docs/performance.md). Self-contained: styles inline, plots as
** data: URIs, no script, nothing fetched. Every section is present even without its data (it
** then says which command produces it); their ids are hlb_report_sections.
*/
#ifndef HLB_REPORT_OUT_H
#define HLB_REPORT_OUT_H

#include "analyze/claims.h"
#include "cli/options.h"
#include "report/json.h"
#include "report/provenance.h"
#include "util/util.h"

#include <stddef.h>
#include <stdio.h>

typedef struct hlb_report_svg {
    char *name;                  /* file name in the results directory */
    unsigned char *data;
    size_t len;
} hlb_report_svg;

typedef struct hlb_report {
    char *dir;                   /* the results directory read */
    hlb_provenance prov;         /* of the report itself */
    hlb_json *bench, *sweep, *safety, *stack;   /* parsed results files; NULL when absent */
    char *sweep_name;            /* the sweep file's name */
    hlb_report_svg *svgs;
    size_t nsvgs;
    hlb_claim claims[HLB_NCLAIMS];
    int have_claims;
    hlb_strlist prog_names, prog_paras;   /* one paragraph per program, from docs/performance.md */
    char *perf_path;             /* the file they came from, or NULL */
    hlb_strlist notices;
} hlb_report;

/* The ids of the report's sections, in order; NULL-terminated. */
extern const char *const hlb_report_sections[];

/* The writer (hlb_writer signature; doc is a const hlb_report *; the format is ignored). */
void hlb_report_write(FILE *f, const void *doc, hlb_format fmt);

/* From the Markdown of docs/performance.md, the first paragraph under each "### NAME" heading
** of its "## Program by program" section (lines joined by spaces), added to names and paras.
** Returns how many were found. */
size_t hlb_perf_paragraphs(const char *md, hlb_strlist *names, hlb_strlist *paras);

void hlb_report_free(hlb_report *r);

#endif
