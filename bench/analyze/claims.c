/*
** bench/analyze/claims.c: the evidence of the lesson's claims, read from results files, and the
** rule that judges each claim (see claims.h). Every rule is a function of the evidence alone:
** the same files always give the same table.
*/
#define _GNU_SOURCE
#include "analyze/claims.h"
#include "util/util.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const verdict_names[HLB_CLAIM_NVERDICTS] = {
    [HLB_CLAIM_HOLDS] = "holds",
    [HLB_CLAIM_CAVEAT] = "holds with a caveat",
    [HLB_CLAIM_FAILS] = "does not hold",
    [HLB_CLAIM_UNMEASURED] = "not measured here",
};

const char *hlb_claim_verdict_name(hlb_claim_verdict v) {
    return (unsigned)v < HLB_CLAIM_NVERDICTS ? verdict_names[v] : "?";
}

int hlb_claim_verdict_parse(const char *s) {
    for (int i = 0; i < HLB_CLAIM_NVERDICTS; i++)
        if (!strcmp(s, verdict_names[i])) return i;
    return -1;
}

/* ---- small text helpers ------------------------------------------------------------------- */

/* Append printf-style text to the malloc'd string *s (NULL: start one). */
static void __attribute__((format(printf, 2, 3))) add(char **s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *more = NULL;
    if (vasprintf(&more, fmt, ap) < 0) more = NULL;
    va_end(ap);
    if (!more) more = hlb_xstrdup("");
    if (!*s) {
        *s = more;
        return;
    }
    size_t a = strlen(*s), b = strlen(more);
    *s = hlb_xrealloc(*s, a + b + 1);
    memcpy(*s + a, more, b + 1);
    free(more);
}

/* "8.0 MiB", "64.0 KiB", "4160 bytes". */
static const char *bytes_text(char *buf, size_t len, double b) {
    if (!isfinite(b)) snprintf(buf, len, "unlimited");
    else if (b >= 1048576.0) snprintf(buf, len, "%.1f MiB", b / 1048576.0);
    else if (b >= 10240.0) snprintf(buf, len, "%.1f KiB", b / 1024.0);
    else snprintf(buf, len, "%.0f bytes", b);
    return buf;
}

/* "130,944" */
static const char *count_text(char *buf, size_t len, double n) {
    char digits[40];
    snprintf(digits, sizeof digits, "%.0f", n);
    size_t nd = strlen(digits), o = 0;
    for (size_t i = 0; i < nd && o + 2 < len; i++) {
        if (i && (nd - i) % 3 == 0 && digits[0] != '-') buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = 0;
    return buf;
}

static double geomean(const double *v, size_t n) {
    if (!n) return NAN;
    double s = 0;
    for (size_t i = 0; i < n; i++) s += log(v[i]);
    return exp(s / (double)n);
}

/* ---- evidence ------------------------------------------------------------------------------- */

void hlb_evidence_init(hlb_evidence *e) {
    memset(e, 0, sizeof *e);
    e->sweep_baseline_rss_kib = NAN;
}

void hlb_evidence_set(char **field, const char *s) {
    free(*field);
    *field = s ? hlb_xstrdup(s) : NULL;
}

void hlb_evidence_free(hlb_evidence *e) {
    free(e->stack);
    free(e->safety);
    free(e->bench);
    free(e->sweep);
    char **fields[] = {&e->cmd_stack,    &e->cmd_safety,    &e->cmd_bench,    &e->cmd_sweep,
                       &e->why_no_stack, &e->why_no_safety, &e->why_no_bench, &e->why_no_sweep};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) free(*fields[i]);
    hlb_evidence_init(e);
}

#define GROW(arr, n)                                                                                              \
    do {                                                                                                          \
        if (((n) & ((n) + 1)) == 0 || (n) == 0) (arr) = hlb_xrealloc((arr), (2 * (n) + 2) * sizeof *(arr));       \
    } while (0)

void hlb_evidence_add_stack(hlb_evidence *e, const hlb_stack_run *r) {
    GROW(e->stack, e->nstack);
    e->stack[e->nstack++] = *r;
}

void hlb_evidence_add_safety(hlb_evidence *e, const char *fault, const char *variant, const char *outcome,
                             const char *evidence) {
    GROW(e->safety, e->nsafety);
    hlb_safety_obs *o = &e->safety[e->nsafety++];
    memset(o, 0, sizeof *o);
    snprintf(o->fault, sizeof o->fault, "%s", fault);
    snprintf(o->variant, sizeof o->variant, "%s", variant);
    o->outcome = outcome ? hlb_outcome_parse(outcome) : -1;
    snprintf(o->evidence, sizeof o->evidence, "%s", evidence ? evidence : "");
}

void hlb_evidence_add_bench(hlb_evidence *e, const hlb_bench_obs *b) {
    GROW(e->bench, e->nbench);
    e->bench[e->nbench++] = *b;
}

void hlb_evidence_add_sweep(hlb_evidence *e, const hlb_sweep_obs *p) {
    GROW(e->sweep, e->nsweep);
    e->sweep[e->nsweep++] = *p;
}

/* ---- reading results files ---------------------------------------------------------------- */

static double num_or_null(const hlb_json *o, const char *key, double if_null) {
    const hlb_json *v = hlb_json_get(o, key);
    if (v && v->kind == HLB_JNULL) return if_null;
    return v && v->kind == HLB_JNUM ? v->num : NAN;
}

static const hlb_json *array(const hlb_json *o, const char *key) {
    const hlb_json *v = hlb_json_get(o, key);
    return v && v->kind == HLB_JARR ? v : NULL;
}

int hlb_stack_from_json(const hlb_json *o, hlb_stack_run *r, char *err, size_t errlen) {
    static const char *const ways[HLB_NWAYS] = {"c_locals", "api_stack", "api_heap"};
    memset(r, 0, sizeof *r);
    if (!o || o->kind != HLB_JOBJ) return snprintf(err, errlen, "not a JSON object"), -1;
    const char *rt = hlb_json_str(o, "runtime");
    if (!rt || !*rt) return snprintf(err, errlen, "no \"runtime\""), -1;
    snprintf(r->runtime, sizeof r->runtime, "%s", rt);
    const hlb_json *w = hlb_json_get(o, "ways");
    for (int k = 0; k < HLB_NWAYS; k++) {
        const hlb_json *x = hlb_json_get(w, ways[k]);
        r->median_s[k] = hlb_json_num(x, "median_s");
        r->min_s[k] = hlb_json_num(x, "min_s");
        r->max_s[k] = hlb_json_num(x, "max_s");
        if (!(r->median_s[k] >= 0)) return snprintf(err, errlen, "no ways.%s.median_s", ways[k]), -1;
    }
    r->rounds = hlb_json_num(o, "rounds");
    r->calls_per_round = hlb_json_num(o, "calls_per_round");
    r->ratio_stack = hlb_json_num(o, "ratio_api_stack_to_c");
    r->ratio_heap = hlb_json_num(o, "ratio_api_heap_to_c");
    double c = r->median_s[HLB_WAY_C];
    if (!isfinite(r->ratio_stack) && c > 0) r->ratio_stack = r->median_s[HLB_WAY_STACK] / c;
    if (!isfinite(r->ratio_heap) && c > 0) r->ratio_heap = r->median_s[HLB_WAY_HEAP] / c;
    r->stack_limit = num_or_null(o, "stack_limit_bytes", INFINITY);
    const hlb_json *fr = array(o, "frames");
    for (size_t i = 0; fr && i < fr->n && r->nframes < HLB_STACK_MAX_FRAMES; i++) {
        const hlb_json *f = fr->items[i];
        r->frames[r->nframes++] = (hlb_stack_frame){hlb_json_num(f, "local_bytes"), hlb_json_num(f, "frame_bytes"),
                                                    hlb_json_num(f, "max_depth")};
    }
    const hlb_json *vla = hlb_json_get(o, "vla");
    const hlb_json *req = array(vla, "requested_bytes"), *fb = array(vla, "frame_bytes");
    for (size_t i = 0; req && fb && i < req->n && i < fb->n && r->nvla < HLB_STACK_MAX_VLA; i++) {
        if (req->items[i]->kind != HLB_JNUM || fb->items[i]->kind != HLB_JNUM) continue;
        r->vla_requested[r->nvla] = req->items[i]->num;
        r->vla_frame[r->nvla++] = fb->items[i]->num;
    }
    return 0;
}

