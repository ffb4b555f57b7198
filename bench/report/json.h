/*
** bench/report/json.h: a small JSON reader (a tree of values) and string escaping for the writers.
** Used to read the runtime statistics file (HEAPLAB_STATS) and, in the tests, to parse the
** driver's JSON output back.
*/
#ifndef HLB_JSON_H
#define HLB_JSON_H

#include <stddef.h>
#include <stdio.h>

typedef enum { HLB_JNULL, HLB_JBOOL, HLB_JNUM, HLB_JSTR, HLB_JARR, HLB_JOBJ } hlb_jkind;

typedef struct hlb_json {
    hlb_jkind kind;
    double num;             /* HLB_JNUM; HLB_JBOOL: 0 or 1 */
    char *str;              /* HLB_JSTR */
    size_t n;               /* HLB_JARR, HLB_JOBJ: number of items */
    char **keys;            /* HLB_JOBJ: item keys */
    struct hlb_json **items;
} hlb_json;

/* Parse a whole document; NULL on a syntax error (err, when not NULL, gets a message). */
hlb_json *hlb_json_parse(const char *text, char *err, size_t errlen);
/* Parse a file's content; NULL when unreadable or invalid. */
hlb_json *hlb_json_parse_file(const char *path, char *err, size_t errlen);
void hlb_json_free(hlb_json *j);
/* Member of an object by key, or NULL. */
const hlb_json *hlb_json_get(const hlb_json *obj, const char *key);
/* Number member (NAN when absent or not a number). */
double hlb_json_num(const hlb_json *obj, const char *key);
/* String member or NULL. */
const char *hlb_json_str(const hlb_json *obj, const char *key);

/* Write s as a JSON string literal (with quotes). */
void hlb_json_write_str(FILE *f, const char *s);

#endif
