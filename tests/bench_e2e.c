/*
** tests/bench_e2e.c: the heaplab driver end to end, as a user runs it (build/heaplab): every
** command (list, run, bench, sweep, safety, compare) at the smallest sizes with 1-2 repetitions,
** the files of --out, --strict, the installed layout, bad arguments (one line, exit 2), and the
** bugs a new user hit: write errors ignored (>/dev/full), Ctrl-C during safety ignored, sweep
** factors such as 1e308 accepted, a missing peer reported as "not built".
*/
#define _GNU_SOURCE
#include "report/json.h"
#include "run/proc.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BUILD HLB_TEST_ROOT "/build"
#define HEAPLAB BUILD "/heaplab"

static hlb_proc_result run(char **argv) {
    hlb_proc_result r;
    cr_assert_eq(hlb_proc_run(argv, (char *[]){"HEAPLAB_ROOT=" HLB_TEST_ROOT, NULL}, 300, &r), 0);
    cr_assert_eq(r.end, HLB_PROC_EXITED, "%s %s did not exit", argv[0], argv[1]);
    return r;
}

static int exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

static char *tmpdir(const char *what) {
    char *d = NULL;
    cr_assert_neq(asprintf(&d, "/tmp/heaplab-%s.XXXXXX", what), -1);
    cr_assert_not_null(mkdtemp(d));
    return d;
}

static void rm_rf(char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    free(dir);
}

static hlb_json *parse_out(const hlb_proc_result *r) {
    char err[200];
    hlb_json *j = hlb_json_parse(r->out, err, sizeof err);
    cr_assert_not_null(j, "stdout is not JSON: %s\n%s", err, r->out);
    return j;
}

static void has_provenance(const hlb_json *doc) {
    const hlb_json *p = hlb_json_get(doc, "provenance");
    cr_assert_not_null(p, "no provenance");
    static const char *const keys[] = {"heaplab_commit", "compiler", "glibc", "libgc", "kernel", "cpu", "command",
                                       "start", "end", NULL};
    for (int k = 0; keys[k]; k++) cr_assert(hlb_json_str(p, keys[k]) && *hlb_json_str(p, keys[k]), "provenance.%s", keys[k]);
    cr_assert(hlb_json_num(p, "cores") >= 1);
}

/* Every cell ok, with as many samples as repetitions and every figure filled. */
static void cells_ok(const hlb_json *doc, int reps) {
    const hlb_json *cells = hlb_json_get(doc, "cells");
    cr_assert(cells && cells->kind == HLB_JARR && cells->n > 0);
    for (size_t i = 0; i < cells->n; i++) {
        const hlb_json *o = cells->items[i];
        const char *prog = hlb_json_str(o, "program"), *v = hlb_json_str(o, "variant");
        cr_assert_str_eq(hlb_json_str(o, "status"), "ok", "%s on %s: %s (%s)", prog, v, hlb_json_str(o, "status"),
                         hlb_json_str(o, "reason"));
        static const char *const filled[] = {"wall_median_s", "wall_min_s", "wall_max_s", "cpu_median_s",
                                             "rss_median_kib", "size", NULL};
        for (int k = 0; filled[k]; k++) {
            double x = hlb_json_num(o, filled[k]);
            cr_assert(x == x && x >= 0, "%s on %s: %s is empty", prog, v, filled[k]);
        }
        cr_assert(hlb_json_num(o, "wall_min_s") <= hlb_json_num(o, "wall_median_s"));
        cr_assert(hlb_json_num(o, "wall_median_s") <= hlb_json_num(o, "wall_max_s"));
        cr_assert_float_eq(hlb_json_num(o, "reps"), reps, 0);
        const hlb_json *s = hlb_json_get(o, "samples");
        cr_assert(s && s->n == (size_t)reps, "%s on %s: samples", prog, v);
        cr_assert(hlb_json_num(s->items[0], "wall_s") > 0);
        cr_assert(hlb_json_get(o, "noisy") && hlb_json_get(o, "noisy")->kind == HLB_JBOOL);
    }
}

