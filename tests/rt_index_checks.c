/*
** rt_index_checks.c: which runtimes check a slice index when the program asks for nothing:
** owned and owned-fast (as Rust does), and no other (manual, gc and region as plain C;
** owned-off checks nothing). tests/rt_slices.c asks for the checks (HL_CHECKED_INDEX) and
** tests the errors themselves.
**
** Compiled once per runtime. The slice is made by hand over the first 2 of a buffer's 8
** bytes, so that an index past its len still lies inside the buffer: an unchecked runtime
** reads it without undefined behaviour (and without a sanitizer report), a checked one
** refuses it.
*/
#define _GNU_SOURCE
#include "heaplab.h"
#include "hl_test.h"

#include <criterion/criterion.h>

#include <string.h>
#include <unistd.h>

static void past_the_slice(void) {
    hl_init();
    hl_ref b = hl_new_bytes(8);
    {
        HL_WRITE_SLICE(uint8_t, w, b);
        for (size_t i = 0; i < w.len; i++) w.ptr[i] = (uint8_t)(10 + i);
    }
    HL_READ_SLICE(uint8_t, whole, b);
    const HL_SLICE(uint8_t) s = {whole.ptr, 2, whole.hl__obj};
    uint8_t at = HL_AT(s, 5);
    const uint8_t *range = HL_RANGE(s, 1, 4);
    _exit(at == 15 && range == s.ptr + 1 ? 0 : 3);
}

static bool should_check(void) {
    return strcmp(hl_runtime_name(), "owned") == 0 || strcmp(hl_runtime_name(), "owned-fast") == 0;
}

Test(index_checks, only_owned_and_owned_fast_check_by_default) {
    hl_child c = hl_child_run(past_the_slice);
    if (should_check()) {
        cr_assert(c.exited && c.code == 101, "expected the index error, got %s; stderr:\n%s", hl_child_status(&c),
                  c.err);
        cr_assert_not_null(strstr(c.err, "heaplab: error: index out of bounds"), "stderr:\n%s", c.err);
        cr_assert_not_null(strstr(c.err, "the len is 2 but the index is 5"), "stderr:\n%s", c.err);
    } else {
        cr_assert(c.exited && c.code == 0, "expected the element past the slice's len, got %s; stderr:\n%s",
                  hl_child_status(&c), c.err);
    }
    cr_assert_eq((bool)HL__INDEX_CHECKS, should_check());
    hl_child_free(&c);
}

/* A vector's len written past its capacity by hand: manual, gc and region's out-of-line
** vector operations (growth, truncate, shrink) check it whatever the program asks for. */
static void truncate_with_len_past_capacity(void) {
    hl_init();
    hl_vec v = HL_VEC_WITH_CAPACITY(hl_ref, 4);
    v.len = 9;   /* written by hand */
    HL_VEC_TRUNCATE(hl_ref, &v, 1);
    _exit(0);
}

Test(index_checks, out_of_line_vector_operations_check_the_len_on_manual_gc_and_region) {
    if (strncmp(hl_runtime_name(), "owned", 5) == 0) cr_skip_test("owned's vectors: tests/owned_slices.c");
    hl_child c = hl_child_run(truncate_with_len_past_capacity);
    cr_assert(c.exited && c.code == 101, "expected the index error, got %s; stderr:\n%s", hl_child_status(&c), c.err);
    cr_assert_not_null(strstr(c.err, "the vector's len is 9 but its capacity is 4"), "stderr:\n%s", c.err);
    hl_child_free(&c);
}
