/*
** bench/cli/options.c: parse each command's options (see args.h).
*/
#define _GNU_SOURCE
#include "cli/options.h"
#include "discover/sizes.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Iterates over argv[1..]: recognises "--name VALUE" and "--name=VALUE". */
typedef struct {
    int argc, i;
    char **argv;
    const char *cmd;
    char *err;
    size_t errlen;
} cursor;

static int error(cursor *c, const char *fmt, const char *a, const char *b) {
    char msg[256];
    snprintf(msg, sizeof msg, fmt, a, b);
    snprintf(c->err, c->errlen, "heaplab %s: %s (try 'heaplab %s --help')", c->cmd, msg, c->cmd);
    return HLB_ARGS_ERROR;
}

/* Is argv[i] option `name`? Sets *val to its value (taking the next word when needed).
** Returns 1 when matched, 0 when not, -1 on a missing value. */
static int opt(cursor *c, const char *name, const char **val) {
    const char *a = c->argv[c->i];
    size_t n = strlen(name);
    if (strncmp(a, name, n)) return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (a[n]) return 0;
    if (c->i + 1 >= c->argc) return -1;
    *val = c->argv[++c->i];
    return 1;
}

static int flag(cursor *c, const char *name) { return !strcmp(c->argv[c->i], name); }

static int parse_int(const char *s, int lo, int hi, int *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

static int parse_pos_double(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v <= 0) return -1;
    *out = v;
    return 0;
}

static int parse_format(const char *s, hlb_format *f) {
    if (!strcmp(s, "md")) *f = HLB_FMT_MD;
    else if (!strcmp(s, "csv")) *f = HLB_FMT_CSV;
    else if (!strcmp(s, "json")) *f = HLB_FMT_JSON;
    else return -1;
    return 0;
}

#define MISSING(c, name) error(c, "option %s needs a value%s", name, "")

/* Common tail of every option loop: --help, unknown options, positional arguments. */
static int other(cursor *c, const char **positional, const char *what) {
    const char *a = c->argv[c->i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) return HLB_ARGS_HELP;
    if (a[0] == '-' && a[1]) return error(c, "unknown option '%s'%s", a, "");
    if (!positional || *positional) return error(c, "unexpected argument '%s'%s", a, "");
    (void)what;
    *positional = a;
    return HLB_ARGS_OK;
}

static int has_help(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    return 0;
}

int hlb_parse_noopts(int argc, char **argv, const char *cmd, char *err, size_t errlen) {
    cursor c = {argc, 1, argv, cmd, err, errlen};
    if (has_help(argc, argv)) return HLB_ARGS_HELP;
    for (; c.i < argc; c.i++) {
        int r = other(&c, NULL, NULL);
        if (r) return r;
    }
    return HLB_ARGS_OK;
}

int hlb_parse_run(int argc, char **argv, hlb_run_opts *o, char *err, size_t errlen) {
    memset(o, 0, sizeof *o);
    o->runtime = "manual";
    o->size = "default";
    o->timeout_s = 600;
    if (has_help(argc, argv)) return HLB_ARGS_HELP;
    cursor c = {argc, 1, argv, "run", err, errlen};
    for (; c.i < argc; c.i++) {
        const char *v = NULL;
        int m;
        if ((m = opt(&c, "--runtime", &v))) {
            if (m < 0) return MISSING(&c, "--runtime");
            if (!*v) return error(&c, "--runtime needs a runtime name%s%s", "", "");
            o->runtime = v;
        } else if ((m = opt(&c, "--size", &v))) {
            if (m < 0) return MISSING(&c, "--size");
            if (!hlb_size_valid(v)) return error(&c, "bad size '%s': expected small, default, large or a number%s", v, "");
            o->size = v;
        } else if ((m = opt(&c, "--timeout", &v))) {
            if (m < 0) return MISSING(&c, "--timeout");
            if (parse_pos_double(v, &o->timeout_s)) return error(&c, "bad timeout '%s': expected seconds > 0%s", v, "");
        } else {
            int r = other(&c, &o->program, "PROGRAM");
            if (r) return r;
        }
    }
    if (!o->program) return error(&c, "missing PROGRAM%s%s", "", "");
    return HLB_ARGS_OK;
}

/* The options of the commands that run a matrix of runs (bench, sweep): --size, --reps,
** --format, --out, --timeout, --no-plots. Returns 1 when argv[c->i] was one of them and its
** value was good, 0 when it was none of them, -1 after reporting a bad or missing value. */
static int matrix_opt(cursor *c, const char **size, int *reps, hlb_format *format, const char **out,
                      double *timeout_s, int *plots) {
    const char *v = NULL;
    int m;
    if ((m = opt(c, "--size", &v))) {
        if (m < 0) return MISSING(c, "--size"), -1;
        if (!hlb_size_valid(v)) return error(c, "bad size '%s': expected small, default, large or a number%s", v, ""), -1;
        *size = v;
    } else if ((m = opt(c, "--reps", &v))) {
        if (m < 0) return MISSING(c, "--reps"), -1;
        if (parse_int(v, 1, 1000, reps)) return error(c, "bad --reps '%s': expected an integer in 1..1000%s", v, ""), -1;
    } else if ((m = opt(c, "--format", &v))) {
        if (m < 0) return MISSING(c, "--format"), -1;
        if (parse_format(v, format)) return error(c, "bad format '%s': expected md, csv or json%s", v, ""), -1;
    } else if ((m = opt(c, "--out", &v))) {
        if (m < 0) return MISSING(c, "--out"), -1;
        if (!*v) return error(c, "--out needs a directory%s%s", "", ""), -1;
        *out = v;
    } else if ((m = opt(c, "--timeout", &v))) {
        if (m < 0) return MISSING(c, "--timeout"), -1;
        if (parse_pos_double(v, timeout_s)) return error(c, "bad timeout '%s': expected seconds > 0%s", v, ""), -1;
    } else if (flag(c, "--no-plots")) {
        *plots = 0;
    } else {
        return 0;
    }
    return 1;
}

