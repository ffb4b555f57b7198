/*
** programs.c: the workload programs' suite.
**
** For every program (each .c file in programs/), at a small size:
**   - every runtime (manual, gc, owned, owned-fast, owned-off, region) prints the same
**     checksum line, equal to the literal below (the checksum depends only on the
**     computation, so a change here means the workload changed);
**   - owned exits 0 and prints no "heaplab: warning" (leaks) or "heaplab: error" (violation:
**     also "region ended with live objects", so the programs' region marks are proven right);
**   - the AddressSanitizer + UBSan builds of manual and owned run clean and agree;
**   - a bad size argument exits with status 2 and one line on stderr; --help exits 0.
** For every workload, the peers (plain C, C on Boehm, Rust) print the same line too.
** stack_vs_heap's three ways agree on every runtime (it exits 1 otherwise) and its one
** `heaplab-stack:` line on stderr is JSON with every key, read with the driver's own reader.
**
** The programs run as child processes (posix_spawn) with stdout and stderr captured in
** temporary files. HL_BUILD_DIR and HL_SOURCE_DIR (set by tests/programs.mk) are where the
** binaries and the sources are; the environment variable HEAPLAB_BUILD_DIR overrides the first.
*/
#define _GNU_SOURCE
#include <criterion/criterion.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/json.h"

#ifndef HL_BUILD_DIR
#define HL_BUILD_DIR "build"
#endif
#ifndef HL_SOURCE_DIR
#define HL_SOURCE_DIR "."
#endif

extern char **environ;

/* ---- running a program -------------------------------------------------------------------- */

typedef struct run_result {
    bool  exited;
    int   code;   /* exit status when exited, else the signal number */
    char *out, *err;
} run_result;

static const char *build_dir(void) {
    const char *d = getenv("HEAPLAB_BUILD_DIR");
    return d && *d ? d : HL_BUILD_DIR;
}

static int temp_fd(void) {
    char path[] = "/tmp/hl_programs_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0, "mkstemp: %s", strerror(errno));
    unlink(path);
    return fd;
}

static char *slurp(int fd) {
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    cr_assert(buf);
    lseek(fd, 0, SEEK_SET);
    for (;;) {
        if (len + 1 == cap) {
            buf = realloc(buf, cap *= 2);
            cr_assert(buf);
        }
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return buf;
}

/* Run <build>/<variant>/<prog> with up to two arguments (NULL for none). */
static run_result run(const char *variant, const char *prog, const char *arg1, const char *arg2) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", build_dir(), variant, prog);
    cr_assert(access(path, X_OK) == 0, "%s is not built (run make first)", path);
    int out = temp_fd(), err = temp_fd();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, err, STDERR_FILENO);
    char *argv[] = {path, (char *)arg1, (char *)(arg1 ? arg2 : NULL), NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, path, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    cr_assert(rc == 0, "posix_spawn %s: %s", path, strerror(rc));
    int status;
    while (waitpid(pid, &status, 0) < 0) cr_assert(errno == EINTR, "waitpid: %s", strerror(errno));
    run_result r = {WIFEXITED(status), WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), slurp(out),
                    slurp(err)};
    close(out);
    close(err);
    return r;
}

static void run_free(run_result *r) {
    free(r->out);
    free(r->err);
}

/* The line of text starting with prefix, copied into buf (without its newline), or NULL. */
static const char *line_with_prefix(const char *text, const char *prefix, char *buf, size_t cap) {
    size_t n = strlen(prefix);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncmp(p, prefix, n) == 0) {
            size_t len = strcspn(p, "\n");
            if (len >= cap) len = cap - 1;
            memcpy(buf, p, len);
            buf[len] = '\0';
            return buf;
        }
    }
    return NULL;
}

static int count_lines(const char *text) {
    int n = 0;
    for (const char *p = text; *p; p++) n += *p == '\n';
    if (*text && text[strlen(text) - 1] != '\n') n++;
    return n;
}

/* ---- the programs ------------------------------------------------------------------------- */

typedef struct prog_case {
    const char *name, *size, *checksum;
} prog_case;

/* Sizes small enough to keep the whole suite fast (also under the sanitizers), large enough
** to reach every phase: evictions, bucket growth and decay, truncations, refills. */
static const prog_case PROGRAMS[] = {
    {"binary_trees", "10", "d2cf5a19406e2c29"},
    {"fifo_queue", "20000", "792d98a7afbfc736"},
    {"word_freq", "300000", "6efd16109b3181bc"},
    {"lru_cache", "20000", "3b9b1157362d234d"},
    {"ast_fold", "2000", "962e3a6a2db2b3bd"},
    {"vec_grow", "1500", "f75a549a331910f1"},
    {"graph_arena", "2000", "e6b690b5540e555b"},
    {"alloc_mix", "50000", "20f17f78e33de77e"},
    {"stack_vs_heap", "500", "0f484a09c5dffdc6"},
};

