/*
** tests/bench_claims.c: the verdict rules of `heaplab claims` (analyze/claims.h) on synthetic
** evidence: each rule at and around its thresholds, missing evidence giving "not measured here",
** the claims that heaplab cannot measure, the stack_vs_heap line parser, the readers of every
** results file (and of the keys earlier files used), and the JSON shape of the claims table.
*/
#define _GNU_SOURCE
#include "analyze/claims.h"
#include "report/claims_out.h"
#include "report/json.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building evidence ---------------------------------------------------------------------- */

static hlb_stack_run stack_run(const char *rt, double heap, double stack) {
    hlb_stack_run r;
    memset(&r, 0, sizeof r);
    snprintf(r.runtime, sizeof r.runtime, "%s", rt);
    r.median_s[HLB_WAY_C] = 0.01;
    r.median_s[HLB_WAY_STACK] = 0.01 * stack;
    r.median_s[HLB_WAY_HEAP] = 0.01 * heap;
    r.ratio_stack = stack;
    r.ratio_heap = heap;
    r.rounds = r.calls_per_round = NAN;
    r.stack_limit = NAN;
    return r;
}

static void add_stack(hlb_evidence *e, const char *rt, double heap) {
    hlb_stack_run r = stack_run(rt, heap, 1.1);
    hlb_evidence_add_stack(e, &r);
}

static void add_bench(hlb_evidence *e, const char *prog, const char *var, double ratio, double rss_kib, double live,
                      double allocs) {
    hlb_bench_obs b = {.ok = 1, .wall_s = ratio, .ratio_wall = ratio, .rss_kib = rss_kib, .allocations = allocs,
                       .peak_live_bytes = live};
    snprintf(b.program, sizeof b.program, "%s", prog);
    snprintf(b.variant, sizeof b.variant, "%s", var);
    hlb_evidence_add_bench(e, &b);
}

static void add_sweep(hlb_evidence *e, double factor, int ok, int oom, double ratio) {
    hlb_sweep_obs p = {factor, ok, oom, ratio, 1000};
    hlb_evidence_add_sweep(e, &p);
    snprintf(e->sweep_program, sizeof e->sweep_program, "binary_trees");
    snprintf(e->sweep_baseline, sizeof e->sweep_baseline, "c");
}

/* Judge one claim and return its verdict; *text (when not NULL) gets its figure and evidence. */
static hlb_claim_verdict judge(hlb_claim_id id, const hlb_evidence *e, char **text) {
    hlb_claim c;
    hlb_claim_judge(id, e, &c);
    cr_assert_not_null(c.claim);
    cr_assert(c.source && *c.source && c.evidence && *c.evidence && c.command && *c.command && c.figure,
              "claim %d has an empty field", id);
    if (text) *text = hlb_fmt("%s | %s | %s", c.figure, c.evidence, c.command);
    hlb_claim_verdict v = c.verdict;
    hlb_claims_free(&c, 1);
    return v;
}

#define ASSERT_VERDICT(id, e, want)                                                                              \
    do {                                                                                                         \
        hlb_claim_verdict got_ = judge((id), (e), NULL);                                                         \
        cr_assert_eq(got_, (want), "claim %d: %s, expected %s", (id), hlb_claim_verdict_name(got_),             \
                     hlb_claim_verdict_name(want));                                                              \
    } while (0)

/* ---- names and missing evidence --------------------------------------------------------------- */

Test(claims, verdict_names_round_trip) {
    cr_assert_str_eq(hlb_claim_verdict_name(HLB_CLAIM_HOLDS), "holds");
    cr_assert_str_eq(hlb_claim_verdict_name(HLB_CLAIM_CAVEAT), "holds with a caveat");
    cr_assert_str_eq(hlb_claim_verdict_name(HLB_CLAIM_FAILS), "does not hold");
    cr_assert_str_eq(hlb_claim_verdict_name(HLB_CLAIM_UNMEASURED), "not measured here");
    for (int v = 0; v < HLB_CLAIM_NVERDICTS; v++)
        cr_assert_eq(hlb_claim_verdict_parse(hlb_claim_verdict_name((hlb_claim_verdict)v)), v);
    cr_assert_eq(hlb_claim_verdict_parse("holds mostly"), -1);
}

Test(claims, no_evidence_is_not_measured_and_says_how_to_get_it) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_claim c[HLB_NCLAIMS];
    hlb_claims_judge(&e, c);
    for (int i = 0; i < HLB_NCLAIMS; i++) {
        cr_assert_eq(c[i].verdict, HLB_CLAIM_UNMEASURED, "%s: %s", c[i].claim, hlb_claim_verdict_name(c[i].verdict));
        if (i == HLB_C_RUST_RACES || i == HLB_C_MEMSAFETY_SHARE) continue;
        cr_assert(strstr(c[i].evidence, "Not measured: "), "%s: %s", c[i].claim, c[i].evidence);
        cr_assert(strstr(c[i].evidence, "heaplab ") || strstr(c[i].evidence, "stack_vs_heap"), "%s: no command in %s",
                  c[i].claim, c[i].evidence);
    }
    cr_assert(strstr(c[HLB_C_STACK_FAST].evidence, "stack_vs_heap"));
    cr_assert(strstr(c[HLB_C_HEAP_LEAKS].evidence, "heaplab safety"));
    cr_assert(strstr(c[HLB_C_HEAP_FRAGMENTS].evidence, "heaplab bench"));
    hlb_claims_free(c, HLB_NCLAIMS);
}

