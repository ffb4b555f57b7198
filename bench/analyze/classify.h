/*
** bench/analyze/classify.h: what happened when a fault program ran? The safety matrix's classifier.
**
** Pure: it looks only at what a run left behind (how it ended, stdout, stderr) and decides
** one of five outcomes (issue 5):
**
**   detected       a diagnostic naming the bug (heaplab, AddressSanitizer/UBSan, valgrind
**                  memcheck), and the run failed (non-zero exit or a signal)
**   prevented      exit 0, no diagnostic, the program's result line is "result: ok" and no
**                  memory was lost: the bug could not happen
**   crash          killed by a signal (or a crash report: ASan's SEGV, glibc's abort
**                  messages), or a non-zero exit, a timeout, without a diagnostic naming the bug
**   silent         exit 0, no diagnostic, and a wrong result ("result: wrong", no result at
**                  all) or memory lost (a "lost: N" line with N > 0)
**   leak reported  a leak report (heaplab's leak warning, LeakSanitizer, valgrind's
**                  "definitely lost") and no diagnostic of another bug
**
** Fault programs print "result: ok ..." when the bug had no effect and "result: wrong ..."
** otherwise; programs that leak print "lost: N objects".
*/
#ifndef HL_CLASSIFY_H
#define HL_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

typedef enum hl_outcome {
    HL_OUTCOME_DETECTED,
    HL_OUTCOME_PREVENTED,
    HL_OUTCOME_CRASH,
    HL_OUTCOME_SILENT,
    HL_OUTCOME_LEAK_REPORTED,
    HL_OUTCOME_COUNT
} hl_outcome;

/* "detected", "prevented", "crash", "silent", "leak reported". */
const char *hl_outcome_name(hl_outcome o);
/* The outcome named s, or -1. */
int hl_outcome_parse(const char *s);

/* How one run ended, and what it printed. */
typedef struct hl_run_obs {
    bool        timed_out;     /* killed by the harness after its timeout */
    double      timeout_s;     /* that timeout (for the evidence text) */
    int         exit_status;   /* when it exited (signal == 0) */
    int         signal;        /* the signal that killed it, else 0 */
    const char *out;           /* stdout (NUL-terminated; NULL = empty) */
    const char *err;           /* stderr (NUL-terminated; NULL = empty) */
} hl_run_obs;

/* What kind of line a diagnostic line is. */
typedef enum hl_diag_kind {
    HL_DIAG_NONE,
    HL_DIAG_BUG,     /* names a bug (and, with the lines after it, where) */
    HL_DIAG_CRASH,   /* a crash report: the process died, the tool only says where */
    HL_DIAG_LEAK,    /* a leak report */
} hl_diag_kind;

/* Classify one line of stderr (tool prefixes like "==123== " allowed). */
hl_diag_kind hl_diag_line_kind(const char *line, size_t len);

#define HL_EVIDENCE_MAX 240

typedef struct hl_verdict {
    hl_outcome outcome;
    char       evidence[HL_EVIDENCE_MAX];   /* the first diagnostic line, or why (one line) */
} hl_verdict;

hl_verdict hl_classify(const hl_run_obs *run);

#endif
