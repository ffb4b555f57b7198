/*
** bench/report/table.h: the one table layer. Every table the driver prints or writes (bench
** cells, sweep points, the safety matrix, compare rows) is built as rows of typed values and
** rendered here as Markdown, CSV or a JSON array of objects, so that every command formats
** numbers, missing values and status names the same way:
**   a missing number is "–" in Markdown, empty in CSV, null in JSON (hlb_fmt_num);
**   a status is named by hlb_status_name in all three.
** A column appears in some of the three renderings (a Markdown column may combine what CSV and
** JSON keep apart, e.g. "min–max"); a cell may carry its own Markdown text.
*/
#ifndef HLB_TABLE_H
#define HLB_TABLE_H

#include "cli/options.h"
#include "measure/sample.h"

#include <stddef.h>
#include <stdio.h>

/* "ok", "failed", "timeout", "mismatch", "interrupted", "out of memory". */
const char *hlb_status_name(hlb_status s);
/* The status named s, or -1. */
int hlb_status_parse(const char *s);

/* v with prec decimals, or the missing-value text of fmt when v is NAN or infinite: "–" (md),
** "" (csv), "null" (json). Returns buf. */
const char *hlb_fmt_num(char *buf, size_t len, double v, int prec, hlb_format fmt);

enum { HLB_COL_MD = 1, HLB_COL_CSV = 2, HLB_COL_JSON = 4, HLB_COL_DATA = 6, HLB_COL_ALL = 7 };

typedef struct hlb_col {
    const char *key;      /* CSV header and JSON key */
    const char *header;   /* Markdown header */
    int where;            /* HLB_COL_* bits */
    int right;            /* right-aligned in Markdown (numbers) */
} hlb_col;

typedef enum { HLB_T_NONE, HLB_T_STR, HLB_T_NUM, HLB_T_BOOL, HLB_T_RAW } hlb_tkind;

typedef struct hlb_tval {
    hlb_tkind kind;
    char *s;              /* HLB_T_STR; HLB_T_RAW: JSON text (JSON only) */
    double num;           /* HLB_T_NUM (NAN: missing); HLB_T_BOOL: 0 or 1 */
    int prec;             /* decimals of a number */
    char *md;             /* Markdown text instead of the value, or NULL */
} hlb_tval;

typedef struct hlb_table {
    const hlb_col *cols;
    size_t ncols;
    hlb_tval *v;          /* nrows x ncols */
    size_t nrows, cap;
} hlb_table;

void hlb_table_init(hlb_table *t, const hlb_col *cols, size_t ncols);
void hlb_table_free(hlb_table *t);
/* Start a row; the setters below fill the last row. Setting a key the table does not have
** does nothing, so that one row filler serves several tables. */
void hlb_table_row(hlb_table *t);
void hlb_table_str(hlb_table *t, const char *key, const char *s);
void hlb_table_num(hlb_table *t, const char *key, double v, int prec);
void hlb_table_bool(hlb_table *t, const char *key, int b);
void hlb_table_raw(hlb_table *t, const char *key, char *json);       /* takes ownership */
void hlb_table_md(hlb_table *t, const char *key, const char *text);  /* Markdown text of the cell */

/* Render: md a Markdown table (header, rule, rows); csv a header line and one line per row;
** json an array of objects, one per line, each line indented by indent spaces. */
void hlb_table_write(FILE *f, const hlb_table *t, hlb_format fmt, int indent);

/* Write s as a CSV field (quoted when needed). */
void hlb_csv_field(FILE *f, const char *s);

#endif
