/*
** owned_slices.c: the owned runtime's rules for slices, vectors and hl_swap (docs/design.md,
** "Slices and vectors"), provoked, and the borrow fast path's type hint.
**
** Each case runs in a child process that breaks one rule; the test asserts exit status 101
** and the diagnostic block: the kind, the "-->" line of the offending macro or call, a note
** where the rule has one (`the len is N but the index is I`), and at owned (not owned-fast)
** the allocation note of the buffer. Legal neighbours of each rule must run to the end.
** Built for owned, owned-fast and the sanitized owned runtime.
*/
#define _GNU_SOURCE
#include "heaplab.h"
#include "hl_expect.h"
#include "hl_test.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THIS_FILE "tests/owned_slices.c"

typedef struct Node {
    int64_t val;
    hl_vec  kids;   /* a vector of owned Node handles */
} Node;
HL_TYPE(Node, kids.buf);

typedef struct Leaf {
    int64_t v;
} Leaf;
HL_TYPE(Leaf);

/* Whether this build's diagnostics carry site notes (owned) or not (owned-fast). */
#define SITES (HL__OLEVEL >= 2)

enum { USE, ALLOC };

/* fn must stop with exactly one error block of kind `kind`, whose "-->" line is mark USE;
** `text` (if any) must appear in the block; at owned, the block must name the allocation
** at mark ALLOC (when alloc is set), and at owned-fast no site at all. */
static void expect_diag(const char *name, void (*fn)(void), const char *kind, const char *text, bool alloc) {
    hl_child c;
    char *block = hl_expect_one_error(name, fn, kind, &c);
    cr_assert_gt(hl_marks[USE], 0, "%s: the child never reached its USE mark", name);
    char want[256];
    snprintf(want, sizeof want, "  --> %s:%d", THIS_FILE, hl_marks[USE]);
    const char *second = strchr(block, '\n');
    cr_assert(second && hl_find_line(second + 1, "%s", want) == second + 1,
              "%s: expected \"%s\" right after the kind line; got:\n%s", name, want, block);
    if (text) cr_assert(strstr(block, text) != NULL, "%s: expected \"%s\" in:\n%s", name, text, block);
    if (!SITES) {
        cr_assert(!strstr(block, " allocated at "), "%s: owned-fast remembers no sites:\n%s", name, block);
    } else if (alloc) {
        snprintf(want, sizeof want, "` allocated at %s:%d", THIS_FILE, hl_marks[ALLOC]);
        cr_assert(strstr(block, want) != NULL, "%s: expected a note ending \"%s\"; got:\n%s", name, want, block);
    }
    free(block);
    hl_child_free(&c);
}
#define EXPECT(fn, kind, text, alloc) expect_diag(#fn, fn, kind, text, alloc)

/* ==== taking a slice is a borrow ============================================================ */

static void slice_of_null(void) {
    hl_init();
    hl_ref b = HL_NULL;
    HL_MARK(USE); HL_READ_SLICE(uint8_t, s, b);
    (void)s;
}
static void write_slice_of_moved(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(8);
    hl_ref c = hl_move(&b);
    HL_MARK(USE); HL_WRITE_SLICE(uint32_t, s, b);
    (void)s, (void)c;
}
static void slice_of_dropped(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_refs(2);
    hl_ref copy = b;
    hl_drop(&b);
    HL_MARK(USE); HL_READ_SLICE(hl_ref, s, copy);
    (void)s;
}
static void bytes_slice_of_refs(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref b = hl_new_refs(2);
    HL_MARK(USE); HL_READ_SLICE(uint64_t, s, b);
    (void)s;
}
static void refs_slice_of_bytes(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref b = hl_new_bytes(16);
    HL_MARK(USE); HL_WRITE_SLICE(hl_ref, s, b);
    (void)s;
}
static void slice_of_object(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref n = hl_new(&Leaf_type);
    HL_MARK(USE); HL_READ_SLICE(uint8_t, s, n);
    (void)s;
}

Test(slice_borrow, checked_like_a_buffer_borrow) {
    EXPECT(slice_of_null, "null handle", NULL, false);
    EXPECT(write_slice_of_moved, "use of moved value", NULL, true);
    EXPECT(slice_of_dropped, "use after free", NULL, true);
}

Test(slice_borrow, element_type_picks_the_buffer_kind) {
    EXPECT(bytes_slice_of_refs, "type mismatch", "as `bytes`", true);
    EXPECT(refs_slice_of_bytes, "type mismatch", "as `refs`", true);
    EXPECT(slice_of_object, "type mismatch", NULL, true);
}