int hlb_stack_parse_stderr(const char *text, hlb_stack_run *r, char **json, char *err, size_t errlen) {
    const char *p = text;
    size_t plen = strlen(HLB_STACK_PREFIX);
    while (p && *p) {
        if (!strncmp(p, HLB_STACK_PREFIX, plen)) break;
        p = strchr(p, '\n');
        if (p) p++;
    }
    if (!p || !*p) return snprintf(err, errlen, "no '%s' line on stderr", HLB_STACK_PREFIX), -1;
    p += plen;
    char *line = hlb_xstrndup(p, strcspn(p, "\n"));
    char jerr[200];
    hlb_json *j = hlb_json_parse(line, jerr, sizeof jerr);
    int rc = -1;
    if (!j) snprintf(err, errlen, "the '%s' line is not JSON (%s)", HLB_STACK_PREFIX, jerr);
    else if (hlb_stack_from_json(j, r, jerr, sizeof jerr)) snprintf(err, errlen, "the '%s' line: %s", HLB_STACK_PREFIX, jerr);
    else rc = 0;
    hlb_json_free(j);
    if (rc == 0 && json) *json = line;
    else free(line);
    return rc;
}

static void read_command(const hlb_json *doc, char **field) {
    const char *cmd = hlb_json_str(hlb_json_get(doc, "provenance"), "command");
    if (cmd && *cmd && strcmp(cmd, "unknown")) hlb_evidence_set(field, cmd);
}

static int kind_is(const hlb_json *doc, const char *kind, char *err, size_t errlen) {
    if (!doc || doc->kind != HLB_JOBJ) return snprintf(err, errlen, "not a JSON object"), -1;
    const char *k = hlb_json_str(doc, "kind");
    if (k && strcmp(k, kind)) return snprintf(err, errlen, "a %s file, not %s results", k, kind), -1;
    return 0;
}

int hlb_evidence_read_stack(hlb_evidence *e, const hlb_json *doc, char *err, size_t errlen) {
    if (kind_is(doc, "stack_vs_heap", err, errlen)) return -1;
    const hlb_json *runs = array(doc, "runs");
    if (!runs) return snprintf(err, errlen, "no \"runs\" array"), -1;
    for (size_t i = 0; i < runs->n; i++) {
        hlb_stack_run r;
        char why[200];
        if (hlb_stack_from_json(runs->items[i], &r, why, sizeof why))
            return snprintf(err, errlen, "run %zu: %s", i + 1, why), -1;
        hlb_evidence_add_stack(e, &r);
    }
    return 0;
}

int hlb_evidence_read_safety(hlb_evidence *e, const hlb_json *doc, char *err, size_t errlen) {
    if (kind_is(doc, "safety", err, errlen)) return -1;
    const hlb_json *cells = array(doc, "cells");
    if (!cells) return snprintf(err, errlen, "no \"cells\" array"), -1;
    for (size_t i = 0; i < cells->n; i++) {
        const hlb_json *c = cells->items[i];
        const char *fault = hlb_json_str(c, "fault"), *variant = hlb_json_str(c, "variant");
        if (!fault || !variant) return snprintf(err, errlen, "cell %zu has no fault or variant", i + 1), -1;
        hlb_evidence_add_safety(e, fault, variant, hlb_json_str(c, "outcome"), hlb_json_str(c, "evidence"));
    }
    read_command(doc, &e->cmd_safety);
    return 0;
}

/* A cell's figure under its key, or under the key earlier files used. */
static double num2(const hlb_json *o, const char *key, const char *old) {
    double v = hlb_json_num(o, key);
    return isfinite(v) ? v : hlb_json_num(o, old);
}

static const hlb_json *cells_of(const hlb_json *doc) {
    const hlb_json *c = array(doc, "cells");
    if (!c) c = array(doc, "results");
    if (!c) c = array(doc, "points");
    return c;
}

int hlb_evidence_read_bench(hlb_evidence *e, const hlb_json *doc, char *err, size_t errlen) {
    if (kind_is(doc, "bench", err, errlen)) return -1;
    const hlb_json *cells = cells_of(doc);
    if (!cells) return snprintf(err, errlen, "no \"cells\" array"), -1;
    for (size_t i = 0; i < cells->n; i++) {
        const hlb_json *c = cells->items[i];
        hlb_bench_obs b;
        memset(&b, 0, sizeof b);
        const char *prog = hlb_json_str(c, "program"), *var = hlb_json_str(c, "variant");
        if (!var) var = hlb_json_str(c, "runtime");
        if (!prog || !var) return snprintf(err, errlen, "cell %zu has no program or variant", i + 1), -1;
        snprintf(b.program, sizeof b.program, "%s", prog);
        snprintf(b.variant, sizeof b.variant, "%s", var);
        const char *st = hlb_json_str(c, "status");
        b.ok = st && !strcmp(st, "ok");
        b.wall_s = hlb_json_num(c, "wall_median_s");
        b.ratio_wall = hlb_json_num(c, "ratio_wall");
        b.rss_kib = num2(c, "rss_median_kib", "peak_rss_kib");
        b.allocations = hlb_json_num(c, "allocations");
        b.peak_live_bytes = hlb_json_num(c, "peak_live_bytes");
        hlb_evidence_add_bench(e, &b);
    }
    const char *base = hlb_json_str(doc, "baseline");
    snprintf(e->bench_baseline, sizeof e->bench_baseline, "%s", base ? base : "manual");
    read_command(doc, &e->cmd_bench);
    return 0;
}

