/*
** bench/cli/options.c: the options of every command, each declared once, and the one parser
** and usage generator (see options.h).
*/
#define _GNU_SOURCE
#include "cli/options.h"
#include "discover/sizes.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define OFF(field) offsetof(hlb_opts, field)

const hlb_opt hlb_opt_build = {"--build", NULL, HLB_OPT_STR, "DIR", NULL, 0, 0, 0,
                               "the build directory holding <runtime>/<program> (default: $HEAPLAB_ROOT/build, "
                               "else found from where heaplab is)",
                               OFF(build)};
const hlb_opt hlb_opt_format = {"--format", NULL, HLB_OPT_FORMAT, "md|csv|json", "md", 0, 0, 0,
                                "the table on stdout: Markdown, CSV or JSON", OFF(format)};
const hlb_opt hlb_opt_out = {"--out", NULL, HLB_OPT_STR, "DIR", NULL, 0, 0, 0,
                             "also write the output files (named below) in DIR (created; checked writable "
                             "before anything runs)",
                             OFF(out)};
const hlb_opt hlb_opt_results = {"--results", NULL, HLB_OPT_STR, "DIR", "results/", 0, 0, 0,
                                 "the results directory to read (results.json, sweep_*.json, safety.json, "
                                 "stack_vs_heap.json); what is missing is run and written there",
                                 OFF(results)};
const hlb_opt hlb_opt_json = {"--json", NULL, HLB_OPT_STR, "FILE", NULL, 0, 0, 0,
                              "also write the results as JSON to FILE (checked writable before anything runs)",
                              OFF(json)};
const hlb_opt hlb_opt_programs = {"--programs", "--program", HLB_OPT_LIST, "LIST", NULL, 0, 0, 0,
                                  "programs, comma-separated or repeated (default: all; see heaplab list)",
                                  OFF(programs)};
const hlb_opt hlb_opt_runtimes = {"--runtimes", "--runtime", HLB_OPT_LIST, "LIST", NULL, 0, 0, 0,
                                  "runtime variants, comma-separated or repeated (default: all available, but those "
                                  "heaplab list marks 'on request', which run only when named)",
                                  OFF(runtimes)};
const hlb_opt hlb_opt_faults = {"--faults", "--fault", HLB_OPT_LIST, "LIST", NULL, 0, 0, 0,
                                "fault programs, comma-separated or repeated (default: all)", OFF(faults)};
const hlb_opt hlb_opt_runtime = {"--runtime", NULL, HLB_OPT_STR, "R", "manual", 0, 0, 0,
                                 "the runtime variant (see heaplab list)", OFF(runtime)};
const hlb_opt hlb_opt_size = {"--size", NULL, HLB_OPT_SIZE, "S", "default", 0, 0, 0,
                              "small, default (no argument: the program's own default), large, or a number",
                              OFF(size)};
const hlb_opt hlb_opt_baseline = {"--baseline", NULL, HLB_OPT_STR, "NAME", NULL, 0, 0, 0,
                                  "the variant every ratio is taken against (default: c when built, else manual)",
                                  OFF(baseline)};
const hlb_opt hlb_opt_reps = {"--reps", NULL, HLB_OPT_INT, "N", "3", 1, 1000, 0,
                              "measured runs per cell (median, min and max reported)", OFF(reps)};
const hlb_opt hlb_opt_warmup = {"--warmup", NULL, HLB_OPT_INT, "N", "1", 0, 100, 0,
                                "unmeasured runs per cell first (the first one collects the runtime's statistics; "
                                "a peer, which has none, skips it)",
                                OFF(warmup)};
const hlb_opt hlb_opt_jobs = {"--jobs", NULL, HLB_OPT_INT, "N", NULL, 1, 64, 0,
                              "runs at once (default: the number of CPUs)", OFF(jobs)};
const hlb_opt hlb_opt_divisor = {"--free-space-divisor", NULL, HLB_OPT_INT, "N", NULL, 1, 1000, 0,
                                 "also set GC_FREE_SPACE_DIVISOR=N for gc (Boehm's default is 3)", OFF(divisor)};
