/*
** check.c: run a sequence on this build's runtime in a child process, compare what it did
** with the model's prediction, and shrink a sequence on which they disagree.
**
** The child runs the interpreter and prints "hlm: obs X leaks N script ok|bad" on stdout;
** its exit status, stderr (the diagnostic block, the leak warning) and the index of the
** operation it had reached (shared memory) are what is compared:
**   - a violation: exit status 101, one "heaplab: error: K" block whose "-->" line is the
**     predicted call site's line in interp.c, at the predicted operation (owned, owned-fast);
**   - a run to the end: exit status 0, no error, the predicted observation hash (the values
**     read on the way and the final contents), hl_shutdown's leak count (0 on gc and region,
**     and on manual without statistics), and on the owned runtimes the warning "N objects
**     (B bytes) leaked" exactly when N > 0.
** Sequences of even length run with statistics requested (HEAPLAB_STATS), the others without, so
** that both kinds of run are checked: manual, for one, drops through another walk in each.
** Runtimes without checks (manual, gc, owned-off) only run sequences that commit no violation.
*/
#define _GNU_SOURCE
#include "model.h"
#include "hl_test.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- parsing a run's output ------------------------------------------------------------------ */

/* "N object(s) (B byte(s)) leaked" */
static bool parse_warning(const char *line, size_t *n, size_t *b) {
    char unit1[16], unit2[16];
    return sscanf(line, "heaplab: warning: %zu %15s (%zu %15[^)]) leaked", n, unit1, b, unit2) == 4;
}

void hlm_parse(const char *out, const char *err, hlm_actual *a) {
    a->nerrors = 0;
    a->kind[0] = a->file[0] = '\0';
    a->line = -1;
    a->have_warning = a->have_result = false;
    a->err = err;
    for (const char *p = err; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (strncmp(p, "heaplab: error: ", 16) == 0) {
            if (a->nerrors++ == 0) {
                size_t k = len - 16 < sizeof a->kind - 1 ? len - 16 : sizeof a->kind - 1;
                memcpy(a->kind, p + 16, k);
                a->kind[k] = '\0';
                const char *next = nl ? nl + 1 : NULL;
                if (next && strncmp(next, "  --> ", 6) == 0) {
                    const char *loc = next + 6, *end = strchr(loc, '\n');
                    size_t ll = end ? (size_t)(end - loc) : strlen(loc);
                    const char *colon = memrchr(loc, ':', ll);
                    char *stop;
                    long line = colon ? strtol(colon + 1, &stop, 10) : 0;
                    if (colon && stop == loc + ll && line > 0) {
                        ll = (size_t)(colon - loc);
                        a->line = (int)line;
                    } else {
                        a->line = 0;   /* a location without a line */
                    }
                    if (ll >= sizeof a->file) ll = sizeof a->file - 1;
                    memcpy(a->file, loc, ll);
                    a->file[ll] = '\0';
                }
            }
        } else if (strncmp(p, "heaplab: warning: ", 18) == 0) {
            char buf[160];
            size_t k = len < sizeof buf - 1 ? len : sizeof buf - 1;
            memcpy(buf, p, k);
            buf[k] = '\0';
            a->have_warning = parse_warning(buf, &a->warn_objects, &a->warn_bytes);
        }
        p = nl ? nl + 1 : NULL;
    }
    if (out) {
        const char *r = strstr(out, "hlm: obs ");
        char verdict[8] = "";
        a->have_result = r && sscanf(r, "hlm: obs %" SCNx64 " leaks %zu script %7s", &a->obs, &a->leaks, verdict) == 3;
        a->script_ok = strcmp(verdict, "ok") == 0;
    }
}

bool hlm_runtime_checks(const char *rt) { return strcmp(rt, "owned") == 0 || strcmp(rt, "owned-fast") == 0; }

/* gc and region cannot tell a leak: hl_shutdown returns 0 there; manual counts objects, and so
** leaks, only in a run with statistics. */
static bool counts_leaks(const char *rt, bool stats) {
    if (strcmp(rt, "manual") == 0) return stats;
    return strcmp(rt, "gc") != 0 && strcmp(rt, "region") != 0;
}
static bool warns_of_leaks(const char *rt) { return strncmp(rt, "owned", 5) == 0; }

#define WHY(...) (snprintf(why, cap, __VA_ARGS__), false)