Test(e2e, bench_every_program_small, .timeout = 240) {
    char *dir = tmpdir("e2e");
    hlb_proc_result r = run((char *[]){HEAPLAB, "bench", "--size", "small", "--reps", "2", "--warmup", "0", "--format",
                                       "json", "--out", dir, NULL});
    cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
    hlb_json *j = parse_out(&r);
    cr_assert_str_eq(hlb_json_str(j, "kind"), "bench");
    has_provenance(j);
    cells_ok(j, 2);
    const char *base = hlb_json_str(j, "baseline");
    cr_assert_str_eq(base, exists(BUILD "/peers/c/binary_trees") ? "c" : "manual");
    const hlb_json *cells = hlb_json_get(j, "cells");
    size_t manual_cells = 0;
    for (size_t i = 0; i < cells->n; i++) {
        const hlb_json *o = cells->items[i];
        const char *v = hlb_json_str(o, "variant");
        double q = hlb_json_num(o, "ratio_wall"), lo = hlb_json_num(o, "ratio_wall_lo"), hi = hlb_json_num(o, "ratio_wall_hi");
        cr_assert(q == q && lo <= q && q <= hi, "%s on %s: ratio %g [%g, %g]", hlb_json_str(o, "program"), v, q, lo, hi);
        if (!strcmp(v, hlb_json_str(o, "ratio_to"))) cr_assert_float_eq(q, 1.0, 1e-9);
        manual_cells += !strcmp(v, "manual");
        cr_assert_str_neq(v, "gc-tuned", "gc-tuned runs on request only");
    }
    /* ... and a notice says so (gc is built by make, so gc-tuned is available) */
    const hlb_json *notes = hlb_json_get(j, "notices");
    int named = 0;
    for (size_t i = 0; notes && i < notes->n; i++)
        named |= notes->items[i]->kind == HLB_JSTR && strstr(notes->items[i]->str, "gc-tuned runs on request only");
    cr_assert(named, "no notice names gc-tuned");
    /* Every program source has its manual cell. */
    DIR *d = opendir(HLB_TEST_ROOT "/programs");
    size_t sources = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (n > 2 && !strcmp(e->d_name + n - 2, ".c")) sources++;
    }
    if (d) closedir(d);
    cr_assert_eq(manual_cells, sources);
    const hlb_json *geo = hlb_json_get(j, "geomean");
    cr_assert(geo && geo->n > 0);
    size_t ncells = cells->n;
    hlb_json_free(j);

    char path[512], err[200], line[8192];
    snprintf(path, sizeof path, "%s/results.json", dir);
    hlb_json *f = hlb_json_parse_file(path, err, sizeof err);
    cr_assert_not_null(f, "%s", err);
    cr_assert_eq(hlb_json_get(f, "cells")->n, ncells);
    hlb_json_free(f);
    snprintf(path, sizeof path, "%s/results.csv", dir);
    FILE *csv = fopen(path, "r");
    cr_assert_not_null(csv);
    size_t lines = 0;
    while (fgets(line, sizeof line, csv)) lines++;
    fclose(csv);
    cr_assert_eq(lines, ncells + 1, "results.csv: %zu lines for %zu cells", lines, ncells);
    snprintf(path, sizeof path, "%s/results.md", dir);
    FILE *md = fopen(path, "r");
    cr_assert_not_null(md);
    cr_assert(fgets(line, sizeof line, md) && !strncmp(line, "> heaplab ", 10), "md starts with the provenance");
    fclose(md);
    if (system("command -v gnuplot >/dev/null 2>&1") == 0) {
        snprintf(path, sizeof path, "%s/wall_ratio.svg", dir);
        cr_assert(exists(path), "gnuplot present but no plot");
    }
    hlb_proc_result_free(&r);
    rm_rf(dir);
}