Test(claims, the_gatherers_reason_is_shown) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_evidence_set(&e.why_no_stack, "stack_vs_heap is not built for any runtime (run make).");
    char *t;
    cr_assert_eq(judge(HLB_C_STACK_LIFO, &e, &t), HLB_CLAIM_UNMEASURED);
    cr_assert(strstr(t, "stack_vs_heap is not built for any runtime (run make)."), "%s", t);
    free(t);
    hlb_evidence_free(&e);
}

Test(claims, races_and_the_microsoft_figure_are_never_measured) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    add_stack(&e, "manual", 3);
    hlb_evidence_add_safety(&e, "leak", "owned", "leak reported", "leaked");
    add_bench(&e, "p", "manual", 1, 20000, 8e6, 1e6);
    char *t;
    cr_assert_eq(judge(HLB_C_RUST_RACES, &e, &t), HLB_CLAIM_UNMEASURED);
    cr_assert(strstr(t, "single-threaded"), "%s", t);
    free(t);
    cr_assert_eq(judge(HLB_C_MEMSAFETY_SHARE, &e, &t), HLB_CLAIM_UNMEASURED);
    cr_assert(strstr(t, "70%") && strstr(t, "CVE") && strstr(t, "not of all bugs"), "%s", t);
    free(t);
    hlb_evidence_free(&e);
}

/* ---- the stack -------------------------------------------------------------------------------- */

/* The stack is very fast, on one runtime whose heap way takes h x the C locals way. */
static hlb_claim_verdict fast_with(double h) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    add_stack(&e, "manual", h);
    hlb_claim_verdict v = judge(HLB_C_STACK_FAST, &e, NULL);
    hlb_evidence_free(&e);
    return v;
}

Test(claims, stack_fast_thresholds) {
    cr_assert_eq(fast_with(HLB_CLAIM_VERY_FAST), HLB_CLAIM_HOLDS);
    cr_assert_eq(fast_with(HLB_CLAIM_VERY_FAST + 0.01), HLB_CLAIM_HOLDS);
    cr_assert_eq(fast_with(HLB_CLAIM_VERY_FAST - 0.01), HLB_CLAIM_CAVEAT);
    cr_assert_eq(fast_with(HLB_CLAIM_SLOWER), HLB_CLAIM_CAVEAT);
    cr_assert_eq(fast_with(HLB_CLAIM_SLOWER - 0.01), HLB_CLAIM_FAILS);
    cr_assert_eq(fast_with(0.5), HLB_CLAIM_FAILS);
}

Test(claims, stack_fast_needs_every_runtime) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    add_stack(&e, "manual", 3.0);
    add_stack(&e, "region", 1.05);
    char *t;
    cr_assert_eq(judge(HLB_C_STACK_FAST, &e, &t), HLB_CLAIM_CAVEAT);
    cr_assert(strstr(t, "region (1.05x)"), "the caveat names the runtime: %s", t);
    free(t);
    hlb_evidence_free(&e);
}

/* Heap allocation is slower, with the heap ways h1 (and h2 when > 0) and a bench where a
** variant runs the most allocation-heavy program at `cheap` x the baseline. */
static hlb_claim_verdict slower_with(double h1, double h2, double cheap) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    add_stack(&e, "manual", h1);
    if (h2 > 0) add_stack(&e, "gc", h2);
    if (cheap > 0) {
        snprintf(e.bench_baseline, sizeof e.bench_baseline, "c");
        add_bench(&e, "trees", "c", 1.0, 1000, 1e6, 5e6);
        add_bench(&e, "trees", "region", cheap, 1000, 1e6, 5e6);
        add_bench(&e, "queue", "c", 1.0, 1000, 1e6, 1e3);
        add_bench(&e, "queue", "gc", 0.1, 1000, 1e6, 1e3);   /* few allocations: not the allocation-heavy one */
    }
    hlb_claim_verdict v = judge(HLB_C_HEAP_SLOWER, &e, NULL);
    hlb_evidence_free(&e);
    return v;
}

Test(claims, heap_slower_thresholds) {
    cr_assert_eq(slower_with(HLB_CLAIM_SLOWER, 0, 0), HLB_CLAIM_HOLDS);
    cr_assert_eq(slower_with(HLB_CLAIM_SLOWER - 0.01, 0, 0), HLB_CLAIM_FAILS);
    cr_assert_eq(slower_with(3.0, HLB_CLAIM_SLOWER - 0.01, 0), HLB_CLAIM_CAVEAT);
    cr_assert_eq(slower_with(1.0, 1.05, 0), HLB_CLAIM_FAILS);
    /* A cheap allocator on the allocation-heavy program makes it depend on the allocator. */
    cr_assert_eq(slower_with(3.0, 0, HLB_CLAIM_CHEAP_ALLOC), HLB_CLAIM_CAVEAT);
    cr_assert_eq(slower_with(3.0, 0, HLB_CLAIM_CHEAP_ALLOC + 0.01), HLB_CLAIM_HOLDS);
}

