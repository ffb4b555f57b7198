/*
** bench/analyze/claims.h: the claims of the lesson heaplab grew out of (the stack is very fast,
** LIFO, freed at function exit, fixed in size at compile time, limited, inaccessible outside its
** function; heap allocation is slower, the heap fragments, leaks and "is not limited"; garbage
** collection automates memory management; Rust's ownership prevents null dereferences, leaks
** and data races; "memory safety issues account for around 80% of bugs"), and the rules that
** judge each one from what heaplab measured.
**
** The evidence is read from results files into the plain structs below (hlb_evidence_read_*),
** then hlb_claims_judge applies one rule per claim. The rules are pure functions of the
** evidence: a rule whose evidence is missing gives "not measured here" and says which command
** produces it. Each rule's thresholds are the HLB_CLAIM_* constants, so that the tests
** (tests/bench_claims.c) can probe them at and around their values.
*/
#ifndef HLB_CLAIMS_H
#define HLB_CLAIMS_H

#include "analyze/classify.h"
#include "report/json.h"

#include <stddef.h>

typedef enum {
    HLB_CLAIM_HOLDS,        /* "holds" */
    HLB_CLAIM_CAVEAT,       /* "holds with a caveat" */
    HLB_CLAIM_FAILS,        /* "does not hold" */
    HLB_CLAIM_UNMEASURED,   /* "not measured here" */
    HLB_CLAIM_NVERDICTS
} hlb_claim_verdict;

const char *hlb_claim_verdict_name(hlb_claim_verdict v);
/* The verdict named s, or -1. */
int hlb_claim_verdict_parse(const char *s);

/* The claims, in the order of the lesson (and of the table). */
typedef enum {
    HLB_C_STACK_FAST,
    HLB_C_STACK_LIFO,
    HLB_C_STACK_FREED,
    HLB_C_STACK_FIXED,
    HLB_C_STACK_LIMITED,
    HLB_C_STACK_SCOPE,
    HLB_C_HEAP_SLOWER,
    HLB_C_HEAP_FRAGMENTS,
    HLB_C_HEAP_LEAKS,
    HLB_C_HEAP_UNLIMITED,
    HLB_C_GC_AUTOMATES,
    HLB_C_RUST_NULL,
    HLB_C_RUST_LEAKS,
    HLB_C_RUST_RACES,
    HLB_C_MEMSAFETY_SHARE,
    HLB_NCLAIMS
} hlb_claim_id;

/* Thresholds of the rules. */
#define HLB_CLAIM_VERY_FAST 2.0    /* heap way / C locals way at or above: the stack is "very fast" */
#define HLB_CLAIM_SLOWER 1.1       /* heap way / C locals way at or above: heap allocation is slower */
#define HLB_CLAIM_CHEAP_ALLOC 0.5  /* a heap runtime at or below this ratio to the baseline on the most
                                   ** allocation-heavy program makes "slower" depend on the allocator */
#define HLB_CLAIM_FRAG 1.5         /* peak RSS / peak live bytes at or above: the heap fragments */
#define HLB_CLAIM_FRAG_NONE 1.1    /* below, on every program and runtime: it does not */
#define HLB_CLAIM_FRAG_TIGHT 1.25  /* a runtime whose typical (geometric mean) overhead is at or
                                   ** below this shows that fragmenting depends on the allocator */
#define HLB_CLAIM_FRAG_MIN_LIVE (4.0 * 1048576)  /* cells with fewer live bytes are left out: the
                                   ** process's fixed footprint would dominate their RSS */
#define HLB_CLAIM_GC_NEAR 1.10     /* gc within this ratio of the baseline's time costs nothing */
#define HLB_CLAIM_GC_RSS 1.10      /* gc's RSS ratio (geometric mean) above this is a price */

/* stack_vs_heap's machine-readable line on stderr: "heaplab-stack: {JSON}" with runtime,
** rounds, calls_per_round, ways.{c_locals,api_stack,api_heap}.{median_s,min_s,max_s},
** ratio_api_stack_to_c, ratio_api_heap_to_c, stack_limit_bytes (null: unlimited),
** frames[{local_bytes, frame_bytes, max_depth}], vla{requested_bytes[], frame_bytes[]}. */
#define HLB_STACK_PREFIX "heaplab-stack: "
enum { HLB_WAY_C, HLB_WAY_STACK, HLB_WAY_HEAP, HLB_NWAYS };
#define HLB_STACK_MAX_FRAMES 8
#define HLB_STACK_MAX_VLA 16

typedef struct hlb_stack_frame {
    double local_bytes, frame_bytes, max_depth;   /* NAN when not given */
} hlb_stack_frame;

typedef struct hlb_stack_run {
    char runtime[32];
    double rounds, calls_per_round;               /* NAN when not given */
    double median_s[HLB_NWAYS], min_s[HLB_NWAYS], max_s[HLB_NWAYS];   /* per round */
    double ratio_stack, ratio_heap;               /* api_stack / c_locals, api_heap / c_locals */
    double stack_limit;                           /* bytes; INFINITY: unlimited; NAN: not given */
    hlb_stack_frame frames[HLB_STACK_MAX_FRAMES];
    size_t nframes;
    double vla_requested[HLB_STACK_MAX_VLA], vla_frame[HLB_STACK_MAX_VLA];
    size_t nvla;
} hlb_stack_run;

