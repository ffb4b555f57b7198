/*
** bench/analyze/expect.h: what the owned runtime must do with each fault program.
**
** One row per programs/faults/<fault>.c. The test suite (tests/safety.c) fails when a fault
** program has no row here, or a row has no program, and asserts the owned column of the
** matrix against this table: the outcome and, for `detected`, the DESIGN.md error kind and
** (when `located`) the file:line of the line marked FAULT in the program. Lines marked
** ALLOC, DROP and MOVE in a program are the sites its owned diagnostic's notes must name
** ("allocated at", "dropped at", "moved at").
*/
#ifndef HL_SAFETY_EXPECT_H
#define HL_SAFETY_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/classify.h"

typedef struct hl_fault_expect {
    const char *fault;        /* programs/faults/<fault>.c */
    hl_outcome  owned;        /* the owned runtime's outcome */
    const char *kind;         /* "heaplab: error: <kind>" for detected (prefix), else NULL */
    bool        located;      /* the "-->" line names the FAULT line */
    const char *why;          /* one line: what the program does */
} hl_fault_expect;

extern const hl_fault_expect hl_fault_expects[];
extern const size_t hl_fault_expects_len;

/* The row for fault, or NULL. */
const hl_fault_expect *hl_fault_expect_find(const char *fault);

#endif
