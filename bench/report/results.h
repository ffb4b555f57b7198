/*
** bench/report/results.h: the writers of results sets (bench, sweep, run) and the pieces they
** share. JSON is the results format of docs/measuring.md:
**   {"kind", "provenance", "baseline", ..., "cells": [{"program", "variant", "size_class",
**    "size", ["factor", "heap_limit_bytes",] "status", "reason", "reps", "samples":
**    [{"wall_s", "cpu_s", "rss_kib"}], "wall_median_s", "wall_min_s", "wall_max_s",
**    "cpu_median_s", "rss_median_kib", "ratio_wall", "ratio_wall_lo", "ratio_wall_hi",
**    "ratio_rss", "ratio_to", "noisy", "noise", "checksum", runtime statistics...}], ...}
** CSV has the same cell columns (without the samples); Markdown a short provenance header, the
** table (noisy figures marked "~", with a legend), and the reasons of failed cells.
*/
#ifndef HLB_RESULTS_H
#define HLB_RESULTS_H

#include "cli/options.h"
#include "measure/schedule.h"
#include "report/table.h"

#include <stdio.h>

/* The writers (hlb_writer signature; doc is a const hlb_results *). */
void hlb_bench_write(FILE *f, const void *doc, hlb_format fmt);
void hlb_sweep_write(FILE *f, const void *doc, hlb_format fmt);
void hlb_run_write(FILE *f, const void *doc, hlb_format fmt);

/* The data columns every cell table has (CSV and JSON), in order; sweep adds its own. */
#define HLB_CELL_KEY_COLUMNS                                                                                   \
    {"program", "program", HLB_COL_DATA, 0}, {"variant", "variant", HLB_COL_DATA, 0},                          \
        {"size_class", "size class", HLB_COL_DATA, 0}, {"size", "size", HLB_COL_DATA, 1}
#define HLB_CELL_DATA_COLUMNS                                                                                  \
    {"status", "status", HLB_COL_DATA, 0}, {"reason", "reason", HLB_COL_DATA, 0},                              \
        {"reps", "reps", HLB_COL_DATA, 1}, {"samples", "samples", HLB_COL_JSON, 0},                            \
        {"wall_median_s", "wall s", HLB_COL_DATA, 1}, {"wall_min_s", "min", HLB_COL_DATA, 1},                  \
        {"wall_max_s", "max", HLB_COL_DATA, 1}, {"cpu_median_s", "CPU s", HLB_COL_DATA, 1},                    \
        {"rss_median_kib", "RSS", HLB_COL_DATA, 1}, {"ratio_wall", "ratio", HLB_COL_DATA, 1},                  \
        {"ratio_wall_lo", "lo", HLB_COL_DATA, 1}, {"ratio_wall_hi", "hi", HLB_COL_DATA, 1},                    \
        {"ratio_rss", "RSS ratio", HLB_COL_DATA, 1}, {"ratio_to", "ratio to", HLB_COL_DATA, 0}, {"noisy", "noisy", HLB_COL_DATA, 0},                      \
        {"noise", "noise", HLB_COL_DATA, 0}, {"checksum", "checksum", HLB_COL_DATA, 0},                        \
        {"allocations", "allocations", HLB_COL_DATA, 1}, {"frees", "frees", HLB_COL_DATA, 1},                  \
        {"bytes_allocated", "bytes allocated", HLB_COL_DATA, 1},                                               \
        {"live_objects", "live objects", HLB_COL_DATA, 1},                                                     \
        {"peak_live_bytes", "peak live", HLB_COL_DATA, 1}, {"collections", "GCs", HLB_COL_DATA, 1},            \
        {"gc_heap_bytes", "GC heap", HLB_COL_DATA, 1}

/* The Markdown columns of the figures of time, after the program or heap limit. */
#define HLB_CELL_MD_TIME_COLUMNS                                                                               \
    {"md_variant", "variant", HLB_COL_MD, 0}, {"md_wall", "wall s (median)", HLB_COL_MD, 1},                   \
        {"md_range", "min–max s", HLB_COL_MD, 1}, {"md_ratio", "ratio (95% CI)", HLB_COL_MD, 1}

/* Add a row for cell c: every data column, and the Markdown columns md_program ("program
** (size)"), md_wall (median, "~" when noisy, or the bold status), md_range ("min–max"),
** md_ratio ("1.04x (1.01–1.07)"), md_cpu, md_rss (MiB), md_rss_ratio, md_allocs, md_live (MiB),
** md_gcs, md_heap (MiB), md_factor ("2.50x"), md_limit (MiB). */
void hlb_cell_row(hlb_table *t, const hlb_cell *c);

/* Markdown: the provenance header of a results file (a short blockquote). */
void hlb_md_provenance(FILE *f, const hlb_provenance *p);
/* Markdown: after a cell table, the legend of "~" when a cell is noisy, the reasons of cells
** that are not ok, and the notices. */
void hlb_md_notes(FILE *f, const hlb_results *r);

/* JSON: the opening of a results document up to and including the "baseline" member; the
** caller continues with its members (each starting ",\n  ") and calls hlb_json_close_doc. */
void hlb_json_open_doc(FILE *f, const hlb_results *r);
/* JSON: ",\n  \"notices\": [...]\n}\n". */
void hlb_json_close_doc(FILE *f, const hlb_results *r);

#endif
