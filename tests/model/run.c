/*
** run.c: many sequences in a row, as `make test` (suite.c) and the command line (cli.c) run
** them: generate from a seed, check on this build's runtime, and at the first disagreement
** shrink the sequence, print it readably with what went wrong, and save its bytes.
*/
#define _GNU_SOURCE
#include "run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

hlm_gen_opts hlm_default_opts(void) {
    return (hlm_gen_opts){.max_len = 400, .violate = hlm_runtime_checks(hlm_runtime()) ? 60 : 0};
}

bool hlm_parse_u64(const char *s, uint64_t *out) {
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end || *s == '-') return false;
    *out = v;
    return true;
}

static bool save(const char *dir, const hlm_op *ops, size_t n, uint64_t seed, char *path, size_t cap) {
    if (!dir) return false;
    mkdir(dir, 0777);
    snprintf(path, cap, "%s/%s-%016" PRIx64 ".hlm", dir, hlm_runtime(), seed);
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    uint8_t *bytes = malloc(n * HLM_OP_BYTES + 1);
    if (!bytes) {
        fclose(f);
        return false;
    }
    hlm_encode(ops, n, bytes);
    bool ok = fwrite(bytes, HLM_OP_BYTES, n, f) == n;
    free(bytes);
    return fclose(f) == 0 && ok;
}

void hlm_report(FILE *log, hlm_op *ops, size_t n, uint64_t seed, const char *why, const char *save_dir) {
    const char *rt = hlm_runtime();
    fprintf(log, "model: DISAGREEMENT on %s, sequence seed 0x%016" PRIx64 " (%zu operations):\n  %s\n", rt, seed, n, why);
    size_t m = hlm_shrink(ops, n, 3000);
    char why2[4096] = "";
    hlm_pred p;
    hlm_check(ops, m, why2, sizeof why2, &p);
    fprintf(log, "model: shrunk to %zu operations:\n", m);
    hlm_print(log, ops, m, &p);
    fprintf(log, "model: on the shrunk sequence: %s\n", why2);
    hlm_pred_free(&p);
    char path[512];
    if (save(save_dir, ops, m, seed, path, sizeof path))
        fprintf(log, "model: the shrunk sequence is in %s (replay: build/tests/model/hlm-%s --file %s)\n", path, rt, path);
    fprintf(log, "model: replay the whole sequence: build/tests/model/hlm-%s --replay 0x%016" PRIx64 "\n", rt, seed);
    fflush(log);
}

bool hlm_run(const hlm_run_opts *ro, hlm_stats *st, FILE *log) {
    char why[4096];
    for (uint64_t i = ro->first; st->ops < ro->budget; i += ro->stride) {
        uint64_t seed = hlm_seq_seed(ro->base, i);
        size_t n;
        hlm_op *ops = hlm_generate(seed, &ro->gen, &n);
        hlm_pred p;
        bool ok = hlm_check(ops, n, why, sizeof why, &p);
        /* a runtime without checks does not run a sequence that commits a violation */
        if (!p.stops || hlm_runtime_checks(hlm_runtime())) {
            st->seqs++;
            st->ops += p.executed;
            if (p.stops) st->kinds[p.kind]++;
            st->reused += p.reused;
        } else {
            st->skipped++;
        }
        hlm_pred_free(&p);
        if (!ok) {
            hlm_report(log, ops, n, seed, why, ro->save_dir);
            free(ops);
            return false;
        }
        free(ops);
    }
    return true;
}

void hlm_stats_print(FILE *log, const char *what, const hlm_stats *st) {
    size_t stopped = 0;
    for (int k = 1; k < HLM_NKINDS; k++) stopped += st->kinds[k];
    fprintf(log, "model: %s: %zu sequences, %zu operations, %zu ran to the end, %zu stopped by a violation", what,
            st->seqs, st->ops, st->seqs - stopped, stopped);
    if (st->skipped) fprintf(log, " (and %zu not run: they commit a violation, which only owned checks)", st->skipped);
    if (stopped) {
        fputs(" (", log);
        for (int k = 1, first = 1; k < HLM_NKINDS; k++)
            if (st->kinds[k]) fprintf(log, "%s%s %zu", first ? "" : ", ", hlm_kind_names[k], st->kinds[k]), first = 0;
        fputc(')', log);
    }
    size_t dead = st->kinds[HLM_UAF] + st->kinds[HLM_DOUBLE_DROP] + st->kinds[HLM_SCOPE_END];
    if (dead) fprintf(log, "; %zu of the %zu on a dead object's handle after a later allocation of its kind", st->reused, dead);
    fputc('\n', log);
}