static const prog_case *find_case(const char *name) {
    for (size_t i = 0; i < sizeof PROGRAMS / sizeof PROGRAMS[0]; i++)
        if (strcmp(PROGRAMS[i].name, name) == 0) return &PROGRAMS[i];
    cr_assert_fail("no case for %s", name);
    return NULL;
}

static void expected_line(const prog_case *c, char *buf, size_t cap) {
    snprintf(buf, cap, "%s size=%s checksum=%s", c->name, c->size, c->checksum);
}

/* Run the program on one build variant and check it succeeded with the expected line. */
static void check_variant(const prog_case *c, const char *variant) {
    char want[256], prefix[128], got[256];
    expected_line(c, want, sizeof want);
    snprintf(prefix, sizeof prefix, "%s size=", c->name);
    run_result r = run(variant, c->name, c->size, NULL);
    cr_expect(r.exited && r.code == 0, "%s/%s %s: %s %d\nstderr:\n%s", variant, c->name, c->size,
              r.exited ? "exit status" : "signal", r.code, r.err);
    const char *line = line_with_prefix(r.out, prefix, got, sizeof got);
    cr_expect(line != NULL, "%s/%s printed no checksum line; stdout:\n%s", variant, c->name, r.out);
    if (line) cr_expect_str_eq(line, want, "%s/%s: checksum line differs", variant, c->name);
    cr_expect(strstr(r.err, "heaplab: warning") == NULL && strstr(r.err, "heaplab: error") == NULL,
              "%s/%s reported a problem:\n%s", variant, c->name, r.err);
    cr_expect(strstr(r.err, "ERROR: AddressSanitizer") == NULL && strstr(r.err, "ERROR: LeakSanitizer") == NULL &&
                  strstr(r.err, "runtime error") == NULL,
              "%s/%s: sanitizer report:\n%s", variant, c->name, r.err);
    run_free(&r);
}

static void check_same_checksum(const char *name) {
    const prog_case *c = find_case(name);
    check_variant(c, "manual");
    check_variant(c, "gc");
}

static void check_owned_clean(const char *name) { check_variant(find_case(name), "owned"); }

/* The region runtime frees nothing but at the programs' region marks: the same result. */
static void check_region(const char *name) { check_variant(find_case(name), "region"); }

/* The owned runtime's check levels compute the same thing with fewer checks. */
static void check_levels(const char *name) {
    const prog_case *c = find_case(name);
    check_variant(c, "owned-fast");
    check_variant(c, "owned-off");
}

/* The peers (bench/peers: plain C on malloc and on Boehm, safe Rust) print the same checksum
** line as the API program. The Rust peers are built only where rustc is installed. */
static void check_peers(const char *name) {
    const prog_case *c = find_case(name);
    check_variant(c, "peers/c");
    check_variant(c, "peers/c+gc");
    char rust[4096];
    snprintf(rust, sizeof rust, "%s/peers/rust/%s", build_dir(), name);
    if (access(rust, X_OK) != 0) cr_skip_test("rustc not installed: no Rust peer of %s to check", name);
    check_variant(c, "peers/rust");
}

static void check_sanitized(const char *name) {
    const prog_case *c = find_case(name);
    check_variant(c, "san/manual");
    check_variant(c, "san/owned");
}

/* A bad argument: exit status 2, nothing on stdout, exactly one line on stderr naming the
** program. */
static void check_rejects(const char *name, const char *a1, const char *a2) {
    run_result r = run("manual", name, a1, a2);
    cr_expect(r.exited && r.code == 2, "%s '%s'%s%s: expected exit status 2, got %s %d", name, a1, a2 ? " " : "",
              a2 ? a2 : "", r.exited ? "exit status" : "signal", r.code);
    cr_expect_str_empty(r.out, "%s '%s': printed on stdout: %s", name, a1, r.out);
    cr_expect_eq(count_lines(r.err), 1, "%s '%s': expected one line on stderr, got:\n%s", name, a1, r.err);
    cr_expect(strncmp(r.err, name, strlen(name)) == 0 && strstr(r.err, "error") != NULL,
              "%s '%s': the message should name the program and say error:\n%s", name, a1, r.err);
    run_free(&r);
}