const hlb_opt hlb_opt_timeout = {"--timeout", NULL, HLB_OPT_NUM, "S", "300", 0, 86400, 1,
                                 "seconds before a run is killed", OFF(timeout_s)};
const hlb_opt hlb_opt_fail_above = {"--fail-above", NULL, HLB_OPT_NUM, "PCT", NULL, 0, 10000, 0,
                                    "exit 1 when a cell is slower by more than PCT percent", OFF(fail_above)};
const hlb_opt hlb_opt_factors = {"--factors", NULL, HLB_OPT_NUMLIST, "K,...", "1.25,1.5,1.75,2,2.5,3,4,5,6", 1, 100, 1,
                                 "heap limits as multiples of manual's peak live bytes", OFF(factors)};
const hlb_opt hlb_opt_no_plots = {"--no-plots", NULL, HLB_OPT_FLAG, NULL, NULL, 0, 0, 0,
                                  "do not draw SVG plots in the --out directory", OFF(no_plots)};
const hlb_opt hlb_opt_strict = {"--strict", NULL, HLB_OPT_FLAG, NULL, NULL, 0, 0, 0,
                                "exit 1 when any cell is failed, timeout or mismatch", OFF(strict)};
const hlb_opt hlb_opt_verbose = {"--verbose", "-v", HLB_OPT_FLAG, NULL, NULL, 0, 0, 0,
                                 "also print each cell's evidence", OFF(verbose)};

void hlb_verrf(char *err, size_t errlen, const char *cmd, const char *fmt, va_list ap) {
    char msg[600];
    vsnprintf(msg, sizeof msg, fmt, ap);
    for (char *p = msg; *p; p++)
        if (*p == '\n') *p = ' ';
    snprintf(err, errlen, "heaplab %s: error: %s", cmd, msg);
}

int hlb_errf(char *err, size_t errlen, const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    hlb_verrf(err, errlen, cmd, fmt, ap);
    va_end(ap);
    return HLB_ARGS_ERROR;
}

/* "an integer in 1..1000", "a number in (0, 86400]" */
static void range_text(const hlb_opt *opt, char *buf, size_t len) {
    if (opt->kind == HLB_OPT_INT) snprintf(buf, len, "an integer in %g..%g", opt->lo, opt->hi);
    else
        snprintf(buf, len, "%s in %c%g, %g]", opt->kind == HLB_OPT_NUMLIST ? "numbers" : "a number",
                 opt->lo_open ? '(' : '[', opt->lo, opt->hi);
}

static int parse_number(const hlb_opt *opt, const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v > opt->hi || v < opt->lo || (opt->lo_open && v == opt->lo))
        return -1;
    if (opt->kind == HLB_OPT_INT && v != floor(v)) return -1;
    *out = v;
    return 0;
}

static int bad_value(const hlb_opt *opt, const char *cmd, const char *v, char *err, size_t errlen) {
    char r[80];
    range_text(opt, r, sizeof r);
    return hlb_errf(err, errlen, cmd, "%s wants %s, not '%s'", opt->name, r, v);
}