Test(e2e, list_and_run) {
    hlb_proc_result r = run((char *[]){HEAPLAB, "run", "binary_trees", "--runtime", "gc", "--size", "small", NULL});
    cr_assert_eq(r.code, 0, "%s", r.err);
    cr_assert(strstr(r.out, "binary_trees size=12 checksum="), "the program's own output comes first");
    cr_assert(strstr(r.out, "| run | wall s | CPU s | peak RSS MiB |"), "%s", r.out);
    cr_assert(strstr(r.out, "collections"));
    /* the statistics come from a run of their own, not from a timed one */
    cr_assert(strstr(r.out, "runtime statistics (gc, from the untimed statistics run):"), "%s", r.out);
    hlb_proc_result_free(&r);
    r = run((char *[]){HEAPLAB, "run", "binary_trees", "--size=small", "--reps=2", "--format=json", NULL});
    cr_assert_eq(r.code, 0, "%s", r.err);
    hlb_json *j = parse_out(&r);
    cr_assert_str_eq(hlb_json_str(j, "kind"), "run");
    has_provenance(j);
    cells_ok(j, 2);
    hlb_json_free(j);
    hlb_proc_result_free(&r);
    r = run((char *[]){HEAPLAB, "run", "binary_trees", "--size", "small", "--format", "csv", NULL});
    cr_assert_eq(r.code, 0, "%s", r.err);
    cr_assert(!strncmp(r.out, "program,variant,size_class,size,status,", 39), "%s", r.out);
    hlb_proc_result_free(&r);
    r = run((char *[]){HEAPLAB, "list", NULL});
    cr_assert_eq(r.code, 0);
    cr_assert(strstr(r.out, "binary_trees"));
    cr_assert(strstr(r.out, "(256 MiB initial heap) [bench on request: --runtimes]"), "%s", r.out);
    cr_assert(strstr(r.out, "manual+asan"));
    hlb_proc_result_free(&r);
    /* a variant on request runs when named */
    r = run((char *[]){HEAPLAB, "bench", "--programs", "binary_trees", "--runtimes", "manual,gc-tuned", "--size", "small",
                       "--reps", "1", "--warmup", "0", "--format", "csv", NULL});
    cr_assert_eq(r.code, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\nbinary_trees,gc-tuned,"), "%s", r.out);
    hlb_proc_result_free(&r);
}

/* Write an executable shell script. */
static void script(const char *dir, const char *rel, const char *text) {
    char path[600], cmd[700];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
    cr_assert_eq(system(cmd), 0);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(chmod(path, 0755), 0);
}

/* A peer that lacks a program says so, instead of "not built (run make)". */
Test(e2e, missing_peer_is_named) {
    char *dir = tmpdir("peerless");
    script(dir, "manual/lru_cache", "#!/bin/sh\necho 'lru_cache size=1 checksum=ab'\n");
    script(dir, "peers/rust/binary_trees", "#!/bin/sh\necho 'binary_trees size=1 checksum=ab'\n");
    hlb_proc_result r = run((char *[]){HEAPLAB, "run", "lru_cache", "--runtime", "rust", "--build", dir, NULL});
    cr_assert_eq(r.code, 2, "%s", r.err);
    cr_assert_str_eq(r.err, "heaplab run: error: lru_cache has no rust peer (yet)\n");
    hlb_proc_result_free(&r);
    /* bench leaves the cell out, with the ratios of the program against manual */
    r = run((char *[]){HEAPLAB, "bench", "--build", dir, "--runtimes", "manual,rust", "--baseline", "rust", "--reps",
                       "1", "--warmup", "0", "--format", "csv", NULL});
    cr_assert_eq(r.code, 0, "%s", r.err);
    cr_assert_null(strstr(r.out, "lru_cache,rust"), "%s", r.out);
    cr_assert(strstr(r.out, "lru_cache,manual,"), "%s", r.out);
    cr_assert(strstr(r.err, "lru_cache has no rust peer: its ratios are against manual"), "%s", r.err);
    hlb_proc_result_free(&r);
    rm_rf(dir);
}

/* How many lines of the file at path are exactly line (with its newline). */
static int count_lines(const char *path, const char *line) {
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char buf[256];
    int n = 0;
    while (fgets(buf, sizeof buf, f)) n += !strcmp(buf, line);
    fclose(f);
    return n;
}

/* A runtime variant runs once more than its measured runs, for its statistics; a peer, which
** has no runtime to count, does not: each fake binary logs its runs, marking the one given
** HEAPLAB_STATS (the driver's --help probes log their argument, and are not counted). */
Test(e2e, peers_skip_the_statistics_run) {
    char *dir = tmpdir("statsrun");
    const char *rel[] = {"peers/c/binary_trees", "manual/binary_trees"}, *logs[] = {"c", "manual"};
    for (int k = 0; k < 2; k++) {
        char text[600];
        snprintf(text, sizeof text,
                 "#!/bin/sh\necho \"${HEAPLAB_STATS:+stats }run $*\" >> '%s/%s.log'\n"
                 "echo 'binary_trees size=1 checksum=ab'\n",
                 dir, logs[k]);
        script(dir, rel[k], text);
    }
    hlb_proc_result r = run((char *[]){HEAPLAB, "bench", "--build", dir, "--programs", "binary_trees", "--runtimes",
                                       "c,manual", "--reps", "2", "--warmup", "1", "--format", "csv", NULL});
    cr_assert_eq(r.code, 0, "%s", r.err);
    cr_assert(strstr(r.err, "[5/5] binary_trees on manual: run 2/2"), "%s", r.err);
    hlb_proc_result_free(&r);
    char path[600];
    snprintf(path, sizeof path, "%s/c.log", dir);
    cr_assert_eq(count_lines(path, "run \n"), 2, "the peer runs its 2 measured runs");
    cr_assert_eq(count_lines(path, "stats run \n"), 0, "and no statistics run");
    snprintf(path, sizeof path, "%s/manual.log", dir);
    cr_assert_eq(count_lines(path, "run \n"), 2, "manual runs its 2 measured runs");
    cr_assert_eq(count_lines(path, "stats run \n"), 1, "and one statistics run");
    rm_rf(dir);
}

Test(e2e, sweep_small, .timeout = 120) {
    char *dir = tmpdir("sweep");
    hlb_proc_result r = run((char *[]){HEAPLAB, "sweep", "binary_trees", "--size", "small", "--reps", "1", "--factors",
                                       "4,2", "--format", "json", "--out", dir, "--no-plots", NULL});
    cr_assert_eq(r.code, 0, "%s", r.err);
    hlb_json *j = parse_out(&r);
    cr_assert_str_eq(hlb_json_str(j, "kind"), "sweep");
    has_provenance(j);
    const hlb_json *cells = hlb_json_get(j, "cells");
    cr_assert_eq(cells->n, 4, "baseline, gc without a limit, two limits");
    cr_assert_eq(hlb_json_get(cells->items[1], "factor")->kind, HLB_JNULL);
    cr_assert_float_eq(hlb_json_num(cells->items[2], "factor"), 2, 0, "factors in increasing order");
    cr_assert_float_eq(hlb_json_num(cells->items[3], "factor"), 4, 0);
    cr_assert(hlb_json_num(cells->items[3], "heap_limit_bytes") > 0);
    cr_assert_eq(hlb_json_get(cells->items[3], "samples")->n, 1);
    cr_assert_not_null(hlb_json_get(j, "within_10pct_from"));
    hlb_json_free(j);
    hlb_proc_result_free(&r);
    char path[512];
    snprintf(path, sizeof path, "%s/sweep_binary_trees.md", dir);
    cr_assert(exists(path));
    rm_rf(dir);
}

Test(e2e, safety_small) {
    hlb_proc_result r = run((char *[]){HEAPLAB, "safety", "--faults", "use_after_free,leak", "--runtimes",
                                       "manual,owned", "--format", "csv", NULL});
    cr_assert_eq(r.code, 0, "%s", r.err);
    cr_assert(!strncmp(r.out, "fault,variant,outcome,exit_status,signal,evidence\n", 49), "%s", r.out);
    cr_assert(strstr(r.out, "use_after_free,owned,detected,101,,heaplab: error: use after free\n"), "%s", r.out);
    hlb_proc_result_free(&r);
}

/* A bench results file written by hand: one cell with the given wall samples. */
static void results_file(const char *path, const char *kind, const char *walls) {
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f,
            "{\"kind\": \"%s\", \"provenance\": {\"heaplab_commit\": \"abc\"}, \"baseline\": \"c\", \"cells\": [\n"
            " {\"program\": \"binary_trees\", \"variant\": \"gc\", \"size\": 12, \"status\": \"ok\", \"samples\": [%s]}]}\n",
            kind, walls);
    cr_assert_eq(fclose(f), 0);
}

