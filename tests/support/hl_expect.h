/*
** tests/support/hl_expect.h: expectations on a child process (hl_child_run) for the Criterion
** suites: it stops with one diagnostic of a given kind, or it exits cleanly. A header of static
** functions, not part of hl_test.c, because the model's command-line driver and the fuzzer
** link hl_test.c without Criterion.
*/
#ifndef HL_EXPECT_H
#define HL_EXPECT_H

#include "hl_test.h"

#include <criterion/criterion.h>

#include <string.h>

/* Run fn in a child that must stop with exit status 101 (a panic) after printing exactly one
** error block, of the given kind. Returns that block (free it) and the child in *c
** (hl_child_free it); a failed expectation fails the test, prefixed with name. */
static inline char *hl_expect_one_error(const char *name, void (*fn)(void), const char *kind, hl_child *c) {
    *c = hl_child_run(fn);
    cr_assert(c->exited && c->code == 101, "%s: expected exit status 101, got %s; stderr:\n%s", name,
              hl_child_status(c), c->err);
    cr_assert_eq(hl_count_errors(c->err), 1, "%s: expected one error block; stderr:\n%s", name, c->err);
    char *block = hl_diag_block(c->err, kind);
    cr_assert_not_null(block, "%s: no \"heaplab: error: %s\" line; stderr:\n%s", name, kind, c->err);
    return block;
}

/* Run fn in a child that must exit normally (status 0) without an error block and, unless
** leaks_ok, without a leak report. */
static inline void hl_expect_clean_exit(const char *name, void (*fn)(void), bool leaks_ok) {
    hl_child c = hl_child_run(fn);
    cr_assert(c.exited && c.code == 0, "%s: expected a normal exit, got %s; stderr:\n%s", name, hl_child_status(&c),
              c.err);
    cr_assert_eq(hl_count_errors(c.err), 0, "%s: unexpected diagnostic:\n%s", name, c.err);
    if (!leaks_ok) cr_assert_null(strstr(c.err, "leaked"), "%s: unexpected leak report:\n%s", name, c.err);
    hl_child_free(&c);
}
#define EXPECT_OK(fn) hl_expect_clean_exit(#fn, fn, true)
#define EXPECT_OK_NO_LEAKS(fn) hl_expect_clean_exit(#fn, fn, false)

#endif
