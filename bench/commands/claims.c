/*
** bench/commands/claims.c: `heaplab claims`: the lesson's claims, each judged from what heaplab
** measured (analyze/claims.h). It reads the results directory (--results, default results/):
** results.json (bench), sweep_PROGRAM.json, safety.json and stack_vs_heap.json. What is missing
** is run first, with progress on stderr, and written there for the next reader: the safety
** matrix (heaplab safety), stack_vs_heap on every runtime built, and a small bench (size small,
** one repetition) when there is no bench results file. The sweep is never run here: its absence
** only leaves gc's price out. `heaplab report` reads the same evidence without running anything.
*/
#define _GNU_SOURCE
#include "analyze/claims.h"
#include "commands/commands.h"
#include "report/claims_out.h"
#include "report/outfile.h"
#include "run/proc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const hlb_cmd_spec hlb_claims_spec = {
    "claims", NULL, 0, 0, "the lesson's claims about the stack and the heap, each judged from what heaplab measured",
    (const hlb_cmd_opt[]){
        {&hlb_opt_results, NULL}, {&hlb_opt_format, NULL}, {&hlb_opt_out, NULL},
        {&hlb_opt_timeout, "600"}, {&hlb_opt_build, NULL},  {NULL, NULL},
    },
    "Each claim gets its source, the evidence, the figure measured on this machine, a verdict (holds,\n"
    "holds with a caveat, does not hold, not measured here) and the command that reproduces the figure.\n"
    "Evidence read from the --results directory: results.json (bench: peak RSS against peak live bytes,\n"
    "allocation cost), sweep_PROGRAM.json (gc's price in memory), safety.json (the safety matrix) and\n"
    "stack_vs_heap.json (stack_vs_heap's heaplab-stack: line on every runtime). Missing evidence is run\n"
    "first and written there: heaplab safety, build/<runtime>/stack_vs_heap, and heaplab bench --size\n"
    "small --reps 1 when there is no results.json (the sweep is not run: heaplab sweep binary_trees).\n"
    "--timeout applies to each of those runs. With --out DIR: DIR/claims.{md,csv,json}; the JSON is\n"
    "{\"claims\": [{\"claim\", \"source\", \"evidence\", \"figure\", \"verdict\", \"command\"}]}.\n"
    "Exit status: 0 when the table was produced, 1 when a file could not be written, 2 on bad\n"
    "arguments, 130 when interrupted.\n",
};

typedef int (*reader_fn)(hlb_evidence *, const hlb_json *, char *, size_t);

/* Read dir/name into e. Returns 1 when there is no such file, 0 when read, -1 when it could not
** be read (the reason in *why and a notice). */
static int load(const char *dir, const char *name, reader_fn reader, hlb_evidence *e, char **why,
                hlb_strlist *notices) {
    char *path = hlb_fmt("%s/%s", dir, name), err[300];
    if (access(path, F_OK)) {
        free(path);
        return 1;
    }
    hlb_json *doc = hlb_json_parse_file(path, err, sizeof err);
    int rc = 0;
    if (!doc || reader(e, doc, err, sizeof err)) {
        char *msg = hlb_fmt("%s cannot be read (%s).", path, err);
        hlb_strlist_add(notices, msg);
        hlb_evidence_set(why, msg);
        free(msg);
        rc = -1;
    }
    hlb_json_free(doc);
    free(path);
    return rc;
}

char *hlb_sweep_file(const char *dir) {
    char *p = hlb_fmt("%s/sweep_binary_trees.json", dir);
    if (!access(p, F_OK)) {
        free(p);
        return hlb_xstrdup("sweep_binary_trees.json");
    }
    free(p);
    char *best = NULL;
    DIR *d = opendir(dir);
    for (struct dirent *x; d && (x = readdir(d));) {
        size_t n = strlen(x->d_name);
        if (strncmp(x->d_name, "sweep_", 6) || n < 11 || strcmp(x->d_name + n - 5, ".json")) continue;
        if (!best || strcmp(x->d_name, best) < 0) free(best), best = hlb_xstrdup(x->d_name);
    }
    if (d) closedir(d);
    return best;
}