static hlb_stack_run probe(double f1, double d1, double f2, double d2, double limit) {
    hlb_stack_run r = stack_run("manual", 3, 1.1);
    r.frames[0] = (hlb_stack_frame){16, f1, d1};
    r.frames[1] = (hlb_stack_frame){4096, f2, d2};
    r.nframes = 2;
    r.stack_limit = limit;
    return r;
}

Test(claims, lifo_from_the_frames) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    add_stack(&e, "manual", 3);   /* a run without frames */
    ASSERT_VERDICT(HLB_C_STACK_LIFO, &e, HLB_CLAIM_UNMEASURED);
    hlb_stack_run r = probe(64, 130000, 4160, 2000, 8388608);
    hlb_evidence_add_stack(&e, &r);
    ASSERT_VERDICT(HLB_C_STACK_LIFO, &e, HLB_CLAIM_HOLDS);
    hlb_evidence_free(&e);
    hlb_evidence_init(&e);
    r = probe(64, 130000, 0, 2000, 8388608);
    hlb_evidence_add_stack(&e, &r);
    ASSERT_VERDICT(HLB_C_STACK_LIFO, &e, HLB_CLAIM_FAILS);
    hlb_evidence_free(&e);
}

/* A frame size fixed at compile time, with VLA frames of frame_lo and frame_hi bytes for
** requests of 1000 and 2000 bytes (no VLA figures when frame_lo < 0). */
static hlb_claim_verdict fixed_with(int frames, double frame_lo, double frame_hi) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_stack_run r = frames ? probe(64, 1000, 4160, 100, 8388608) : stack_run("manual", 3, 1);
    if (frame_lo >= 0) {
        r.vla_requested[0] = 1000, r.vla_frame[0] = frame_lo;
        r.vla_requested[1] = 2000, r.vla_frame[1] = frame_hi;
        r.nvla = 2;
    }
    hlb_evidence_add_stack(&e, &r);
    hlb_claim_verdict v = judge(HLB_C_STACK_FIXED, &e, NULL);
    hlb_evidence_free(&e);
    return v;
}

Test(claims, fixed_size_and_the_vla_caveat) {
    cr_assert_eq(fixed_with(0, -1, -1), HLB_CLAIM_UNMEASURED);
    cr_assert_eq(fixed_with(1, -1, -1), HLB_CLAIM_HOLDS);
    /* The VLA frame grows by at least half of what was requested more: sized at run time. */
    cr_assert_eq(fixed_with(1, 1100, 1600), HLB_CLAIM_CAVEAT);
    cr_assert_eq(fixed_with(1, 1100, 1599), HLB_CLAIM_HOLDS);
    cr_assert_eq(fixed_with(0, 1100, 2100), HLB_CLAIM_CAVEAT);
}

Test(claims, limited_from_the_probe) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_stack_run r = probe(64, 130000, 4160, 2000, 8388608);
    hlb_evidence_add_stack(&e, &r);
    char *t;
    cr_assert_eq(judge(HLB_C_STACK_LIMITED, &e, &t), HLB_CLAIM_HOLDS);
    cr_assert(strstr(t, "8.0 MiB") && strstr(t, "130,000"), "%s", t);
    free(t);
    e.stack[0].stack_limit = INFINITY;
    ASSERT_VERDICT(HLB_C_STACK_LIMITED, &e, HLB_CLAIM_CAVEAT);
    hlb_evidence_free(&e);
}

/* The stack is limited, from the stack_overflow row alone. */
static hlb_claim_verdict limited_by_fault(const char *manual, const char *gc) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_evidence_add_safety(&e, "stack_overflow", "manual", manual, "");
    hlb_evidence_add_safety(&e, "stack_overflow", "gc", gc, "");
    hlb_evidence_add_safety(&e, "stack_overflow", "manual+asan", "silent", "");   /* a tool: not counted */
    hlb_claim_verdict v = judge(HLB_C_STACK_LIMITED, &e, NULL);
    hlb_evidence_free(&e);
    return v;
}

Test(claims, limited_from_the_overflow_fault) {
    cr_assert_eq(limited_by_fault("detected", "detected"), HLB_CLAIM_HOLDS);
    cr_assert_eq(limited_by_fault("crash", "detected"), HLB_CLAIM_HOLDS);
    cr_assert_eq(limited_by_fault("detected", "silent"), HLB_CLAIM_CAVEAT);
    cr_assert_eq(limited_by_fault("silent", "silent"), HLB_CLAIM_FAILS);
}

