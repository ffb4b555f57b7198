/*
** tests/bench_e2e.c: the heaplab driver end to end, as a user runs it (build/heaplab): a small
** bench at tiny sizes where every cell must be filled and none FAILED, the files of --out,
** `run` and `list`, bad arguments (one line, exit 2), and Ctrl-C (exit 130, no stray
** processes, no results written).
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

#define HEAPLAB HLB_TEST_ROOT "/build/heaplab"

static hlb_proc_result run(char **argv) {
    hlb_proc_result r;
    cr_assert_eq(hlb_proc_run(argv, (char *[]){"HEAPLAB_ROOT=" HLB_TEST_ROOT, NULL}, 300, &r), 0);
    return r;
}

static int exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

Test(e2e, small_bench_fills_every_cell, .timeout = 240) {
    char dir[] = "/tmp/heaplab-e2e.XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    hlb_proc_result r = run((char *[]){HEAPLAB, "bench", "--size", "small", "--reps", "2", "--warmup", "0", "--format",
                                       "json", "--out", dir, NULL});
    cr_assert_eq(r.end, HLB_PROC_EXITED);
    cr_assert_eq(r.code, 0, "exit %d: %s", r.code, r.err);
    char err[200];
    hlb_json *j = hlb_json_parse(r.out, err, sizeof err);
    cr_assert_not_null(j, "stdout is not JSON: %s", err);
    const hlb_json *res = hlb_json_get(j, "results");
    cr_assert(res && res->kind == HLB_JARR && res->n > 0);
    size_t manual_cells = 0;
    for (size_t i = 0; i < res->n; i++) {
        const hlb_json *o = res->items[i];
        const char *prog = hlb_json_str(o, "program"), *rt = hlb_json_str(o, "runtime");
        cr_assert_str_eq(hlb_json_str(o, "status"), "ok", "%s on %s: %s (%s)", prog, rt, hlb_json_str(o, "status"),
                         hlb_json_str(o, "reason"));
        static const char *const filled[] = {"wall_median_s", "wall_min_s", "wall_max_s", "cpu_median_s",
                                             "peak_rss_kib", "ratio_wall", "ratio_rss", "size", NULL};
        for (int k = 0; filled[k]; k++) {
            double v = hlb_json_num(o, filled[k]);
            cr_assert(v == v && v >= 0, "%s on %s: %s is empty", prog, rt, filled[k]);
        }
        cr_assert(hlb_json_num(o, "wall_min_s") <= hlb_json_num(o, "wall_median_s"));
        cr_assert(hlb_json_num(o, "wall_median_s") <= hlb_json_num(o, "wall_max_s"));
        cr_assert_float_eq(hlb_json_num(o, "reps"), 2, 0);
        if (strcmp(rt, "rust")) {   /* the Rust peer has no runtime statistics */
            double a = hlb_json_num(o, "allocations");
            cr_assert(a == a && a > 0, "%s on %s: no allocations", prog, rt);
        }
        if (!strcmp(rt, "manual")) {
            manual_cells++;
            cr_assert_float_eq(hlb_json_num(o, "ratio_wall"), 1.0, 1e-9);
        }
    }
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
    size_t ncells = res->n;
    hlb_json_free(j);

    /* --out files: the JSON file parses to the same document; CSV has a header and a row per cell. */
    char path[512];
    snprintf(path, sizeof path, "%s/results.json", dir);
    hlb_json *f = hlb_json_parse_file(path, err, sizeof err);
    cr_assert_not_null(f, "%s", err);
    cr_assert_eq(hlb_json_get(f, "results")->n, ncells);
    hlb_json_free(f);
    snprintf(path, sizeof path, "%s/results.csv", dir);
    FILE *csv = fopen(path, "r");
    cr_assert_not_null(csv);
    size_t lines = 0;
    char line[4096];
    while (fgets(line, sizeof line, csv)) lines++;
    fclose(csv);
    snprintf(path, sizeof path, "%s/results.md", dir);
    cr_assert(exists(path));
    char *gp = NULL;
    if (system("command -v gnuplot >/dev/null 2>&1") == 0) {
        snprintf(path, sizeof path, "%s/wall_ratio.svg", dir);
        cr_assert(exists(path), "gnuplot present but no plot");
    }
    free(gp);
    cr_assert_eq(lines, ncells + 1, "results.csv: %zu lines for %zu cells", lines, ncells);
    hlb_proc_result_free(&r);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(e2e, run_and_list) {
    hlb_proc_result r = run((char *[]){HEAPLAB, "run", "binary_trees", "--runtime", "gc", "--size", "small", NULL});
    cr_assert_eq(r.code, 0, "%s", r.err);
    cr_assert(strstr(r.out, "binary_trees size=12 checksum="));
    cr_assert(strstr(r.out, "peak RSS"));
    cr_assert(strstr(r.out, "collections"));
    hlb_proc_result_free(&r);
    r = run((char *[]){HEAPLAB, "list", NULL});
    cr_assert_eq(r.code, 0);
    cr_assert(strstr(r.out, "binary_trees"));
    cr_assert(strstr(r.out, "manual"));
    cr_assert(strstr(r.out, "gc-tuned"));
    hlb_proc_result_free(&r);
}