int hlb_evidence_read_sweep(hlb_evidence *e, const hlb_json *doc, char *err, size_t errlen) {
    if (kind_is(doc, "sweep", err, errlen)) return -1;
    const hlb_json *cells = cells_of(doc);
    if (!cells) return snprintf(err, errlen, "no \"cells\" array"), -1;
    const char *prog = hlb_json_str(doc, "program"), *base = hlb_json_str(doc, "baseline");
    snprintf(e->sweep_program, sizeof e->sweep_program, "%s", prog ? prog : "?");
    snprintf(e->sweep_baseline, sizeof e->sweep_baseline, "%s", base ? base : "manual");
    /* Earlier files kept manual's figures beside the points. */
    e->sweep_baseline_rss_kib = hlb_json_num(hlb_json_get(doc, "manual"), "peak_rss_kib");
    for (size_t i = 0; i < cells->n; i++) {
        const hlb_json *c = cells->items[i];
        const char *var = hlb_json_str(c, "variant");
        double rss = num2(c, "rss_median_kib", "peak_rss_kib");
        if (var && strcmp(var, "gc")) {   /* the baseline's cell */
            if (!strcmp(var, e->sweep_baseline)) e->sweep_baseline_rss_kib = rss;
            continue;
        }
        const char *st = hlb_json_str(c, "status"), *reason = hlb_json_str(c, "reason");
        hlb_sweep_obs p = {hlb_json_num(c, "factor"), st && !strcmp(st, "ok"), 0, hlb_json_num(c, "ratio_wall"), rss};
        p.oom = st && (!strcmp(st, "out of memory") || (reason && strstr(reason, "out of memory")));
        hlb_evidence_add_sweep(e, &p);
    }
    read_command(doc, &e->cmd_sweep);
    return 0;
}

/* ---- looking evidence up ------------------------------------------------------------------ */

/* Columns of tools that watch a runtime (AddressSanitizer, valgrind) rather than runtimes. */
static int is_tool(const char *variant) { return strstr(variant, "asan") || strstr(variant, "valgrind"); }

static const hlb_safety_obs *safety_cell(const hlb_evidence *e, const char *fault, const char *variant) {
    for (size_t i = 0; i < e->nsafety; i++)
        if (!strcmp(e->safety[i].fault, fault) && !strcmp(e->safety[i].variant, variant) && e->safety[i].outcome >= 0)
            return &e->safety[i];
    return NULL;
}

static int has_fault(const hlb_evidence *e, const char *fault) {
    for (size_t i = 0; i < e->nsafety; i++)
        if (!strcmp(e->safety[i].fault, fault) && e->safety[i].outcome >= 0) return 1;
    return 0;
}

/* How many runtime (or, with tools, tool) columns of fault had an outcome in mask (bits of
** hlb_outcome); their names joined by ", " into *names when not NULL. */
static size_t columns_with(const hlb_evidence *e, const char *fault, unsigned mask, int tools, char **names) {
    size_t n = 0;
    for (size_t i = 0; i < e->nsafety; i++) {
        const hlb_safety_obs *o = &e->safety[i];
        if (strcmp(o->fault, fault) || o->outcome < 0 || !(mask & (1u << o->outcome))) continue;
        if (!!is_tool(o->variant) != !!tools) continue;
        if (names) add(names, "%s%s", n ? ", " : "", o->variant);
        n++;
    }
    return n;
}

#define BIT(o) (1u << (o))
#define ALL_OUTCOMES (BIT(HLB_OUTCOME_COUNT) - 1)

/* "fault: silent on manual, gc (evidence); detected on owned (evidence); seen by manual+asan"
** for the runtime columns of fault, the columns with the same outcome and evidence together. */
static void row_text(char **s, const hlb_evidence *e, const char *fault, int with_evidence) {
    add(s, "%s:", fault);
    char *done = hlb_xcalloc(e->nsafety + 1, 1);
    int groups = 0;
    for (size_t i = 0; i < e->nsafety; i++) {
        const hlb_safety_obs *o = &e->safety[i];
        if (done[i] || strcmp(o->fault, fault) || o->outcome < 0 || is_tool(o->variant)) continue;
        add(s, "%s %s on %s", groups++ ? ";" : "", hlb_outcome_name(o->outcome), o->variant);
        for (size_t j = i + 1; j < e->nsafety; j++) {
            const hlb_safety_obs *p = &e->safety[j];
            if (done[j] || strcmp(p->fault, fault) || p->outcome != o->outcome || is_tool(p->variant) ||
                (with_evidence && strcmp(p->evidence, o->evidence)))
                continue;
            add(s, ", %s", p->variant);
            done[j] = 1;
        }
        if (with_evidence && o->evidence[0]) add(s, " (%.90s)", o->evidence);
    }
    free(done);
    char *tools = NULL;
    if (columns_with(e, fault, BIT(HLB_OUTCOME_DETECTED) | BIT(HLB_OUTCOME_LEAK_REPORTED), 1, &tools))
        add(s, "; seen by %s", tools);
    free(tools);
}

/* The ok bench cell of program on variant, or NULL. */
static const hlb_bench_obs *bench_cell(const hlb_evidence *e, const char *program, const char *variant) {
    for (size_t i = 0; i < e->nbench; i++)
        if (e->bench[i].ok && !strcmp(e->bench[i].program, program) && !strcmp(e->bench[i].variant, variant))
            return &e->bench[i];
    return NULL;
}

/* The program's peak live bytes, a property of the program: manual's count (it frees exactly
** when the program drops), else the smallest any runtime reported. Not the largest: region
** frees nothing until a region ends, so its "live" bytes are everything allocated since. */
static double program_live(const hlb_evidence *e, const char *program) {
    double live = NAN;
    for (size_t i = 0; i < e->nbench; i++) {
        const hlb_bench_obs *b = &e->bench[i];
        if (strcmp(b->program, program) || !(b->peak_live_bytes > 0)) continue;
        if (!strcmp(b->variant, "manual")) return b->peak_live_bytes;
        if (!(b->peak_live_bytes >= live)) live = b->peak_live_bytes;
    }
    return live;
}

/* ---- commands ------------------------------------------------------------------------------ */

static char *stack_command(const hlb_evidence *e) {
    char *s = NULL;
    if (e->cmd_stack) return hlb_xstrdup(e->cmd_stack);
    add(&s, "for rt in");
    if (!e->nstack) add(&s, " manual gc owned");
    for (size_t i = 0; i < e->nstack; i++) add(&s, " %s", e->stack[i].runtime);
    add(&s, "; do build/$rt/stack_vs_heap; done  (the heaplab-stack: line on stderr)");
    return s;
}

static char *safety_command(const hlb_evidence *e, const char *faults) {
    (void)e;
    return hlb_fmt("heaplab safety --faults %s --verbose", faults);
}

static const char *bench_command(const hlb_evidence *e) {
    return e->cmd_bench ? e->cmd_bench : "heaplab bench --out results/";
}

static char *sweep_command(const hlb_evidence *e) {
    if (e->cmd_sweep) return hlb_xstrdup(e->cmd_sweep);
    return hlb_fmt("heaplab sweep %s --out results/", e->nsweep ? e->sweep_program : "binary_trees");
}

/* ---- the rules --------------------------------------------------------------------------- */

static void put(hlb_claim *c, hlb_claim_verdict v, char *source, char *evidence, char *figure, char *command) {
    c->verdict = v;
    c->source = source;
    c->evidence = evidence;
    c->figure = figure ? figure : hlb_xstrdup("");
    c->command = command;
}

/* A "not measured here" row: the description, then why (which command produces the evidence). */
static void unmeasured(hlb_claim *c, char *source, const char *what, const char *why, char *command) {
    put(c, HLB_CLAIM_UNMEASURED, source, hlb_fmt("%s Not measured: %s", what, why), NULL, command);
}
#define UNMEASURED_RETURN(...)                                                                                    \
    do {                                                                                                          \
        unmeasured(__VA_ARGS__);                                                                                  \
        return;                                                                                                   \
    } while (0)