Test(e2e, compare_and_its_gate) {
    char *dir = tmpdir("cmp");
    char a[300], b[300], s[300], out[300];
    snprintf(a, sizeof a, "%s/old.json", dir);
    snprintf(b, sizeof b, "%s/new.json", dir);
    snprintf(s, sizeof s, "%s/sweep.json", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    results_file(a, "bench", "{\"wall_s\": 1.00}, {\"wall_s\": 1.01}, {\"wall_s\": 0.99}");
    results_file(b, "bench", "{\"wall_s\": 1.50}, {\"wall_s\": 1.52}, {\"wall_s\": 1.49}");
    results_file(s, "sweep", "{\"wall_s\": 1.00}");
    hlb_proc_result r = run((char *[]){HEAPLAB, "compare", a, b, "--format=json", "--out", out, NULL});
    cr_assert_eq(r.code, 0, "%s", r.err);
    hlb_json *j = parse_out(&r);
    cr_assert_str_eq(hlb_json_str(j, "kind"), "compare");
    const hlb_json *cells = hlb_json_get(j, "cells");
    cr_assert_eq(cells->n, 1);
    cr_assert_str_eq(hlb_json_str(cells->items[0], "verdict"), "slower");
    cr_assert_float_eq(hlb_json_num(cells->items[0], "ratio"), 1.5, 0.02);
    hlb_json_free(j);
    hlb_proc_result_free(&r);
    char path[400];
    snprintf(path, sizeof path, "%s/compare.md", out);
    cr_assert(exists(path));
    r = run((char *[]){HEAPLAB, "compare", a, b, "--fail-above", "10", NULL});
    cr_assert_eq(r.code, 1, "a 50%% slowdown fails a 10%% gate: %s", r.err);
    cr_assert(strstr(r.err, "heaplab compare: error: 1 cell is slower by more than 10%"), "%s", r.err);
    hlb_proc_result_free(&r);
    r = run((char *[]){HEAPLAB, "compare", a, b, "--fail-above=60", NULL});
    cr_assert_eq(r.code, 0, "%s", r.err);
    hlb_proc_result_free(&r);
    r = run((char *[]){HEAPLAB, "compare", b, a, "--fail-above", "0", "--format", "csv", NULL});
    cr_assert_eq(r.code, 0, "faster passes any gate: %s", r.err);
    cr_assert(strstr(r.out, ",faster\n"), "%s", r.out);
    hlb_proc_result_free(&r);
    r = run((char *[]){HEAPLAB, "compare", a, s, NULL});
    cr_assert_eq(r.code, 2);
    cr_assert(strstr(r.err, "heaplab compare: error: cannot compare bench results"), "%s", r.err);
    hlb_proc_result_free(&r);
    r = run((char *[]){HEAPLAB, "compare", a, "/nonexistent.json", NULL});
    cr_assert_eq(r.code, 2);
    hlb_proc_result_free(&r);
    rm_rf(dir);
}

Test(e2e, strict_fails_on_a_failed_cell) {
    /* A build directory whose one program fails. */
    char *dir = tmpdir("strict");
    script(dir, "manual/broken", "#!/bin/sh\necho 'broken: always fails' >&2\nexit 3\n");
    hlb_proc_result r = run((char *[]){HEAPLAB, "bench", "--build", dir, "--runtimes", "manual", "--reps", "1", "--format", "csv", NULL});
    cr_assert_eq(r.code, 0, "without --strict a failed cell is a result: %s", r.err);
    cr_assert(strstr(r.out, "broken,manual,default,,failed,"), "%s", r.out);
    hlb_proc_result_free(&r);
    r = run((char *[]){HEAPLAB, "bench", "--build", dir, "--runtimes=manual", "--reps", "1", "--strict", NULL});
    cr_assert_eq(r.code, 1, "%s", r.err);
    cr_assert(strstr(r.err, "heaplab bench: error: --strict: 1 cell is not ok"), "%s", r.err);
    cr_assert(strstr(r.out, "| **failed** |"), "the table is still printed");
    hlb_proc_result_free(&r);
    rm_rf(dir);
}

/* An installed driver (PREFIX/bin/heaplab) finds its programs in PREFIX/lib/heaplab. */
Test(e2e, installed_layout) {
    char *dir = tmpdir("prefix");
    char cmd[1200], exe[400];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/bin' '%s/lib' && cp '%s' '%s/bin/heaplab' && ln -s '%s' '%s/lib/heaplab'",
             dir, dir, HEAPLAB, dir, BUILD, dir);
    cr_assert_eq(system(cmd), 0);
    snprintf(exe, sizeof exe, "%s/bin/heaplab", dir);
    hlb_proc_result r;
    cr_assert_eq(hlb_proc_run((char *[]){exe, "run", "binary_trees", "--size", "small", NULL},
                              (char *[]){"HEAPLAB_ROOT=", NULL}, 60, &r),
                 0);
    cr_assert_eq(r.code, 0, "%s", r.err);
    cr_assert(strstr(r.out, "binary_trees size=12 checksum="), "%s", r.out);
    hlb_proc_result_free(&r);
    cr_assert_eq(hlb_proc_run((char *[]){exe, "list", NULL}, (char *[]){"HEAPLAB_ROOT=", NULL}, 60, &r), 0);
    cr_assert_eq(r.code, 0, "%s", r.err);
    cr_assert(strstr(r.out, "/lib/heaplab"), "%s", r.out);
    cr_assert(strstr(r.out, "small 12, default 18, large 20"), "sizes.txt read from the build directory: %s", r.out);
    hlb_proc_result_free(&r);
    rm_rf(dir);
}