static void bad(char **argv) {
    hlb_proc_result r = run(argv);
    cr_assert_eq(r.end, HLB_PROC_EXITED);
    cr_assert_eq(r.code, 2, "%s %s: exit %d", argv[1], argv[2] ? argv[2] : "", r.code);
    size_t nl = 0;
    for (const char *p = r.err; *p; p++) nl += *p == '\n';
    cr_assert_eq(nl, 1, "not one line: %s", r.err);
    hlb_proc_result_free(&r);
}

Test(e2e, bad_arguments_exit_2) {
    bad((char *[]){HEAPLAB, NULL});
    bad((char *[]){HEAPLAB, "frobnicate", NULL});
    bad((char *[]){HEAPLAB, "bench", "--reps", "zero", NULL});
    bad((char *[]){HEAPLAB, "bench", "--programs", "no_such_program", NULL});
    bad((char *[]){HEAPLAB, "bench", "--runtimes", "no_such_runtime", NULL});
    bad((char *[]){HEAPLAB, "run", "binary_trees", "--size", "999", NULL});
    bad((char *[]){HEAPLAB, "sweep", NULL});
    bad((char *[]){HEAPLAB, "list", "extra", NULL});
}

Test(e2e, help_on_every_command) {
    const char *cmds[] = {"list", "run", "bench", "sweep", NULL};
    for (int i = 0; cmds[i]; i++) {
        hlb_proc_result r = run((char *[]){HEAPLAB, (char *)cmds[i], "--help", NULL});
        cr_assert_eq(r.code, 0);
        cr_assert(!strncmp(r.out, "usage: heaplab ", 15), "%s --help: %s", cmds[i], r.out);
        hlb_proc_result_free(&r);
    }
}

/* Is any process running binary_trees with argument 23 (only this test uses that size)? */
static int strays(void) {
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
        if (strstr(buf, "/binary_trees") && n > strlen(buf) + 1 && !strcmp(buf + strlen(buf) + 1, "23")) found++;
    }
    if (d) closedir(d);
    return found;
}

Test(e2e, interrupt_leaves_nothing_behind, .timeout = 60) {
    char dir[] = "/tmp/heaplab-int.XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        setenv("HEAPLAB_ROOT", HLB_TEST_ROOT, 1);
        execl(HEAPLAB, HEAPLAB, "bench", "--programs", "binary_trees", "--runtimes", "manual,gc", "--size", "23",
              "--reps", "3", "--out", dir, (char *)NULL);
        _exit(127);
    }
    /* Wait until the child program is running, then interrupt the driver. */
    for (int i = 0; i < 200 && !strays(); i++) usleep(20000);
    cr_assert(strays() > 0, "the bench never started its program");
    kill(pid, SIGINT);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 130, "status %d", status);
    usleep(100000);
    cr_assert_eq(strays(), 0, "a program survived the interrupt");
    char path[300];
    snprintf(path, sizeof path, "%s/results.json", dir);
    cr_assert_not(exists(path), "results written after an interrupt");
    rmdir(dir);
}
