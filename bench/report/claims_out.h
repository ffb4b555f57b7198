/*
** bench/report/claims_out.h: the claims table (analyze/claims.h) as Markdown, CSV and JSON.
** JSON is exactly {"claims": [{"claim", "source", "evidence", "figure", "verdict", "command"}]};
** Markdown a short introduction, the table (claim, verdict, figure, evidence, source, command)
** and the notices; CSV the same columns, one line per claim.
*/
#ifndef HLB_CLAIMS_OUT_H
#define HLB_CLAIMS_OUT_H

#include "analyze/claims.h"
#include "cli/options.h"
#include "report/table.h"
#include "util/util.h"

#include <stdio.h>

typedef struct hlb_claims_doc {
    const hlb_claim *claims;
    size_t n;
    const hlb_strlist *notices;   /* shown under the Markdown table (may be NULL) */
} hlb_claims_doc;

/* The claims as a table of the one table layer (free with hlb_table_free). */
void hlb_claims_table(hlb_table *t, const hlb_claim *claims, size_t n);

/* The writer (hlb_writer signature; doc is a const hlb_claims_doc *). */
void hlb_claims_write(FILE *f, const void *doc, hlb_format fmt);

#endif