/* Run heaplab with stdout on /dev/full; its exit status and stderr (in err). */
static int to_full(char **args, char *err, size_t errlen) {
    int pe[2];
    cr_assert_eq(pipe(pe), 0);
    pid_t pid = fork();
    if (pid == 0) {
        int full = open("/dev/full", O_WRONLY);
        dup2(full, 1);
        dup2(pe[1], 2);
        close(pe[0]);
        setenv("HEAPLAB_ROOT", HLB_TEST_ROOT, 1);
        char *argv[32] = {HEAPLAB};
        for (int i = 0; args[i] && i < 30; i++) argv[i + 1] = args[i];
        execv(HEAPLAB, argv);
        _exit(127);
    }
    close(pe[1]);
    size_t n = 0;
    ssize_t k;
    while (n + 1 < errlen && (k = read(pe[0], err + n, errlen - 1 - n)) > 0) n += (size_t)k;
    err[n] = 0;
    close(pe[0]);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status));
    return WEXITSTATUS(status);
}

Test(e2e, write_errors_exit_1, .timeout = 120) {
    char *cmds[][16] = {
        {"list", NULL},
        {"--help", NULL},
        {"bench", "--help", NULL},
        {"run", "binary_trees", "--size", "small", NULL},
        {"bench", "--programs", "binary_trees", "--runtimes", "manual", "--size", "small", "--reps", "1", "--warmup", "0", NULL},
        {"sweep", "binary_trees", "--size", "small", "--reps", "1", "--factors", "3", NULL},
        {"safety", "--faults", "leak", "--runtimes", "owned", NULL},
    };
    char err[8192];
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        int rc = to_full(cmds[i], err, sizeof err);
        cr_assert_eq(rc, 1, "heaplab %s >/dev/full: exit %d: %s", cmds[i][0], rc, err);
        cr_assert(strstr(err, "error: cannot write to stdout: No space left on device"), "heaplab %s: %s", cmds[i][0],
                  err);
    }
    hlb_proc_result r = run((char *[]){HEAPLAB, "safety", "--faults", "leak", "--runtimes", "owned", "--json",
                                       "/dev/full", NULL});
    cr_assert_eq(r.code, 1, "%s", r.err);
    cr_assert(strstr(r.err, "heaplab safety: error: cannot write /dev/full"), "%s", r.err);
    hlb_proc_result_free(&r);
}