/* Scope and freeing, from the stack_escape and local_escape rows (NULL: no such row). */
static hlb_claim_verdict escape_with(hlb_claim_id id, const char *se_manual, const char *le_manual,
                                     const char *le_owned) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    if (se_manual) {
        hlb_evidence_add_safety(&e, "stack_escape", "manual", se_manual, "result: wrong -112 (expected 1240)");
        hlb_evidence_add_safety(&e, "stack_escape", "manual+asan", "detected", "stack-use-after-return");
    }
    if (le_owned) {
        hlb_evidence_add_safety(&e, "local_escape", "manual", le_manual, "");
        hlb_evidence_add_safety(&e, "local_escape", "owned", le_owned, "heaplab: error: use after scope end");
    }
    hlb_claim_verdict v = judge(id, &e, NULL);
    hlb_evidence_free(&e);
    return v;
}

Test(claims, scope_from_the_escape_faults) {
    cr_assert_eq(escape_with(HLB_C_STACK_SCOPE, NULL, NULL, NULL), HLB_CLAIM_UNMEASURED);
    cr_assert_eq(escape_with(HLB_C_STACK_SCOPE, "silent", "silent", "detected"), HLB_CLAIM_FAILS);
    cr_assert_eq(escape_with(HLB_C_STACK_SCOPE, "crash", NULL, NULL), HLB_CLAIM_HOLDS);
    cr_assert_eq(escape_with(HLB_C_STACK_SCOPE, NULL, "silent", "detected"), HLB_CLAIM_CAVEAT);
    cr_assert_eq(escape_with(HLB_C_STACK_SCOPE, NULL, "detected", "detected"), HLB_CLAIM_HOLDS);
    cr_assert_eq(escape_with(HLB_C_STACK_SCOPE, NULL, "silent", "silent"), HLB_CLAIM_FAILS);
}

Test(claims, freed_at_exit_from_the_escape_faults) {
    cr_assert_eq(escape_with(HLB_C_STACK_FREED, NULL, NULL, NULL), HLB_CLAIM_UNMEASURED);
    cr_assert_eq(escape_with(HLB_C_STACK_FREED, "silent", NULL, NULL), HLB_CLAIM_CAVEAT);
    cr_assert_eq(escape_with(HLB_C_STACK_FREED, NULL, "crash", "detected"), HLB_CLAIM_HOLDS);
}

/* ---- the heap --------------------------------------------------------------------------------- */

#define MIB 1048576.0

/* The heap fragments: programs with 8 MiB live; `worst` and `other` are two runtimes' RSS over
** live (other is the lower). */
static hlb_claim_verdict fragments_with(double worst, double other, double live) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    add_bench(&e, "trees", "manual", 1, live * other / 1024, live, 1e6);
    add_bench(&e, "trees", "gc", 1, live * worst / 1024, 0, 1e6);   /* gc counts no live bytes: manual's */
    add_bench(&e, "trees", "gc-tuned", 1, live * 40 / 1024, 0, 1e6); /* a preset heap: left out */
    /* region frees nothing until a region ends: left out, and its "live" bytes (everything
    ** allocated since the mark) must not become the program's live size. */
    add_bench(&e, "trees", "region", 1, live * 300 / 1024, live * 250, 1e6);
    hlb_claim_verdict v = judge(HLB_C_HEAP_FRAGMENTS, &e, NULL);
    hlb_evidence_free(&e);
    return v;
}

Test(claims, fragments_thresholds) {
    double live = 8 * MIB;
    cr_assert_eq(fragments_with(HLB_CLAIM_FRAG, HLB_CLAIM_FRAG_TIGHT + 0.01, live), HLB_CLAIM_HOLDS);
    cr_assert_eq(fragments_with(HLB_CLAIM_FRAG, HLB_CLAIM_FRAG_TIGHT, live), HLB_CLAIM_CAVEAT);
    cr_assert_eq(fragments_with(HLB_CLAIM_FRAG - 0.01, HLB_CLAIM_FRAG - 0.01, live), HLB_CLAIM_CAVEAT);
    cr_assert_eq(fragments_with(HLB_CLAIM_FRAG_NONE, 1.0, live), HLB_CLAIM_CAVEAT);
    cr_assert_eq(fragments_with(HLB_CLAIM_FRAG_NONE - 0.01, 1.0, live), HLB_CLAIM_FAILS);
    /* Too little live data for RSS to mean anything. */
    cr_assert_eq(fragments_with(3.0, 2.0, HLB_CLAIM_FRAG_MIN_LIVE - 1), HLB_CLAIM_UNMEASURED);
    cr_assert_eq(fragments_with(3.0, 2.0, HLB_CLAIM_FRAG_MIN_LIVE), HLB_CLAIM_HOLDS);
}

static hlb_claim_verdict leaks_with(const char *manual, const char *gc, const char *owned) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_evidence_add_safety(&e, "leak", "manual", manual, "memory lost, unreported: 10000 objects");
    hlb_evidence_add_safety(&e, "leak", "gc", gc, "result: ok 10000");
    hlb_evidence_add_safety(&e, "leak", "owned", owned, "heaplab: warning: 10000 objects leaked");
    hlb_evidence_add_safety(&e, "leak", "manual+valgrind", "leak reported", "definitely lost");
    hlb_claim_verdict v = judge(HLB_C_HEAP_LEAKS, &e, NULL);
    hlb_evidence_free(&e);
    return v;
}