/* Run this driver with args (then --build), output captured. Returns 0 when it succeeded, 130
** when interrupted, 1 otherwise (a notice says why). */
static int run_self(const hlb_ctx *ctx, const char *const *args, hlb_strlist *notices) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        hlb_strlist_add(notices, "cannot find the heaplab executable (/proc/self/exe) to run what is missing");
        return 1;
    }
    exe[n] = 0;
    const char *argv[24] = {exe};
    size_t k = 1;
    for (size_t i = 0; args[i] && k < 20; i++) argv[k++] = args[i];
    argv[k++] = "--build";
    argv[k++] = ctx->cat->build;
    argv[k] = NULL;
    hlb_proc_result r;
    if (hlb_proc_run((char *const *)argv, NULL, 0, &r)) {
        hlb_strlist_add(notices, "cannot start heaplab to run what is missing");
        return 1;
    }
    int rc = 0;
    if (r.end == HLB_PROC_INTERRUPTED) {
        rc = 130;
    } else if (r.end != HLB_PROC_EXITED || r.code != 0) {
        char why[400];
        hlb_proc_describe(&r, why, sizeof why);
        char *msg = hlb_fmt("heaplab %s failed: %s", args[0], why);
        hlb_strlist_add(notices, msg);
        free(msg);
        rc = 1;
    }
    hlb_proc_result_free(&r);
    return rc;
}

typedef struct stack_doc {
    hlb_provenance prov;
    hlb_strlist runs;   /* one JSON object each, as the program printed it */
} stack_doc;

static void write_stack_doc(FILE *f, const void *doc, hlb_format fmt) {
    (void)fmt;
    const stack_doc *d = doc;
    fputs("{\n  \"kind\": \"stack_vs_heap\",\n  \"provenance\": ", f);
    hlb_provenance_write_json(f, &d->prov, 2);
    fputs(",\n  \"runs\": [", f);
    for (size_t i = 0; i < d->runs.n; i++) fprintf(f, "%s\n    %s", i ? "," : "", d->runs.v[i]);
    fputs("\n  ]\n}\n", f);
}

/* Run stack_vs_heap on every runtime built (not the peers, not the variants that only change the
** environment), keep each heaplab-stack: line in e and in dir/stack_vs_heap.json. Returns 0, or
** 130 when interrupted. */
static int run_stack(const hlb_ctx *ctx, const char *dir, hlb_evidence *e, hlb_strlist *notices) {
    hlb_catalog *c = ctx->cat;
    stack_doc d;
    memset(&d, 0, sizeof d);
    hlb_provenance_collect(&d.prov, c->src, ctx->argc, ctx->argv);
    int rc = 0, found = 0;
    for (size_t i = 0; i < c->nvars && rc == 0; i++) {
        const hlb_variant *v = &c->vars[i];
        char why[400];
        if (v->peer || !v->dir || v->env[0] || v->wrap || !v->available) continue;
        if (hlb_catalog_can_run(c, v, "stack_vs_heap", why, sizeof why)) continue;
        found = 1;
        char *path = hlb_variant_binary(v, "stack_vs_heap");
        fprintf(stderr, "heaplab claims: running %s\n", path);
        hlb_proc_result r;
        char *argv[] = {path, NULL};
        if (hlb_proc_run(argv, NULL, ctx->o->timeout_s, &r)) {
            free(path);
            continue;
        }
        hlb_stack_run run;
        char *json = NULL, err[300];
        if (r.end == HLB_PROC_INTERRUPTED) {
            rc = 130;
        } else if (r.end != HLB_PROC_EXITED || r.code != 0) {
            hlb_proc_describe(&r, why, sizeof why);
            char *msg = hlb_fmt("%s failed: %s", path, why);
            hlb_strlist_add(notices, msg);
            free(msg);
        } else if (hlb_stack_parse_stderr(r.err ? r.err : "", &run, &json, err, sizeof err)) {
            char *msg = hlb_fmt("%s: %s", path, err);
            hlb_strlist_add(notices, msg);
            free(msg);
        } else {
            hlb_evidence_add_stack(e, &run);
            hlb_strlist_add(&d.runs, json);
        }
        free(json);
        hlb_proc_result_free(&r);
        free(path);
    }
    if (!found)
        hlb_evidence_set(&e->why_no_stack,
                         "stack_vs_heap is not built for any runtime (programs/stack_vs_heap.c, then make): it "
                         "prints the heaplab-stack: line that heaplab claims reads.");
    else if (!d.runs.n && rc == 0)
        hlb_evidence_set(&e->why_no_stack, "stack_vs_heap printed no usable heaplab-stack: line (see the notices).");
    if (d.runs.n && rc == 0) {
        hlb_provenance_set_end(&d.prov);
        char *path = hlb_fmt("%s/stack_vs_heap.json", dir), err[600];
        if (hlb_write_file(path, write_stack_doc, &d, HLB_FMT_JSON, err, sizeof err)) hlb_strlist_add(notices, err);
        else fprintf(stderr, "heaplab: wrote %s\n", path);
        free(path);
    }
    hlb_provenance_free(&d.prov);
    hlb_strlist_free(&d.runs);
    return rc;
}

