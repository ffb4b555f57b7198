/*
** tests/safety.c: the safety matrix.
**
**   classify      the classifier on synthetic runs: every outcome is reachable, tool
**                 prefixes are stripped from the evidence
**   expect        every programs/faults/<fault>.c has a row in bench/safety_expect.c (and
**                 every row a program), a header comment, and a FAULT marker where located
**   owned         each fault on the owned runtime: the expected outcome; for `detected`,
**                 exit 101, "heaplab: error: <kind>" and "  --> programs/faults/<f>.c:<line>"
**                 where <line> is the line marked FAULT; notes "allocated at", "dropped at",
**                 "moved at" naming the lines marked ALLOC, DROP, MOVE (where marked)
**   every_runtime stack overflow and out of memory are diagnosed on manual, gc and owned
**   command       `heaplab safety` (build/heaplab): --help, bad arguments (an unknown fault names
**                 the known ones), nothing built, JSON output (--json and --out), one line
**                 of progress with correct plurals
**
** Runs from the repository root (make test does; otherwise it finds the root from its own
** path, build/tests/safety).
*/
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/classify.h"
#include "analyze/expect.h"
#include "report/json.h"
#include "run/proc.h"

#define HEAPLAB HLB_TEST_ROOT "/build/heaplab"

/* ---- helpers ----------------------------------------------------------------------------- */

static void to_root(void) {
    if (access("programs/faults", R_OK) == 0) return;
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char path[4200];
        snprintf(path, sizeof path, "%s/../..", dirname(exe));
        if (chdir(path) != 0) return;
    }
}

TestSuite(classify);
TestSuite(expect, .init = to_root);
TestSuite(owned, .init = to_root, .timeout = 60);
TestSuite(every_runtime, .init = to_root, .timeout = 60);
TestSuite(command, .init = to_root, .timeout = 120);

static hlb_verdict classify(int status, int sig, const char *out, const char *err) {
    hlb_run_obs r = {.exit_status = status, .signal = sig, .out = out, .err = err, .timeout_s = 10};
    return hlb_classify(&r);
}

