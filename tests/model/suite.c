/*
** suite.c: the model-based tests in `make test` (Criterion), built once per runtime as
** build/tests/model-<runtime>.
**
** The sequences are split into PARTS tests, so that Criterion's --jobs runs them side by side.
** Each part prints its base seed; a disagreement prints the shrunk sequence and the seed of
** the sequence it came from (replay it with build/tests/model/hlm-<runtime> --replay SEED).
**   HLM_SEED=S   base seed of every part (default: a fresh one per part, printed)
**   HLM_OPS=N    operations in all the parts together (default: per runtime, below)
** Beside the random sequences: the call-site table is complete, and the regression sequences
** (regressions.c) agree.
*/
#define _GNU_SOURCE
#include "run.h"
#include "hl_test.h"

#include <criterion/criterion.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PARTS 4

#ifndef HLM_SAVE_DIR
#define HLM_SAVE_DIR NULL
#endif

/* Operations per runtime in one `make test` (all parts): owned gets the most, since it
** runs the violations too; the others run the correct sequences. */
static size_t default_budget(const char *rt) {
    static const struct { const char *rt; size_t ops; } budgets[] = {
        {"owned", 400000}, {"owned-fast", 100000}, {"owned-off", 60000}, {"manual", 150000}, {"gc", 100000},
        {"region", 100000},
    };
    for (size_t i = 0; i < sizeof budgets / sizeof *budgets; i++)
        if (strcmp(budgets[i].rt, rt) == 0) return budgets[i].ops;
    return 10000;
}

static void run_part(int part) {
    const char *rt = hlm_runtime();
    uint64_t base;
    if (!hlm_parse_u64(getenv("HLM_SEED"), &base)) {
        uint64_t s = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)clock();
        base = hlm_splitmix(&s);
    }
    uint64_t total;
    if (!hlm_parse_u64(getenv("HLM_OPS"), &total)) total = default_budget(rt);
#ifdef HLM_SANITIZED
    total /= 4;   /* the sanitized builds are slower; they look for memory errors, not variety */
#endif
    hlm_run_opts ro = {.base = base, .first = (uint64_t)part, .stride = PARTS, .budget = (size_t)(total / PARTS),
                       .gen = hlm_default_opts(), .save_dir = HLM_SAVE_DIR};
    fprintf(stderr, "model: %s part %d/%d: base seed 0x%016" PRIx64 " (HLM_SEED to repeat)\n", rt, part + 1, PARTS,
            base);
    hlm_stats st = {0};
    bool ok = hlm_run(&ro, &st, stderr);
    char what[96];
    snprintf(what, sizeof what, "%s part %d/%d", rt, part + 1, PARTS);
    hlm_stats_print(stderr, what, &st);
    cr_assert(ok, "the runtime disagrees with the model (the shrunk sequence is printed above)");
}

Test(model, part1) { run_part(0); }
Test(model, part2) { run_part(1); }
Test(model, part3) { run_part(2); }
Test(model, part4) { run_part(3); }

Test(model, every_call_site_has_its_line) {
    char why[256];
    cr_assert(hlm_sites_check(why, sizeof why), "interp.c's call-site table: %s", why);
}

#include "regressions.h"

Test(model, regression_sequences_agree) {
    char why[4096];
    for (const hlm_regression *r = hlm_regressions; r->name; r++) {
        hlm_pred p;
        bool ok = hlm_check(r->ops, r->n, why, sizeof why, &p);
        if (!ok) {
            fprintf(stderr, "model: regression \"%s\" disagrees on %s:\n", r->name, hlm_runtime());
            hlm_print(stderr, r->ops, r->n, &p);
        }
        cr_expect(ok, "%s: %s", r->name, why);
        if (r->expect != HLM_NKINDS)
            cr_expect(p.stops ? p.kind == r->expect : r->expect == HLM_OK, "%s: the model predicts %s, the regression says %s",
                      r->name, p.stops ? hlm_kind_names[p.kind] : "a run to the end", hlm_kind_names[r->expect]);
        hlm_pred_free(&p);
    }
}