static const char *why_stack(const hlb_evidence *e) {
    return e->why_no_stack ? e->why_no_stack
                           : "no stack_vs_heap results (stack_vs_heap.json); heaplab claims runs "
                             "build/<runtime>/stack_vs_heap on every runtime where it is built.";
}

static const char *why_safety(const hlb_evidence *e, const char *fault) {
    static char buf[400];
    if (e->nsafety || !e->why_no_safety)
        snprintf(buf, sizeof buf, "the safety matrix has no %s row (heaplab safety --out DIR writes DIR/safety.json).",
                 fault);
    else snprintf(buf, sizeof buf, "%s", e->why_no_safety);
    return buf;
}

static const char *why_bench(const hlb_evidence *e) {
    return e->why_no_bench ? e->why_no_bench : "no bench results (heaplab bench --out DIR writes DIR/results.json).";
}

static const char stack_what[] =
    "stack_vs_heap runs the same recursive computation, each call needing a small scratch object and a "
    "scratch buffer, three ways in one process, interleaved over several rounds: plain C locals, stack "
    "objects through the API (HL_LOCAL) and heap objects (hl_new, dropped before the call returns). "
    "Median time per round; ratios to the C locals way.";

/* "manual: heap objects 3.10x, API stack objects 1.02x the C locals' time (41 ns per call)" */
static void stack_times(char **s, const hlb_evidence *e) {
    for (size_t i = 0; i < e->nstack; i++) {
        const hlb_stack_run *r = &e->stack[i];
        add(s, "%s%s: heap objects %.2fx, API stack objects %.2fx the C locals' time", i ? "; " : "", r->runtime,
            r->ratio_heap, r->ratio_stack);
        if (r->calls_per_round > 0)
            add(s, " (C locals %.0f ns per call)", r->median_s[HLB_WAY_C] / r->calls_per_round * 1e9);
    }
}

static void rule_stack_fast(const hlb_evidence *e, hlb_claim *c) {
    char *src = hlb_xstrdup("stack_vs_heap on every runtime (stack_vs_heap.json)");
    if (!e->nstack) UNMEASURED_RETURN(c, src, stack_what, why_stack(e), stack_command(e));
    double lo = INFINITY, hi = -INFINITY;
    char *slow = NULL, *fig = NULL;
    for (size_t i = 0; i < e->nstack; i++) {
        double h = e->stack[i].ratio_heap;
        if (!(h >= lo)) lo = h;
        if (!(h <= hi)) hi = h;
        if (!(h >= HLB_CLAIM_VERY_FAST)) add(&slow, "%s%s (%.2fx)", slow ? ", " : "", e->stack[i].runtime, h);
    }
    stack_times(&fig, e);
    hlb_claim_verdict v;
    if (lo >= HLB_CLAIM_VERY_FAST) {
        v = HLB_CLAIM_HOLDS;
        add(&fig, ". A call with C locals is at least %.1fx faster than one with heap objects on every runtime.",
            HLB_CLAIM_VERY_FAST);
    } else if (!(hi >= HLB_CLAIM_SLOWER)) {
        v = HLB_CLAIM_FAILS;
        add(&fig, ". The C locals way is not %.0f%% faster than the heap way on any runtime.",
            (HLB_CLAIM_SLOWER - 1) * 100);
    } else {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: how much faster depends on the heap allocator: the heap way is within %.1fx of C "
                  "locals on %s.",
            HLB_CLAIM_VERY_FAST, slow);
    }
    free(slow);
    put(c, v, src, hlb_xstrdup(stack_what), fig, stack_command(e));
}

/* The allocation-heavy program's cheapest heap allocator, when it is at most
** HLB_CLAIM_CHEAP_ALLOC of the baseline's time: "region runs binary_trees at 0.20x c". */
static char *cheap_allocator(const hlb_evidence *e) {
    const char *prog = NULL;
    double most = 0;
    for (size_t i = 0; i < e->nbench; i++)
        if (e->bench[i].allocations > most) most = e->bench[i].allocations, prog = e->bench[i].program;
    if (!prog) return NULL;
    const hlb_bench_obs *best = NULL;
    for (size_t i = 0; i < e->nbench; i++) {
        const hlb_bench_obs *b = &e->bench[i];
        if (!b->ok || strcmp(b->program, prog) || !(b->ratio_wall <= HLB_CLAIM_CHEAP_ALLOC)) continue;
        if (!best || b->ratio_wall < best->ratio_wall) best = b;
    }
    return best ? hlb_fmt("%s runs %s (%s allocations) at %.2fx %s's time", best->variant, prog,
                          count_text((char[40]){0}, 40, most), best->ratio_wall, e->bench_baseline)
                : NULL;
}

static void rule_heap_slower(const hlb_evidence *e, hlb_claim *c) {
    char *src = hlb_xstrdup("stack_vs_heap on every runtime (stack_vs_heap.json); bench results (results.json)");
    if (!e->nstack) UNMEASURED_RETURN(c, src, stack_what, why_stack(e), stack_command(e));
    double lo = INFINITY, hi = -INFINITY;
    char *fast = NULL, *fig = NULL;
    for (size_t i = 0; i < e->nstack; i++) {
        double h = e->stack[i].ratio_heap;
        if (!(h >= lo)) lo = h;
        if (!(h <= hi)) hi = h;
        if (!(h >= HLB_CLAIM_SLOWER)) add(&fast, "%s%s (%.2fx)", fast ? ", " : "", e->stack[i].runtime, h);
    }
    stack_times(&fig, e);
    char *cheap = cheap_allocator(e);
    hlb_claim_verdict v;
    if (!(hi >= HLB_CLAIM_SLOWER)) {
        v = HLB_CLAIM_FAILS;
        add(&fig, ". Heap objects cost less than %.0f%% more than C locals on every runtime.",
            (HLB_CLAIM_SLOWER - 1) * 100);
    } else if (!(lo >= HLB_CLAIM_SLOWER)) {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: not on %s, whose heap allocation costs about what the stack does.", fast);
    } else if (cheap) {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: how much slower depends on the allocator: %s.", cheap);
    } else {
        v = HLB_CLAIM_HOLDS;
        add(&fig, ". Heap objects cost at least %.0f%% more than C locals on every runtime.",
            (HLB_CLAIM_SLOWER - 1) * 100);
    }
    free(fast);
    free(cheap);
    char *cmd = stack_command(e);
    if (e->nbench) add(&cmd, "; %s", bench_command(e));
    put(c, v, src, hlb_xstrdup(stack_what), fig, cmd);
}

/* The first run that has frames, or NULL. */
static const hlb_stack_run *frames_run(const hlb_evidence *e) {
    for (size_t i = 0; i < e->nstack; i++)
        if (e->stack[i].nframes) return &e->stack[i];
    return NULL;
}

static const char probe_what[] =
    "stack_vs_heap's call-stack probe: the distance between the locals of consecutive frames of a "
    "recursive function with a small and with a large local array, the stack limit "
    "(getrlimit(RLIMIT_STACK)), and the deepest recursion reached before overflow for each frame size "
    "(in a child process that overflows).";