Test(claims, leaks_per_runtime) {
    cr_assert_eq(leaks_with("silent", "prevented", "leak reported"), HLB_CLAIM_CAVEAT);
    cr_assert_eq(leaks_with("silent", "silent", "leak reported"), HLB_CLAIM_HOLDS);   /* reported is still lost */
    cr_assert_eq(leaks_with("prevented", "prevented", "prevented"), HLB_CLAIM_FAILS);
}

Test(claims, heap_limited_by_out_of_memory_or_the_sweep) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    ASSERT_VERDICT(HLB_C_HEAP_UNLIMITED, &e, HLB_CLAIM_UNMEASURED);
    hlb_evidence_add_safety(&e, "out_of_memory", "manual", "silent", "result: wrong");
    ASSERT_VERDICT(HLB_C_HEAP_UNLIMITED, &e, HLB_CLAIM_CAVEAT);
    hlb_evidence_add_safety(&e, "out_of_memory", "gc", "detected", "heaplab: error: out of memory");
    ASSERT_VERDICT(HLB_C_HEAP_UNLIMITED, &e, HLB_CLAIM_FAILS);
    hlb_evidence_free(&e);
    hlb_evidence_init(&e);
    add_sweep(&e, 4, 1, 0, 1.05);
    ASSERT_VERDICT(HLB_C_HEAP_UNLIMITED, &e, HLB_CLAIM_UNMEASURED);
    add_sweep(&e, 1.5, 0, 1, NAN);
    char *t;
    cr_assert_eq(judge(HLB_C_HEAP_UNLIMITED, &e, &t), HLB_CLAIM_FAILS);
    cr_assert(strstr(t, "1.50x"), "%s", t);
    free(t);
    hlb_evidence_free(&e);
}

/* ---- garbage collection ----------------------------------------------------------------------- */

static void gc_column(hlb_evidence *e, const char *dangling) {
    hlb_evidence_add_safety(e, "use_after_free", "gc", "prevented", "result: ok 42");
    hlb_evidence_add_safety(e, "double_free", "gc", "prevented", "result: ok");
    hlb_evidence_add_safety(e, "leak", "gc", "prevented", "result: ok 10000");
    hlb_evidence_add_safety(e, "dangling_borrow", "gc", dangling, "result: ok");
    hlb_evidence_add_safety(e, "out_of_bounds", "gc", "silent", "result: wrong");
    hlb_evidence_add_safety(e, "local_escape", "gc", "silent", "result: wrong");   /* a stack bug, not gc's */
}

Test(claims, gc_automates_freeing_and_its_price) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    ASSERT_VERDICT(HLB_C_GC_AUTOMATES, &e, HLB_CLAIM_UNMEASURED);
    gc_column(&e, "prevented");
    char *t;
    cr_assert_eq(judge(HLB_C_GC_AUTOMATES, &e, &t), HLB_CLAIM_HOLDS);   /* no price measured */
    cr_assert(strstr(t, "silent on out_of_bounds."), "what gc does not check, stack bugs left out: %s", t);
    free(t);
    /* A sweep where every limit is within 10%: no price. */
    add_sweep(&e, 3, 1, 0, HLB_CLAIM_GC_NEAR);
    add_sweep(&e, 6, 1, 0, 1.0);
    ASSERT_VERDICT(HLB_C_GC_AUTOMATES, &e, HLB_CLAIM_HOLDS);
    /* One point just above. */
    add_sweep(&e, 2, 1, 0, HLB_CLAIM_GC_NEAR + 0.01);
    cr_assert_eq(judge(HLB_C_GC_AUTOMATES, &e, &t), HLB_CLAIM_CAVEAT);
    cr_assert(strstr(t, "from 3.00x"), "the sweep's conclusion: %s", t);
    free(t);
    hlb_evidence_free(&e);
}

/* gc's RSS against the baseline's (geometric mean) at `q`, with every gc row prevented. */
static hlb_claim_verdict gc_rss(double q) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    gc_column(&e, "prevented");
    snprintf(e.bench_baseline, sizeof e.bench_baseline, "c");
    add_bench(&e, "a", "c", 1, 10000, 0, 0);
    add_bench(&e, "a", "gc", 1, 10000 * q, 0, 0);
    add_bench(&e, "b", "c", 1, 20000, 0, 0);
    add_bench(&e, "b", "gc", 1, 20000 * q, 0, 0);
    hlb_claim_verdict v = judge(HLB_C_GC_AUTOMATES, &e, NULL);
    hlb_evidence_free(&e);
    return v;
}

Test(claims, gc_memory_price_threshold) {
    cr_assert_eq(gc_rss(HLB_CLAIM_GC_RSS), HLB_CLAIM_HOLDS);
    cr_assert_eq(gc_rss(HLB_CLAIM_GC_RSS + 0.01), HLB_CLAIM_CAVEAT);
}