static void write_slice_while_read_slice(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref b = hl_new_bytes(8);
    HL_READ_SLICE(uint8_t, r, b);
    HL_MARK(USE); HL_WRITE_SLICE(uint8_t, w, b);
    (void)r, (void)w;
}
static void read_slice_while_write_slice(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref b = hl_new_bytes(8);
    HL_WRITE_SLICE(uint8_t, w, b);
    HL_MARK(USE); HL_READ_SLICE(uint8_t, r, b);
    (void)r, (void)w;
}
static void resize_while_sliced(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(8);
    HL_READ_SLICE(uint8_t, r, b);
    HL_MARK(USE); hl_resize(&b, 16);
    (void)r;
}
static void set_byte_while_sliced(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref b = hl_new_bytes(8);
    HL_READ_SLICE(uint8_t, r, b);
    HL_MARK(USE); hl_set_byte(b, 0, 1);
    (void)r;
}
static void drop_while_sliced(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_refs(4);
    HL_READ_SLICE(hl_ref, r, b);
    HL_MARK(USE); hl_drop(&b);
    (void)r;
}

Test(slice_borrow, borrow_conflicts) {
    EXPECT(write_slice_while_read_slice, "already borrowed", NULL, true);
    EXPECT(read_slice_while_write_slice, "already mutably borrowed", NULL, true);
    EXPECT(resize_while_sliced, "already borrowed", NULL, true);
    EXPECT(set_byte_while_sliced, "already borrowed", NULL, true);
    EXPECT(drop_while_sliced, "drop while borrowed", NULL, true);
}

