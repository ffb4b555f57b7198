/*
** bench/cli/options.h: the command line of every heaplab command, parsed into option structs. The
** parsers only check syntax and ranges (names of programs and runtimes are checked against
** the catalog by the commands). A parser returns HLB_ARGS_OK, HLB_ARGS_HELP (--help seen) or
** HLB_ARGS_ERROR with a one-line message in err; the driver then exits with status 2.
*/
#ifndef HLB_ARGS_H
#define HLB_ARGS_H

#include "util/util.h"

#include <stddef.h>

enum { HLB_ARGS_OK = 0, HLB_ARGS_HELP = 1, HLB_ARGS_ERROR = 2 };

typedef enum { HLB_FMT_MD, HLB_FMT_CSV, HLB_FMT_JSON } hlb_format;

typedef struct hlb_run_opts {
    const char *program;
    const char *runtime;     /* default "manual" */
    const char *size;        /* default "default" */
    double timeout_s;        /* default 600 */
} hlb_run_opts;

typedef struct hlb_bench_opts {
    hlb_strlist programs;    /* empty: all */
    hlb_strlist runtimes;    /* empty: all available */
    int reps;                /* default 3 */
    int warmup;              /* default 1 */
    const char *size;        /* default "default" */
    hlb_format format;       /* default md */
    const char *out;         /* NULL: no files */
    double timeout_s;        /* default 300 */
    int plots;               /* default 1 (--no-plots) */
} hlb_bench_opts;

typedef struct hlb_sweep_opts {
    const char *program;
    const char *size;        /* default "default" */
    int reps;                /* default 3 */
    double factors[32];      /* heap limit as a multiple of manual's peak live bytes */
    size_t nfactors;         /* default 1.25 1.5 1.75 2 2.5 3 4 5 6 */
    int divisor;             /* GC_FREE_SPACE_DIVISOR, 0 = Boehm's default */
    hlb_format format;
    const char *out;
    double timeout_s;        /* default 300 */
    int plots;
} hlb_sweep_opts;

int hlb_parse_run(int argc, char **argv, hlb_run_opts *o, char *err, size_t errlen);
int hlb_parse_bench(int argc, char **argv, hlb_bench_opts *o, char *err, size_t errlen);
int hlb_parse_sweep(int argc, char **argv, hlb_sweep_opts *o, char *err, size_t errlen);
/* Commands without options (list): only --help. */
int hlb_parse_noopts(int argc, char **argv, const char *cmd, char *err, size_t errlen);
void hlb_bench_opts_free(hlb_bench_opts *o);

/* argv[0] of each parser is the command name; options follow (--opt VALUE or --opt=VALUE). */

#endif