bool hlm_agrees(const hlm_pred *p, const hlm_actual *a, const char *rt, char *why, size_t cap) {
    if (p->stops && !hlm_runtime_checks(rt)) return true;
    if (!a->exited) return WHY("the run was killed by signal %d", a->sig);
    if (p->stops) {
        int line = hlm_site_line(p->site);
        if (a->code != 101) return WHY("expected exit status 101 (%s), got %d", hlm_kind_names[p->kind], a->code);
        if (a->nerrors != 1) return WHY("expected one error block, got %d", a->nerrors);
        if (strcmp(a->kind, hlm_kind_names[p->kind]) != 0)
            return WHY("expected \"%s\", got \"%s\"", hlm_kind_names[p->kind], a->kind);
        if (a->line != line || (line && strcmp(a->file, hlm_interp_file) != 0))
            return WHY("expected \"--> %s:%d\", got \"--> %s:%d\"", line ? hlm_interp_file : "(no line)", line,
                       a->file, a->line);
        if ((size_t)a->progress != p->at) return WHY("expected it to stop at operation %zu, got %d", p->at, a->progress);
        return true;
    }
    if (a->code != 0 || a->nerrors)
        return WHY("expected a run to the end, got exit status %d%s%s", a->code, a->nerrors ? ", error: " : "",
                   a->nerrors ? a->kind : "");
    if (!a->have_result) return WHY("no result line on stdout");
    if (!a->script_ok) return WHY("the final contents are not shaped as the model says");
    if (a->obs != p->obs) return WHY("observed %016" PRIx64 ", expected %016" PRIx64, a->obs, p->obs);
    size_t leaks = counts_leaks(rt, a->stats) ? p->leaks : 0;
    if (a->leaks != leaks) return WHY("hl_shutdown returned %zu, expected %zu", a->leaks, leaks);
    if (warns_of_leaks(rt)) {
        if (p->leaks && !a->have_warning) return WHY("no leak warning for %zu objects", p->leaks);
        if (!p->leaks && a->have_warning) return WHY("a leak warning, expected none");
        if (p->leaks && (a->warn_objects != p->leaks || a->warn_bytes != p->leak_bytes))
            return WHY("warned of %zu objects (%zu bytes), expected %zu (%zu)", a->warn_objects, a->warn_bytes, p->leaks,
                       p->leak_bytes);
    } else if (a->err && *a->err) {
        return WHY("unexpected output on stderr");
    }
    return true;
}

/* ---- running in a child ---------------------------------------------------------------------- */

static hlm_prog child_prog;
static bool child_stats;

static void child_main(void) {
    if (child_stats ? setenv("HEAPLAB_STATS", "", 1) : unsetenv("HEAPLAB_STATS")) _exit(3);
    hlm_result r;
    hlm_interp_run(&child_prog, &hl_marks[0], &r);
    printf("hlm: obs %016" PRIx64 " leaks %zu script %s\n", r.obs, r.leaks, r.script_ok ? "ok" : "bad");
}

bool hlm_check(const hlm_op *ops, size_t n, char *why, size_t cap, hlm_pred *pred_out) {
    hlm_pred p;
    hlm_predict(ops, n, &p);
    const char *rt = hlm_runtime();
    bool ok = true;
    if (!p.stops || hlm_runtime_checks(rt)) {
        child_prog = (hlm_prog){ops, n, p.script, p.nscript};
        child_stats = n % 2 == 0;
        hl_child c = hl_child_run(child_main);
        hlm_actual a = {.stats = child_stats, .exited = c.exited, .signaled = c.signaled,
                        .code = c.code, .sig = c.sig, .progress = hl_marks[0]};
        hlm_parse(c.out, c.err, &a);
        ok = hlm_agrees(&p, &a, rt, why, cap);
        if (!ok && *c.err) {
            size_t l = strlen(why);
            snprintf(why + l, cap - l, "\n  its stderr:\n%.1500s", c.err);
        }
        hl_child_free(&c);
    }
    if (pred_out)
        *pred_out = p;
    else
        hlm_pred_free(&p);
    return ok;
}

/* ---- shrinking ------------------------------------------------------------------------------- */

/* Delta debugging (ddmin): remove chunks of operations, halving the chunk size, while the
** sequence still disagrees. A shorter sequence that no longer disagrees (or that this
** runtime cannot run) is not taken. */
size_t hlm_shrink(hlm_op *ops, size_t n, unsigned max_tries) {
    char why[2048];
    hlm_op *trial = malloc((n ? n : 1) * sizeof *trial);
    if (!trial) return n;
    unsigned tries = 0;
    for (size_t chunk = n / 2 ? n / 2 : 1; chunk >= 1 && tries < max_tries;) {
        bool removed = false;
        for (size_t i = 0; i < n && tries < max_tries;) {
            size_t len = i + chunk <= n ? chunk : n - i;
            memcpy(trial, ops, i * sizeof *ops);
            memcpy(trial + i, ops + i + len, (n - i - len) * sizeof *ops);
            tries++;
            if (!hlm_check(trial, n - len, why, sizeof why, NULL)) {
                memcpy(ops, trial, (n - len) * sizeof *ops);
                n -= len;
                removed = true;
            } else {
                i += len;
            }
        }
        if (!removed) {
            if (chunk == 1) break;
            chunk /= 2;
        } else if (chunk > n) {
            chunk = n ? n : 1;
        }
    }
    free(trial);
    return n;
}