static void bad(char **argv, const char *needle) {
    hlb_proc_result r = run(argv);
    cr_assert_eq(r.code, 2, "%s %s: exit %d", argv[1], argv[2] ? argv[2] : "", r.code);
    size_t nl = 0;
    for (const char *p = r.err; *p; p++) nl += *p == '\n';
    cr_assert_eq(nl, 1, "not one line: %s", r.err);
    cr_assert(strstr(r.err, needle), "'%s' lacks '%s'", r.err, needle);
    hlb_proc_result_free(&r);
}

Test(e2e, bad_arguments_exit_2) {
    bad((char *[]){HEAPLAB, NULL}, "heaplab: error: missing COMMAND");
    bad((char *[]){HEAPLAB, "frobnicate", NULL}, "heaplab: error: unknown command 'frobnicate'");
    bad((char *[]){HEAPLAB, "bench", "--reps", "zero", NULL}, "heaplab bench: error: --reps wants an integer");
    bad((char *[]){HEAPLAB, "bench", "--programs", "no_such_program", NULL}, "unknown program 'no_such_program'");
    bad((char *[]){HEAPLAB, "bench", "--runtimes", "no_such_runtime", NULL}, "unknown runtime 'no_such_runtime'");
    bad((char *[]){HEAPLAB, "bench", "--baseline", "nosuch", NULL}, "unknown baseline variant 'nosuch' (one of: ");
    bad((char *[]){HEAPLAB, "run", "binary_trees", "--size", "999", NULL}, "outside binary_trees's range");
    bad((char *[]){HEAPLAB, "sweep", NULL}, "heaplab sweep: error: missing PROGRAM");
    bad((char *[]){HEAPLAB, "sweep", "binary_trees", "--factors", "1e308", NULL},
        "heaplab sweep: error: --factors wants numbers in (1, 100], not '1e308'");
    bad((char *[]){HEAPLAB, "sweep", "binary_trees", "--factors=2,1", NULL}, "--factors wants numbers in (1, 100], not '1'");
    bad((char *[]){HEAPLAB, "list", "extra", NULL}, "heaplab list: error: unexpected argument 'extra'");
    bad((char *[]){HEAPLAB, "compare", "a.json", NULL}, "heaplab compare: error: missing OLD.json NEW.json");
    bad((char *[]){HEAPLAB, "run", "binary_trees", "--build", "/nonexistent-heaplab", NULL}, "no build directory at");
    bad((char *[]){HEAPLAB, "claims", "--format", "xml", NULL}, "heaplab claims: error: --format wants md, csv or json, not 'xml'");
    bad((char *[]){HEAPLAB, "claims", "--results=", NULL}, "heaplab claims: error: --results needs a value");
    bad((char *[]){HEAPLAB, "report", "extra", NULL}, "heaplab report: error: unexpected argument 'extra'");
    bad((char *[]){HEAPLAB, "report", "--out", "/proc/heaplab-report", NULL},
        "heaplab report: error: cannot create /proc/heaplab-report");
}