/* Set opt's value from text v. `first` is 1 on the option's first use on the command line
** (a list then replaces its default instead of adding to it). */
static int set_value(const hlb_opt *opt, hlb_opts *o, const char *v, int first, const char *cmd, char *err,
                     size_t errlen) {
    void *field = (char *)o + opt->offset;
    double d;
    switch (opt->kind) {
    case HLB_OPT_FLAG: *(int *)field = 1; return HLB_ARGS_OK;
    case HLB_OPT_INT:
        if (parse_number(opt, v, &d)) return bad_value(opt, cmd, v, err, errlen);
        *(int *)field = (int)d;
        return HLB_ARGS_OK;
    case HLB_OPT_NUM:
        if (parse_number(opt, v, &d)) return bad_value(opt, cmd, v, err, errlen);
        *(double *)field = d;
        return HLB_ARGS_OK;
    case HLB_OPT_STR:
        if (!*v) return hlb_errf(err, errlen, cmd, "%s needs a value", opt->name);
        *(const char **)field = v;
        return HLB_ARGS_OK;
    case HLB_OPT_SIZE:
        if (!hlb_size_valid(v))
            return hlb_errf(err, errlen, cmd, "%s wants small, default, large or a positive integer, not '%s'",
                            opt->name, v);
        *(const char **)field = v;
        return HLB_ARGS_OK;
    case HLB_OPT_FORMAT:
        if (!strcmp(v, "md")) *(hlb_format *)field = HLB_FMT_MD;
        else if (!strcmp(v, "csv")) *(hlb_format *)field = HLB_FMT_CSV;
        else if (!strcmp(v, "json")) *(hlb_format *)field = HLB_FMT_JSON;
        else return hlb_errf(err, errlen, cmd, "%s wants md, csv or json, not '%s'", opt->name, v);
        return HLB_ARGS_OK;
    case HLB_OPT_LIST: {
        hlb_strlist *l = field;
        if (first) hlb_strlist_free(l);
        if (hlb_split_commas(v, l))
            return hlb_errf(err, errlen, cmd, "%s wants names separated by commas, not '%s'", opt->name, v);
        return HLB_ARGS_OK;
    }
    case HLB_OPT_NUMLIST: {
        hlb_numlist *l = field;
        if (first) l->n = 0;
        hlb_strlist items = {0};
        int rc = HLB_ARGS_OK;
        if (hlb_split_commas(v, &items)) rc = bad_value(opt, cmd, v, err, errlen);
        for (size_t i = 0; rc == HLB_ARGS_OK && i < items.n; i++) {
            if (parse_number(opt, items.v[i], &d)) rc = bad_value(opt, cmd, items.v[i], err, errlen);
            else if (l->n == HLB_MAX_FACTORS)
                rc = hlb_errf(err, errlen, cmd, "%s takes at most %d values", opt->name, HLB_MAX_FACTORS);
            else l->v[l->n++] = d;
        }
        hlb_strlist_free(&items);
        return rc;
    }
    }
    return HLB_ARGS_ERROR;
}

int hlb_spec_has(const hlb_cmd_spec *spec, const hlb_opt *opt) {
    for (const hlb_cmd_opt *c = spec->opts; c->opt; c++)
        if (c->opt == opt) return 1;
    return 0;
}

