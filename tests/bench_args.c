/*
** tests/bench_args.c: the heaplab driver's argument parsing: defaults, every option of run,
** bench and sweep, --help, and one-line errors for bad values (the driver exits 2 on them).
*/
#include "cli/options.h"
#include "discover/sizes.h"

#include <criterion/criterion.h>
#include <string.h>

#define ARGV(...) ((char *[]){__VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)))

static char err[512];

Test(args, bench_defaults) {
    hlb_bench_opts o;
    cr_assert_eq(hlb_parse_bench(1, ARGV("bench"), &o, err, sizeof err), HLB_ARGS_OK);
    cr_assert_eq(o.reps, 3);
    cr_assert_eq(o.warmup, 1);
    cr_assert_str_eq(o.size, "default");
    cr_assert_eq(o.format, HLB_FMT_MD);
    cr_assert_null(o.out);
    cr_assert_eq(o.programs.n, 0);
    cr_assert_eq(o.runtimes.n, 0);
    cr_assert_eq(o.plots, 1);
    hlb_bench_opts_free(&o);
}

Test(args, bench_all_options) {
    hlb_bench_opts o;
    char **argv = ARGV("bench", "--programs", "a,b", "--runtimes=manual,gc", "--reps", "7", "--warmup=0", "--size",
                       "small", "--format", "json", "--out", "dir", "--timeout", "2.5", "--no-plots");
    int argc = ARGC("bench", "--programs", "a,b", "--runtimes=manual,gc", "--reps", "7", "--warmup=0", "--size",
                    "small", "--format", "json", "--out", "dir", "--timeout", "2.5", "--no-plots");
    cr_assert_eq(hlb_parse_bench(argc, argv, &o, err, sizeof err), HLB_ARGS_OK, "%s", err);
    cr_assert_eq(o.programs.n, 2);
    cr_assert_str_eq(o.programs.v[1], "b");
    cr_assert_eq(o.runtimes.n, 2);
    cr_assert_str_eq(o.runtimes.v[0], "manual");
    cr_assert_eq(o.reps, 7);
    cr_assert_eq(o.warmup, 0);
    cr_assert_str_eq(o.size, "small");
    cr_assert_eq(o.format, HLB_FMT_JSON);
    cr_assert_str_eq(o.out, "dir");
    cr_assert_float_eq(o.timeout_s, 2.5, 1e-9);
    cr_assert_eq(o.plots, 0);
    hlb_bench_opts_free(&o);
}

/* Each bad command line is an error with a one-line message naming the problem. */
static void bench_bad(int argc, char **argv, const char *needle) {
    hlb_bench_opts o;
    err[0] = 0;
    cr_assert_eq(hlb_parse_bench(argc, argv, &o, err, sizeof err), HLB_ARGS_ERROR, "accepted %s", argv[1]);
    cr_assert(strstr(err, needle), "message '%s' lacks '%s'", err, needle);
    cr_assert_null(strchr(err, '\n'), "message is not one line: %s", err);
    hlb_bench_opts_free(&o);
}

Test(args, bench_errors) {
    bench_bad(3, ARGV("bench", "--reps", "0"), "--reps");
    bench_bad(3, ARGV("bench", "--reps", "x"), "--reps");
    bench_bad(2, ARGV("bench", "--reps"), "needs a value");
    bench_bad(3, ARGV("bench", "--warmup", "-1"), "--warmup");
    bench_bad(3, ARGV("bench", "--size", "huge"), "bad size");
    bench_bad(3, ARGV("bench", "--format", "xml"), "bad format");
    bench_bad(3, ARGV("bench", "--timeout", "0"), "bad timeout");
    bench_bad(3, ARGV("bench", "--programs", "a,,b"), "program list");
    bench_bad(3, ARGV("bench", "--runtimes", ""), "runtime list");
    bench_bad(2, ARGV("bench", "--bogus"), "unknown option");
    bench_bad(2, ARGV("bench", "stray"), "unexpected argument");
}

