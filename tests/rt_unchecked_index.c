/*
** rt_unchecked_index.c: HL_UNCHECKED_INDEX compiles the slice index check out where the
** contract allows it (manual, gc, owned-off), and nowhere else (owned and owned-fast refuse
** the define at compile time, so this file defines it only where it applies).
**
** Compiled once per runtime. The index used is one past the end: a valid pointer that is
** never dereferenced, so the unchecked runtimes stay free of undefined behaviour.
*/
#define _GNU_SOURCE
#if !defined(HL_RUNTIME_OWNED) || defined(HL_OWNED_OFF)
#define HL_UNCHECKED_INDEX
#endif
#include "heaplab.h"
#include "hl_test.h"

#include <criterion/criterion.h>

#include <string.h>
#include <unistd.h>

static void one_past_the_end(void) {
    hl_init();
    hl_ref b = hl_new_bytes(8);
    HL_READ_SLICE(uint16_t, s, b);
    const uint16_t *end = &HL_AT(s, s.len);
    const uint8_t *range = (const uint8_t *)HL_RANGE(s, 0, s.len + 1);
    if (end != s.ptr + s.len || range != (const uint8_t *)s.ptr) _exit(3);
}

Test(unchecked_index, compiled_out_only_where_allowed) {
    hl_child c = hl_child_run(one_past_the_end);
    if (HL__INDEX_CHECKS) {
        cr_assert(strcmp(hl_runtime_name(), "owned") == 0 || strcmp(hl_runtime_name(), "owned-fast") == 0,
                  "only owned and owned-fast keep the check under HL_UNCHECKED_INDEX");
        cr_assert(c.exited && c.code == 101, "expected the index error, got %s; stderr:\n%s", hl_child_status(&c),
                  c.err);
        cr_assert_not_null(strstr(c.err, "heaplab: error: index out of bounds"));
    } else {
        cr_assert(c.exited && c.code == 0, "expected no check, got %s; stderr:\n%s", hl_child_status(&c), c.err);
    }
    hl_child_free(&c);
}
