/*
** bench/analyze/classify.c: the safety matrix's classifier (see classify.h).
*/
#define _GNU_SOURCE
#include "analyze/classify.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[HLB_OUTCOME_COUNT] = {
    [HLB_OUTCOME_DETECTED] = "detected",
    [HLB_OUTCOME_PREVENTED] = "prevented",
    [HLB_OUTCOME_CRASH] = "crash",
    [HLB_OUTCOME_SILENT] = "silent",
    [HLB_OUTCOME_LEAK_REPORTED] = "leak reported",
};

const char *hlb_outcome_name(hlb_outcome o) {
    return (unsigned)o < HLB_OUTCOME_COUNT ? outcome_names[o] : "?";
}

int hlb_outcome_parse(const char *s) {
    for (int i = 0; i < HLB_OUTCOME_COUNT; i++)
        if (strcmp(s, outcome_names[i]) == 0) return i;
    return -1;
}

/* Does line[0..len) contain needle? */
static bool has(const char *line, size_t len, const char *needle) {
    size_t n = strlen(needle);
    if (n > len) return false;
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(line + i, needle, n) == 0) return true;
    return false;
}

/* Crash reports first: they contain words ("ERROR: AddressSanitizer") that also mark bugs. */
static const char *const crash_marks[] = {
    "AddressSanitizer: SEGV on unknown address",
    "AddressSanitizer: BUS on unknown address",
    "AddressSanitizer: ABRT on unknown address",
    "AddressSanitizer: FPE on unknown address",
    "AddressSanitizer: ILL on unknown address",
    "AddressSanitizer: DEADLYSIGNAL",
    "Process terminating with default action of signal",
    /* the tool itself gave up */
    "Valgrind's memory management: out of memory",
    "Valgrind cannot continue",
    "ERROR: Failed to mmap",
    /* glibc's malloc aborts name a symptom but never a place */
    "free(): ",
    "malloc(): ",
    "realloc(): ",
    "double free or corruption",
    "corrupted size vs. prev_size",
    "corrupted double-linked list",
    "munmap_chunk(): invalid pointer",
    "*** stack smashing detected ***",
};

static const char *const leak_marks[] = {
    "heaplab: warning:",   /* "N objects (B bytes) leaked" */
    "ERROR: LeakSanitizer:",
    "are definitely lost in loss record",
    "are indirectly lost in loss record",
    "definitely lost: ",
};

static const char *const bug_marks[] = {
    "heaplab: error:",
    "ERROR: AddressSanitizer:",
    "runtime error:",   /* UBSan */
    "Invalid read of size",
    "Invalid write of size",
    "Invalid free()",
    "Mismatched free()",
    "Source and destination overlap",
    "Conditional jump or move depends on uninitialised value",
    "Use of uninitialised value",
    "Syscall param",
    "Stack overflow in thread",
    "Invalid memory pool address",
};

hlb_diag_kind hlb_diag_line_kind(const char *line, size_t len) {
    for (size_t i = 0; i < sizeof crash_marks / sizeof *crash_marks; i++)
        if (has(line, len, crash_marks[i])) return HLB_DIAG_CRASH;
    for (size_t i = 0; i < sizeof leak_marks / sizeof *leak_marks; i++)
        if (has(line, len, leak_marks[i])) {
            /* valgrind's summary prints "definitely lost: 0 bytes in 0 blocks" too */
            if (has(line, len, "lost: 0 bytes in 0 blocks")) return HLB_DIAG_NONE;
            /* heaplab warnings other than leak reports are not leak reports */
            if (has(line, len, "heaplab: warning:") && !has(line, len, "leaked")) return HLB_DIAG_NONE;
            return HLB_DIAG_LEAK;
        }
    for (size_t i = 0; i < sizeof bug_marks / sizeof *bug_marks; i++)
        if (has(line, len, bug_marks[i])) return HLB_DIAG_BUG;
    return HLB_DIAG_NONE;
}

/* Copy a line into the evidence, without tool prefixes ("==123== ") and trailing blanks. */
static void set_evidence(hlb_verdict *v, const char *line, size_t len) {
    while (len > 0 && (line[0] == ' ' || line[0] == '\t')) line++, len--;
    if (len > 2 && line[0] == '=' && line[1] == '=') {   /* valgrind / sanitizers: ==PID== */
        const char *p = memchr(line + 2, '=', len - 2);
        if (p && p + 1 < line + len && p[1] == '=') {
            size_t skip = (size_t)(p + 2 - line);
            line += skip, len -= skip;
            while (len > 0 && line[0] == ' ') line++, len--;
        }
    }
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r')) len--;
    if (len >= sizeof v->evidence) len = sizeof v->evidence - 1;
    memcpy(v->evidence, line, len);
    v->evidence[len] = '\0';
}

