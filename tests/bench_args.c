/*
** tests/bench_args.c: the one command-line grammar of every heaplab command, through the option
** tables (cli/options.h): defaults per command, `--opt value` and `--opt=value`, lists given
** comma-separated, repeated or both (and their singular aliases), the same range message for
** every number (sweep's factors included: 1 < K <= 100), unknown options, missing values, flags
** given a value, positional arguments, --help anywhere, and the usage text generated from the
** table naming every option.
*/
#define _GNU_SOURCE
#include "cli/options.h"
#include "commands/commands.h"
#include "discover/sizes.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))
#define PARSE(spec, o, ...) hlb_opts_parse(&(spec), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (o), err, sizeof err)

static char err[600];

/* Each bad command line is refused with one line "heaplab CMD: error: ..." containing needle. */
static void refused(const hlb_cmd_spec *spec, int argc, char **argv, const char *needle) {
    hlb_opts o;
    err[0] = 0;
    int rc = hlb_opts_parse(spec, argc, argv, &o, err, sizeof err);
    hlb_opts_free(&o);
    cr_assert_eq(rc, HLB_ARGS_ERROR, "heaplab %s %s: accepted", spec->name, argc > 1 ? argv[1] : "");
    char prefix[64];
    snprintf(prefix, sizeof prefix, "heaplab %s: error: ", spec->name);
    cr_assert(!strncmp(err, prefix, strlen(prefix)), "message '%s' does not start with '%s'", err, prefix);
    cr_assert(strstr(err, needle), "message '%s' lacks '%s'", err, needle);
    cr_assert_null(strchr(err, '\n'), "message is not one line: %s", err);
}
#define REFUSED(spec, needle, ...) refused(&(spec), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), needle)

Test(grammar, defaults_per_command) {
    hlb_opts o;
    cr_assert_eq(PARSE(hlb_bench_spec, &o, "bench"), HLB_ARGS_OK, "%s", err);
    cr_assert_eq(o.reps, 3);
    cr_assert_eq(o.warmup, 1);
    cr_assert_str_eq(o.size, "default");
    cr_assert_eq(o.format, HLB_FMT_MD);
    cr_assert_null(o.out);
    cr_assert_null(o.baseline);
    cr_assert_float_eq(o.timeout_s, 300, 0);
    cr_assert_eq(o.programs.n, 0);
    hlb_opts_free(&o);
    cr_assert_eq(PARSE(hlb_run_spec, &o, "run", "p"), HLB_ARGS_OK, "%s", err);
    cr_assert_eq(o.reps, 1);
    cr_assert_str_eq(o.runtime, "manual");
    cr_assert_float_eq(o.timeout_s, 600, 0);
    hlb_opts_free(&o);
    cr_assert_eq(PARSE(hlb_safety_spec, &o, "safety"), HLB_ARGS_OK, "%s", err);
    cr_assert_float_eq(o.timeout_s, 10, 0);
    cr_assert_eq(o.jobs, 0, "jobs defaults to the CPU count, chosen by the command");
    hlb_opts_free(&o);
    cr_assert_eq(PARSE(hlb_sweep_spec, &o, "sweep", "p"), HLB_ARGS_OK, "%s", err);
    cr_assert_eq(o.factors.n, 9);
    cr_assert_float_eq(o.factors.v[0], 1.25, 1e-12);
    cr_assert_float_eq(o.factors.v[8], 6, 1e-12);
    cr_assert_eq(o.warmup, 0);
    hlb_opts_free(&o);
    cr_assert_eq(PARSE(hlb_compare_spec, &o, "compare", "a.json", "b.json"), HLB_ARGS_OK, "%s", err);
    cr_assert(isnan(o.fail_above), "--fail-above not given is NAN");
    cr_assert_str_eq(o.args[1], "b.json");
    hlb_opts_free(&o);
}

Test(grammar, equals_and_space_forms_agree) {
    hlb_opts a, b;
    cr_assert_eq(PARSE(hlb_bench_spec, &a, "bench", "--reps", "7", "--warmup", "0", "--size", "small", "--format",
                       "json", "--out", "d", "--timeout", "2.5", "--baseline", "manual", "--build", "B"),
                 HLB_ARGS_OK, "%s", err);
    cr_assert_eq(PARSE(hlb_bench_spec, &b, "bench", "--reps=7", "--warmup=0", "--size=small", "--format=json", "--out=d",
                       "--timeout=2.5", "--baseline=manual", "--build=B"),
                 HLB_ARGS_OK, "%s", err);
    cr_assert_eq(a.reps, 7);
    cr_assert_eq(b.reps, 7);
    cr_assert_eq(a.warmup, b.warmup);
    cr_assert_str_eq(b.size, "small");
    cr_assert_eq(b.format, HLB_FMT_JSON);
    cr_assert_str_eq(b.out, "d");
    cr_assert_float_eq(b.timeout_s, 2.5, 1e-12);
    cr_assert_str_eq(b.baseline, "manual");
    cr_assert_str_eq(b.build, "B");
    cr_assert_str_eq(a.build, "B");
    hlb_opts_free(&a);
    hlb_opts_free(&b);
}

