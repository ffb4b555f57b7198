/*
** bench/commands/safety.c: `heaplab safety`, the safety matrix: every fault program
** (programs/faults/) on every variant whose directory holds fault binaries (manual, gc, owned,
** any other runtime built, manual+asan, manual+valgrind when valgrind is installed), N runs at
** once through the driver's process runner; each cell classified (analyze/classify.h), the
** owned column checked against analyze/expect.h.
*/
#define _GNU_SOURCE
#include "analyze/expect.h"
#include "commands/commands.h"
#include "report/outfile.h"
#include "report/safety_out.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const hlb_cmd_spec hlb_safety_spec = {
    "safety", NULL, 0, 0, "the safety matrix: every fault program on every runtime, classified",
    (const hlb_cmd_opt[]){
        {&hlb_opt_faults, NULL}, {&hlb_opt_runtimes, NULL}, {&hlb_opt_jobs, NULL},  {&hlb_opt_timeout, "10"},
        {&hlb_opt_verbose, NULL}, {&hlb_opt_format, NULL},  {&hlb_opt_out, NULL},   {&hlb_opt_json, NULL},
        {&hlb_opt_build, NULL},  {NULL, NULL},
    },
    "Each cell is detected, prevented, crash, silent or leak reported (see the legend), or not built.\n"
    "Columns: every variant with fault binaries: manual, gc, owned (and any other runtime built),\n"
    "manual+asan (AddressSanitizer + UBSan; --runtimes asan), manual+valgrind (memcheck, when\n"
    "valgrind is installed; --runtimes valgrind).\n"
    "With --out DIR: DIR/safety.{md,csv,json} (the Markdown with every cell's evidence); --json FILE\n"
    "also writes the JSON document to FILE.\n"
    "Exit status: 0 when the matrix was produced, 1 when nothing could be run or a file could not be\n"
    "written, 2 on bad arguments, 130 when interrupted.\n",
};

/* Every run asks for the runtime's statistics (HEAPLAB_STATS, empty: the counts without a file):
** manual counts objects only then, and its count is how the leak fault knows what it lost. No
** cell is timed, so the counting costs nothing here. */
static char stats_kv[] = "HEAPLAB_STATS=";

/* The environment of a column's runs: the variant's own variables, then stats_kv. */
static char **column_env(const hlb_variant *v) {
    char **env = hlb_xcalloc(HLB_MAX_ENV + 2, sizeof *env);
    size_t n = 0;
    while (v->env[n]) env[n] = v->env[n], n++;
    env[n] = stats_kv;
    return env;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every fault heaplab knows: the expectations table's (in its order), then any other fault
** binary or source, alphabetically. */
static void known_faults(const hlb_catalog *c, hlb_strlist *known) {
    hlb_strlist found = {0};
    for (size_t i = 0; i < c->nvars; i++)
        if (c->vars[i].faults) hlb_scan_executables(c->vars[i].faults, &found);
    for (size_t i = 0; i < hlb_fault_expects_len; i++) hlb_strlist_add(known, hlb_fault_expects[i].fault);
    if (c->src) {
        char *dir = hlb_fmt("%s/programs/faults", c->src);
        hlb_scan_sources(dir, &found);
        free(dir);
    }
    if (found.n) qsort(found.v, found.n, sizeof *found.v, cmp_str);
    for (size_t i = 0; i < found.n; i++)
        if (!hlb_strlist_has(known, found.v[i])) hlb_strlist_add(known, found.v[i]);
    hlb_strlist_free(&found);
}

static void free_safety(hlb_safety *s) {
    hlb_strlist_free(&s->faults);
    hlb_strlist_free(&s->notices);
    hlb_provenance_free(&s->prov);
    free(s->cols);
    free(s->cells);
}

/* Notices are printed on stderr once the matrix is there (not before an error). */
static void add_notice(hlb_safety *s, const char *msg) { hlb_strlist_add(&s->notices, msg); }

/* --json FILE is written after the matrix has run; check before anything runs that it can be,
** the way hlb_write_file writes it: a temporary beside FILE renamed over it, or, for a device,
** FIFO or symlink, FILE itself in place. Returns 0, or -1 with the reason in err. */
static int check_json_target(const char *path, char *err, size_t errlen) {
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            snprintf(err, errlen, "--json %s is a directory, not a file", path);
            return -1;
        }
        return 0;
    }
    const char *slash = strrchr(path, '/');
    char *probe = slash ? hlb_fmt("%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1)
                        : hlb_fmt(".%s.XXXXXX", path);
    int fd = mkstemp(probe);
    if (fd < 0) {
        snprintf(err, errlen, "--json %s cannot be written: %s", path, strerror(errno));
        free(probe);
        return -1;
    }
    close(fd);
    unlink(probe);
    free(probe);
    return 0;
}