Test(claims, gc_that_does_not_prevent_does_not_automate) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    gc_column(&e, "silent");
    ASSERT_VERDICT(HLB_C_GC_AUTOMATES, &e, HLB_CLAIM_FAILS);
    hlb_evidence_free(&e);
}

/* ---- Rust ------------------------------------------------------------------------------------- */

Test(claims, rust_null_from_the_owned_column) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_evidence_add_safety(&e, "null_deref", "manual", "crash", "killed by SIGSEGV");
    ASSERT_VERDICT(HLB_C_RUST_NULL, &e, HLB_CLAIM_UNMEASURED);
    hlb_evidence_add_safety(&e, "null_deref", "owned", "detected", "heaplab: error: null handle");
    char *t;
    cr_assert_eq(judge(HLB_C_RUST_NULL, &e, &t), HLB_CLAIM_CAVEAT);
    cr_assert(strstr(t, "Option"), "%s", t);
    free(t);
    e.safety[1].outcome = HLB_OUTCOME_CRASH;
    ASSERT_VERDICT(HLB_C_RUST_NULL, &e, HLB_CLAIM_FAILS);
    hlb_evidence_free(&e);
}

Test(claims, rust_does_not_promise_no_leaks) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    ASSERT_VERDICT(HLB_C_RUST_LEAKS, &e, HLB_CLAIM_UNMEASURED);
    hlb_evidence_add_safety(&e, "leak", "owned", "leak reported", "heaplab: warning: 10000 objects leaked");
    char *t;
    cr_assert_eq(judge(HLB_C_RUST_LEAKS, &e, &t), HLB_CLAIM_FAILS);
    cr_assert(strstr(t, "mem::forget") && strstr(t, "Rc"), "%s", t);
    free(t);
    e.safety[0].outcome = HLB_OUTCOME_PREVENTED;
    ASSERT_VERDICT(HLB_C_RUST_LEAKS, &e, HLB_CLAIM_CAVEAT);
    hlb_evidence_free(&e);
}

/* ---- stack_vs_heap's line ----------------------------------------------------------------------- */

static const char line[] =
    "heaplab-stack: {\"runtime\": \"owned\", \"rounds\": 7, \"calls_per_round\": 200000, \"ways\": "
    "{\"c_locals\": {\"median_s\": 0.020, \"min_s\": 0.019, \"max_s\": 0.022}, "
    "\"api_stack\": {\"median_s\": 0.026, \"min_s\": 0.025, \"max_s\": 0.027}, "
    "\"api_heap\": {\"median_s\": 0.080, \"min_s\": 0.078, \"max_s\": 0.090}}, "
    "\"ratio_api_stack_to_c\": 1.3, \"ratio_api_heap_to_c\": 4.0, \"stack_limit_bytes\": null, "
    "\"frames\": [{\"local_bytes\": 16, \"frame_bytes\": 48, \"max_depth\": 174000}, "
    "{\"local_bytes\": 4096, \"frame_bytes\": 4128, \"max_depth\": 2030}], "
    "\"vla\": {\"requested_bytes\": [256, 4096, 65536], \"frame_bytes\": [304, 4144, 65584]}}";

