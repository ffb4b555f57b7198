/*
** bench/report/claims_out.c: the claims table as Markdown, CSV and JSON (see claims_out.h).
*/
#define _GNU_SOURCE
#include "report/claims_out.h"

#include <stdlib.h>
#include <string.h>

/* CSV and JSON keep the order of the JSON shape; Markdown puts the verdict next to the claim. */
static const hlb_col claim_cols[] = {
    {"claim", "claim", HLB_COL_ALL, 0},
    {"source", "source", HLB_COL_DATA, 0},
    {"evidence", "evidence", HLB_COL_DATA, 0},
    {"figure", "figure", HLB_COL_DATA, 0},
    {"verdict", "verdict", HLB_COL_DATA, 0},
    {"command", "command", HLB_COL_DATA, 0},
    {"md_verdict", "verdict", HLB_COL_MD, 0},
    {"md_figure", "figure (this machine)", HLB_COL_MD, 0},
    {"md_evidence", "evidence", HLB_COL_MD, 0},
    {"md_source", "source", HLB_COL_MD, 0},
    {"md_command", "command", HLB_COL_MD, 0},
};

void hlb_claims_table(hlb_table *t, const hlb_claim *claims, size_t n) {
    hlb_table_init(t, claim_cols, sizeof claim_cols / sizeof *claim_cols);
    for (size_t i = 0; i < n; i++) {
        const hlb_claim *c = &claims[i];
        const char *v = hlb_claim_verdict_name(c->verdict);
        hlb_table_row(t);
        hlb_table_str(t, "claim", c->claim);
        hlb_table_str(t, "source", c->source);
        hlb_table_str(t, "evidence", c->evidence);
        hlb_table_str(t, "figure", c->figure);
        hlb_table_str(t, "verdict", v);
        hlb_table_str(t, "command", c->command);
        char *md = hlb_fmt("**%s**", v);
        hlb_table_str(t, "md_verdict", md);
        free(md);
        hlb_table_str(t, "md_figure", c->figure && c->figure[0] ? c->figure : "–");
        hlb_table_str(t, "md_evidence", c->evidence);
        hlb_table_str(t, "md_source", c->source);
        /* A command in backticks, unless it is a sentence ("none: ..."). */
        if (c->command && strncmp(c->command, "none", 4)) md = hlb_fmt("`%s`", c->command);
        else md = hlb_xstrdup(c->command ? c->command : "");
        hlb_table_str(t, "md_command", md);
        free(md);
    }
}

void hlb_claims_write(FILE *f, const void *doc, hlb_format fmt) {
    const hlb_claims_doc *d = doc;
    hlb_table t;
    hlb_claims_table(&t, d->claims, d->n);
    if (fmt == HLB_FMT_JSON) {
        fputs("{\"claims\": ", f);
        hlb_table_write(f, &t, fmt, 0);
        fputs("}\n", f);
    } else if (fmt == HLB_FMT_CSV) {
        hlb_table_write(f, &t, fmt, 0);
    } else {
        int count[HLB_CLAIM_NVERDICTS] = {0};
        for (size_t i = 0; i < d->n; i++) count[d->claims[i].verdict]++;
        fprintf(f,
                "heaplab claims: the lesson's claims against what heaplab measured on this machine: %d hold, %d "
                "hold with a caveat, %d do not hold, %d not measured here.\n\n",
                count[HLB_CLAIM_HOLDS], count[HLB_CLAIM_CAVEAT], count[HLB_CLAIM_FAILS], count[HLB_CLAIM_UNMEASURED]);
        hlb_table_write(f, &t, fmt, 0);
        for (size_t i = 0; d->notices && i < d->notices->n; i++) fprintf(f, "%s> notice: %s\n", i ? "" : "\n", d->notices->v[i]);
    }
    hlb_table_free(&t);
}