/* "a 16-byte local array: 64-byte frames, 130,944 deep; ..." */
static void frames_text(char **s, const hlb_stack_run *r) {
    char a[40], b[40], d[40];
    for (size_t i = 0; i < r->nframes; i++) {
        const hlb_stack_frame *f = &r->frames[i];
        add(s, "%s%s of locals: frames of %s", i ? "; " : "", bytes_text(a, sizeof a, f->local_bytes),
            bytes_text(b, sizeof b, f->frame_bytes));
        if (f->max_depth > 0) add(s, ", %s deep at most", count_text(d, sizeof d, f->max_depth));
    }
}

static void rule_stack_lifo(const hlb_evidence *e, hlb_claim *c) {
    char *src = hlb_xstrdup("stack_vs_heap's call-stack probe (stack_vs_heap.json)");
    const hlb_stack_run *r = frames_run(e);
    if (!r) UNMEASURED_RETURN(c, src, probe_what, why_stack(e), stack_command(e));
    int stacked = 1;
    for (size_t i = 0; i < r->nframes; i++) stacked &= r->frames[i].frame_bytes > 0;
    char *fig = NULL;
    add(&fig, "%s: ", r->runtime);
    frames_text(&fig, r);
    hlb_claim_verdict v = stacked ? HLB_CLAIM_HOLDS : HLB_CLAIM_FAILS;
    add(&fig, stacked ? ". Each nested call's frame lies a fixed distance below its caller's: pushed on call, "
                        "popped on return, the last in the first out."
                      : ". Consecutive frames are not a fixed positive distance apart.");
    put(c, v, src, hlb_xstrdup(probe_what), fig, stack_command(e));
}

static void rule_stack_freed(const hlb_evidence *e, hlb_claim *c) {
    char *src = hlb_xstrdup("the safety matrix (safety.json): rows stack_escape, local_escape");
    const char *what =
        "stack_escape returns a pointer to a local array and the caller reads it; local_escape returns the "
        "handle of an HL_LOCAL object and the caller borrows it. A wrong result shows the frame was given "
        "back and reused at exit; owned reports the use after the scope's end.";
    char *cmd = safety_command(e, "stack_escape,local_escape");
    int se = has_fault(e, "stack_escape"), le = has_fault(e, "local_escape");
    if (!se && !le) UNMEASURED_RETURN(c, src, what, why_safety(e, "stack_escape or local_escape"), cmd);
    char *fig = NULL;
    if (se) row_text(&fig, e, "stack_escape", 1);
    if (le) add(&fig, "%s", se ? ". " : ""), row_text(&fig, e, "local_escape", 1);
    char *silent = NULL;
    size_t ns = se ? columns_with(e, "stack_escape", BIT(HLB_OUTCOME_SILENT), 0, &silent) : 0;
    hlb_claim_verdict v;
    if (ns) {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: the frame is freed at exit, but nothing stops a pointer to it from being used "
                  "afterwards (silent on %s).",
            silent);
    } else {
        v = HLB_CLAIM_HOLDS;
    }
    free(silent);
    put(c, v, src, hlb_xstrdup(what), fig, cmd);
}

static void rule_stack_fixed(const hlb_evidence *e, hlb_claim *c) {
    char *src = hlb_xstrdup("stack_vs_heap's call-stack probe (stack_vs_heap.json)");
    const char *what =
        "The frame sizes of a recursive function with a small and a large local array, measured from the "
        "addresses of locals in consecutive frames; and frames holding a variable-length array (VLA) whose "
        "size is chosen at run time.";
    const hlb_stack_run *r = frames_run(e), *vr = NULL;
    for (size_t i = 0; i < e->nstack && !vr; i++)
        if (e->stack[i].nvla >= 2) vr = &e->stack[i];
    if (!r && !vr) UNMEASURED_RETURN(c, src, what, why_stack(e), stack_command(e));
    char *fig = NULL;
    if (r) add(&fig, "%s: ", r->runtime), frames_text(&fig, r);
    int grows = 0;
    if (vr) {
        double rmin = INFINITY, rmax = -INFINITY, flo = INFINITY, fhi = -INFINITY;
        char a[40], b[40];
        add(&fig, "%sVLA frames (%s):", fig ? ". " : "", vr->runtime);
        for (size_t i = 0; i < vr->nvla; i++) {
            rmin = fmin(rmin, vr->vla_requested[i]), rmax = fmax(rmax, vr->vla_requested[i]);
            flo = fmin(flo, vr->vla_frame[i]), fhi = fmax(fhi, vr->vla_frame[i]);
            add(&fig, "%s %s requested, %s frame", i ? ";" : "", bytes_text(a, sizeof a, vr->vla_requested[i]),
                bytes_text(b, sizeof b, vr->vla_frame[i]));
        }
        grows = rmax > rmin && fhi - flo >= 0.5 * (rmax - rmin);
    }
    hlb_claim_verdict v;
    if (grows) {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: a frame with a VLA (or alloca) is sized at run time, by the size requested.");
    } else {
        v = HLB_CLAIM_HOLDS;
        add(&fig, ". Each frame's size follows the locals declared in the source.");
    }
    put(c, v, src, hlb_xstrdup(what), fig, stack_command(e));
}

static void rule_stack_limited(const hlb_evidence *e, hlb_claim *c) {
    char *src = hlb_xstrdup("stack_vs_heap's call-stack probe (stack_vs_heap.json); the safety matrix: stack_overflow");
    const char *what =
        "The stack limit (getrlimit(RLIMIT_STACK)) and the deepest recursion reached before overflow for two "
        "frame sizes; the stack_overflow fault recurses without end on every runtime.";
    const hlb_stack_run *r = NULL;
    for (size_t i = 0; i < e->nstack && !r; i++)
        if (!isnan(e->stack[i].stack_limit) || e->stack[i].nframes) r = &e->stack[i];
    int so = has_fault(e, "stack_overflow");
    char *cmd = stack_command(e);
    if (so) add(&cmd, "; heaplab safety --faults stack_overflow --verbose");
    if (!r && !so) {
        char *why = hlb_fmt("%s %s", why_stack(e), why_safety(e, "stack_overflow"));
        unmeasured(c, src, what, why, cmd);
        free(why);
        return;
    }
    char *fig = NULL, a[40];
    double deepest = 0;
    if (r) {
        add(&fig, "%s: RLIMIT_STACK %s", r->runtime, bytes_text(a, sizeof a, r->stack_limit));
        if (r->nframes) add(&fig, "; "), frames_text(&fig, r);
        for (size_t i = 0; i < r->nframes; i++) deepest = fmax(deepest, r->frames[i].max_depth);
    }
    size_t stopped = 0, runs = 0;
    if (so) {
        add(&fig, "%s", fig ? ". " : ""), row_text(&fig, e, "stack_overflow", 1);
        stopped = columns_with(e, "stack_overflow", BIT(HLB_OUTCOME_DETECTED) | BIT(HLB_OUTCOME_CRASH), 0, NULL);
        runs = columns_with(e, "stack_overflow", ALL_OUTCOMES, 0, NULL);
    }
    hlb_claim_verdict v;
    if (r && isinf(r->stack_limit)) {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: RLIMIT_STACK is unlimited here (ulimit -s); the limit is a setting, and the stack "
                  "still ends where other mappings begin.");
    } else if ((r && deepest > 0) || (so && stopped == runs && runs > 0)) {
        v = HLB_CLAIM_HOLDS;
        add(&fig, ". The limit is a setting (ulimit -s, or a thread's stack size), far below the memory the heap "
                  "can use.");
    } else if (so && stopped == 0) {
        v = HLB_CLAIM_FAILS;
    } else {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: the recursion was stopped on some runtimes only.");
    }
    put(c, v, src, hlb_xstrdup(what), fig, cmd);
}