/* --out is checked before anything runs. */
Test(e2e, unwritable_out_refused_first) {
    hlb_proc_result r = run((char *[]){HEAPLAB, "bench", "--size", "small", "--out", "/proc/heaplab-results", NULL});
    cr_assert_eq(r.code, 2, "%s", r.err);
    cr_assert(strstr(r.err, "heaplab bench: error: cannot create /proc/heaplab-results"), "%s", r.err);
    cr_assert_null(strstr(r.err, "warmup"), "a run started: %s", r.err);
    hlb_proc_result_free(&r);
}

Test(e2e, help_on_every_command) {
    const char *cmds[] = {"list", "run", "bench", "sweep", "safety", "compare", "claims", "report", NULL};
    hlb_proc_result r = run((char *[]){HEAPLAB, "--help", NULL});
    for (int i = 0; cmds[i]; i++) cr_assert(strstr(r.out, cmds[i]), "heaplab --help lacks %s", cmds[i]);
    hlb_proc_result_free(&r);
    for (int i = 0; cmds[i]; i++) {
        r = run((char *[]){HEAPLAB, (char *)cmds[i], "--help", NULL});
        cr_assert_eq(r.code, 0);
        cr_assert(!strncmp(r.out, "usage: heaplab ", 15), "%s --help: %s", cmds[i], r.out);
        cr_assert(strstr(r.out, "--build DIR"), "%s --help", cmds[i]);
        hlb_proc_result_free(&r);
    }
}