Test(claims, stack_line_parsed_from_stderr) {
    char *text = hlb_fmt("some diagnostic\n%s\nstack_vs_heap size=3 checksum=ab\n", line), *json = NULL, err[300];
    hlb_stack_run r;
    cr_assert_eq(hlb_stack_parse_stderr(text, &r, &json, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(r.runtime, "owned");
    cr_assert_float_eq(r.median_s[HLB_WAY_HEAP], 0.080, 1e-12);
    cr_assert_float_eq(r.max_s[HLB_WAY_C], 0.022, 1e-12);
    cr_assert_float_eq(r.ratio_heap, 4.0, 1e-12);
    cr_assert_float_eq(r.calls_per_round, 200000, 1e-9);
    cr_assert(isinf(r.stack_limit), "null is unlimited");
    cr_assert_eq(r.nframes, 2);
    cr_assert_float_eq(r.frames[1].frame_bytes, 4128, 1e-9);
    cr_assert_eq(r.nvla, 3);
    cr_assert_float_eq(r.vla_frame[2], 65584, 1e-9);
    cr_assert(json && json[0] == '{' && !strchr(json, '\n'), "the JSON text is kept: %s", json);
    free(json);
    free(text);
}

Test(claims, stack_line_ratios_default_to_the_medians) {
    const char *l = "heaplab-stack: {\"runtime\": \"gc\", \"ways\": {\"c_locals\": {\"median_s\": 0.5}, "
                    "\"api_stack\": {\"median_s\": 0.75}, \"api_heap\": {\"median_s\": 2.0}}}";
    hlb_stack_run r;
    char err[300];
    cr_assert_eq(hlb_stack_parse_stderr(l, &r, NULL, err, sizeof err), 0, "%s", err);
    cr_assert_float_eq(r.ratio_stack, 1.5, 1e-12);
    cr_assert_float_eq(r.ratio_heap, 4.0, 1e-12);
    cr_assert(isnan(r.stack_limit), "not given");
    cr_assert_eq(r.nframes, 0);
}

Test(claims, stack_line_errors) {
    hlb_stack_run r;
    char err[300];
    cr_assert_eq(hlb_stack_parse_stderr("nothing here\n", &r, NULL, err, sizeof err), -1);
    cr_assert(strstr(err, "no 'heaplab-stack: ' line"), "%s", err);
    cr_assert_eq(hlb_stack_parse_stderr("heaplab-stack: {\"runtime\": \n", &r, NULL, err, sizeof err), -1);
    cr_assert(strstr(err, "not JSON"), "%s", err);
    cr_assert_eq(hlb_stack_parse_stderr("heaplab-stack: {\"runtime\": \"gc\", \"ways\": {\"c_locals\": "
                                        "{\"median_s\": 1}, \"api_stack\": {\"median_s\": 1}}}",
                                        &r, NULL, err, sizeof err),
                 -1);
    cr_assert(strstr(err, "ways.api_heap.median_s"), "%s", err);
    cr_assert_eq(hlb_stack_parse_stderr("heaplab-stack: {\"ways\": {}}", &r, NULL, err, sizeof err), -1);
    cr_assert(strstr(err, "runtime"), "%s", err);
}

/* ---- reading results files ---------------------------------------------------------------------- */

static hlb_json *doc(const char *text) {
    char err[200];
    hlb_json *j = hlb_json_parse(text, err, sizeof err);
    cr_assert_not_null(j, "%s", err);
    return j;
}

Test(claims, reads_a_safety_file) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_json *j = doc("{\"kind\": \"safety\", \"provenance\": {\"command\": \"heaplab safety --out r/\"}, \"cells\": ["
                      "{\"fault\": \"leak\", \"variant\": \"owned\", \"outcome\": \"leak reported\", \"evidence\": \"w\"},"
                      "{\"fault\": \"leak\", \"variant\": \"region\", \"outcome\": \"not built\", \"evidence\": \"\"}]}");
    char err[200];
    cr_assert_eq(hlb_evidence_read_safety(&e, j, err, sizeof err), 0, "%s", err);
    cr_assert_eq(e.nsafety, 2);
    cr_assert_eq(e.safety[0].outcome, HLB_OUTCOME_LEAK_REPORTED);
    cr_assert_eq(e.safety[1].outcome, -1, "not built is no outcome");
    cr_assert_str_eq(e.cmd_safety, "heaplab safety --out r/");
    hlb_json_free(j);
    j = doc("{\"kind\": \"bench\", \"cells\": []}");
    cr_assert_eq(hlb_evidence_read_safety(&e, j, err, sizeof err), -1);
    cr_assert(strstr(err, "a bench file, not safety results"), "%s", err);
    hlb_json_free(j);
    hlb_evidence_free(&e);
}

Test(claims, reads_bench_files_old_and_new) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_json *j = doc("{\"kind\": \"bench\", \"baseline\": \"c\", \"provenance\": {\"command\": \"heaplab bench\"}, "
                      "\"cells\": [{\"program\": \"p\", \"variant\": \"gc\", \"status\": \"ok\", \"wall_median_s\": 1.5, "
                      "\"ratio_wall\": 1.2, \"rss_median_kib\": 3000, \"allocations\": 10, \"peak_live_bytes\": 0}, "
                      "{\"program\": \"p\", \"variant\": \"owned\", \"status\": \"failed\"}]}");
    char err[200];
    cr_assert_eq(hlb_evidence_read_bench(&e, j, err, sizeof err), 0, "%s", err);
    cr_assert_eq(e.nbench, 2);
    cr_assert(e.bench[0].ok && !e.bench[1].ok);
    cr_assert_float_eq(e.bench[0].rss_kib, 3000, 1e-9);
    cr_assert_str_eq(e.bench_baseline, "c");
    cr_assert_str_eq(e.cmd_bench, "heaplab bench");
    hlb_json_free(j);
    /* Earlier files: "results", "runtime", "peak_rss_kib", no baseline (manual). */
    j = doc("{\"machine\": {}, \"results\": [{\"program\": \"q\", \"runtime\": \"manual\", \"status\": \"ok\", "
            "\"peak_rss_kib\": 1234}]}");
    cr_assert_eq(hlb_evidence_read_bench(&e, j, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(e.bench[2].variant, "manual");
    cr_assert_float_eq(e.bench[2].rss_kib, 1234, 1e-9);
    cr_assert_str_eq(e.bench_baseline, "manual");
    hlb_json_free(j);
    hlb_evidence_free(&e);
}

Test(claims, reads_sweep_files_old_and_new) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_json *j = doc("{\"kind\": \"sweep\", \"program\": \"binary_trees\", \"baseline\": \"c\", \"cells\": ["
                      "{\"variant\": \"c\", \"factor\": null, \"status\": \"ok\", \"rss_median_kib\": 100},"
                      "{\"variant\": \"gc\", \"factor\": null, \"status\": \"ok\", \"ratio_wall\": 1.5},"
                      "{\"variant\": \"gc\", \"factor\": 1.5, \"status\": \"out of memory\"},"
                      "{\"variant\": \"gc\", \"factor\": 4, \"status\": \"ok\", \"ratio_wall\": 1.05}]}");
    char err[200];
    cr_assert_eq(hlb_evidence_read_sweep(&e, j, err, sizeof err), 0, "%s", err);
    cr_assert_eq(e.nsweep, 3, "the baseline's cell is not a point");
    cr_assert_float_eq(e.sweep_baseline_rss_kib, 100, 1e-9);
    cr_assert(isnan(e.sweep[0].factor));
    cr_assert(e.sweep[1].oom && !e.sweep[1].ok);
    cr_assert_str_eq(e.sweep_program, "binary_trees");
    hlb_json_free(j);
    hlb_evidence_free(&e);
    hlb_evidence_init(&e);
    j = doc("{\"program\": \"binary_trees\", \"manual\": {\"peak_rss_kib\": 50}, \"points\": ["
            "{\"factor\": 1.25, \"status\": \"failed\", \"reason\": \"exit status 101: heaplab: error: out of memory\"},"
            "{\"factor\": 5, \"status\": \"ok\", \"ratio_wall\": 1.08}]}");
    cr_assert_eq(hlb_evidence_read_sweep(&e, j, err, sizeof err), 0, "%s", err);
    cr_assert_eq(e.nsweep, 2);
    cr_assert(e.sweep[0].oom, "an out-of-memory failure");
    cr_assert_float_eq(e.sweep_baseline_rss_kib, 50, 1e-9);
    hlb_json_free(j);
    hlb_evidence_free(&e);
}

Test(claims, reads_a_stack_file) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    char *text = hlb_fmt("{\"kind\": \"stack_vs_heap\", \"runs\": [%s]}", line + strlen(HLB_STACK_PREFIX));
    hlb_json *j = doc(text);
    char err[200];
    cr_assert_eq(hlb_evidence_read_stack(&e, j, err, sizeof err), 0, "%s", err);
    cr_assert_eq(e.nstack, 1);
    cr_assert_str_eq(e.stack[0].runtime, "owned");
    ASSERT_VERDICT(HLB_C_STACK_FAST, &e, HLB_CLAIM_HOLDS);
    ASSERT_VERDICT(HLB_C_STACK_FIXED, &e, HLB_CLAIM_CAVEAT);   /* its VLA frames grow */
    ASSERT_VERDICT(HLB_C_STACK_LIMITED, &e, HLB_CLAIM_CAVEAT); /* unlimited */
    hlb_json_free(j);
    free(text);
    j = doc("{\"kind\": \"stack_vs_heap\", \"runs\": [{\"runtime\": \"x\"}]}");
    cr_assert_eq(hlb_evidence_read_stack(&e, j, err, sizeof err), -1);
    cr_assert(strstr(err, "run 1: no ways.c_locals.median_s"), "%s", err);
    hlb_json_free(j);
    hlb_evidence_free(&e);
}