static void rule_stack_scope(const hlb_evidence *e, hlb_claim *c) {
    char *src = hlb_xstrdup("the safety matrix (safety.json): rows stack_escape, local_escape");
    const char *what =
        "stack_escape returns a pointer to a local array and the caller reads it through that pointer; "
        "local_escape does the same with the handle of an HL_LOCAL object through the API.";
    char *cmd = safety_command(e, "stack_escape,local_escape");
    int se = has_fault(e, "stack_escape"), le = has_fault(e, "local_escape");
    if (!se && !le) UNMEASURED_RETURN(c, src, what, why_safety(e, "stack_escape or local_escape"), cmd);
    char *fig = NULL, *silent = NULL;
    if (se) row_text(&fig, e, "stack_escape", 1);
    if (le) add(&fig, "%s", se ? ". " : ""), row_text(&fig, e, "local_escape", 1);
    hlb_claim_verdict v;
    if (se && columns_with(e, "stack_escape", BIT(HLB_OUTCOME_SILENT), 0, &silent)) {
        v = HLB_CLAIM_FAILS;
        add(&fig, ". In C the memory stays accessible after the function returns: the read goes through, with "
                  "no diagnostic, on %s (only a sanitizer or valgrind sees it).",
            silent);
        const hlb_safety_obs *o = le ? safety_cell(e, "local_escape", "owned") : NULL;
        if (o && o->outcome == HLB_OUTCOME_DETECTED)
            add(&fig, " Through the API, owned stops the handle's use (local_escape detected).");
    } else if (se) {
        v = HLB_CLAIM_HOLDS;
    } else {
        const hlb_safety_obs *o = safety_cell(e, "local_escape", "owned");
        size_t ns = columns_with(e, "local_escape", BIT(HLB_OUTCOME_SILENT), 0, &silent);
        if (o && o->outcome == HLB_OUTCOME_DETECTED && ns) {
            v = HLB_CLAIM_CAVEAT;
            add(&fig, ". Caveat: enforced by owned's check only; silent on %s.", silent);
        } else if (!ns) {
            v = HLB_CLAIM_HOLDS;
        } else {
            v = HLB_CLAIM_FAILS;
        }
    }
    free(silent);
    put(c, v, src, hlb_xstrdup(what), fig, cmd);
}

static void rule_heap_fragments(const hlb_evidence *e, hlb_claim *c) {
    char *src = hlb_xstrdup("bench results (results.json): peak RSS and peak live bytes per cell");
    const char *what =
        "Peak RSS over the program's peak live bytes (the payload the program had allocated at its peak), "
        "per runtime, on programs with at least 4 MiB live: what the heap holds beyond the live data "
        "(fragmentation, allocator headers and size classes, for gc also the collector's headroom; RSS also "
        "counts the binary and the C library).";
    char *cmd = hlb_xstrdup(bench_command(e));
    if (!e->nbench) UNMEASURED_RETURN(c, src, what, why_bench(e), cmd);
    /* Per variant: the ratios of its programs. */
    const char *vars[64];
    double *ratios[64];
    size_t nr[64], nv = 0;
    double worst = 0;
    const hlb_bench_obs *worst_cell = NULL;
    for (size_t i = 0; i < e->nbench; i++) {
        const hlb_bench_obs *b = &e->bench[i];
        double live = program_live(e, b->program);   /* the same divisor for every variant */
        if (!b->ok || !(b->rss_kib > 0) || !(live >= HLB_CLAIM_FRAG_MIN_LIVE)) continue;
        /* gc-tuned starts with a 256 MiB heap by setting: a reserve chosen, not fragmentation;
        ** region frees nothing until a region ends: memory held on purpose, not fragmentation. */
        if (!strcmp(b->variant, "gc-tuned") || !strcmp(b->variant, "region")) continue;
        double q = b->rss_kib * 1024.0 / live;
        size_t k = 0;
        while (k < nv && strcmp(vars[k], b->variant)) k++;
        if (k == nv) {
            if (nv == 64) continue;
            vars[nv] = b->variant, ratios[nv] = hlb_xcalloc(e->nbench, sizeof(double)), nr[nv++] = 0;
        }
        ratios[k][nr[k]++] = q;
        if (q > worst) worst = q, worst_cell = b;
    }
    if (!nv)
        UNMEASURED_RETURN(c, src, what,
                          "no bench cell has 4 MiB or more live (run heaplab bench at the default size).", cmd);
    char *fig = hlb_xstrdup("peak RSS / peak live bytes, geometric mean over programs: ");
    double best = INFINITY;
    const char *best_var = NULL;
    for (size_t k = 0; k < nv; k++) {
        double g = geomean(ratios[k], nr[k]);
        add(&fig, "%s%s %.2fx", k ? ", " : "", vars[k], g);
        if (g < best) best = g, best_var = vars[k];
    }
    add(&fig, "; the most: %s on %s, %.2fx", worst_cell->variant, worst_cell->program, worst);
    hlb_claim_verdict v;
    if (worst < HLB_CLAIM_FRAG_NONE) {
        v = HLB_CLAIM_FAILS;
        add(&fig, ". Every runtime holds less than %.0f%% beyond the live data.", (HLB_CLAIM_FRAG_NONE - 1) * 100);
    } else if (worst >= HLB_CLAIM_FRAG && best > HLB_CLAIM_FRAG_TIGHT) {
        v = HLB_CLAIM_HOLDS;
    } else if (worst >= HLB_CLAIM_FRAG) {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: how much depends on the allocator and the lifetimes: %s stays at %.2fx.", best_var,
            best);
    } else {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: by less than %.0f%% on these programs.", (HLB_CLAIM_FRAG - 1) * 100);
    }
    for (size_t k = 0; k < nv; k++) free(ratios[k]);
    put(c, v, src, hlb_xstrdup(what), fig, cmd);
}

static void rule_heap_leaks(const hlb_evidence *e, hlb_claim *c) {
    char *src = hlb_xstrdup("the safety matrix (safety.json): row leak");
    const char *what = "The leak fault makes heap objects unreachable without dropping them, on every runtime.";
    char *cmd = safety_command(e, "leak");
    if (!has_fault(e, "leak")) UNMEASURED_RETURN(c, src, what, why_safety(e, "leak"), cmd);
    char *fig = NULL, *kept = NULL;
    row_text(&fig, e, "leak", 1);
    size_t all = columns_with(e, "leak", ALL_OUTCOMES, 0, NULL);
    size_t leaked = columns_with(e, "leak", BIT(HLB_OUTCOME_SILENT) | BIT(HLB_OUTCOME_LEAK_REPORTED), 0, NULL);
    columns_with(e, "leak", ~(BIT(HLB_OUTCOME_SILENT) | BIT(HLB_OUTCOME_LEAK_REPORTED)) & ALL_OUTCOMES, 0, &kept);
    hlb_claim_verdict v;
    if (leaked == 0) {
        v = HLB_CLAIM_FAILS;
    } else if (leaked == all) {
        v = HLB_CLAIM_HOLDS;
        add(&fig, ". The memory is lost on every runtime (a report does not give it back).");
    } else {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: a heap leaks when the program forgets to free; not on %s.", kept);
    }
    free(kept);
    put(c, v, src, hlb_xstrdup(what), fig, cmd);
}

