/*
** bench/cli/options.h: the command line of every heaplab command. Each option is declared once
** (name, value kind, default, range, help) in options.c; each command lists the options it
** takes in its hlb_cmd_spec, from which both its parser and its usage text come. One grammar
** for all: `--opt value` and `--opt=value`; list options take comma-separated items and may be
** repeated (`--programs a,b` = `--programs a --programs b`); every number is range-checked
** with the same message; errors are one line "heaplab CMD: error: ..." (the driver exits 2).
*/
#ifndef HLB_OPTIONS_H
#define HLB_OPTIONS_H

#include "util/util.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

enum { HLB_ARGS_OK = 0, HLB_ARGS_HELP = 1, HLB_ARGS_ERROR = 2 };

typedef enum { HLB_FMT_MD, HLB_FMT_CSV, HLB_FMT_JSON } hlb_format;

#define HLB_MAX_FACTORS 32

typedef struct hlb_numlist {
    double v[HLB_MAX_FACTORS];
    size_t n;
} hlb_numlist;

/* Every option's value; a command reads the fields of the options it takes. */
typedef struct hlb_opts {
    const char *cmd;             /* "bench", ... */
    const char *args[2];         /* positional arguments (PROGRAM; OLD NEW) */
    int nargs;
    const char *build;           /* --build DIR (NULL: found as discover/catalog.h says) */
    hlb_format format;           /* --format */
    const char *out;             /* --out DIR */
    const char *results;         /* --results DIR (claims: the results to read) */
    const char *json;            /* --json FILE (safety) */
    hlb_strlist programs, runtimes, faults;
    const char *runtime;         /* --runtime (run: one variant) */
    const char *size;            /* --size small|default|large|N */
    const char *baseline;        /* --baseline NAME (NULL: c when built, else manual) */
    int reps, warmup, jobs, divisor;
    double timeout_s, fail_above;
    hlb_numlist factors;
    int no_plots, strict, verbose;
} hlb_opts;

typedef enum {
    HLB_OPT_FLAG,      /* int, set to 1 */
    HLB_OPT_INT,       /* int in [lo, hi] */
    HLB_OPT_NUM,       /* double in [lo, hi] (or (lo, hi] with lo_open); NAN when not given and no default */
    HLB_OPT_STR,       /* const char *, not empty */
    HLB_OPT_LIST,      /* hlb_strlist: comma-separated items, repeatable */
    HLB_OPT_NUMLIST,   /* hlb_numlist: comma-separated numbers in range, repeatable */
    HLB_OPT_FORMAT,    /* hlb_format: md, csv or json */
    HLB_OPT_SIZE,      /* const char *: small, default, large or a positive integer */
} hlb_opt_kind;

typedef struct hlb_opt {
    const char *name;        /* "--reps" */
    const char *alias;       /* another accepted spelling ("--program"), or NULL */
    hlb_opt_kind kind;
    const char *metavar;     /* "N", "LIST", "DIR" */
    const char *dflt;        /* default, as text parsed like a value (NULL: none) */
    double lo, hi;           /* range of INT, NUM, NUMLIST */
    int lo_open;             /* the range excludes lo */
    const char *help;        /* one line */
    size_t offset;           /* of the value in hlb_opts */
} hlb_opt;

/* An option a command takes, with the command's own default when it has one. */
typedef struct hlb_cmd_opt {
    const hlb_opt *opt;
    const char *dflt;        /* NULL: the option's default */
} hlb_cmd_opt;

typedef struct hlb_cmd_spec {
    const char *name;        /* "bench" */
    const char *args;        /* positional synopsis ("PROGRAM", "OLD.json NEW.json") or NULL */
    int min_args, max_args;
    const char *summary;     /* one line, for the usage text and `heaplab --help` */
    const hlb_cmd_opt *opts; /* terminated by {NULL} */
    const char *epilog;      /* paragraphs after the options (may be NULL) */
} hlb_cmd_spec;

/* The options, each declared once. */
extern const hlb_opt hlb_opt_build, hlb_opt_format, hlb_opt_out, hlb_opt_results, hlb_opt_json, hlb_opt_programs, hlb_opt_runtimes,
    hlb_opt_faults, hlb_opt_runtime, hlb_opt_size, hlb_opt_baseline, hlb_opt_reps, hlb_opt_warmup, hlb_opt_jobs,
    hlb_opt_divisor, hlb_opt_timeout, hlb_opt_fail_above, hlb_opt_factors, hlb_opt_no_plots, hlb_opt_strict,
    hlb_opt_verbose;

/* Parse argv[1..] (argv[0] is the command's name) into o for spec: defaults first, then the
** arguments. Returns HLB_ARGS_OK, HLB_ARGS_HELP (--help or -h anywhere) or HLB_ARGS_ERROR with
** the one-line message "heaplab CMD: error: ..." in err. Free o with hlb_opts_free. */
int hlb_opts_parse(const hlb_cmd_spec *spec, int argc, char **argv, hlb_opts *o, char *err, size_t errlen);
void hlb_opts_free(hlb_opts *o);

/* Does spec take opt? */
int hlb_spec_has(const hlb_cmd_spec *spec, const hlb_opt *opt);

/* The usage text of a command, generated from its spec. */
void hlb_opts_usage(const hlb_cmd_spec *spec, FILE *f);

/* "heaplab CMD: error: <message>" into err (one line). Returns HLB_ARGS_ERROR. */
int hlb_errf(char *err, size_t errlen, const char *cmd, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void hlb_verrf(char *err, size_t errlen, const char *cmd, const char *fmt, va_list ap);

#endif