/* Does word a name opt (--name or --name=...)? Sets *val to the text after '='. */
static int matches(const char *a, const char *name, const char **val) {
    size_t n = strlen(name);
    if (strncmp(a, name, n)) return 0;
    if (a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    return a[n] == 0;
}

int hlb_opts_parse(const hlb_cmd_spec *spec, int argc, char **argv, hlb_opts *o, char *err, size_t errlen) {
    memset(o, 0, sizeof *o);
    o->cmd = spec->name;
    err[0] = 0;
    for (const hlb_cmd_opt *c = spec->opts; c->opt; c++) {
        const char *d = c->dflt ? c->dflt : c->opt->dflt;
        if (!d && c->opt->kind == HLB_OPT_NUM) *(double *)((char *)o + c->opt->offset) = NAN;
        if (d && set_value(c->opt, o, d, 1, spec->name, err, errlen)) return HLB_ARGS_ERROR;
    }
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return HLB_ARGS_HELP;
    size_t nopts = 0;
    while (spec->opts[nopts].opt) nopts++;
    char *seen = hlb_xcalloc(nopts + 1, 1);
    int rc = HLB_ARGS_OK;
    for (int i = 1; i < argc && rc == HLB_ARGS_OK; i++) {
        const char *a = argv[i], *val = NULL;
        size_t k;
        for (k = 0; k < nopts; k++) {
            const hlb_opt *opt = spec->opts[k].opt;
            if (matches(a, opt->name, &val) || (opt->alias && matches(a, opt->alias, &val))) break;
        }
        if (k == nopts) {
            if (a[0] == '-' && a[1]) {
                rc = hlb_errf(err, errlen, spec->name, "unknown option '%.*s' (try 'heaplab %s --help')",
                              (int)strcspn(a, "="), a, spec->name);
            } else if (o->nargs >= spec->max_args) {
                rc = hlb_errf(err, errlen, spec->name, "unexpected argument '%s' (try 'heaplab %s --help')", a,
                              spec->name);
            } else {
                o->args[o->nargs++] = a;
            }
            continue;
        }
        const hlb_opt *opt = spec->opts[k].opt;
        if (opt->kind == HLB_OPT_FLAG) {
            if (val) rc = hlb_errf(err, errlen, spec->name, "%s takes no value", opt->name);
            else rc = set_value(opt, o, "", !seen[k], spec->name, err, errlen);
        } else {
            if (!val) {
                if (i + 1 >= argc || !strncmp(argv[i + 1], "--", 2)) {
                    rc = hlb_errf(err, errlen, spec->name, "%s needs a value", opt->name);
                    continue;
                }
                val = argv[++i];
            }
            rc = set_value(opt, o, val, !seen[k], spec->name, err, errlen);
        }
        seen[k] = 1;
    }
    free(seen);
    if (rc == HLB_ARGS_OK && o->nargs < spec->min_args)
        rc = hlb_errf(err, errlen, spec->name, "missing %s (try 'heaplab %s --help')", spec->args, spec->name);
    return rc;
}

void hlb_opts_free(hlb_opts *o) {
    hlb_strlist_free(&o->programs);
    hlb_strlist_free(&o->runtimes);
    hlb_strlist_free(&o->faults);
}

/* Print "  LEFT   text" with text wrapped at 100 columns under itself. */
static void usage_line(FILE *f, const char *left, const char *text) {
    enum { INDENT = 27, WIDTH = 100 };
    fprintf(f, "  %-24s ", left);
    size_t col = INDENT;
    for (const char *p = text; *p;) {
        while (*p == ' ') p++;
        size_t n = strcspn(p, " ");
        if (col > INDENT && col + 1 + n > WIDTH) {
            fprintf(f, "\n%*s", INDENT, "");
            col = INDENT;
        }
        if (col > INDENT) fputc(' ', f), col++;
        fwrite(p, 1, n, f);
        col += n;
        p += n;
    }
    fputc('\n', f);
}

void hlb_opts_usage(const hlb_cmd_spec *spec, FILE *f) {
    fprintf(f, "usage: heaplab %s%s%s [OPTIONS]\n%s\n\noptions:\n", spec->name, spec->args ? " " : "",
            spec->args ? spec->args : "", spec->summary);
    for (const hlb_cmd_opt *c = spec->opts; c->opt; c++) {
        const hlb_opt *opt = c->opt;
        char left[64], range[100] = "", text[600];
        snprintf(left, sizeof left, "%s%s%s", opt->name, opt->metavar ? " " : "", opt->metavar ? opt->metavar : "");
        if (opt->kind == HLB_OPT_INT || opt->kind == HLB_OPT_NUM || opt->kind == HLB_OPT_NUMLIST) {
            char r[80];
            range_text(opt, r, sizeof r);
            snprintf(range, sizeof range, "; %s", r);
        }
        const char *d = c->dflt ? c->dflt : opt->dflt;
        snprintf(text, sizeof text, "%s%s%s%s%s%s%s", opt->help, range, d ? " (default " : "", d ? d : "", d ? ")" : "",
                 opt->alias ? "; also " : "", opt->alias ? opt->alias : "");
        usage_line(f, left, text);
    }
    usage_line(f, "--help", "this text");
    fputs("Options take their value as '--opt VALUE' or '--opt=VALUE'; lists are comma-separated or repeated.\n", f);
    if (spec->epilog) fprintf(f, "\n%s", spec->epilog);
}