/* ---- Ctrl-C ------------------------------------------------------------------------------------ */

/* How many processes have the given argument after their program name (cmdline "prog\0arg")? */
static int strays(const char *prog_suffix, const char *arg) {
    int found = 0;
    DIR *d = opendir("/proc");
    for (struct dirent *e; d && (e = readdir(d));) {
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f) continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        size_t l0 = strlen(buf), ls = strlen(prog_suffix);
        if (l0 >= ls && !strcmp(buf + l0 - ls, prog_suffix) && n > l0 + 1 && !strcmp(buf + l0 + 1, arg)) found++;
    }
    if (d) closedir(d);
    return found;
}

/* Start heaplab with args (stdout and stderr to /dev/null), wait until a child runs `prog arg`,
** interrupt it with SIGINT; it must exit 130 and leave no such process behind. */
static void interrupt(char **args, const char *prog, const char *arg) {
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        setenv("HEAPLAB_ROOT", HLB_TEST_ROOT, 1);
        char *argv[32] = {HEAPLAB};
        for (int i = 0; args[i] && i < 30; i++) argv[i + 1] = args[i];
        execv(HEAPLAB, argv);
        _exit(127);
    }
    for (int i = 0; i < 400 && !strays(prog, arg); i++) usleep(20000);
    cr_assert(strays(prog, arg) > 0, "heaplab %s never started its children", args[0]);
    kill(pid, SIGINT);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 130, "heaplab %s: status %d", args[0], status);
    usleep(100000);
    cr_assert_eq(strays(prog, arg), 0, "a child of heaplab %s survived the interrupt", args[0]);
}

Test(e2e, interrupt_bench_leaves_nothing_behind, .timeout = 60) {
    char *dir = tmpdir("int");
    interrupt((char *[]){"bench", "--programs", "binary_trees", "--runtimes", "manual,gc", "--size", "23", "--reps", "3",
                         "--out", dir, NULL},
              "/binary_trees", "23");
    char path[300];
    snprintf(path, sizeof path, "%s/results.json", dir);
    cr_assert_not(exists(path), "results written after an interrupt");
    rm_rf(dir);
}

/* Ctrl-C during safety: it stops at once, kills every running fault, prints no matrix, exits 130. */
Test(e2e, interrupt_safety_leaves_nothing_behind, .timeout = 60) {
    char *dir = tmpdir("int-safety");
    static const char *const rts[] = {"manual", "gc", "owned"};
    for (int i = 0; i < 3; i++) {
        char rel[100];
        snprintf(rel, sizeof rel, "%s/faults/use_after_free", rts[i]);
        script(dir, rel, "#!/bin/sh\nexec sleep 31.4159\n");
    }
    interrupt((char *[]){"safety", "--build", dir, "--jobs", "2", "--timeout", "50", NULL}, "sleep", "31.4159");
    rm_rf(dir);
}
