/*
** bench/report/safety_out.c: the safety matrix as Markdown, CSV and JSON (see safety_out.h).
*/
#define _GNU_SOURCE
#include "report/safety_out.h"
#include "report/json.h"
#include "report/results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char legend[] =
    "Legend: **detected** a diagnostic names the bug and where, non-zero exit · **prevented** the bug cannot "
    "happen, the result is right · **crash** killed by a signal, aborted or timed out, without naming the bug · "
    "**silent** exit 0, no diagnostic, wrong result or memory lost · **leak reported** the lost memory is "
    "reported · **not built** no binary for that column.";

static const hlb_col cell_cols[] = {
    {"fault", "fault", HLB_COL_ALL, 0},          {"variant", "variant", HLB_COL_ALL, 0},
    {"outcome", "outcome", HLB_COL_ALL, 0},      {"exit_status", "exit status", HLB_COL_ALL, 1},
    {"signal", "signal", HLB_COL_ALL, 1},        {"evidence", "evidence", HLB_COL_ALL, 0},
};

static const char *outcome(const hlb_safety_cell *x) {
    return x->missing ? "not built" : hlb_outcome_name(x->verdict.outcome);
}

static void cell_table(const hlb_safety *s, hlb_table *t) {
    hlb_table_init(t, cell_cols, sizeof cell_cols / sizeof *cell_cols);
    for (size_t i = 0; i < s->faults.n; i++)
        for (size_t c = 0; c < s->ncols; c++) {
            const hlb_safety_cell *x = &s->cells[i * s->ncols + c];
            hlb_table_row(t);
            hlb_table_str(t, "fault", s->faults.v[i]);
            hlb_table_str(t, "variant", s->cols[c]->name);
            hlb_table_str(t, "outcome", outcome(x));
            int exited = !x->missing && !x->signal && !x->timed_out;
            hlb_table_num(t, "exit_status", exited ? x->exit_status : NAN, 0);
            hlb_table_num(t, "signal", !x->missing && x->signal ? x->signal : NAN, 0);
            hlb_table_str(t, "evidence", x->missing ? "" : x->verdict.evidence);
        }
}

static void matrix_md(FILE *f, const hlb_safety *s, int evidence) {
    hlb_col *cols = hlb_xcalloc(s->ncols + 1, sizeof *cols);
    cols[0] = (hlb_col){"fault", "fault", HLB_COL_MD, 0};
    for (size_t c = 0; c < s->ncols; c++) cols[c + 1] = (hlb_col){s->cols[c]->name, s->cols[c]->name, HLB_COL_MD, 0};
    hlb_table t;
    hlb_table_init(&t, cols, s->ncols + 1);
    for (size_t i = 0; i < s->faults.n; i++) {
        char name[300];
        snprintf(name, sizeof name, "`%s`", s->faults.v[i]);
        hlb_table_row(&t);
        hlb_table_str(&t, "fault", name);
        for (size_t c = 0; c < s->ncols; c++) hlb_table_str(&t, s->cols[c]->name, outcome(&s->cells[i * s->ncols + c]));
    }
    hlb_md_provenance(f, &s->prov);
    hlb_table_write(f, &t, HLB_FMT_MD, 0);
    hlb_table_free(&t);
    free(cols);
    fprintf(f, "\n%s\n", legend);
    if (s->notices.n) fputc('\n', f);
    for (size_t i = 0; i < s->notices.n; i++) fprintf(f, "> notice: %s\n", s->notices.v[i]);
    if (!evidence) return;
    fputs("\nEvidence (first diagnostic line of each cell):\n\n", f);
    for (size_t i = 0; i < s->faults.n; i++)
        for (size_t c = 0; c < s->ncols; c++) {
            const hlb_safety_cell *x = &s->cells[i * s->ncols + c];
            fprintf(f, "- %s / %s: %s%s%s\n", s->faults.v[i], s->cols[c]->name, outcome(x), x->missing ? "" : ": ",
                    x->missing ? "" : x->verdict.evidence);
        }
}

static void write_doc(FILE *f, const hlb_safety *s, hlb_format fmt, int evidence) {
    if (fmt == HLB_FMT_MD) {
        matrix_md(f, s, evidence);
        return;
    }
    hlb_table t;
    cell_table(s, &t);
    if (fmt == HLB_FMT_CSV) {
        hlb_table_write(f, &t, fmt, 0);
    } else {
        fputs("{\n  \"kind\": \"safety\",\n  \"provenance\": ", f);
        hlb_provenance_write_json(f, &s->prov, 2);
        fputs(",\n  \"columns\": [", f);
        for (size_t c = 0; c < s->ncols; c++) {
            fputs(c ? ", " : "", f);
            hlb_json_write_str(f, s->cols[c]->name);
        }
        fputs("],\n  \"cells\": ", f);
        hlb_table_write(f, &t, fmt, 2);
        fputs(",\n  \"notices\": [", f);
        for (size_t i = 0; i < s->notices.n; i++) {
            fputs(i ? ", " : "", f);
            hlb_json_write_str(f, s->notices.v[i]);
        }
        fputs("]\n}\n", f);
    }
    hlb_table_free(&t);
}

void hlb_safety_write(FILE *f, const void *doc, hlb_format fmt) {
    const hlb_safety *s = doc;
    write_doc(f, s, fmt, s->verbose);
}

void hlb_safety_write_file(FILE *f, const void *doc, hlb_format fmt) { write_doc(f, doc, fmt, 1); }