/* Read a whole file; NULL if it cannot. */
static char *slurp(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t r;
    while ((r = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += r;
        if (cap - len < 2) buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    fclose(f);
    return buf;
}

/* The 1-based line of the first marker comment (e.g. FAULT) in the fault's source, 0 if
** none; *count gets the number of such markers. */
static int marker_line(const char *fault, const char *marker, int *count) {
    char mark[64];
    snprintf(mark, sizeof mark, "/* %s */", marker);
    char path[512];
    snprintf(path, sizeof path, "programs/faults/%s.c", fault);
    char *src = slurp(path);
    int line = 1, first = 0;
    *count = 0;
    if (!src) return 0;
    for (char *p = src; *p; p++) {
        if (*p == '\n') line++;
        if (strncmp(p, mark, strlen(mark)) == 0) {
            if (!first) first = line;
            ++*count;
        }
    }
    free(src);
    return first;
}

static int fault_line(const char *fault, int *count) { return marker_line(fault, "FAULT", count); }

/* If the source marks a line with marker, stderr must have a note "<what> at <file>:<line>". */
static void expect_site_note(const char *fault, const char *err, const char *marker, const char *what) {
    int count, line = marker_line(fault, marker, &count);
    if (count == 0) return;
    char want[512];
    snprintf(want, sizeof want, "%s at programs/faults/%s.c:%d\n", what, fault, line);
    cr_expect_not_null(strstr(err, want), "%s: no note '%.*s' in stderr:\n%s", fault, (int)strlen(want) - 1, want, err);
}

/* One run of a fault binary: how it ended and what it printed. */
typedef struct fault_run {
    hlb_proc_result r;
    hlb_run_obs obs;
} fault_run;

/* Run one binary and classify it. The caller frees the run (hlb_proc_result_free(&run->r)). */
static hlb_verdict run(fault_run *fr, const char *path) {
    cr_assert_eq(access(path, X_OK), 0, "%s is not built (run make)", path);
    cr_assert_eq(hlb_proc_run((char *[]){(char *)path, NULL}, NULL, 30, &fr->r), 0, "cannot run %s", path);
    fr->obs = hlb_obs_of(&fr->r, 30);
    return hlb_classify(&fr->obs);
}

/* Line number n (0-based) of text, copied into buf. */
static const char *nth_line(const char *text, int n, char *buf, size_t size) {
    const char *p = text;
    for (int i = 0; i < n && p; i++) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    if (!p) return "";
    size_t len = strcspn(p, "\n");
    if (len >= size) len = size - 1;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return buf;
}

/* ---- the classifier ----------------------------------------------------------------------- */

Test(classify, names_round_trip) {
    for (int o = 0; o < HLB_OUTCOME_COUNT; o++) cr_expect_eq(hlb_outcome_parse(hlb_outcome_name((hlb_outcome)o)), o);
    cr_expect_str_eq(hlb_outcome_name(HLB_OUTCOME_LEAK_REPORTED), "leak reported");
    cr_expect_eq(hlb_outcome_parse("fine"), -1);
}

Test(classify, detected_heaplab) {
    hlb_verdict v = classify(101, 0, "",
                            "heaplab: error: use after free\n  --> programs/faults/x.c:9\n   = note: ...\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_DETECTED);
    cr_expect_str_eq(v.evidence, "heaplab: error: use after free");
}

Test(classify, detected_asan_strips_prefix) {
    hlb_verdict v = classify(1, 0, "",
                            "=================================================================\n"
                            "==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x6030\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_DETECTED);
    cr_expect_str_eq(v.evidence, "ERROR: AddressSanitizer: heap-use-after-free on address 0x6030");
}

Test(classify, detected_ubsan_and_valgrind) {
    hlb_verdict v = classify(1, 0, "", "x.c:3:5: runtime error: member access within null pointer\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_DETECTED);
    v = classify(99, 0, "result: ok 42\n", "==77== Invalid read of size 8\n==77==    at 0x1: main (x.c:4)\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_DETECTED);
    cr_expect_str_eq(v.evidence, "Invalid read of size 8");
    /* valgrind reports, then the program dies of the signal */
    v = classify(0, 11, "", "==7== Invalid write of size 8\n==7== Process terminating with default action of signal 11\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_DETECTED);
}

Test(classify, bug_beats_leak) {
    hlb_verdict v = classify(99, 0, "", "==1== Invalid free() / delete\n==1== 40 bytes in 1 blocks are definitely lost in loss record 1 of 1\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_DETECTED);
    cr_expect_str_eq(v.evidence, "Invalid free() / delete");
}

Test(classify, prevented) {
    hlb_verdict v = classify(0, 0, "result: ok 42\n", "");
    cr_expect_eq(v.outcome, HLB_OUTCOME_PREVENTED);
    cr_expect_str_eq(v.evidence, "result: ok 42");
    v = classify(0, 0, "result: ok 10000\nlost: 0 objects\n", "GC Warning: Repeated allocation of very large block\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_PREVENTED);
}

Test(classify, crash_signal) {
    hlb_verdict v = classify(0, 11, "", "");
    cr_expect_eq(v.outcome, HLB_OUTCOME_CRASH);
    cr_expect_str_eq(v.evidence, "killed by SIGSEGV");
}

Test(classify, crash_glibc_abort_keeps_message) {
    hlb_verdict v = classify(0, 6, "", "free(): double free detected in tcache 2\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_CRASH);
    cr_expect_str_eq(v.evidence, "free(): double free detected in tcache 2");
}

Test(classify, crash_asan_segv_report) {
    hlb_verdict v = classify(1, 0, "", "==9==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_CRASH);
    cr_expect_str_eq(v.evidence, "ERROR: AddressSanitizer: SEGV on unknown address 0x000000000000");
}

Test(classify, crash_exit_and_timeout) {
    hlb_verdict v = classify(3, 0, "", "something went wrong\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_CRASH);
    cr_expect_str_eq(v.evidence, "exit status 3 without a diagnostic");
    hlb_run_obs r = {.timed_out = true, .timeout_s = 2, .signal = 9, .out = "", .err = ""};
    v = hlb_classify(&r);
    cr_expect_eq(v.outcome, HLB_OUTCOME_CRASH);
    cr_expect_str_eq(v.evidence, "timed out after 2 s");
}

Test(classify, silent) {
    hlb_verdict v = classify(0, 0, "result: wrong 7 (expected 42)\n", "");
    cr_expect_eq(v.outcome, HLB_OUTCOME_SILENT);
    cr_expect_str_eq(v.evidence, "result: wrong 7 (expected 42)");
    v = classify(0, 0, "result: ok 10000\nlost: 10000 objects\n", "");
    cr_expect_eq(v.outcome, HLB_OUTCOME_SILENT);
    cr_expect_str_eq(v.evidence, "memory lost, unreported: 10000 objects");
    v = classify(0, 0, "result: ok 1\nlost: 1 objects\n", "");
    cr_expect_str_eq(v.evidence, "memory lost, unreported: 1 object", "one object, not '1 objects'");
    v = classify(0, 0, "", "");
    cr_expect_eq(v.outcome, HLB_OUTCOME_SILENT);
    v = classify(0, 0, NULL, NULL);
    cr_expect_eq(v.outcome, HLB_OUTCOME_SILENT);
    /* an error line with exit status 0 did not stop the bug */
    v = classify(0, 0, "result: wrong 1\n", "x.c:1:1: runtime error: something\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_SILENT);
}

Test(classify, leak_reported) {
    hlb_verdict v = classify(0, 0, "result: ok 1\nlost: 3 objects\n",
                            "heaplab: warning: 3 objects (48 bytes) leaked\n   = note: 3 `Node` allocated at x.c:4\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_LEAK_REPORTED);
    cr_expect_str_eq(v.evidence, "heaplab: warning: 3 objects (48 bytes) leaked");
    v = classify(23, 0, "result: ok 1\n", "\n=================================================================\n"
                                          "==5==ERROR: LeakSanitizer: detected memory leaks\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_LEAK_REPORTED);
    cr_expect_str_eq(v.evidence, "ERROR: LeakSanitizer: detected memory leaks");
    v = classify(99, 0, "", "==6== 1,000 bytes in 10 blocks are definitely lost in loss record 1 of 1\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_LEAK_REPORTED);
    /* valgrind's summary with nothing lost is not a leak report, and other warnings neither */
    v = classify(0, 0, "result: ok 1\n", "==6==    definitely lost: 0 bytes in 0 blocks\nheaplab: warning: cannot write statistics to x\n");
    cr_expect_eq(v.outcome, HLB_OUTCOME_PREVENTED);
}

Test(classify, line_kinds) {
    const char *l = "heaplab: error: double drop";
    cr_expect_eq(hlb_diag_line_kind(l, strlen(l)), HLB_DIAG_BUG);
    l = "free(): double free detected in tcache 2";
    cr_expect_eq(hlb_diag_line_kind(l, strlen(l)), HLB_DIAG_CRASH);
    l = "result: ok 1";
    cr_expect_eq(hlb_diag_line_kind(l, strlen(l)), HLB_DIAG_NONE);
    /* only the given length counts */
    l = "abc heaplab: error: x";
    cr_expect_eq(hlb_diag_line_kind(l, 3), HLB_DIAG_NONE);
}

/* ---- the expectations table --------------------------------------------------------------- */

Test(expect, every_fault_program_has_an_expectation) {
    DIR *d = opendir("programs/faults");
    cr_assert_not_null(d, "programs/faults not found (run from the repository root)");
    struct dirent *e;
    int programs = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0) continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(n - 2), e->d_name);
        programs++;
        cr_expect_not_null(hlb_fault_expect_find(name),
                           "programs/faults/%s.c has no expected classification in bench/safety_expect.c", name);
    }
    closedir(d);
    cr_expect_geq(programs, 13, "expected at least the thirteen fault programs of issue 5");
}

Test(expect, every_expectation_has_a_program) {
    for (size_t i = 0; i < hlb_fault_expects_len; i++) {
        const hlb_fault_expect *e = &hlb_fault_expects[i];
        char path[512];
        snprintf(path, sizeof path, "programs/faults/%s.c", e->fault);
        cr_expect_eq(access(path, R_OK), 0, "bench/safety_expect.c names %s, but %s does not exist", e->fault, path);
        cr_expect_eq(e->owned == HLB_OUTCOME_DETECTED, e->kind != NULL, "%s: a kind exactly when detected", e->fault);
    }
}

Test(expect, programs_are_documented_and_marked) {
    for (size_t i = 0; i < hlb_fault_expects_len; i++) {
        const hlb_fault_expect *e = &hlb_fault_expects[i];
        char path[512];
        snprintf(path, sizeof path, "programs/faults/%s.c", e->fault);
        char *src = slurp(path);
        if (!src) continue;   /* reported by every_expectation_has_a_program */
        cr_expect(strncmp(src, "/*", 2) == 0, "%s: starts with a header comment", path);
        char *end = strstr(src, "*/");
        cr_expect(end && memmem(src, (size_t)(end - src), "Expected", 8), "%s: the header says what is expected", path);
        cr_expect(end && memmem(src, (size_t)(end - src), "owned", 5), "%s: the header covers owned", path);
        cr_expect(strstr(src, "result: ") != NULL, "%s: prints a result line", path);
        cr_expect(strstr(src, "#include \"heaplab.h\"") != NULL, "%s: written against the API", path);
        cr_expect(strstr(src, "HL_RUNTIME_") == NULL, "%s: never names a runtime", path);
        free(src);
        int count;
        int line = fault_line(e->fault, &count);
        cr_expect_eq(count, 1, "%s: exactly one /* FAULT */ marker (found %d)", path, count);
        (void)line;
    }
}

/* ---- the owned column ----------------------------------------------------------------------- */

ParameterizedTestParameters(owned, column) {
    static int idx[64];
    size_t n = hlb_fault_expects_len < 64 ? hlb_fault_expects_len : 64;
    for (size_t i = 0; i < n; i++) idx[i] = (int)i;
    return cr_make_param_array(int, idx, n);
}

ParameterizedTest(int *i, owned, column) {
    const hlb_fault_expect *e = &hlb_fault_expects[*i];
    char path[512], want[512], buf[512];
    snprintf(path, sizeof path, "build/owned/faults/%s", e->fault);
    fault_run job;
    hlb_verdict v = run(&job, path);
    const char *err = job.obs.err;
    cr_expect_eq(v.outcome, e->owned, "%s on owned: %s (%s), expected %s", e->fault, hlb_outcome_name(v.outcome),
                 v.evidence, hlb_outcome_name(e->owned));
    if (e->owned == HLB_OUTCOME_DETECTED) {
        cr_expect_eq(job.obs.signal, 0, "%s: killed by signal %d", e->fault, job.obs.signal);
        cr_expect_eq(job.obs.exit_status, 101, "%s: exit status %d, expected 101", e->fault, job.obs.exit_status);
        snprintf(want, sizeof want, "heaplab: error: %s", e->kind);
        const char *first = nth_line(err, 0, buf, sizeof buf);
        cr_expect(strncmp(first, want, strlen(want)) == 0 && (first[strlen(want)] == '\0' || want[strlen(want) - 1] == ' '),
                  "%s: first line of stderr is '%s', expected '%s'", e->fault, first, want);
        if (e->located) {
            int count, line = fault_line(e->fault, &count);
            snprintf(want, sizeof want, "  --> programs/faults/%s.c:%d", e->fault, line);
            const char *second = nth_line(err, 1, buf, sizeof buf);
            cr_expect_str_eq(second, want, "%s: '-->' line is '%s', expected '%s' (the FAULT line)", e->fault, second, want);
        }
    }
    /* the notes: allocation site, drop or move site (lines marked ALLOC, DROP, MOVE) */
    expect_site_note(e->fault, err, "ALLOC", "allocated");
    expect_site_note(e->fault, err, "DROP", "dropped");
    expect_site_note(e->fault, err, "MOVE", "moved");
    if (strcmp(e->fault, "out_of_bounds") == 0)
        cr_expect_not_null(strstr(err, "   = note: the len is 24 but the index is 24\n"), "%s", err);
    if (e->owned == HLB_OUTCOME_LEAK_REPORTED)
        cr_expect(strstr(err, "heaplab: warning: ") && strstr(err, " leaked"), "%s: leak warning", e->fault);
    hlb_proc_result_free(&job.r);
}

/* ---- every runtime --------------------------------------------------------------------------- */

static void expect_diagnostic(const char *fault, const char *rt, const char *kind, bool located) {
    char path[512], want[512], buf[512];
    snprintf(path, sizeof path, "build/%s/faults/%s", rt, fault);
    fault_run job;
    hlb_verdict v = run(&job, path);
    cr_expect_eq(v.outcome, HLB_OUTCOME_DETECTED, "%s on %s: %s (%s)", fault, rt, hlb_outcome_name(v.outcome), v.evidence);
    cr_expect_eq(job.obs.exit_status, 101, "%s on %s: exit status %d", fault, rt, job.obs.exit_status);
    snprintf(want, sizeof want, "heaplab: error: %s", kind);
    /* gc: Boehm's own warnings come first */
    const char *at = strstr(job.obs.err, want);
    cr_expect_not_null(at, "%s on %s: no '%s' in stderr:\n%s", fault, rt, want, job.obs.err);
    if (at && located) {
        int count, line = fault_line(fault, &count);
        snprintf(want, sizeof want, "  --> programs/faults/%s.c:%d", fault, line);
        cr_expect_str_eq(nth_line(at, 1, buf, sizeof buf), want, "%s on %s", fault, rt);
    }
    hlb_proc_result_free(&job.r);
}

Test(every_runtime, stack_overflow) {
    expect_diagnostic("stack_overflow", "manual", "stack overflow", false);
    expect_diagnostic("stack_overflow", "gc", "stack overflow", false);
    expect_diagnostic("stack_overflow", "owned", "stack overflow", false);
}

Test(every_runtime, out_of_memory) {
    expect_diagnostic("out_of_memory", "manual", "out of memory allocating ", true);
    expect_diagnostic("out_of_memory", "gc", "out of memory allocating ", true);
    expect_diagnostic("out_of_memory", "owned", "out of memory allocating ", true);
}

/* ---- the command ------------------------------------------------------------------------------ */

/* Run build/heaplab with argv (NULL-terminated, from the command on); its exit status. */
static int heaplab(hlb_proc_result *r, char **args) {
    char *argv[32] = {HEAPLAB};
    for (int i = 0; args[i] && i < 30; i++) argv[i + 1] = args[i];
    cr_assert_eq(hlb_proc_run(argv, NULL, 120, r), 0);
    cr_assert_eq(r->end, HLB_PROC_EXITED, "heaplab %s did not exit", args[0]);
    return r->code;
}

/* The command failed with exactly one line on stderr, "heaplab safety: error: ..." with needle. */
static void refused(char **args, int status, const char *needle) {
    hlb_proc_result r;
    cr_expect_eq(heaplab(&r, args), status, "heaplab %s %s: %s", args[0], args[1] ? args[1] : "", r.err);
    cr_expect(!strncmp(r.err, "heaplab safety: error: ", 23), "%s", r.err);
    cr_expect_not_null(strstr(r.err, needle), "'%s' lacks '%s'", r.err, needle);
    cr_expect_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "not one line: %s", r.err);
    hlb_proc_result_free(&r);
}

Test(command, help) {
    hlb_proc_result r;
    cr_expect_eq(heaplab(&r, (char *[]){"safety", "--help", NULL}), 0);
    cr_expect(!strncmp(r.out, "usage: heaplab safety", 21), "%s", r.out);
    cr_expect_not_null(strstr(r.out, "--faults LIST"));
    hlb_proc_result_free(&r);
}

Test(command, bad_arguments_exit_2) {
    refused((char *[]){"safety", "--frobnicate", NULL}, 2, "unknown option '--frobnicate'");
    refused((char *[]){"safety", "--json", NULL}, 2, "--json needs a value");
    refused((char *[]){"safety", "--runtime", "jvm", NULL}, 2, "unknown runtime 'jvm' (one of: manual, gc, owned");
    refused((char *[]){"safety", "--timeout", "soon", NULL}, 2, "--timeout wants a number in (0, 86400], not 'soon'");
    refused((char *[]){"safety", "extra", NULL}, 2, "unexpected argument 'extra'");
}

/* An unknown fault is a bad argument that names the known faults, not "nothing is built". */
Test(command, unknown_fault_lists_the_known_ones) {
    refused((char *[]){"safety", "--faults", "nosuch", NULL}, 2,
            "unknown fault 'nosuch' (known faults: use_after_free, double_free, leak,");
    refused((char *[]){"safety", "--fault=leak,nosuch", NULL}, 2, "unknown fault 'nosuch'");
}

Test(command, nothing_built_exit_1) {
    char dir[] = "/tmp/heaplab-empty-build.XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    refused((char *[]){"safety", "--build", dir, NULL}, 1, "no fault binary is built under");
    rmdir(dir);
    refused((char *[]){"safety", "--build", "/nonexistent-heaplab-build", NULL}, 2, "no build directory at");
}

Test(command, json_shape_and_plurals) {
    char path[] = "/tmp/heaplab-safety-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    hlb_proc_result r;
    cr_assert_eq(heaplab(&r, (char *[]){"safety", "--fault", "use_after_free", "--faults=leak", "--runtime", "owned",
                                        "--runtimes", "manual", "--json", path, "--format", "json", NULL}),
                 0, "%s", r.err);
    cr_expect_not_null(strstr(r.err, "heaplab safety: 4 runs (2 faults x 2 columns)"), "%s", r.err);
    char err[200];
    hlb_json *out = hlb_json_parse(r.out, err, sizeof err);
    cr_assert_not_null(out, "stdout is not JSON: %s", err);
    hlb_json_free(out);
    hlb_proc_result_free(&r);
    char *json = slurp(path);
    unlink(path);
    hlb_json *j = hlb_json_parse(json, err, sizeof err);
    cr_assert_not_null(j, "%s: %s", err, json);
    cr_expect_str_eq(hlb_json_str(j, "kind"), "safety");
    cr_expect_not_null(hlb_json_str(hlb_json_get(j, "provenance"), "heaplab_commit"));
    const hlb_json *cells = hlb_json_get(j, "cells");
    cr_assert(cells && cells->n == 4, "%s", json);
    /* rows in the expectations' order, columns in the variants' order */
    const hlb_json *c0 = cells->items[0], *c1 = cells->items[1], *c3 = cells->items[3];
    cr_expect_str_eq(hlb_json_str(c0, "fault"), "use_after_free");
    cr_expect_str_eq(hlb_json_str(c0, "variant"), "manual");
    cr_expect_str_eq(hlb_json_str(c1, "variant"), "owned");
    cr_expect_str_eq(hlb_json_str(c1, "outcome"), "detected");
    cr_expect_float_eq(hlb_json_num(c1, "exit_status"), 101, 0);
    cr_expect_eq(hlb_json_get(c1, "signal")->kind, HLB_JNULL);
    cr_expect_str_eq(hlb_json_str(c1, "evidence"), "heaplab: error: use after free");
    cr_expect_str_eq(hlb_json_str(c3, "fault"), "leak");
    cr_expect_str_eq(hlb_json_str(c3, "outcome"), "leak reported");
    /* manual counts its objects only when statistics are requested: the matrix asks for them */
    cr_expect_str_eq(hlb_json_str(cells->items[2], "outcome"), "silent");
    cr_expect_str_eq(hlb_json_str(cells->items[2], "evidence"), "memory lost, unreported: 10000 objects");
    hlb_json_free(j);
    free(json);
    cr_assert_eq(heaplab(&r, (char *[]){"safety", "--faults", "leak", "--runtimes", "owned", NULL}), 0, "%s", r.err);
    cr_expect_not_null(strstr(r.err, "heaplab safety: 1 run (1 fault x 1 column)"), "%s", r.err);
    cr_expect_not_null(strstr(r.out, "| `leak` | leak reported |"), "%s", r.out);
    hlb_proc_result_free(&r);
}