static int list_opt(cursor *c, const char *v, hlb_strlist *l, const char *name) {
    hlb_strlist_free(l);
    if (hlb_split_commas(v, l)) return error(c, "bad %s list '%s': expected names separated by commas", name, v);
    return HLB_ARGS_OK;
}

int hlb_parse_bench(int argc, char **argv, hlb_bench_opts *o, char *err, size_t errlen) {
    memset(o, 0, sizeof *o);
    o->reps = 3;
    o->warmup = 1;
    o->size = "default";
    o->format = HLB_FMT_MD;
    o->timeout_s = 300;
    o->plots = 1;
    if (has_help(argc, argv)) return HLB_ARGS_HELP;
    cursor c = {argc, 1, argv, "bench", err, errlen};
    for (; c.i < argc; c.i++) {
        const char *v = NULL;
        int m, r;
        if ((m = opt(&c, "--programs", &v))) {
            if (m < 0) return MISSING(&c, "--programs");
            if ((r = list_opt(&c, v, &o->programs, "program"))) return r;
        } else if ((m = opt(&c, "--runtimes", &v))) {
            if (m < 0) return MISSING(&c, "--runtimes");
            if ((r = list_opt(&c, v, &o->runtimes, "runtime"))) return r;
        } else if ((m = opt(&c, "--warmup", &v))) {
            if (m < 0) return MISSING(&c, "--warmup");
            if (parse_int(v, 0, 100, &o->warmup)) return error(&c, "bad --warmup '%s': expected an integer in 0..100%s", v, "");
        } else if ((m = matrix_opt(&c, &o->size, &o->reps, &o->format, &o->out, &o->timeout_s, &o->plots))) {
            if (m < 0) return HLB_ARGS_ERROR;
        } else if ((r = other(&c, NULL, NULL))) {
            return r;
        }
    }
    return HLB_ARGS_OK;
}

static const double default_factors[] = {1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5, 6};

int hlb_parse_sweep(int argc, char **argv, hlb_sweep_opts *o, char *err, size_t errlen) {
    memset(o, 0, sizeof *o);
    o->size = "default";
    o->reps = 3;
    o->format = HLB_FMT_MD;
    o->timeout_s = 300;
    o->plots = 1;
    o->nfactors = sizeof default_factors / sizeof *default_factors;
    memcpy(o->factors, default_factors, sizeof default_factors);
    if (has_help(argc, argv)) return HLB_ARGS_HELP;
    cursor c = {argc, 1, argv, "sweep", err, errlen};
    for (; c.i < argc; c.i++) {
        const char *v = NULL;
        int m, r;
        if ((m = matrix_opt(&c, &o->size, &o->reps, &o->format, &o->out, &o->timeout_s, &o->plots))) {
            if (m < 0) return HLB_ARGS_ERROR;
        } else if ((m = opt(&c, "--factors", &v))) {
            if (m < 0) return MISSING(&c, "--factors");
            hlb_strlist l = {0};
            if (hlb_split_commas(v, &l) || l.n > 32) {
                hlb_strlist_free(&l);
                return error(&c, "bad --factors '%s': expected up to 32 numbers > 1 separated by commas%s", v, "");
            }
            o->nfactors = l.n;
            for (size_t k = 0; k < l.n; k++) {
                if (parse_pos_double(l.v[k], &o->factors[k]) || o->factors[k] < 1) {
                    hlb_strlist_free(&l);
                    return error(&c, "bad --factors '%s': expected up to 32 numbers >= 1 separated by commas%s", v, "");
                }
            }
            hlb_strlist_free(&l);
        } else if ((m = opt(&c, "--free-space-divisor", &v))) {
            if (m < 0) return MISSING(&c, "--free-space-divisor");
            if (parse_int(v, 1, 1000, &o->divisor)) return error(&c, "bad --free-space-divisor '%s': expected an integer in 1..1000%s", v, "");
        } else if ((r = other(&c, &o->program, "PROGRAM"))) {
            return r;
        }
    }
    if (!o->program) return error(&c, "missing PROGRAM%s%s", "", "");
    return HLB_ARGS_OK;
}

void hlb_bench_opts_free(hlb_bench_opts *o) {
    hlb_strlist_free(&o->programs);
    hlb_strlist_free(&o->runtimes);
}