Test(grammar, lists_comma_repeated_and_aliases) {
    hlb_opts o;
    cr_assert_eq(PARSE(hlb_bench_spec, &o, "bench", "--programs", "a,b", "--programs=c", "--program", "a", "--runtimes",
                       "manual", "--runtime=gc,owned"),
                 HLB_ARGS_OK, "%s", err);
    cr_assert_eq(o.programs.n, 3, "a,b + c + a (a once)");
    cr_assert_str_eq(o.programs.v[0], "a");
    cr_assert_str_eq(o.programs.v[2], "c");
    cr_assert_eq(o.runtimes.n, 3);
    cr_assert_str_eq(o.runtimes.v[2], "owned");
    hlb_opts_free(&o);
    cr_assert_eq(PARSE(hlb_safety_spec, &o, "safety", "--fault", "leak", "--faults=use_after_free,null_deref", "--runtime",
                       "asan", "--runtimes", "owned"),
                 HLB_ARGS_OK, "%s", err);
    cr_assert_eq(o.faults.n, 3);
    cr_assert_eq(o.runtimes.n, 2);
    hlb_opts_free(&o);
    /* A repeated number list replaces the default once, then adds. */
    cr_assert_eq(PARSE(hlb_sweep_spec, &o, "sweep", "p", "--factors", "2,3.5", "--factors=10"), HLB_ARGS_OK, "%s", err);
    cr_assert_eq(o.factors.n, 3);
    cr_assert_float_eq(o.factors.v[1], 3.5, 1e-12);
    cr_assert_float_eq(o.factors.v[2], 10, 1e-12);
    hlb_opts_free(&o);
}

Test(grammar, one_range_message_for_every_number) {
    REFUSED(hlb_bench_spec, "--reps wants an integer in 1..1000, not '0'", "bench", "--reps", "0");
    REFUSED(hlb_bench_spec, "--reps wants an integer in 1..1000, not 'x'", "bench", "--reps=x");
    REFUSED(hlb_bench_spec, "--reps wants an integer in 1..1000, not '2.5'", "bench", "--reps", "2.5");
    REFUSED(hlb_run_spec, "--reps wants an integer in 1..1000, not '1001'", "run", "p", "--reps", "1001");
    REFUSED(hlb_bench_spec, "--warmup wants an integer in 0..100, not '-1'", "bench", "--warmup", "-1");
    REFUSED(hlb_bench_spec, "--timeout wants a number in (0, 86400], not '0'", "bench", "--timeout", "0");
    REFUSED(hlb_safety_spec, "--timeout wants a number in (0, 86400], not 'soon'", "safety", "--timeout", "soon");
    REFUSED(hlb_safety_spec, "--jobs wants an integer in 1..64, not '0'", "safety", "--jobs", "0");
    REFUSED(hlb_sweep_spec, "--free-space-divisor wants an integer in 1..1000, not '0'", "sweep", "p",
            "--free-space-divisor", "0");
    REFUSED(hlb_compare_spec, "--fail-above wants a number in [0, 10000], not '-5'", "compare", "a", "b", "--fail-above",
            "-5");
    REFUSED(hlb_bench_spec, "--timeout wants a number in (0, 86400], not 'nan'", "bench", "--timeout", "nan");
    REFUSED(hlb_bench_spec, "--timeout wants a number in (0, 86400], not 'inf'", "bench", "--timeout", "inf");
}

/* The sweep's factors are validated once, with one message: 1 < K <= 100. */
Test(grammar, sweep_factors_validated_once) {
    const char *bad[] = {"1e308", "1", "1.0", "0.5", "100.01", "-2", "x", "2,,3", "inf", "nan"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        hlb_opts o;
        err[0] = 0;
        cr_assert_eq(PARSE(hlb_sweep_spec, &o, "sweep", "p", "--factors", (char *)bad[i]), HLB_ARGS_ERROR, "accepted %s",
                     bad[i]);
        cr_assert(strstr(err, "heaplab sweep: error: --factors wants numbers in (1, 100], not '"), "%s: %s", bad[i],
                  err);
        hlb_opts_free(&o);
    }
    hlb_opts o;
    cr_assert_eq(PARSE(hlb_sweep_spec, &o, "sweep", "p", "--factors", "1.01,100"), HLB_ARGS_OK, "%s", err);
    hlb_opts_free(&o);
}

