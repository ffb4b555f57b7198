/*
** cli.c: the model-based tests from the command line, built once per runtime as
** build/tests/model/hlm-<runtime>:
**
**   hlm-RT [--seed S] [--ops N] [--max-len L]   sequences until N operations have run
**                                               (make fuzz-long); stops at a disagreement
**   hlm-RT --replay SEED [--print]              one sequence from its seed (as a failure prints it)
**   hlm-RT --file F [--print]                   a sequence saved as bytes (a shrunk failure, a
**                                               fuzzer's crash file, a corpus entry)
**   hlm-RT --corpus DIR [--count N] [--seed S] [--max-len L]
**                                               write generated sequences as fuzzer seed inputs
** Exit status: 0 agreement, 1 disagreement, 2 bad arguments.
*/
#define _GNU_SOURCE
#include "run.h"
#include "regressions.h"

#include <errno.h>
#include <inttypes.h>

#ifndef HLM_SAVE_DIR
#define HLM_SAVE_DIR "."
#endif
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f) {
    fprintf(f,
            "usage: hlm-%s [--seed S] [--ops N] [--max-len L]\n"
            "       hlm-%s --replay SEED [--print]\n"
            "       hlm-%s --file F [--print]\n"
            "       hlm-%s --corpus DIR [--count N] [--seed S] [--max-len L]\n",
            hlm_runtime(), hlm_runtime(), hlm_runtime(), hlm_runtime());
}

static int bad(const char *fmt, const char *arg) {
    fprintf(stderr, "hlm: error: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return 2;
}

/* Check one sequence and say what happened. */
static int one(hlm_op *ops, size_t n, uint64_t seed, bool print) {
    char why[4096];
    hlm_pred p;
    bool ok = hlm_check(ops, n, why, sizeof why, &p);
    if (print) hlm_print(stdout, ops, n, &p);
    printf("hlm: %zu operations: %s on %s\n", n, ok ? "the runtime agrees with the model" : "DISAGREEMENT",
           hlm_runtime());
    hlm_pred_free(&p);
    if (!ok) hlm_report(stdout, ops, n, seed, why, HLM_SAVE_DIR);
    return ok ? 0 : 1;
}

static int from_file(const char *path, bool print) {
    FILE *f = fopen(path, "rb");
    if (!f) return bad("cannot read %s", path);
    uint8_t buf[1 << 16];
    size_t size = fread(buf, 1, sizeof buf, f);
    fclose(f);
    hlm_op *ops = malloc((size / HLM_OP_BYTES + 1) * sizeof *ops);
    if (!ops) return 2;
    size_t n = hlm_decode(buf, size, ops, size / HLM_OP_BYTES);
    int rc = one(ops, n, 0, print);
    free(ops);
    return rc;
}

static bool write_ops(const char *path, const hlm_op *ops, size_t n) {
    FILE *f = fopen(path, "wb");
    uint8_t *bytes = malloc(n * HLM_OP_BYTES + 1);
    bool ok = f && bytes;
    if (ok) {
        hlm_encode(ops, n, bytes);
        ok = fwrite(bytes, HLM_OP_BYTES, n, f) == n;
    }
    if (f) ok = fclose(f) == 0 && ok;
    free(bytes);
    return ok;
}

/* Generated sequences (gen-NNN) and the regression sequences (reg-NN). */
static int write_corpus(const char *dir, uint64_t seed, uint64_t count, size_t max_len) {
    hlm_gen_opts g = {.max_len = max_len, .violate = 60};
    char path[4096];
    for (uint64_t i = 0; i < count; i++) {
        size_t n;
        hlm_op *ops = hlm_generate(hlm_seq_seed(seed, i), &g, &n);
        snprintf(path, sizeof path, "%s/gen-%03" PRIu64, dir, i);
        bool ok = write_ops(path, ops, n);
        free(ops);
        if (!ok) return bad("cannot write %s", path);
    }
    for (int k = 0; hlm_regressions[k].name; k++) {
        snprintf(path, sizeof path, "%s/reg-%02d", dir, k);
        if (!write_ops(path, hlm_regressions[k].ops, hlm_regressions[k].n)) return bad("cannot write %s", path);
    }
    return 0;
}

int main(int argc, char **argv) {
    uint64_t seed = 0, ops_budget = 1000000, max_len = 400, count = 40, replay = 0;
    bool have_seed = false, have_replay = false, print = false;
    const char *file = NULL, *corpus = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t *num = NULL;
        if (strcmp(a, "--print") == 0) {
            print = true;
            continue;
        } else if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--seed") == 0) {
            num = &seed, have_seed = true;
        } else if (strcmp(a, "--ops") == 0) {
            num = &ops_budget;
        } else if (strcmp(a, "--max-len") == 0) {
            num = &max_len;
        } else if (strcmp(a, "--count") == 0) {
            num = &count;
        } else if (strcmp(a, "--replay") == 0) {
            num = &replay, have_replay = true;
        } else if (strcmp(a, "--file") == 0 || strcmp(a, "--corpus") == 0) {
            if (!val) return bad("%s needs a value", a);
            *(a[2] == 'f' ? &file : &corpus) = val;
            i++;
            continue;
        } else {
            usage(stderr);
            return bad("unknown argument %s", a);
        }
        if (!val) return bad("%s needs a value", a);
        if (!hlm_parse_u64(val, num)) return bad("not a number: %s", val);
        i++;
    }
    if (max_len == 0 || max_len > 100000) return bad("--max-len must be 1..100000, not %s", "that");
    char why[256];
    if (!hlm_sites_check(why, sizeof why)) return bad("interp.c's call-site table: %s", why);
    if (corpus) return write_corpus(corpus, have_seed ? seed : 1, count, (size_t)max_len);
    if (file) return from_file(file, print);
    hlm_gen_opts g = hlm_default_opts();
    g.max_len = (size_t)max_len;
    if (have_replay) {
        size_t n;
        hlm_op *ops = hlm_generate(replay, &g, &n);
        int rc = one(ops, n, replay, print);
        free(ops);
        return rc;
    }
    if (!have_seed) {
        uint64_t s = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
        seed = hlm_splitmix(&s);
    }
    fprintf(stderr, "model: %s: base seed 0x%016" PRIx64 ", %" PRIu64 " operations\n", hlm_runtime(), seed, ops_budget);
    hlm_run_opts ro = {.base = seed, .first = 0, .stride = 1, .budget = (size_t)ops_budget, .gen = g, .save_dir = HLM_SAVE_DIR};
    hlm_stats st = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool ok = hlm_run(&ro, &st, stderr);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    hlm_stats_print(stderr, hlm_runtime(), &st);
    fprintf(stderr, "model: %.1f s, %.0f operations/s, %.0f sequences/s\n", secs, (double)st.ops / secs,
            (double)st.seqs / secs);
    return ok ? 0 : 1;
}
