/*
** bench/commands/report.c: `heaplab report [--out DIR]`: one self-contained HTML page,
** DIR/report.html, of what the results directory holds (report/report_out.h): the bench, the
** sweep, the safety matrix, the claims judged from them (the same rules as `heaplab claims`, run
** on the files as they are: the report runs nothing), the plots, and the per-program explanations
** of docs/performance.md, read from the source tree (or the installed docs) at run time.
*/
#define _GNU_SOURCE
#include "commands/commands.h"
#include "report/outfile.h"
#include "report/report_out.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const hlb_cmd_spec hlb_report_spec = {
    "report", NULL, 0, 0, "one self-contained HTML page of everything measured: DIR/report.html",
    (const hlb_cmd_opt[]){{&hlb_opt_out, "results/"}, {&hlb_opt_build, NULL}, {NULL, NULL}},
    "Reads the results in the --out directory (results.json, sweep_*.json, safety.json,\n"
    "stack_vs_heap.json, the *.svg plots) and writes DIR/report.html there: machine and provenance,\n"
    "the bench table (ratios coloured, noisy cells flagged), the cost decomposition, the Rust rows, the\n"
    "plots, the sweep, the safety matrix (each cell's evidence on hover or opened), the lesson's claims\n"
    "(judged as heaplab claims does, from the files only) and, per program, why each runtime is faster\n"
    "or slower (docs/performance.md). One file, readable offline: no script, nothing fetched. A section\n"
    "whose results are missing says which command produces them.\n"
    "Exit status: 0 when the page was written, 1 when it could not be, 2 on bad arguments.\n",
};

/* Read a whole file (at most max bytes); malloc'd, NUL-terminated, or NULL. */
static char *slurp(const char *path, size_t max, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 65536, n = 0, got;
    char *buf = hlb_xmalloc(cap);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n > max) break;
        if (cap - n < 2) buf = hlb_xrealloc(buf, cap *= 2);
    }
    int bad = ferror(f) || n > max;
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

static hlb_json *parse(const char *dir, const char *name) {
    if (!name) return NULL;
    char *path = hlb_fmt("%s/%s", dir, name);
    hlb_json *j = hlb_json_parse_file(path, NULL, 0);
    free(path);
    return j;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void read_svgs(hlb_report *r) {
    hlb_strlist names = {0};
    DIR *d = opendir(r->dir);
    for (struct dirent *x; d && (x = readdir(d));) {
        size_t n = strlen(x->d_name);
        if (x->d_name[0] != '.' && n > 4 && !strcmp(x->d_name + n - 4, ".svg")) hlb_strlist_add(&names, x->d_name);
    }
    if (d) closedir(d);
    if (names.n) qsort(names.v, names.n, sizeof *names.v, cmp_str);
    r->svgs = hlb_xcalloc(names.n + 1, sizeof *r->svgs);
    for (size_t i = 0; i < names.n; i++) {
        char *path = hlb_fmt("%s/%s", r->dir, names.v[i]);
        size_t len = 0;
        char *data = slurp(path, 16u << 20, &len);
        if (data) r->svgs[r->nsvgs++] = (hlb_report_svg){hlb_xstrdup(names.v[i]), (unsigned char *)data, len};
        free(path);
    }
    hlb_strlist_free(&names);
}

/* docs/performance.md beside the build directory, or in the installed docs. */
static void read_perf(hlb_report *r, const char *given_build) {
    char *build = hlb_find_build(given_build);
    char *cands[] = {hlb_fmt("%s/../docs/performance.md", build),
                     hlb_fmt("%s/../../share/doc/heaplab/docs/performance.md", build)};
    for (size_t i = 0; i < 2; i++) {
        char *md = r->perf_path ? NULL : slurp(cands[i], 4u << 20, NULL);
        if (md && hlb_perf_paragraphs(md, &r->prog_names, &r->prog_paras)) {
            char *real = realpath(cands[i], NULL);
            r->perf_path = real ? real : hlb_xstrdup(cands[i]);
        }
        free(md);
        free(cands[i]);
    }
    free(build);
}

int hlb_cmd_report(hlb_ctx *ctx) {
    hlb_report r;
    memset(&r, 0, sizeof r);
    r.dir = hlb_out_dir(ctx);
    char *build = hlb_find_build(ctx->o->build), *src = hlb_fmt("%s/..", build);
    hlb_provenance_collect(&r.prov, src, ctx->argc, ctx->argv);
    free(build);
    free(src);
    r.bench = parse(r.dir, "results.json");
    r.sweep_name = hlb_sweep_file(r.dir);
    r.sweep = parse(r.dir, r.sweep_name);
    r.safety = parse(r.dir, "safety.json");
    r.stack = parse(r.dir, "stack_vs_heap.json");
    read_svgs(&r);
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_claims_gather(ctx, r.dir, 0, &e, &r.notices);
    hlb_claims_judge(&e, r.claims);
    r.have_claims = 1;
    hlb_evidence_free(&e);
    read_perf(&r, ctx->o->build);
    hlb_provenance_set_end(&r.prov);
    for (size_t i = 0; i < r.notices.n; i++) hlb_notice(r.notices.v[i]);
    char *path = hlb_fmt("%s/report.html", r.dir), err[600];
    int rc = 0;
    if (hlb_write_file(path, hlb_report_write, &r, HLB_FMT_MD, err, sizeof err)) rc = hlb_fail(ctx, 1, "%s", err);
    else fprintf(stderr, "heaplab: wrote %s\n", path);
    free(path);
    hlb_report_free(&r);
    return rc;
}