/* The first line of text of the given kind; NULL if none. */
static const char *first_line(const char *text, hlb_diag_kind kind, size_t *len) {
    if (!text) return NULL;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (hlb_diag_line_kind(p, n) == kind) {
            *len = n;
            return p;
        }
        if (!nl) break;
        p = nl + 1;
    }
    return NULL;
}

/* The value of the first "lost: N" line at the start of a line of stdout, or 0. */
static unsigned long long lost_count(const char *out) {
    if (!out) return 0;
    for (const char *p = out; p && *p;) {
        if (strncmp(p, "lost: ", 6) == 0) return strtoull(p + 6, NULL, 10);
        p = strchr(p, '\n');
        if (p) p++;
    }
    return 0;
}

/* The first "result: ..." line of stdout, or NULL. */
static const char *result_line(const char *out, size_t *len) {
    for (const char *p = out; p && *p;) {
        const char *nl = strchr(p, '\n');
        if (strncmp(p, "result: ", 8) == 0) {
            *len = nl ? (size_t)(nl - p) : strlen(p);
            return p;
        }
        p = nl ? nl + 1 : NULL;
    }
    return NULL;
}

static void signal_text(char *buf, size_t size, int sig) {
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, size, "killed by SIG%s", abbrev);
    else
        snprintf(buf, size, "killed by signal %d", sig);
}

hlb_verdict hlb_classify(const hlb_run_obs *run) {
    hlb_verdict v = {HLB_OUTCOME_SILENT, ""};
    size_t len = 0;
    const char *line;
    bool failed = run->timed_out || run->signal != 0 || run->exit_status != 0;

    if (run->timed_out) {
        v.outcome = HLB_OUTCOME_CRASH;
        snprintf(v.evidence, sizeof v.evidence, "timed out after %g s", run->timeout_s);
        return v;
    }
    /* A diagnostic naming the bug, and the run failed. */
    if (failed && (line = first_line(run->err, HLB_DIAG_BUG, &len))) {
        v.outcome = HLB_OUTCOME_DETECTED;
        set_evidence(&v, line, len);
        return v;
    }
    if ((line = first_line(run->err, HLB_DIAG_LEAK, &len))) {
        v.outcome = HLB_OUTCOME_LEAK_REPORTED;
        set_evidence(&v, line, len);
        return v;
    }
    if (failed) {
        v.outcome = HLB_OUTCOME_CRASH;
        if ((line = first_line(run->err, HLB_DIAG_CRASH, &len)))
            set_evidence(&v, line, len);
        else if (run->signal)
            signal_text(v.evidence, sizeof v.evidence, run->signal);
        else
            snprintf(v.evidence, sizeof v.evidence, "exit status %d without a diagnostic", run->exit_status);
        return v;
    }
    /* Exit 0 and nothing reported: the result line decides. */
    unsigned long long lost = lost_count(run->out);
    line = result_line(run->out, &len);
    if (line && strncmp(line, "result: ok", 10) == 0 && lost == 0) {
        v.outcome = HLB_OUTCOME_PREVENTED;
        set_evidence(&v, line, len);
    } else if (line && lost == 0) {
        set_evidence(&v, line, len);
    } else if (lost > 0) {
        snprintf(v.evidence, sizeof v.evidence, "memory lost, unreported: %llu object%s", lost, lost == 1 ? "" : "s");
    } else {
        snprintf(v.evidence, sizeof v.evidence, "exit status 0 without a result line");
    }
    return v;
}

hlb_run_obs hlb_obs_of(const hlb_proc_result *r, double timeout_s) {
    hlb_run_obs o = {.timeout_s = timeout_s, .out = r->out, .err = r->err};
    switch (r->end) {
    case HLB_PROC_EXITED: o.exit_status = r->code; break;
    case HLB_PROC_SIGNALED: o.signal = r->code; break;
    case HLB_PROC_TIMEOUT:
    case HLB_PROC_INTERRUPTED: o.timed_out = true; break;
    case HLB_PROC_SPAWN_FAILED: o.exit_status = 127; break;
    }
    return o;
}
