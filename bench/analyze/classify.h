/*
** bench/analyze/classify.h: what happened when a fault program ran? The safety matrix's classifier.
**
** Pure: it looks only at what a run left behind (how it ended, stdout, stderr) and decides
** one of five outcomes:
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
#ifndef HLB_CLASSIFY_H
#define HLB_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "run/proc.h"

typedef enum hlb_outcome {
    HLB_OUTCOME_DETECTED,
    HLB_OUTCOME_PREVENTED,
    HLB_OUTCOME_CRASH,
    HLB_OUTCOME_SILENT,
    HLB_OUTCOME_LEAK_REPORTED,
    HLB_OUTCOME_COUNT
} hlb_outcome;

/* "detected", "prevented", "crash", "silent", "leak reported". */
const char *hlb_outcome_name(hlb_outcome o);
/* The outcome named s, or -1. */
int hlb_outcome_parse(const char *s);

/* How one run ended, and what it printed. */
typedef struct hlb_run_obs {
    bool        timed_out;     /* killed by the harness after its timeout */
    double      timeout_s;     /* that timeout (for the evidence text) */
    int         exit_status;   /* when it exited (signal == 0) */
    int         signal;        /* the signal that killed it, else 0 */
    const char *out;           /* stdout (NUL-terminated; NULL = empty) */
    const char *err;           /* stderr (NUL-terminated; NULL = empty) */
} hlb_run_obs;

/* What kind of line a diagnostic line is. */
typedef enum hlb_diag_kind {
    HLB_DIAG_NONE,
    HLB_DIAG_BUG,     /* names a bug (and, with the lines after it, where) */
    HLB_DIAG_CRASH,   /* a crash report: the process died, the tool only says where */
    HLB_DIAG_LEAK,    /* a leak report */
} hlb_diag_kind;

/* Classify one line of stderr (tool prefixes like "==123== " allowed). */
hlb_diag_kind hlb_diag_line_kind(const char *line, size_t len);

#define HLB_EVIDENCE_MAX 240

typedef struct hlb_verdict {
    hlb_outcome outcome;
    char       evidence[HLB_EVIDENCE_MAX];   /* the first diagnostic line, or why (one line) */
} hlb_verdict;

hlb_verdict hlb_classify(const hlb_run_obs *run);

/* The observation of a run made by the process runner (r stays the owner of the output). A run
** that could not start is exit status 127; an interrupted one, a timeout. */
hlb_run_obs hlb_obs_of(const hlb_proc_result *r, double timeout_s);

#endif