/* The sweep's conclusion from its points: the smallest factor from which every larger factor
** measured is ok and within HLB_CLAIM_GC_NEAR of the baseline; NAN when the largest is not. */
static double sweep_near(const hlb_evidence *e) {
    double from = NAN;
    for (;;) {
        double next = NAN;   /* the largest factor below `from` */
        for (size_t i = 0; i < e->nsweep; i++) {
            double f = e->sweep[i].factor;
            if (isfinite(f) && (isnan(from) || f < from) && !(f <= next)) next = f;
        }
        if (isnan(next)) return from;
        for (size_t i = 0; i < e->nsweep; i++)
            if (e->sweep[i].factor == next && !(e->sweep[i].ok && e->sweep[i].ratio_wall <= HLB_CLAIM_GC_NEAR))
                return from;
        from = next;
    }
}

static void rule_heap_unlimited(const hlb_evidence *e, hlb_claim *c) {
    char *src = hlb_xstrdup("the safety matrix (safety.json): row out_of_memory; the GC sweep");
    const char *what =
        "out_of_memory allocates 1 MiB blocks, keeping them all, under an address-space limit of what it uses "
        "plus 256 MiB; the sweep runs gc in fixed heaps of K x the live bytes.";
    char *cmd = safety_command(e, "out_of_memory");
    int oomrow = has_fault(e, "out_of_memory");
    char *oomk = NULL;
    for (size_t i = 0; i < e->nsweep; i++)
        if (e->sweep[i].oom) add(&oomk, "%s%.2fx", oomk ? ", " : "", e->sweep[i].factor);
    if (oomk) {
        char *sw = sweep_command(e);
        add(&cmd, "; %s", sw);
        free(sw);
    }
    if (!oomrow && !oomk) {
        free(oomk);
        UNMEASURED_RETURN(c, src, what, why_safety(e, "out_of_memory"), cmd);
    }
    char *fig = NULL;
    if (oomrow) row_text(&fig, e, "out_of_memory", 1);
    if (oomk) add(&fig, "%sgc on %s ran out of memory in heaps of %s its live bytes", fig ? ". " : "",
                  e->sweep_program, oomk);
    for (size_t i = 0; i < e->nstack; i++)
        if (isfinite(e->stack[i].stack_limit)) {
            char a[40];
            add(&fig, ". The stack's limit here: %s", bytes_text(a, sizeof a, e->stack[i].stack_limit));
            break;
        }
    size_t stopped =
        oomrow ? columns_with(e, "out_of_memory", BIT(HLB_OUTCOME_DETECTED) | BIT(HLB_OUTCOME_CRASH), 0, NULL) : 0;
    hlb_claim_verdict v;
    if (stopped || oomk) {
        v = HLB_CLAIM_FAILS;
        add(&fig, ". The heap ends where memory, the address space or a limit ends; it is only far larger than "
                  "the stack.");
    } else {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: no limit was reached here.");
    }
    free(oomk);
    put(c, v, src, hlb_xstrdup(what), fig, cmd);
}

static void rule_gc(const hlb_evidence *e, hlb_claim *c) {
    static const char *const freed[] = {"use_after_free", "double_free", "leak", "dangling_borrow"};
    char *src = hlb_xstrdup("the safety matrix's gc column (safety.json); the GC sweep; bench results");
    const char *what =
        "Whether gc prevents the bugs of freeing by hand (use_after_free, double_free, leak, dangling_borrow), "
        "and its price: the sweep's heap size needed to come within 10% of the baseline's time, and gc's peak "
        "RSS against the baseline's in the bench.";
    char *cmd = safety_command(e, "use_after_free,double_free,leak,dangling_borrow");
    char *fig = NULL, *not_prevented = NULL, *prevented = NULL;
    size_t present = 0;
    for (size_t i = 0; i < sizeof freed / sizeof *freed; i++) {
        const hlb_safety_obs *o = safety_cell(e, freed[i], "gc");
        if (!o) continue;
        present++;
        if (o->outcome == HLB_OUTCOME_PREVENTED) add(&prevented, "%s%s", prevented ? ", " : "", freed[i]);
        else add(&not_prevented, "%s%s (%s)", not_prevented ? ", " : "", freed[i], hlb_outcome_name(o->outcome));
    }
    if (!present)
        UNMEASURED_RETURN(c, src, what,
                          e->nsafety || !e->why_no_safety
                              ? "the safety matrix has no gc column (heaplab safety --out DIR writes DIR/safety.json)."
                              : e->why_no_safety,
                          cmd);
    if (prevented) add(&fig, "gc prevented %s", prevented);
    if (not_prevented) add(&fig, "%sgc did not prevent %s", fig ? "; " : "", not_prevented);
    char *unsafe = NULL;
    for (size_t i = 0; i < e->nsafety; i++)
        if (!strcmp(e->safety[i].variant, "gc") && e->safety[i].outcome == HLB_OUTCOME_SILENT &&
            strcmp(e->safety[i].fault, "stack_escape") && strcmp(e->safety[i].fault, "local_escape"))   /* stack bugs */
            add(&unsafe, "%s%s", unsafe ? ", " : "", e->safety[i].fault);
    if (unsafe) add(&fig, "; it checks no access: silent on %s", unsafe);
    /* The price. */
    int priced = 0, costly = 0;
    if (e->nsweep) {
        priced = 1;
        double near = sweep_near(e), largest = NAN;
        char *oomk = NULL;
        for (size_t i = 0; i < e->nsweep; i++) {
            const hlb_sweep_obs *p = &e->sweep[i];
            if (isfinite(p->factor) && !(p->factor <= largest)) largest = p->factor;
            if (p->oom) add(&oomk, "%s%.2fx", oomk ? ", " : "", p->factor);
            if (p->oom || !p->ok || p->ratio_wall > HLB_CLAIM_GC_NEAR) costly = 1;
        }
        if (isfinite(near))
            add(&fig, ". Its price (sweep of %s): within 10%% of %s's time only from %.2fx the live bytes", e->sweep_program,
                e->sweep_baseline, near);
        else if (isfinite(largest))
            add(&fig, ". Its price (sweep of %s): not within 10%% of %s's time even at %.2fx the live bytes",
                e->sweep_program, e->sweep_baseline, largest);
        else add(&fig, ". Sweep of %s: no heap limit measured", e->sweep_program);
        if (oomk) add(&fig, "; out of memory at %s", oomk);
        free(oomk);
        char *sw = sweep_command(e);
        add(&cmd, "; %s", sw);
        free(sw);
    }
    if (e->nbench && e->bench_baseline[0]) {
        double q[256];
        size_t n = 0;
        for (size_t i = 0; i < e->nbench && n < 256; i++) {
            const hlb_bench_obs *b = &e->bench[i];
            if (!b->ok || strcmp(b->variant, "gc") || !(b->rss_kib > 0)) continue;
            const hlb_bench_obs *base = bench_cell(e, b->program, e->bench_baseline);
            if (base && base->rss_kib > 0) q[n++] = b->rss_kib / base->rss_kib;
        }
        if (n) {
            double g = geomean(q, n);
            priced = 1;
            costly |= g > HLB_CLAIM_GC_RSS;
            add(&fig, "%s gc's peak RSS is %.2fx %s's (geometric mean over %zu programs)", fig ? "." : "", g,
                e->bench_baseline, n);
            add(&cmd, "; %s", bench_command(e));
        }
    }
    hlb_claim_verdict v;
    if (not_prevented) {
        v = HLB_CLAIM_FAILS;
    } else if (costly) {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: it automates freeing at a price in memory (or time when the heap is tight).");
    } else {
        v = HLB_CLAIM_HOLDS;
        if (!priced) add(&fig, ". Its price was not measured (heaplab sweep binary_trees --out DIR).");
    }
    free(prevented);
    free(not_prevented);
    free(unsafe);
    put(c, v, src, hlb_xstrdup(what), fig, cmd);
}