/* ---- the table -------------------------------------------------------------------------------- */

Test(claims, json_shape_is_exactly_the_claims_array) {
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_evidence_add_safety(&e, "leak", "owned", "leak reported", "a \"quoted\" | evidence");
    hlb_claim c[HLB_NCLAIMS];
    hlb_claims_judge(&e, c);
    hlb_claims_doc d = {c, HLB_NCLAIMS, NULL};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    hlb_claims_write(f, &d, HLB_FMT_JSON);
    fclose(f);
    hlb_json *j = doc(buf);
    cr_assert_eq(j->kind, HLB_JOBJ);
    cr_assert_eq(j->n, 1, "one member");
    const hlb_json *arr = hlb_json_get(j, "claims");
    cr_assert(arr && arr->kind == HLB_JARR && arr->n == HLB_NCLAIMS);
    static const char *const keys[] = {"claim", "source", "evidence", "figure", "verdict", "command"};
    for (size_t i = 0; i < arr->n; i++) {
        const hlb_json *o = arr->items[i];
        cr_assert_eq(o->n, 6);
        for (int k = 0; k < 6; k++) cr_assert_str_eq(o->keys[k], keys[k]);
        cr_assert_geq(hlb_claim_verdict_parse(hlb_json_str(o, "verdict")), 0);
    }
    cr_assert(strstr(hlb_json_str(arr->items[HLB_C_RUST_LEAKS], "figure"), "a \"quoted\" | evidence"));
    hlb_json_free(j);
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    hlb_claims_write(f, &d, HLB_FMT_MD);
    fclose(f);
    cr_assert(strstr(buf, "| claim | verdict | figure (this machine) | evidence | source | command |"), "%s", buf);
    cr_assert(strstr(buf, "**does not hold**"));
    cr_assert(strstr(buf, "a \"quoted\" \\| evidence"), "a pipe in a cell is escaped");
    free(buf);
    hlb_claims_free(c, HLB_NCLAIMS);
    hlb_evidence_free(&e);
}