/* One stack_vs_heap object (the JSON after the prefix). Needs runtime and the three ways'
** median_s; the ratios default to the medians' quotients. Returns 0, or -1 with err. */
int hlb_stack_from_json(const hlb_json *o, hlb_stack_run *r, char *err, size_t errlen);
/* Find the line "heaplab-stack: {JSON}" in a program's stderr text and parse it. *json, when
** not NULL, gets the JSON text (malloc'd). Returns 0, or -1 with err. */
int hlb_stack_parse_stderr(const char *text, hlb_stack_run *r, char **json, char *err, size_t errlen);

/* One cell of the safety matrix. */
typedef struct hlb_safety_obs {
    char fault[48], variant[48];
    int outcome;                  /* hlb_outcome, or -1 ("not built", unknown) */
    char evidence[HLB_EVIDENCE_MAX];
} hlb_safety_obs;

/* One bench cell. */
typedef struct hlb_bench_obs {
    char program[64], variant[64];
    int ok;
    double wall_s, ratio_wall, rss_kib, allocations, peak_live_bytes;   /* NAN when unknown */
} hlb_bench_obs;

/* One point of the sweep (gc under a heap limit of factor x peak live bytes; NAN: no limit). */
typedef struct hlb_sweep_obs {
    double factor;
    int ok, oom;
    double ratio_wall, rss_kib;
} hlb_sweep_obs;

typedef struct hlb_evidence {
    hlb_stack_run *stack;
    size_t nstack;
    hlb_safety_obs *safety;
    size_t nsafety;
    hlb_bench_obs *bench;
    size_t nbench;
    char bench_baseline[64];
    hlb_sweep_obs *sweep;
    size_t nsweep;
    char sweep_program[64], sweep_baseline[64];
    double sweep_baseline_rss_kib;   /* NAN when unknown */
    /* How each kind of evidence was produced (the command that reproduces it), and why it is
    ** missing when it is; malloc'd, NULL for the defaults. */
    char *cmd_stack, *cmd_safety, *cmd_bench, *cmd_sweep;
    char *why_no_stack, *why_no_safety, *why_no_bench, *why_no_sweep;
} hlb_evidence;

void hlb_evidence_init(hlb_evidence *e);
void hlb_evidence_free(hlb_evidence *e);
void hlb_evidence_add_stack(hlb_evidence *e, const hlb_stack_run *r);
void hlb_evidence_add_safety(hlb_evidence *e, const char *fault, const char *variant, const char *outcome,
                             const char *evidence);
void hlb_evidence_add_bench(hlb_evidence *e, const hlb_bench_obs *b);
void hlb_evidence_add_sweep(hlb_evidence *e, const hlb_sweep_obs *p);
/* Replace a malloc'd field of e (a cmd_* or why_no_*) with a copy of s (NULL clears it). */
void hlb_evidence_set(char **field, const char *s);

/* From parsed results files. Each returns 0, or -1 with err when doc is not that kind of file.
** stack_vs_heap.json: {"kind": "stack_vs_heap", "runs": [stack_vs_heap objects]};
** safety.json: {"cells": [{"fault", "variant", "outcome", "evidence"}]};
** results.json (bench) and sweep_PROGRAM.json: {"cells": [...]} as docs/measuring.md says (the
** keys of earlier files, "results"/"points", "runtime", "peak_rss_kib", are read too).
** The command in a bench or sweep file's provenance, when there is one, becomes cmd_bench or
** cmd_sweep; a safety file's, cmd_safety. */
int hlb_evidence_read_stack(hlb_evidence *e, const hlb_json *doc, char *err, size_t errlen);
int hlb_evidence_read_safety(hlb_evidence *e, const hlb_json *doc, char *err, size_t errlen);
int hlb_evidence_read_bench(hlb_evidence *e, const hlb_json *doc, char *err, size_t errlen);
int hlb_evidence_read_sweep(hlb_evidence *e, const hlb_json *doc, char *err, size_t errlen);

/* A judged claim. Strings are malloc'd (claim is static). */
typedef struct hlb_claim {
    const char *claim;       /* the claim, as the lesson makes it */
    char *source;            /* where the evidence comes from */
    char *evidence;          /* what was measured, and how to read it */
    char *figure;            /* the figures measured on this machine ("" when none) */
    hlb_claim_verdict verdict;
    char *command;           /* the command that reproduces the figure */
} hlb_claim;

/* Judge one claim, or all of them (out[HLB_NCLAIMS]). Free with hlb_claims_free. */
void hlb_claim_judge(hlb_claim_id id, const hlb_evidence *e, hlb_claim *out);
void hlb_claims_judge(const hlb_evidence *e, hlb_claim *out);
void hlb_claims_free(hlb_claim *c, size_t n);

#endif