static void check_args(const char *name) {
    check_rejects(name, "abc", NULL);
    check_rejects(name, "12x", NULL);
    check_rejects(name, "", NULL);
    check_rejects(name, "99999999999999999999999", NULL);   /* overflows long long */
    check_rejects(name, "-5", NULL);                        /* below every minimum */
    check_rejects(name, "9000000000000000000", NULL);       /* above every maximum */
    check_rejects(name, "10", "20");                        /* two arguments */
    run_result r = run("manual", name, "--help", NULL);
    cr_expect(r.exited && r.code == 0, "%s --help: expected exit status 0, got %d", name, r.code);
    cr_expect(strstr(r.out, "usage:") != NULL, "%s --help printed no usage:\n%s", name, r.out);
    run_free(&r);
}

/* The checksum tests run manual and gc; owned is a test of its own (it also checks the leak
** report), so a failure names the runtime. Criterion's default timeout is none: bound each. */
#define PROGRAM_TESTS(prog)                                                                \
    Test(prog, checksum_manual_gc, .timeout = 60) { check_same_checksum(#prog); }           \
    Test(prog, owned_checksum_no_leaks, .timeout = 60) { check_owned_clean(#prog); }        \
    Test(prog, owned_check_levels, .timeout = 60) { check_levels(#prog); }                 \
    Test(prog, region_checksum, .timeout = 60) { check_region(#prog); }                    \
    Test(prog, sanitized_manual_owned, .timeout = 120) { check_sanitized(#prog); }          \
    Test(prog, size_argument, .timeout = 60) { check_args(#prog); }

/* A workload also has peers (stack_vs_heap has none: its plain C way is inside it). */
#define WORKLOAD_TESTS(prog)                                                               \
    PROGRAM_TESTS(prog)                                                                    \
    Test(prog, peers_checksum, .timeout = 60) { check_peers(#prog); }

WORKLOAD_TESTS(binary_trees)
WORKLOAD_TESTS(fifo_queue)
WORKLOAD_TESTS(word_freq)
WORKLOAD_TESTS(lru_cache)
WORKLOAD_TESTS(ast_fold)
WORKLOAD_TESTS(vec_grow)
WORKLOAD_TESTS(graph_arena)
WORKLOAD_TESTS(alloc_mix)
PROGRAM_TESTS(stack_vs_heap)

/* ---- stack_vs_heap's measurements ------------------------------------------------------- */

/* Member key of obj, which must be present and of the given kind. */
static const hlb_json *member(const hlb_json *obj, const char *key, hlb_jkind kind, const char *variant) {
    const hlb_json *v = hlb_json_get(obj, key);
    cr_assert(v != NULL, "%s: heaplab-stack JSON has no \"%s\"", variant, key);
    cr_assert_eq(v->kind, kind, "%s: heaplab-stack \"%s\" has JSON kind %d, expected %d", variant, key, v->kind,
                 kind);
    return v;
}

static double number(const hlb_json *obj, const char *key, const char *variant) {
    return member(obj, key, HLB_JNUM, variant)->num;
}

/* Run stack_vs_heap on one variant: it exits 0 (its three ways agreed), and its one
** `heaplab-stack:` line on stderr is JSON with exactly the keys the driver and the claims
** report read, and figures that hang together. */
static void check_stack_json(const char *variant) {
    const prog_case *c = find_case("stack_vs_heap");
    run_result r = run(variant, c->name, c->size, NULL);
    cr_assert(r.exited && r.code == 0, "%s/stack_vs_heap: %s %d (1 means its three ways disagreed)\nstderr:\n%s",
              variant, r.exited ? "exit status" : "signal", r.code, r.err);
    static const char prefix[] = "heaplab-stack: ";
    int lines = 0;
    for (const char *p = strstr(r.err, prefix); p; p = strstr(p + 1, prefix)) lines += p == r.err || p[-1] == '\n';
    cr_assert_eq(lines, 1, "%s: expected one heaplab-stack line on stderr:\n%s", variant, r.err);
    char line[8192];
    cr_assert(line_with_prefix(r.err, prefix, line, sizeof line), "%s: no heaplab-stack line", variant);
    char err[256] = "";
    hlb_json *j = hlb_json_parse(line + strlen(prefix), err, sizeof err);
    cr_assert(j != NULL, "%s: heaplab-stack line is not JSON (%s):\n%s", variant, err, line);
    cr_assert_eq(j->kind, HLB_JOBJ, "%s: heaplab-stack is not a JSON object", variant);

    static const char *const keys[] = {"runtime", "rounds", "calls_per_round", "ways", "ratio_api_stack_to_c",
                                       "ratio_api_heap_to_c", "stack_limit_bytes", "frames", "vla"};
    cr_expect_eq(j->n, sizeof keys / sizeof keys[0], "%s: heaplab-stack has %zu keys, expected %zu:\n%s", variant,
                 j->n, sizeof keys / sizeof keys[0], line);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        cr_expect(hlb_json_get(j, keys[k]) != NULL, "%s: heaplab-stack has no \"%s\"", variant, keys[k]);
    cr_expect_str_eq(member(j, "runtime", HLB_JSTR, variant)->str, variant, "runtime name");
    cr_expect_gt(number(j, "rounds", variant), 0);
    cr_expect_gt(number(j, "calls_per_round", variant), 0);

    /* Each way's median lies within its min and max; the ratios are the medians' ratios. */
    const hlb_json *ways = member(j, "ways", HLB_JOBJ, variant);
    cr_expect_eq(ways->n, 3, "%s: expected three ways", variant);
    static const char *const names[] = {"c_locals", "api_stack", "api_heap"};
    double median[3];
    for (int w = 0; w < 3; w++) {
        const hlb_json *way = member(ways, names[w], HLB_JOBJ, variant);
        median[w] = number(way, "median_s", variant);
        double lo = number(way, "min_s", variant), hi = number(way, "max_s", variant);
        cr_expect(lo > 0 && lo <= median[w] && median[w] <= hi, "%s: %s: min %g, median %g, max %g", variant,
                  names[w], lo, median[w], hi);
    }
    double rs = number(j, "ratio_api_stack_to_c", variant), rh = number(j, "ratio_api_heap_to_c", variant);
    cr_expect(fabs(rs - median[1] / median[0]) <= 1e-3 * rs, "%s: ratio_api_stack_to_c %g", variant, rs);
    cr_expect(fabs(rh - median[2] / median[0]) <= 1e-3 * rh, "%s: ratio_api_heap_to_c %g", variant, rh);

    /* A frame holds at least its local array; the deepest recursion fits in the stack limit
    ** and fills most of it. */
    const hlb_json *limit = hlb_json_get(j, "stack_limit_bytes");
    cr_assert(limit && (limit->kind == HLB_JNUM || limit->kind == HLB_JNULL), "%s: stack_limit_bytes", variant);
    const hlb_json *frames = member(j, "frames", HLB_JARR, variant);
    cr_assert_eq(frames->n, 2, "%s: expected two frames", variant);
    static const double local_bytes[2] = {16, 4096};
    for (int k = 0; k < 2; k++) {
        const hlb_json *f = frames->items[k];
        cr_assert_eq(f->kind, HLB_JOBJ);
        cr_expect_eq(number(f, "local_bytes", variant), local_bytes[k]);
        double fb = number(f, "frame_bytes", variant), depth = number(f, "max_depth", variant);
        cr_expect(fb >= local_bytes[k], "%s: a frame of %g bytes for a %g-byte local", variant, fb, local_bytes[k]);
        cr_expect_gt(depth, 0);
        if (limit->kind == HLB_JNUM)
            cr_expect(depth * fb <= limit->num && depth * fb >= limit->num / 2,
                      "%s: %g frames of %g bytes under a limit of %g bytes", variant, depth, fb, limit->num);
    }

    /* A variable-length array's frame grows with the size asked for at run time. */
    const hlb_json *vla = member(j, "vla", HLB_JOBJ, variant);
    const hlb_json *req = member(vla, "requested_bytes", HLB_JARR, variant);
    const hlb_json *fb = member(vla, "frame_bytes", HLB_JARR, variant);
    cr_assert(req->n == 2 && fb->n == 2, "%s: vla arrays of two", variant);
    cr_expect(req->items[0]->num == 64 && req->items[1]->num == 4096, "%s: vla requested_bytes", variant);
    cr_expect(fb->items[0]->num >= 64 && fb->items[1]->num - fb->items[0]->num >= 4096 - 64 - 16,
              "%s: vla frames of %g and %g bytes", variant, fb->items[0]->num, fb->items[1]->num);
    hlb_json_free(j);
    run_free(&r);
}

Test(stack_vs_heap, ways_agree_and_json_complete, .timeout = 120) {
    static const char *const variants[] = {"manual", "gc", "owned", "owned-fast", "owned-off", "region"};
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) check_stack_json(variants[i]);
}

/* Every program in programs/ has a case above (a new workload needs its checksum here). */
Test(programs, every_program_has_a_case) {
    char path[4096];
    snprintf(path, sizeof path, "%s/programs", HL_SOURCE_DIR);
    DIR *d = opendir(path);
    cr_assert(d, "cannot list %s: %s", path, strerror(errno));
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0) continue;
        bool found = false;
        for (size_t i = 0; i < sizeof PROGRAMS / sizeof PROGRAMS[0]; i++)
            found |= strlen(PROGRAMS[i].name) == len - 2 && strncmp(PROGRAMS[i].name, e->d_name, len - 2) == 0;
        cr_expect(found, "programs/%s has no case in tests/programs.c", e->d_name);
        n++;
    }
    closedir(d);
    cr_expect(n >= 8, "found only %d programs in %s", n, path);
}