Test(grammar, other_errors) {
    REFUSED(hlb_bench_spec, "--reps needs a value", "bench", "--reps");
    REFUSED(hlb_bench_spec, "--out needs a value", "bench", "--out", "--reps", "2");
    REFUSED(hlb_bench_spec, "--out needs a value", "bench", "--out=");
    REFUSED(hlb_bench_spec, "unknown option '--bogus'", "bench", "--bogus");
    REFUSED(hlb_bench_spec, "unknown option '--repsx'", "bench", "--repsx=3");
    REFUSED(hlb_bench_spec, "unexpected argument 'stray'", "bench", "stray");
    REFUSED(hlb_bench_spec, "--format wants md, csv or json, not 'xml'", "bench", "--format", "xml");
    REFUSED(hlb_bench_spec, "--size wants small, default, large or a positive integer, not 'huge'", "bench", "--size",
            "huge");
    REFUSED(hlb_bench_spec, "--programs wants names separated by commas, not 'a,,b'", "bench", "--programs", "a,,b");
    REFUSED(hlb_bench_spec, "--strict takes no value", "bench", "--strict=yes");
    REFUSED(hlb_run_spec, "missing PROGRAM", "run");
    REFUSED(hlb_run_spec, "unexpected argument 'b'", "run", "a", "b");
    REFUSED(hlb_sweep_spec, "missing PROGRAM", "sweep");
    REFUSED(hlb_compare_spec, "missing OLD.json NEW.json", "compare", "a.json");
    REFUSED(hlb_list_spec, "unexpected argument 'extra'", "list", "extra");
    REFUSED(hlb_list_spec, "unknown option '--format'", "list", "--format", "md");
    REFUSED(hlb_safety_spec, "unknown option '--fail-above'", "safety", "--fail-above", "3");
}

Test(grammar, help_anywhere) {
    hlb_opts o;
    for (const hlb_command *c = hlb_commands; c->spec; c++) {
        char *name = (char *)c->spec->name;
        cr_assert_eq(hlb_opts_parse(c->spec, 2, ARGV(name, "--help"), &o, err, sizeof err), HLB_ARGS_HELP, "%s", name);
        hlb_opts_free(&o);
        cr_assert_eq(hlb_opts_parse(c->spec, 3, ARGV(name, "--bogus", "-h"), &o, err, sizeof err), HLB_ARGS_HELP, "%s",
                     name);
        hlb_opts_free(&o);
    }
}

/* Every table-producing command takes --format and --out; every command --build; report (a
** page, not a table) takes --out. */
Test(grammar, common_options) {
    for (const hlb_command *c = hlb_commands; c->spec; c++) {
        cr_assert(hlb_spec_has(c->spec, &hlb_opt_build), "%s lacks --build", c->spec->name);
        if (!strcmp(c->spec->name, "list")) continue;
        cr_assert(hlb_spec_has(c->spec, &hlb_opt_out), "%s lacks --out", c->spec->name);
        if (!strcmp(c->spec->name, "report")) continue;
        cr_assert(hlb_spec_has(c->spec, &hlb_opt_format), "%s lacks --format", c->spec->name);
        cr_assert(hlb_spec_has(c->spec, &hlb_opt_out), "%s lacks --out", c->spec->name);
    }
    cr_assert(hlb_spec_has(&hlb_run_spec, &hlb_opt_reps));
    cr_assert(hlb_spec_has(&hlb_bench_spec, &hlb_opt_baseline));
    cr_assert(hlb_spec_has(&hlb_sweep_spec, &hlb_opt_baseline));
    cr_assert(hlb_spec_has(&hlb_bench_spec, &hlb_opt_strict));
    cr_assert(hlb_spec_has(&hlb_safety_spec, &hlb_opt_json));
    cr_assert(hlb_spec_has(&hlb_compare_spec, &hlb_opt_fail_above));
}

/* The usage text is generated from the table: it names every option (and alias) once. */
Test(grammar, usage_names_every_option) {
    for (const hlb_command *c = hlb_commands; c->spec; c++) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        hlb_opts_usage(c->spec, f);
        fclose(f);
        char head[64];
        snprintf(head, sizeof head, "usage: heaplab %s", c->spec->name);
        cr_assert(!strncmp(text, head, strlen(head)), "%s", text);
        for (const hlb_cmd_opt *k = c->spec->opts; k->opt; k++) {
            char want[64];
            snprintf(want, sizeof want, "  %s ", k->opt->name);
            cr_assert(strstr(text, want), "heaplab %s --help does not show %s:\n%s", c->spec->name, k->opt->name, text);
            if (k->opt->alias) cr_assert(strstr(text, k->opt->alias), "%s: alias %s", c->spec->name, k->opt->alias);
        }
        free(text);
    }
}

Test(grammar, size_classes) {
    cr_assert(hlb_size_valid("small"));
    cr_assert(hlb_size_valid("default"));
    cr_assert(hlb_size_valid("large"));
    cr_assert(hlb_size_valid("18"));
    cr_assert_not(hlb_size_valid("medium"));
    cr_assert_not(hlb_size_valid("-1"));
    cr_assert_not(hlb_size_valid("0"));
    cr_assert_not(hlb_size_valid("12x"));
}