int hlb_cmd_safety(hlb_ctx *ctx) {
    hlb_opts *o = ctx->o;
    hlb_catalog *c = ctx->cat;
    hlb_safety s;
    memset(&s, 0, sizeof s);
    s.verbose = o->verbose;
    int rc = 0;
    char why[600];
    if (o->json && check_json_target(o->json, why, sizeof why)) return hlb_fail(ctx, 2, "%s", why);

    /* Columns. */
    for (size_t i = 0; i < o->runtimes.n; i++) {
        hlb_variant *v = hlb_catalog_variant(c, o->runtimes.v[i]);
        if (!v || !v->safety) return hlb_unknown_variant(ctx, "runtime", o->runtimes.v[i], hlb_is_safety_variant);
    }
    /* Rows. */
    hlb_strlist known = {0};
    known_faults(c, &known);
    for (size_t i = 0; i < o->faults.n; i++)
        if (!hlb_strlist_has(&known, o->faults.v[i])) {
            char *list = hlb_strlist_join(&known, ", ");
            rc = hlb_fail(ctx, 2, "unknown fault '%s' (known faults: %s)", o->faults.v[i], list);
            free(list);
            hlb_strlist_free(&known);
            return rc;
        }
    for (size_t i = 0; i < known.n; i++)
        if (!o->faults.n || hlb_strlist_has(&o->faults, known.v[i])) hlb_strlist_add(&s.faults, known.v[i]);
    hlb_strlist_free(&known);

    hlb_provenance_collect(&s.prov, c->src, ctx->argc, ctx->argv);
    s.cols = hlb_xcalloc(c->nvars + 1, sizeof *s.cols);
    for (size_t i = 0; i < c->nvars; i++) {
        const hlb_variant *v = &c->vars[i];
        int chosen = o->runtimes.n ? hlb_strlist_has(&o->runtimes, v->name) ||
                                         (v->alias && hlb_strlist_has(&o->runtimes, v->alias))
                                   : v->safety;
        if (!chosen) continue;
        if (!v->available) add_notice(&s, v->notice);
        else s.cols[s.ncols++] = v;
    }

    size_t ncells = s.faults.n * s.ncols, njobs = 0, missing = 0;
    s.cells = hlb_xcalloc(ncells + 1, sizeof *s.cells);
    hlb_job *jobs = hlb_xcalloc(ncells + 1, sizeof *jobs);
    size_t *job_cell = hlb_xcalloc(ncells + 1, sizeof *job_cell);
    char ***argvs = hlb_xcalloc(ncells + 1, sizeof *argvs);
    char ***envs = hlb_xcalloc(s.ncols + 1, sizeof *envs);
    for (size_t k = 0; k < s.ncols; k++) envs[k] = column_env(s.cols[k]);
    for (size_t i = 0; i < s.faults.n; i++)
        for (size_t k = 0; k < s.ncols; k++) {
            const hlb_variant *v = s.cols[k];
            char *path = hlb_variant_fault(v, s.faults.v[i]);
            if (!path || !hlb_is_executable(path)) {
                s.cells[i * s.ncols + k].missing = 1;
                missing++;
                free(path);
                continue;
            }
            size_t nw = 0;
            while (v->wrap && v->wrap[nw]) nw++;
            char **argv = hlb_xcalloc(nw + 2, sizeof *argv);
            for (size_t w = 0; w < nw; w++) argv[w] = (char *)v->wrap[w];
            argv[nw] = path;
            argvs[njobs] = argv;
            jobs[njobs] = (hlb_job){argv, envs[k], o->timeout_s, {0}};
            job_cell[njobs++] = i * s.ncols + k;
        }
    char a[64], b[64], d[64];
    if (missing) {
        char *msg = hlb_fmt("%s of %zu not built (make all; the manual+asan column: make safety)",
                            hlb_plural(a, sizeof a, missing, "cell", NULL), ncells);
        add_notice(&s, msg);
        free(msg);
    }
    if (njobs == 0) {
        rc = hlb_fail(ctx, 1, "no fault binary is built under %s (run make)", c->build);
        goto out;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int parallel = o->jobs ? o->jobs : cpus > 0 ? (int)(cpus > HLB_PROC_MAX_PARALLEL ? HLB_PROC_MAX_PARALLEL : cpus) : 2;
    fprintf(stderr, "heaplab safety: %s (%s x %s), %d at a time\n", hlb_plural(a, sizeof a, njobs, "run", NULL),
            hlb_plural(b, sizeof b, s.faults.n, "fault", NULL), hlb_plural(d, sizeof d, s.ncols, "column", NULL),
            parallel);
    if (hlb_proc_run_jobs(jobs, njobs, parallel)) {
        rc = 130;
        goto out;
    }
    for (size_t n = 0; n < njobs; n++) {
        hlb_safety_cell *x = &s.cells[job_cell[n]];
        hlb_run_obs obs = hlb_obs_of(&jobs[n].r, o->timeout_s);
        x->verdict = hlb_classify(&obs);
        x->exit_status = obs.exit_status;
        x->signal = obs.signal;
        x->timed_out = obs.timed_out;
    }
    /* The owned column against the expectations table. */
    for (size_t k = 0; k < s.ncols; k++) {
        if (strcmp(s.cols[k]->name, "owned")) continue;
        for (size_t i = 0; i < s.faults.n; i++) {
            const hlb_safety_cell *x = &s.cells[i * s.ncols + k];
            const hlb_fault_expect *e = hlb_fault_expect_find(s.faults.v[i]);
            char *msg = NULL;
            if (x->missing) continue;
            if (!e) msg = hlb_fmt("`%s` has no expected owned outcome (bench/analyze/expect.c)", s.faults.v[i]);
            else if (e->owned != x->verdict.outcome)
                msg = hlb_fmt("owned is %s on `%s`, expected %s", hlb_outcome_name(x->verdict.outcome), s.faults.v[i],
                              hlb_outcome_name(e->owned));
            if (msg) add_notice(&s, msg);
            free(msg);
        }
    }
    hlb_provenance_set_end(&s.prov);
    for (size_t i = 0; i < s.notices.n; i++) hlb_notice(s.notices.v[i]);
    char *dir = hlb_out_dir(ctx);
    rc = hlb_emit("safety", hlb_safety_write, hlb_safety_write_file, &s, o->format, dir, "safety");
    free(dir);
    if (o->json) {
        char err[600];
        if (hlb_write_file(o->json, hlb_safety_write_file, &s, HLB_FMT_JSON, err, sizeof err))
            rc = hlb_fail(ctx, 1, "%s", err);
        else fprintf(stderr, "heaplab: wrote %s\n", o->json);
    }
out:
    for (size_t n = 0; n < njobs; n++) {
        hlb_proc_result_free(&jobs[n].r);
        size_t w = 0;
        while (argvs[n][w + 1]) w++;
        free(argvs[n][w]);   /* the path; the wrapper words are static */
        free(argvs[n]);
    }
    free(argvs);
    for (size_t k = 0; k < s.ncols; k++) free(envs[k]);
    free(envs);
    free(jobs);
    free(job_cell);
    free_safety(&s);
    return rc;
}
