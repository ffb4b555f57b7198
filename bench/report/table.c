/*
** bench/report/table.c: rendering tables as Markdown, CSV and JSON (see table.h).
*/
#define _GNU_SOURCE
#include "report/table.h"
#include "report/json.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[HLB_NSTATUS] = {
    [HLB_OK] = "ok",
    [HLB_FAILED] = "failed",
    [HLB_TIMEOUT] = "timeout",
    [HLB_MISMATCH] = "mismatch",
    [HLB_INTERRUPTED] = "interrupted",
    [HLB_OOM] = "out of memory",
};

const char *hlb_status_name(hlb_status s) { return (unsigned)s < HLB_NSTATUS ? status_names[s] : "?"; }

int hlb_status_parse(const char *s) {
    for (int i = 0; i < HLB_NSTATUS; i++)
        if (!strcmp(s, status_names[i])) return i;
    return -1;
}

const char *hlb_fmt_num(char *buf, size_t len, double v, int prec, hlb_format fmt) {
    if (!isfinite(v)) snprintf(buf, len, "%s", fmt == HLB_FMT_MD ? "–" : fmt == HLB_FMT_CSV ? "" : "null");
    else snprintf(buf, len, "%.*f", prec, v);
    return buf;
}

void hlb_table_init(hlb_table *t, const hlb_col *cols, size_t ncols) {
    memset(t, 0, sizeof *t);
    t->cols = cols;
    t->ncols = ncols;
}

void hlb_table_free(hlb_table *t) {
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        free(t->v[i].s);
        free(t->v[i].md);
    }
    free(t->v);
    memset(t, 0, sizeof *t);
}

void hlb_table_row(hlb_table *t) {
    if (t->nrows == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->v = hlb_xrealloc(t->v, t->cap * t->ncols * sizeof *t->v);
    }
    memset(&t->v[t->nrows * t->ncols], 0, t->ncols * sizeof *t->v);
    t->nrows++;
}

static hlb_tval *slot(hlb_table *t, const char *key) {
    if (!t->nrows) return NULL;
    for (size_t c = 0; c < t->ncols; c++)
        if (!strcmp(t->cols[c].key, key)) return &t->v[(t->nrows - 1) * t->ncols + c];
    return NULL;
}

void hlb_table_str(hlb_table *t, const char *key, const char *s) {
    hlb_tval *v = slot(t, key);
    if (!v) return;
    free(v->s);
    v->kind = HLB_T_STR;
    v->s = hlb_xstrdup(s ? s : "");
}

void hlb_table_num(hlb_table *t, const char *key, double x, int prec) {
    hlb_tval *v = slot(t, key);
    if (!v) return;
    v->kind = HLB_T_NUM;
    v->num = x;
    v->prec = prec;
}

void hlb_table_bool(hlb_table *t, const char *key, int b) {
    hlb_tval *v = slot(t, key);
    if (!v) return;
    v->kind = HLB_T_BOOL;
    v->num = b != 0;
}

void hlb_table_raw(hlb_table *t, const char *key, char *json) {
    hlb_tval *v = slot(t, key);
    if (!v) {
        free(json);
        return;
    }
    free(v->s);
    v->kind = HLB_T_RAW;
    v->s = json;
}

void hlb_table_md(hlb_table *t, const char *key, const char *text) {
    hlb_tval *v = slot(t, key);
    if (!v) return;
    free(v->md);
    v->md = hlb_xstrdup(text);
}

void hlb_csv_field(FILE *f, const char *s) {
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Markdown text: '|' escaped, newlines folded. */
static void md_text(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '|') fputs("\\|", f);
        else if (*s == '\n' || *s == '\r') fputc(' ', f);
        else fputc(*s, f);
    }
}

static void write_md(FILE *f, const hlb_table *t) {
    char buf[64];
    fputc('|', f);
    for (size_t c = 0; c < t->ncols; c++)
        if (t->cols[c].where & HLB_COL_MD) fprintf(f, " %s |", t->cols[c].header);
    fputs("\n|", f);
    for (size_t c = 0; c < t->ncols; c++)
        if (t->cols[c].where & HLB_COL_MD) fputs(t->cols[c].right ? " ---: |" : " --- |", f);
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        fputc('|', f);
        for (size_t c = 0; c < t->ncols; c++) {
            if (!(t->cols[c].where & HLB_COL_MD)) continue;
            const hlb_tval *v = &t->v[r * t->ncols + c];
            fputc(' ', f);
            if (v->md) md_text(f, v->md);
            else if (v->kind == HLB_T_STR) md_text(f, v->s);
            else if (v->kind == HLB_T_NUM) fputs(hlb_fmt_num(buf, sizeof buf, v->num, v->prec, HLB_FMT_MD), f);
            else if (v->kind == HLB_T_BOOL) fputs(v->num ? "yes" : "no", f);
            else fputs("–", f);
            fputs(" |", f);
        }
        fputc('\n', f);
    }
}

static void write_csv(FILE *f, const hlb_table *t) {
    char buf[64];
    int first = 1;
    for (size_t c = 0; c < t->ncols; c++)
        if (t->cols[c].where & HLB_COL_CSV) fprintf(f, "%s%s", first ? "" : ",", t->cols[c].key), first = 0;
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        first = 1;
        for (size_t c = 0; c < t->ncols; c++) {
            if (!(t->cols[c].where & HLB_COL_CSV)) continue;
            const hlb_tval *v = &t->v[r * t->ncols + c];
            if (!first) fputc(',', f);
            first = 0;
            if (v->kind == HLB_T_STR) hlb_csv_field(f, v->s);
            else if (v->kind == HLB_T_NUM) fputs(hlb_fmt_num(buf, sizeof buf, v->num, v->prec, HLB_FMT_CSV), f);
            else if (v->kind == HLB_T_BOOL) fputs(v->num ? "true" : "false", f);
        }
        fputc('\n', f);
    }
}

static void write_json(FILE *f, const hlb_table *t, int indent) {
    char buf[64];
    fputc('[', f);
    for (size_t r = 0; r < t->nrows; r++) {
        fprintf(f, "%s\n%*s{", r ? "," : "", indent + 2, "");
        int first = 1;
        for (size_t c = 0; c < t->ncols; c++) {
            if (!(t->cols[c].where & HLB_COL_JSON)) continue;
            const hlb_tval *v = &t->v[r * t->ncols + c];
            fprintf(f, "%s\"%s\": ", first ? "" : ", ", t->cols[c].key);
            first = 0;
            if (v->kind == HLB_T_STR) hlb_json_write_str(f, v->s);
            else if (v->kind == HLB_T_NUM) fputs(hlb_fmt_num(buf, sizeof buf, v->num, v->prec, HLB_FMT_JSON), f);
            else if (v->kind == HLB_T_BOOL) fputs(v->num ? "true" : "false", f);
            else if (v->kind == HLB_T_RAW) fputs(v->s, f);
            else fputs("null", f);
        }
        fputc('}', f);
    }
    if (t->nrows) fprintf(f, "\n%*s", indent, "");
    fputc(']', f);
}

void hlb_table_write(FILE *f, const hlb_table *t, hlb_format fmt, int indent) {
    if (fmt == HLB_FMT_MD) write_md(f, t);
    else if (fmt == HLB_FMT_CSV) write_csv(f, t);
    else write_json(f, t, indent);
}