/* Legal: shared slices together, byte reads and hl_len under a shared slice, a write slice
** after the shared ones ended, a resize after the write slice ended. */
static void slices_that_do_not_conflict(void) {
    hl_init();
    hl_ref b = hl_new_bytes(12);
    {
        HL_READ_SLICE(uint32_t, r1, b);
        HL_READ_SLICE(uint8_t, r2, b);
        CHILD_CHECK(r1.len == 3 && r2.len == 12 && (const void *)r1.ptr == (const void *)r2.ptr);
        CHILD_CHECK(hl_byte(b, 11) == 0 && hl_len(b) == 12);
    }
    {
        HL_WRITE_SLICE(uint32_t, w, b);
        HL_AT(w, 2) = 7;
        CHILD_CHECK(hl_len(b) == 12);
    }
    hl_resize(&b, 16);
    {
        HL_READ_SLICE(uint32_t, r, b);
        CHILD_CHECK(r.len == 4 && HL_AT(r, 2) == 7 && HL_AT(r, 3) == 0);
    }
    hl_drop(&b);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(slice_borrow, legal_neighbours) { EXPECT_OK(slices_that_do_not_conflict); }

/* ==== the index check ======================================================================= */

static void at_past_the_end(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref b = hl_new_bytes(12);
    HL_READ_SLICE(uint32_t, s, b);
    size_t i = 3;
    HL_MARK(USE); (void)HL_AT(s, i);
}
static void at_write_past_the_end(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref b = hl_new_refs(2);
    HL_WRITE_SLICE(hl_ref, s, b);
    size_t i = 7;
    HL_MARK(USE); HL_AT(s, i) = HL_NULL;
}
static void at_rounded_down_length(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref b = hl_new_bytes(15);   /* one whole uint64_t */
    HL_READ_SLICE(uint64_t, s, b);
    HL_MARK(USE); (void)HL_AT(s, 1);
}
static void at_negative_index(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref b = hl_new_bytes(4);
    HL_READ_SLICE(uint8_t, s, b);
    int i = -1;
    HL_MARK(USE); (void)HL_AT(s, i);
}
static void range_past_the_end(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref b = hl_new_bytes(10);
    HL_READ_SLICE(uint8_t, s, b);
    HL_MARK(USE); (void)HL_RANGE(s, 4, 7);
}
static void range_start_past_the_end(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref b = hl_new_bytes(10);
    HL_WRITE_SLICE(uint8_t, s, b);
    HL_MARK(USE); memset(HL_RANGE(s, 11, 0), 0, 0);
}

Test(slice_index, out_of_bounds_is_reported_with_len_and_index) {
    EXPECT(at_past_the_end, "index out of bounds", "the len is 3 but the index is 3", true);
    EXPECT(at_write_past_the_end, "index out of bounds", "the len is 2 but the index is 7", true);
    EXPECT(at_rounded_down_length, "index out of bounds", "the len is 1 but the index is 1", true);
    EXPECT(at_negative_index, "index out of bounds", "the len is 4 but the index is 18446744073709551615", true);
}

Test(slice_index, ranges) {
    EXPECT(range_past_the_end, "index out of bounds", "range end index 11 out of range for slice of length 10",
           true);
    EXPECT(range_start_past_the_end, "index out of bounds",
           "range end index 11 out of range for slice of length 10", true);
}

/* Legal: the last element, an empty range at the end, a whole range. */
static void indices_in_range(void) {
    hl_init();
    HL_OWNED hl_ref b = hl_new_bytes(10);
    HL_WRITE_SLICE(uint8_t, s, b);
    HL_AT(s, 9) = 1;
    memset(HL_RANGE(s, 10, 0), 0, 0);
    memset(HL_RANGE(s, 0, 10), 2, 10);
    CHILD_CHECK(HL_AT(s, 9) == 2);
}

Test(slice_index, legal_neighbours) { EXPECT_OK(indices_in_range); }

/* ==== vectors ============================================================================== */

static void push_while_vec_sliced(void) {
    hl_init();
    hl_vec v = HL_VEC_NEW;
    HL_MARK(ALLOC); HL_VEC_PUSH(uint32_t, &v, 1);
    HL_READ_VEC(uint32_t, s, &v);
    HL_MARK(USE); HL_VEC_PUSH(uint32_t, &v, 2);
    (void)s;
}
static void pop_while_vec_sliced(void) {
    hl_init();
    HL_MARK(ALLOC); hl_vec v = HL_VEC_WITH_CAPACITY(hl_ref, 4);
    HL_VEC_PUSH(hl_ref, &v, hl_new(&Leaf_type));
    HL_READ_VEC(hl_ref, s, &v);
    HL_MARK(USE); hl_ref x = HL_VEC_POP(hl_ref, &v);
    (void)s, (void)x;
}
static void push_onto_dropped_buffer(void) {
    hl_init();
    hl_vec v = HL_VEC_NEW;
    HL_MARK(ALLOC); HL_VEC_PUSH(uint8_t, &v, 1);
    hl_vec copy = v;
    hl_drop(&v.buf);
    HL_MARK(USE); HL_VEC_PUSH(uint8_t, &copy, 2);
}
static void push_after_growth_through_a_stale_copy(void) {
    hl_init();
    hl_vec v = HL_VEC_NEW;
    HL_MARK(ALLOC); HL_VEC_PUSH(uint64_t, &v, 1);
    hl_vec copy = v;
    for (int i = 0; i < 10; i++) HL_VEC_PUSH(uint64_t, &v, 2);   /* grows: v.buf is moved */
    HL_MARK(USE); HL_VEC_PUSH(uint64_t, &copy, 3);
}
static void vec_len_past_capacity(void) {
    hl_init();
    HL_MARK(ALLOC); hl_vec v = HL_VEC_WITH_CAPACITY(uint32_t, 4);
    HL_VEC_PUSH(uint32_t, &v, 1);
    v.len = 9;   /* written by hand */
    HL_MARK(USE); HL_READ_VEC(uint32_t, s, &v);
    (void)s;
}
static void vec_slice_index_past_len(void) {
    hl_init();
    HL_MARK(ALLOC); hl_vec v = HL_VEC_WITH_CAPACITY(uint32_t, 8);
    HL_VEC_PUSH(uint32_t, &v, 1);
    HL_READ_VEC(uint32_t, s, &v);   /* len 1, capacity 8: only len is borrowed */
    HL_MARK(USE); (void)HL_AT(s, 1);
}
static void vec_of_the_wrong_kind(void) {
    hl_init();
    hl_vec v = HL_VEC_NEW;
    HL_MARK(ALLOC); HL_VEC_PUSH(uint64_t, &v, 1);
    HL_MARK(USE); HL_VEC_PUSH(hl_ref, &v, HL_NULL);
}

Test(vec, checked_as_writes_to_the_buffer) {
    EXPECT(push_while_vec_sliced, "already borrowed", NULL, true);
    EXPECT(pop_while_vec_sliced, "already borrowed", NULL, true);
    EXPECT(push_onto_dropped_buffer, "use after free", NULL, true);
    EXPECT(push_after_growth_through_a_stale_copy, "use of moved value", NULL, true);
    EXPECT(vec_of_the_wrong_kind, "type mismatch", NULL, true);
}

Test(vec, length_checks) {
    EXPECT(vec_len_past_capacity, "index out of bounds", "the vector's len is 9 but its capacity is 4", true);
    EXPECT(vec_slice_index_past_len, "index out of bounds", "the len is 1 but the index is 1", true);
}

/* Legal: an empty vector (no buffer) can be borrowed, popped and truncated; popping and
** pushing again; the drop glue of a vector field; no leak. */
static void vectors_used_correctly(void) {
    hl_init();
    hl_vec e = HL_VEC_NEW;
    {
        HL_WRITE_VEC(hl_ref, s, &e);
        CHILD_CHECK(s.len == 0);
    }
    CHILD_CHECK(hl_is_null(HL_VEC_POP(hl_ref, &e)));
    HL_VEC_TRUNCATE(hl_ref, &e, 0);
    HL_VEC_SHRINK_TO_FIT(hl_ref, &e);
    CHILD_CHECK(HL_VEC_CAP(hl_ref, &e) == 0);
    hl_ref root = hl_new(&Node_type);
    for (int i = 0; i < 20; i++) {
        hl_ref kid = hl_new(&Node_type);
        HL_WRITE(Node, w, root);
        HL_VEC_PUSH(hl_ref, &w->kids, hl_move(&kid));
    }
    {
        HL_WRITE(Node, w, root);
        hl_ref last = HL_VEC_POP(hl_ref, &w->kids);
        HL_VEC_PUSH(hl_ref, &w->kids, hl_move(&last));
        CHILD_CHECK(hl_vec_len(&w->kids) == 20);
    }
    hl_drop(&root);   /* the 20 kids go with it */
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(vec, legal_neighbours) { EXPECT_OK(vectors_used_correctly); }

/* ==== hl_swap ============================================================================== */

static void swap_borrowed(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref a = hl_new(&Leaf_type);
    HL_OWNED hl_ref b = hl_new(&Leaf_type);
    HL_READ(Leaf, p, a);
    HL_MARK(USE); hl_swap(&a, &b);
    (void)p;
}
static void swap_moved_out(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Leaf_type);
    HL_OWNED hl_ref keep = hl_move(&a);
    HL_OWNED hl_ref b = hl_new(&Leaf_type);
    HL_MARK(USE); hl_swap(&a, &b);
}
static void copy_is_stale_after_swap(void) {
    hl_init();
    HL_MARK(ALLOC); HL_OWNED hl_ref a = hl_new(&Leaf_type);
    HL_OWNED hl_ref b = HL_NULL;
    hl_ref copy = a;
    hl_swap(&a, &b);
    HL_MARK(USE); HL_READ(Leaf, p, copy);
    (void)p;
}

Test(swap, handles_are_moved) {
    EXPECT(swap_borrowed, "already borrowed", NULL, true);
    EXPECT(swap_moved_out, "use of moved value", NULL, true);
    EXPECT(copy_is_stale_after_swap, "use of moved value", NULL, true);
}

/* ==== the borrow sites' type hint ========================================================== */

/* One borrow site for every call: its hint is filled by the first Leaf and must still refuse
** a Node and a bytes buffer. */
static int64_t leaf_value(hl_ref r) {
    HL_MARK(USE); HL_READ(Leaf, p, r);
    return p->v;
}
static void set_leaf(hl_ref r, int64_t v) {
    HL_MARK(USE); HL_WRITE(Leaf, p, r);
    p->v = v;
}
static void hinted_site_refuses_another_type(void) {
    hl_init();
    HL_OWNED hl_ref l = hl_new(&Leaf_type);
    set_leaf(l, 5);
    CHILD_CHECK(leaf_value(l) == 5);
    HL_MARK(ALLOC); HL_OWNED hl_ref n = hl_new(&Node_type);
    (void)leaf_value(n);
}
static void hinted_write_site_refuses_bytes(void) {
    hl_init();
    HL_OWNED hl_ref l = hl_new(&Leaf_type);
    set_leaf(l, 1);
    HL_MARK(ALLOC); HL_OWNED hl_ref b = hl_new_bytes(sizeof(Leaf));
    set_leaf(b, 2);
}
/* Type ids outlive hl_shutdown: a site hinted before a restart still borrows right after
** other types were registered first. */
static void hint_survives_a_restart(void) {
    hl_init();
    hl_ref l = hl_new(&Leaf_type);
    set_leaf(l, 3);
    CHILD_CHECK(leaf_value(l) == 3);
    hl_drop(&l);
    hl_shutdown();
    hl_init();
    hl_ref n = hl_new(&Node_type);
    l = hl_new(&Leaf_type);
    set_leaf(l, 4);
    CHILD_CHECK(leaf_value(l) == 4);
    hl_drop(&l);
    hl_drop(&n);
    CHILD_CHECK(hl_shutdown() == 0);
}
/* A borrow whose block outlives hl_shutdown releases into the kept table, harmlessly. */
static void borrow_across_shutdown(void) {
    hl_init();
    hl_ref b = hl_new_bytes(4);
    {
        HL_READ_SLICE(uint8_t, s, b);
        CHILD_CHECK(s.len == 4);
        hl_shutdown();   /* reports the leak of b */
    }
    hl_init();
    hl_ref c = hl_new_bytes(4);
    {
        HL_WRITE_SLICE(uint8_t, s, c);
        HL_AT(s, 3) = 1;
    }
    hl_drop(&c);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(type_hint, a_hinted_site_still_checks_the_type) {
    EXPECT(hinted_site_refuses_another_type, "type mismatch", "as `Leaf`", true);
    EXPECT(hinted_write_site_refuses_bytes, "type mismatch", "as `Leaf`", true);
}

Test(type_hint, restarts) {
    EXPECT_OK(hint_survives_a_restart);
    EXPECT_OK(borrow_across_shutdown);
}