Test(args, help_everywhere) {
    hlb_bench_opts b;
    hlb_run_opts r;
    hlb_sweep_opts s;
    cr_assert_eq(hlb_parse_bench(3, ARGV("bench", "--reps", "--help"), &b, err, sizeof err), HLB_ARGS_HELP);
    hlb_bench_opts_free(&b);
    cr_assert_eq(hlb_parse_run(2, ARGV("run", "--help"), &r, err, sizeof err), HLB_ARGS_HELP);
    cr_assert_eq(hlb_parse_sweep(2, ARGV("sweep", "-h"), &s, err, sizeof err), HLB_ARGS_HELP);
    cr_assert_eq(hlb_parse_noopts(2, ARGV("list", "--help"), "list", err, sizeof err), HLB_ARGS_HELP);
}

Test(args, run) {
    hlb_run_opts o;
    cr_assert_eq(hlb_parse_run(2, ARGV("run", "binary_trees"), &o, err, sizeof err), HLB_ARGS_OK);
    cr_assert_str_eq(o.program, "binary_trees");
    cr_assert_str_eq(o.runtime, "manual");
    cr_assert_str_eq(o.size, "default");
    cr_assert_eq(hlb_parse_run(6, ARGV("run", "--runtime", "gc", "p", "--size", "12"), &o, err, sizeof err), HLB_ARGS_OK);
    cr_assert_str_eq(o.runtime, "gc");
    cr_assert_str_eq(o.program, "p");
    cr_assert_str_eq(o.size, "12");
    cr_assert_eq(hlb_parse_run(1, ARGV("run"), &o, err, sizeof err), HLB_ARGS_ERROR);
    cr_assert(strstr(err, "missing PROGRAM"));
    cr_assert_eq(hlb_parse_run(3, ARGV("run", "a", "b"), &o, err, sizeof err), HLB_ARGS_ERROR);
    cr_assert_eq(hlb_parse_run(3, ARGV("run", "a", "--runtime"), &o, err, sizeof err), HLB_ARGS_ERROR);
    cr_assert_eq(hlb_parse_run(4, ARGV("run", "a", "--size", "-3"), &o, err, sizeof err), HLB_ARGS_ERROR);
}

Test(args, sweep) {
    hlb_sweep_opts o;
    cr_assert_eq(hlb_parse_sweep(2, ARGV("sweep", "binary_trees"), &o, err, sizeof err), HLB_ARGS_OK);
    cr_assert_eq(o.nfactors, 9);
    cr_assert_float_eq(o.factors[0], 1.25, 1e-12);
    cr_assert_float_eq(o.factors[8], 6, 1e-12);
    cr_assert_eq(hlb_parse_sweep(6, ARGV("sweep", "p", "--factors", "2,3.5", "--free-space-divisor", "6"), &o, err,
                                 sizeof err),
                 HLB_ARGS_OK);
    cr_assert_eq(o.nfactors, 2);
    cr_assert_float_eq(o.factors[1], 3.5, 1e-12);
    cr_assert_eq(o.divisor, 6);
    cr_assert_eq(hlb_parse_sweep(4, ARGV("sweep", "p", "--factors", "0.5"), &o, err, sizeof err), HLB_ARGS_ERROR);
    cr_assert_eq(hlb_parse_sweep(4, ARGV("sweep", "p", "--factors", "2,x"), &o, err, sizeof err), HLB_ARGS_ERROR);
    cr_assert_eq(hlb_parse_sweep(1, ARGV("sweep"), &o, err, sizeof err), HLB_ARGS_ERROR);
}

Test(args, size_classes) {
    cr_assert(hlb_size_valid("small"));
    cr_assert(hlb_size_valid("default"));
    cr_assert(hlb_size_valid("large"));
    cr_assert(hlb_size_valid("18"));
    cr_assert_not(hlb_size_valid("medium"));
    cr_assert_not(hlb_size_valid("-1"));
    cr_assert_not(hlb_size_valid("12x"));
}