static void rule_rust_null(const hlb_evidence *e, hlb_claim *c) {
    char *src = hlb_xstrdup("the safety matrix's owned column (safety.json): row null_deref");
    const char *what =
        "Safe Rust has no null references: a value that may be absent is an Option, which must be matched "
        "before use. That is the type system rather than ownership, and unwrap() on None still stops the "
        "program at run time (a panic). heaplab's owned runtime mimics that panic: null_deref borrows a null "
        "handle.";
    char *cmd = safety_command(e, "null_deref");
    const hlb_safety_obs *o = safety_cell(e, "null_deref", "owned");
    if (!o) UNMEASURED_RETURN(c, src, what, why_safety(e, "null_deref"), cmd);
    char *fig = NULL;
    row_text(&fig, e, "null_deref", 1);
    hlb_claim_verdict v;
    if (o->outcome == HLB_OUTCOME_DETECTED || o->outcome == HLB_OUTCOME_PREVENTED) {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: it is Option, not ownership, that removes null; what remains (unwrap on None) is a "
                  "checked stop at run time, as on owned.");
    } else {
        v = HLB_CLAIM_FAILS;
        add(&fig, ". owned did not stop the null dereference.");
    }
    put(c, v, src, hlb_xstrdup(what), fig, cmd);
}

static void rule_rust_leaks(const hlb_evidence *e, hlb_claim *c) {
    char *src = hlb_xstrdup("the safety matrix's owned column (safety.json): row leak");
    const char *what =
        "Rust does not promise freedom from leaks: std::mem::forget, Box::leak and reference-counting "
        "cycles (Rc, Arc) are safe code. Ownership frees what goes out of scope; memory kept reachable, or "
        "forgotten on purpose, is not freed. heaplab's owned runtime reports what is still live at exit.";
    char *cmd = safety_command(e, "leak");
    const hlb_safety_obs *o = safety_cell(e, "leak", "owned");
    if (!o) UNMEASURED_RETURN(c, src, what, why_safety(e, "leak"), cmd);
    char *fig = NULL;
    row_text(&fig, e, "leak", 1);
    hlb_claim_verdict v;
    if (o->outcome == HLB_OUTCOME_PREVENTED) {
        v = HLB_CLAIM_CAVEAT;
        add(&fig, ". Caveat: this leak was prevented, but Rust does not promise it in general.");
    } else {
        v = HLB_CLAIM_FAILS;
        add(&fig, ". On owned the memory was lost (%s), as it can be in safe Rust.", hlb_outcome_name(o->outcome));
    }
    put(c, v, src, hlb_xstrdup(what), fig, cmd);
}

static void rule_rust_races(const hlb_evidence *e, hlb_claim *c) {
    (void)e;
    put(c, HLB_CLAIM_UNMEASURED, hlb_xstrdup("none: heaplab's runtimes and programs are single-threaded"),
        hlb_xstrdup("Safe Rust rejects data races at compile time (a value shared between threads must be Sync, "
                    "one sent must be Send, and a mutable borrow is exclusive); it does not prevent race "
                    "conditions in general or deadlocks. heaplab runs one thread, so there is no race to "
                    "measure."),
        NULL, hlb_xstrdup("none: the runtimes are single-threaded"));
}

static void rule_memsafety_share(const hlb_evidence *e, hlb_claim *c) {
    (void)e;
    put(c, HLB_CLAIM_UNMEASURED,
        hlb_xstrdup("Microsoft Security Response Center, 2019 (\"A proactive approach to more secure code\"; M. "
                    "Miller, BlueHat IL 2019)"),
        hlb_xstrdup("What the source says: about 70% of the security vulnerabilities Microsoft assigns a CVE each "
                    "year are memory-safety issues. It is a share of CVEs in Microsoft's products, not of all "
                    "bugs, and about 70%, not 80%. A share of an industry's vulnerabilities cannot be measured "
                    "by running programs on one machine."),
        hlb_xstrdup("published: about 70% of Microsoft's CVEs per year (not measured here)"),
        hlb_xstrdup("none: a published figure"));
}

typedef struct {
    const char *claim;
    void (*rule)(const hlb_evidence *, hlb_claim *);
} claim_def;

static const claim_def defs[HLB_NCLAIMS] = {
    [HLB_C_STACK_FAST] = {"The stack is very fast", rule_stack_fast},
    [HLB_C_STACK_LIFO] = {"The stack is LIFO (last in, first out)", rule_stack_lifo},
    [HLB_C_STACK_FREED] = {"Stack memory is freed automatically when the function exits", rule_stack_freed},
    [HLB_C_STACK_FIXED] = {"A stack frame's size is fixed at compile time", rule_stack_fixed},
    [HLB_C_STACK_LIMITED] = {"The stack is limited", rule_stack_limited},
    [HLB_C_STACK_SCOPE] = {"Stack variables are not accessible outside their function", rule_stack_scope},
    [HLB_C_HEAP_SLOWER] = {"Heap allocation is slower", rule_heap_slower},
    [HLB_C_HEAP_FRAGMENTS] = {"The heap fragments", rule_heap_fragments},
    [HLB_C_HEAP_LEAKS] = {"The heap leaks", rule_heap_leaks},
    [HLB_C_HEAP_UNLIMITED] = {"The heap is not limited", rule_heap_unlimited},
    [HLB_C_GC_AUTOMATES] = {"Garbage collection automates memory management", rule_gc},
    [HLB_C_RUST_NULL] = {"Rust's ownership prevents null pointer dereferencing", rule_rust_null},
    [HLB_C_RUST_LEAKS] = {"Rust's ownership prevents memory leaks", rule_rust_leaks},
    [HLB_C_RUST_RACES] = {"Rust's ownership prevents data races", rule_rust_races},
    [HLB_C_MEMSAFETY_SHARE] = {"Memory safety issues account for around 80% of bugs, in a survey conducted by "
                               "Microsoft",
                               rule_memsafety_share},
};

void hlb_claim_judge(hlb_claim_id id, const hlb_evidence *e, hlb_claim *out) {
    memset(out, 0, sizeof *out);
    if ((unsigned)id >= HLB_NCLAIMS) return;
    out->claim = defs[id].claim;
    defs[id].rule(e, out);
}

void hlb_claims_judge(const hlb_evidence *e, hlb_claim *out) {
    for (int i = 0; i < HLB_NCLAIMS; i++) hlb_claim_judge((hlb_claim_id)i, e, &out[i]);
}

void hlb_claims_free(hlb_claim *c, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(c[i].source);
        free(c[i].evidence);
        free(c[i].figure);
        free(c[i].command);
        memset(&c[i], 0, sizeof c[i]);
    }
}
