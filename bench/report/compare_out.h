/*
** bench/report/compare_out.h: `heaplab compare` as Markdown, CSV and JSON: per matched cell the
** old and new median wall times, the ratio NEW/OLD with its 95% interval and the verdict
** (faster, slower, no change, not comparable, only in OLD, only in NEW), and the counts.
** The JSON document is {"kind": "compare", "compared": "bench"|"sweep", "old": {"file",
** "provenance"}, "new": {...}, "cells": [...], "counts": {...}}.
*/
#ifndef HLB_COMPARE_OUT_H
#define HLB_COMPARE_OUT_H

#include "analyze/compare.h"
#include "cli/options.h"

#include <stdio.h>

typedef struct hlb_compare_doc {
    const hlb_compare *cmp;
    const char *old_file, *new_file;
} hlb_compare_doc;

/* The writer (hlb_writer signature; doc is a const hlb_compare_doc *). */
void hlb_compare_write(FILE *f, const void *doc, hlb_format fmt);

#endif
