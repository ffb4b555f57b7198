/*
** bench/analyze/expect.h: what the owned runtime must do with each fault program.
**
** One row per programs/faults/<fault>.c. The test suite (tests/safety.c) fails when a fault
** program has no row here, or a row has no program, and asserts the owned column of the
** matrix against this table: the outcome and, for `detected`, the error kind of docs/design.md and
** (when `located`) the file:line of the line marked FAULT in the program. Lines marked
** ALLOC, DROP and MOVE in a program are the sites its owned diagnostic's notes must name
** ("allocated at", "dropped at", "moved at").
*/
#ifndef HLB_SAFETY_EXPECT_H
#define HLB_SAFETY_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/classify.h"

typedef struct hlb_fault_expect {
    const char *fault;        /* programs/faults/<fault>.c */
    hlb_outcome  owned;        /* the owned runtime's outcome */
    const char *kind;         /* "heaplab: error: <kind>" for detected (prefix), else NULL */
    bool        located;      /* the "-->" line names the FAULT line */
    const char *why;          /* one line: what the program does */
} hlb_fault_expect;

extern const hlb_fault_expect hlb_fault_expects[];
extern const size_t hlb_fault_expects_len;

/* The row for fault, or NULL. */
const hlb_fault_expect *hlb_fault_expect_find(const char *fault);

#endif