int hlb_claims_gather(const hlb_ctx *ctx, const char *dir, int run_missing, hlb_evidence *e, hlb_strlist *notices) {
    int can_run = run_missing && ctx->cat;
    if (can_run) {
        char err[600];
        if (hlb_check_out_dir(dir, err, sizeof err)) {
            char *msg = hlb_fmt("%s: nothing missing can be run", err);
            hlb_strlist_add(notices, msg);
            free(msg);
            can_run = 0;
        }
    }
    int rc = 0;

    /* The bench. */
    if (load(dir, "results.json", hlb_evidence_read_bench, e, &e->why_no_bench, notices) == 1) {
        if (can_run) {
            fprintf(stderr, "heaplab claims: no bench results in %s: running heaplab bench --size small --reps 1 "
                            "--out %s (a small bench; make bench measures the real one)\n", dir, dir);
            rc = run_self(ctx, (const char *[]){"bench", "--size", "small", "--reps", "1", "--out", dir, NULL}, notices);
            if (rc == 130) return rc;
            if (load(dir, "results.json", hlb_evidence_read_bench, e, &e->why_no_bench, notices) == 1)
                hlb_evidence_set(&e->why_no_bench, "heaplab bench did not write results.json (see the notices).");
        } else {
            char *msg = hlb_fmt("no bench results in %s (heaplab bench --out %s writes results.json).", dir, dir);
            hlb_evidence_set(&e->why_no_bench, msg);
            free(msg);
        }
    }

    /* The sweep: read only. */
    char *sw = hlb_sweep_file(dir);
    if (sw) load(dir, sw, hlb_evidence_read_sweep, e, &e->why_no_sweep, notices);
    else {
        char *msg = hlb_fmt("no sweep results in %s (heaplab sweep binary_trees --out %s).", dir, dir);
        hlb_evidence_set(&e->why_no_sweep, msg);
        free(msg);
    }
    free(sw);

    /* The safety matrix. */
    if (load(dir, "safety.json", hlb_evidence_read_safety, e, &e->why_no_safety, notices) == 1) {
        if (can_run) {
            fprintf(stderr, "heaplab claims: no safety matrix in %s: running heaplab safety --out %s\n", dir, dir);
            rc = run_self(ctx, (const char *[]){"safety", "--out", dir, NULL}, notices);
            if (rc == 130) return rc;
            if (load(dir, "safety.json", hlb_evidence_read_safety, e, &e->why_no_safety, notices) == 1)
                hlb_evidence_set(&e->why_no_safety, "heaplab safety did not write safety.json (see the notices).");
        } else {
            char *msg = hlb_fmt("no safety matrix in %s (heaplab safety --out %s writes safety.json).", dir, dir);
            hlb_evidence_set(&e->why_no_safety, msg);
            free(msg);
        }
    }

    /* stack_vs_heap. */
    if (load(dir, "stack_vs_heap.json", hlb_evidence_read_stack, e, &e->why_no_stack, notices) == 1) {
        if (can_run) {
            if ((rc = run_stack(ctx, dir, e, notices))) return rc;
        } else {
            char *msg = hlb_fmt("no stack_vs_heap results in %s (heaplab claims --results %s runs "
                                "build/<runtime>/stack_vs_heap and writes stack_vs_heap.json).",
                                dir, dir);
            hlb_evidence_set(&e->why_no_stack, msg);
            free(msg);
        }
    }
    return 0;
}

int hlb_cmd_claims(hlb_ctx *ctx) {
    hlb_opts *o = ctx->o;
    char *dir = hlb_xstrdup(o->results);
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--) dir[n - 1] = 0;
    /* The results directory must be one, or one that can be made (what is missing is run and
    ** written there); checked before anything runs, like --out. A directory that exists but is
    ** read-only is still read. */
    char err[600];
    if (!hlb_is_dir(dir) && hlb_check_out_dir(dir, err, sizeof err)) {
        free(dir);
        return hlb_fail(ctx, 2, "--results: %s", err);
    }
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_strlist notices = {0};
    fprintf(stderr, "heaplab claims: reading the results in %s\n", dir);
    int rc = hlb_claims_gather(ctx, dir, 1, &e, &notices);
    if (rc == 0) {
        hlb_claim claims[HLB_NCLAIMS];
        hlb_claims_judge(&e, claims);
        for (size_t i = 0; i < notices.n; i++) hlb_notice(notices.v[i]);
        hlb_claims_doc d = {claims, HLB_NCLAIMS, &notices};
        char *out = hlb_out_dir(ctx);
        rc = hlb_emit("claims", hlb_claims_write, NULL, &d, o->format, out, "claims");
        free(out);
        hlb_claims_free(claims, HLB_NCLAIMS);
    }
    hlb_evidence_free(&e);
    hlb_strlist_free(&notices);
    free(dir);
    return rc;
}
