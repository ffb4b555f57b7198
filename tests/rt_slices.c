/*
** rt_slices.c: slices, vectors, hl_swap and hl_bytes_from on every runtime (include/heaplab.h,
** docs/design.md "Slices and vectors").
**
** Compiled once per runtime. What the contract makes runtime-specific is asserted through
** hl_runtime_name(): gc does not see frees and region's drops free nothing (so frees are only
** counted elsewhere), and owned-off checks no index (so the index error is asserted on the
** others). The file asks for index checks (HL_CHECKED_INDEX), which manual, gc and region
** leave out by default; tests/rt_index_checks.c covers the default.
*/
#define _GNU_SOURCE
#define HL_CHECKED_INDEX
#include "heaplab.h"
#include "hl_test.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct Item {
    int64_t id;
    hl_ref  payload;   /* owned bytes */
} Item;
HL_TYPE(Item, payload);

typedef struct Bag {
    hl_vec  items;     /* owned vector of Item handles */
    hl_vec  numbers;   /* owned vector of uint32_t */
    int64_t tag;
} Bag;
HL_TYPE(Bag, items.buf, numbers.buf);

typedef struct Pt {
    int32_t x, y;
} Pt;
HL_SLICE_TYPES(Pt);

/* An element of 12 bytes: a size the runtimes' growth has no special case for. */
typedef struct Rgb {
    uint32_t r, g, b;
} Rgb;
HL_SLICE_TYPES(Rgb);

static bool rt_is(const char *name) { return strcmp(hl_runtime_name(), name) == 0; }
static bool sees_frees(void) { return !rt_is("gc") && !rt_is("region"); }
static bool checks_indices(void) { return HL__INDEX_CHECKS; }

static void fresh(void) {
    hl_shutdown();
    cr_assert_eq(setenv("HEAPLAB_STATS", "", 1), 0);
    hl_init();
}

static hl_ref item_new(int64_t id) {
    hl_ref p = hl_bytes_from(&id, sizeof id);
    hl_ref it = hl_new(&Item_type);
    HL_WRITE(Item, w, it);
    w->id = id;
    w->payload = hl_move(&p);
    return it;
}

static int64_t item_id(hl_ref it) {
    HL_READ(Item, r, it);
    return r->id;
}

TestSuite(slices, .init = fresh);
TestSuite(vectors, .init = fresh);
TestSuite(helpers, .init = fresh);

/* ==== slices =============================================================================== */

Test(slices, write_then_read_elements_of_a_bytes_buffer) {
    hl_ref b = hl_new_bytes(40);
    {
        HL_WRITE_SLICE(uint32_t, s, b);
        cr_assert_eq(s.len, 10);
        for (size_t i = 0; i < s.len; i++) HL_AT(s, i) = (uint32_t)(i * i + 1);
    }
    {
        HL_READ_SLICE(uint32_t, s, b);
        for (size_t i = 0; i < s.len; i++) cr_assert_eq(HL_AT(s, i), i * i + 1);
    }
    {
        HL_READ_SLICE(uint8_t, s, b);   /* the same memory, byte by byte */
        cr_assert_eq(s.len, 40);
        uint32_t third;
        memcpy(&third, HL_RANGE(s, 8, 4), 4);
        cr_assert_eq(third, 5);
        cr_assert_eq(HL_AT(s, 8), hl_byte(b, 8));
    }
    hl_drop(&b);
}

Test(slices, length_is_rounded_down_to_whole_elements) {
    hl_ref b = hl_new_bytes(23);
    {
        HL_READ_SLICE(uint64_t, s, b);
        cr_assert_eq(s.len, 2);
    }
    {
        HL_READ_SLICE(Pt, s, b);
        cr_assert_eq(s.len, 2);
        cr_assert_eq(HL_AT(s, 1).y, 0);
    }
    hl_ref e = hl_new_bytes(0);
    {
        HL_READ_SLICE(uint16_t, s, e);
        cr_assert_eq(s.len, 0);
    }
    hl_drop(&b);
    hl_drop(&e);
}

Test(slices, struct_elements_are_lvalues) {
    hl_ref b = hl_new_bytes(3 * sizeof(Pt));
    {
        HL_WRITE_SLICE(Pt, s, b);
        HL_AT(s, 2).x = 7;
        HL_AT(s, 0) = (Pt){1, 2};
        Pt *p = &HL_AT(s, 1);
        p->y = 9;
    }
    {
        HL_READ_SLICE(Pt, s, b);
        cr_assert(HL_AT(s, 0).x == 1 && HL_AT(s, 0).y == 2 && HL_AT(s, 1).y == 9 && HL_AT(s, 2).x == 7);
    }
    hl_drop(&b);
}

Test(slices, refs_slice_elements_are_owned_handles) {
    hl_stats before = hl_get_stats();
    hl_ref v = hl_new_refs(4);
    {
        HL_WRITE_SLICE(hl_ref, s, v);
        cr_assert_eq(s.len, 4);
        for (size_t i = 0; i < s.len; i++) {
            hl_ref it = item_new((int64_t)i + 10);
            HL_AT(s, i) = hl_move(&it);
        }
    }
    {
        HL_READ_SLICE(hl_ref, s, v);
        for (size_t i = 0; i < s.len; i++) cr_assert_eq(item_id(HL_AT(s, i)), (int64_t)i + 10);
    }
    hl_ref taken;
    {
        HL_WRITE_SLICE(hl_ref, s, v);
        taken = hl_take(&HL_AT(s, 2));
        cr_assert(hl_is_null(HL_AT(s, 2)));
    }
    cr_assert_eq(item_id(taken), 12);
    cr_assert(hl_is_null(hl_ref_at(v, 2)));
    hl_drop(&v);   /* drops the three items left and their payloads */
    hl_drop(&taken);
    hl_stats after = hl_get_stats();
    cr_assert_eq(after.allocations - before.allocations, 9);
    if (sees_frees()) cr_assert_eq(after.frees - before.frees, 9);
}

Test(slices, several_shared_slices_and_plain_calls_together) {
    hl_ref b = hl_bytes_from("abcdef", 6);
    {
        HL_READ_SLICE(uint8_t, s1, b);
        HL_READ_SLICE(uint8_t, s2, b);
        cr_assert_eq(hl_len(b), 6);
        cr_assert_eq(hl_byte(b, 5), 'f');
        cr_assert_eq(HL_AT(s1, 0), 'a');
        cr_assert_eq(HL_AT(s2, 5), 'f');
        cr_assert_eq(memcmp(HL_RANGE(s1, 1, 3), "bcd", 3), 0);
    }
    hl_drop(&b);
}

Test(slices, slice_released_at_block_end_allows_a_resize) {
    hl_ref b = hl_new_bytes(8);
    for (int round = 0; round < 3; round++) {
        {
            HL_WRITE_SLICE(uint8_t, s, b);
            HL_AT(s, s.len - 1) = (uint8_t)(round + 1);
        }
        hl_resize(&b, hl_len(b) * 2);
    }
    cr_assert_eq(hl_len(b), 64);
    cr_assert(hl_byte(b, 7) == 1 && hl_byte(b, 15) == 2 && hl_byte(b, 31) == 3 && hl_byte(b, 63) == 0);
    hl_drop(&b);
}

/* Slices passed to functions, as Rust passes &[T] and &mut [T]. */
static uint64_t sum_u32(HL_SLICE(uint32_t) s) {
    uint64_t t = 0;
    for (size_t i = 0; i < s.len; i++) t += HL_AT(s, i);
    return t;
}

static void fill_u32(HL_SLICE_MUT(uint32_t) s, uint32_t v) {
    for (size_t i = 0; i < s.len; i++) HL_AT(s, i) = v + (uint32_t)i;
}

static int64_t first_id(HL_SLICE(hl_ref) items) { return item_id(HL_AT(items, 0)); }

Test(slices, slices_are_passed_to_functions) {
    hl_ref b = hl_new_bytes(4 * 5);
    {
        HL_WRITE_SLICE(uint32_t, s, b);
        fill_u32(s, 10);
        cr_assert_eq(sum_u32(HL_SLICE_SHARED(uint32_t, s)), 10 + 11 + 12 + 13 + 14);
    }
    {
        HL_READ_SLICE(uint32_t, s, b);
        cr_assert_eq(sum_u32(s), 60);
    }
    hl_vec v = HL_VEC_NEW;
    HL_VEC_PUSH(hl_ref, &v, item_new(42));
    {
        HL_READ_VEC(hl_ref, items, &v);
        cr_assert_eq(first_id(items), 42);
    }
    const Pt two[] = {{1, 2}, {3, 4}};
    hl_ref pb = hl_bytes_from(two, sizeof two);
    {
        HL_READ_SLICE(Pt, pts, pb);
        HL_SLICE(Pt) copy = pts;   /* a slice is a value: copies share the borrow */
        cr_assert(copy.len == 2 && HL_AT(copy, 1).y == 4);
    }
    hl_drop(&pb);
    hl_drop(&v.buf);
    hl_drop(&b);
}

/* Shared slices count as shared borrows, any number of them (past the owned runtime's
** per-slot counter of 32767 too), and so do shared borrows of an empty vector: a recursion
** holds 16 slices of one buffer and 2 of an empty vector per frame (few enough frames for the
** sanitized builds' larger ones); afterwards every one is released and an exclusive slice is
** taken. */
static uint64_t nested_slices(hl_ref b, const hl_vec *empty, long frames) {
    HL_READ_SLICE(uint8_t, s0, b); HL_READ_SLICE(uint8_t, s1, b); HL_READ_SLICE(uint8_t, s2, b);
    HL_READ_SLICE(uint8_t, s3, b); HL_READ_SLICE(uint8_t, s4, b); HL_READ_SLICE(uint8_t, s5, b);
    HL_READ_SLICE(uint8_t, s6, b); HL_READ_SLICE(uint8_t, s7, b); HL_READ_SLICE(uint8_t, s8, b);
    HL_READ_SLICE(uint8_t, s9, b); HL_READ_SLICE(uint8_t, sa, b); HL_READ_SLICE(uint8_t, sb, b);
    HL_READ_SLICE(uint8_t, sc, b); HL_READ_SLICE(uint8_t, sd, b); HL_READ_SLICE(uint8_t, se, b);
    HL_READ_SLICE(uint8_t, sf, b);
    HL_READ_VEC(uint8_t, e0, empty); HL_READ_VEC(uint8_t, e1, empty);
    uint64_t sum = (uint64_t)HL_AT(s0, 0) + HL_AT(s1, 0) + HL_AT(s2, 0) + HL_AT(s3, 0) + HL_AT(s4, 0) +
                   HL_AT(s5, 0) + HL_AT(s6, 0) + HL_AT(s7, 0) + HL_AT(s8, 0) + HL_AT(s9, 0) + HL_AT(sa, 0) +
                   HL_AT(sb, 0) + HL_AT(sc, 0) + HL_AT(sd, 0) + HL_AT(se, 0) + HL_AT(sf, 0) + e0.len + e1.len;
    return frames > 1 ? sum + nested_slices(b, empty, frames - 1) : sum;
}

Test(slices, any_number_of_shared_slices) {
    hl_ref b = hl_bytes_from("\1", 1);
    hl_vec empty = HL_VEC_NEW;
    long frames = 34000 / 16;   /* past 32767 borrows of b */
    for (int round = 0; round < 2; round++) {
        cr_assert_eq(nested_slices(b, &empty, frames), (uint64_t)frames * 16);
        HL_WRITE_SLICE(uint8_t, w, b);   /* every shared one released */
        HL_AT(w, 0) = 1;
        HL_VEC_PUSH(uint8_t, &empty, 7);   /* the empty vector is not borrowed either */
        HL_VEC_POP(uint8_t, &empty);
    }
    hl_drop(&empty.buf);
    hl_drop(&b);
}

/* ---- index errors ---- */

static void at_past_the_end(void) {
    hl_init();
    hl_ref b = hl_new_bytes(12);
    HL_READ_SLICE(uint32_t, s, b);
    size_t i = s.len;
    HL_MARK(0); (void)HL_AT(s, i);
}
static void range_past_the_end(void) {
    hl_init();
    hl_ref b = hl_new_bytes(10);
    HL_WRITE_SLICE(uint8_t, s, b);
    HL_MARK(0); memset(HL_RANGE(s, 8, 3), 0, 3);
}
static void vec_index_past_len(void) {
    hl_init();
    hl_vec v = HL_VEC_WITH_CAPACITY(uint16_t, 16);
    HL_VEC_PUSH(uint16_t, &v, 1);
    HL_READ_VEC(uint16_t, s, &v);
    HL_MARK(0); (void)HL_AT(s, 1);
}

static void expect_index_error(const char *name, void (*fn)(void), const char *note) {
    hl_child c = hl_child_run(fn);
    cr_assert(c.exited && c.code == 101, "%s: expected exit status 101, got %s; stderr:\n%s", name,
              hl_child_status(&c), c.err);
    char *block = hl_diag_block(c.err, "index out of bounds");
    cr_assert_not_null(block, "%s: no index error in:\n%s", name, c.err);
    cr_assert_not_null(hl_find_line(block, "  --> tests/rt_slices.c:%d", hl_marks[0]), "%s: wrong location:\n%s",
                       name, block);
    cr_assert_not_null(hl_find_line(block, "   = note: %s", note), "%s: expected note \"%s\":\n%s", name, note,
                       block);
    free(block);
    hl_child_free(&c);
}

Test(slices, an_index_out_of_range_is_reported) {
    if (!checks_indices()) cr_skip_test("owned-off checks no index");
    expect_index_error("at_past_the_end", at_past_the_end, "the len is 3 but the index is 3");
    expect_index_error("range_past_the_end", range_past_the_end,
                       "range end index 11 out of range for slice of length 10");
    expect_index_error("vec_index_past_len", vec_index_past_len, "the len is 1 but the index is 1");
}

/* HEAPLAB_BACKTRACE=1 adds the call stack to the diagnostic on every runtime: first the
** program's function whose index failed (not the runtime's), then its caller. */
__attribute__((noinline)) static uint32_t element_after_the_last(HL_SLICE(uint32_t) s) {
    HL_MARK(0); return HL_AT(s, s.len);
}
__attribute__((noinline)) static void index_in_a_callee(void) {
    setenv("HEAPLAB_BACKTRACE", "1", 1);
    hl_init();
    hl_ref b = hl_new_bytes(12);
    HL_READ_SLICE(uint32_t, s, b);
    HL_MARK(1); uint32_t v = element_after_the_last(s);
    printf("%u\n", v);
}

Test(slices, an_index_error_with_HEAPLAB_BACKTRACE_shows_the_callers) {
    if (!checks_indices()) cr_skip_test("owned-off checks no index");
    hl_child c = hl_child_run(index_in_a_callee);
    cr_assert(c.exited && c.code == 101, "expected exit status 101, got %s; stderr:\n%s", hl_child_status(&c), c.err);
    cr_assert_not_null(hl_find_line(c.err, "  --> tests/rt_slices.c:%d", hl_marks[0]), "stderr:\n%s", c.err);
    const char *bt = strstr(c.err, "\nstack backtrace:\n   0: element_after_the_last\n");
    cr_assert_not_null(bt, "frame 0 must be the function that indexed:\n%s", c.err);
    char at0[64], at1[64];
    snprintf(at0, sizeof at0, "/tests/rt_slices.c:%d\n", hl_marks[0]);
    snprintf(at1, sizeof at1, "/tests/rt_slices.c:%d\n", hl_marks[1]);
    cr_assert_not_null(strstr(bt, at0), "frame 0's line:\n%s", c.err);
    cr_assert_not_null(strstr(bt, "\n   1: index_in_a_callee\n"), "frame 1 must be its caller:\n%s", c.err);
    cr_assert_not_null(strstr(bt, at1), "frame 1's line:\n%s", c.err);
    cr_assert_null(strstr(bt, "hl__"), "the runtime's own frames are left out:\n%s", c.err);
    hl_child_free(&c);
}

/* ==== vectors ============================================================================== */

Test(vectors, push_pop_len_and_capacity) {
    hl_vec v = HL_VEC_NEW;
    cr_assert(hl_is_null(v.buf));
    cr_assert_eq(hl_vec_len(&v), 0);
    cr_assert_eq(HL_VEC_CAP(uint64_t, &v), 0);
    HL_VEC_PUSH(uint64_t, &v, 100);
    cr_assert_eq(HL_VEC_CAP(uint64_t, &v), 4, "the first buffer holds 4 elements of 8 bytes");
    size_t caps[8] = {0}, ncaps = 0, last = 0;
    for (uint64_t i = 1; i < 100; i++) {
        HL_VEC_PUSH(uint64_t, &v, 100 + i);
        size_t cap = HL_VEC_CAP(uint64_t, &v);
        if (cap != last && ncaps < 8) caps[ncaps++] = last = cap;
    }
    cr_assert_eq(hl_vec_len(&v), 100);
    cr_assert(ncaps == 6 && caps[0] == 4 && caps[1] == 8 && caps[2] == 16 && caps[5] == 128,
              "the capacity doubles: 4 8 16 32 64 128");
    cr_assert_eq(hl_len(v.buf), 128 * 8);
    for (uint64_t i = 100; i-- > 0;) cr_assert_eq(HL_VEC_POP(uint64_t, &v), 100 + i);
    cr_assert_eq(hl_vec_len(&v), 0);
    cr_assert_eq(HL_VEC_POP(uint64_t, &v), 0, "popping an empty vector gives a zero element");
    cr_assert_eq(HL_VEC_CAP(uint64_t, &v), 128, "popping keeps the capacity");
    hl_drop(&v.buf);
}

/* Growth is written once per element size (1, 2, 4, 8 bytes, handles, and any other size):
** each keeps what was pushed and doubles from 4 elements. */
Test(vectors, elements_of_every_size_survive_growth) {
    hl_vec half = HL_VEC_NEW, rgb = HL_VEC_NEW;
    for (uint32_t i = 0; i < 40; i++) {
        HL_VEC_PUSH(uint16_t, &half, (uint16_t)(7 * i));
        HL_VEC_PUSH(Rgb, &rgb, ((Rgb){i, 2 * i, 3 * i}));
        if (i == 0) {
            cr_assert_eq(HL_VEC_CAP(uint16_t, &half), 4, "two-byte elements start at 4");
            cr_assert_eq(HL_VEC_CAP(Rgb, &rgb), 4, "twelve-byte elements start at 4");
        }
    }
    cr_assert_eq(HL_VEC_CAP(uint16_t, &half), 64);
    cr_assert_eq(HL_VEC_CAP(Rgb, &rgb), 64);
    cr_assert_eq(hl_len(rgb.buf), 64 * sizeof(Rgb));
    {
        HL_READ_VEC(uint16_t, h, &half);
        HL_READ_VEC(Rgb, c, &rgb);
        cr_assert_eq(h.len, 40);
        cr_assert_eq(c.len, 40);
        for (uint32_t i = 0; i < 40; i++) {
            cr_assert_eq(HL_AT(h, i), 7 * i);
            cr_assert(HL_AT(c, i).r == i && HL_AT(c, i).g == 2 * i && HL_AT(c, i).b == 3 * i, "element %u", i);
        }
    }
    hl_drop(&half.buf);
    hl_drop(&rgb.buf);
}

Test(vectors, one_byte_elements_start_at_8) {
    hl_vec v = HL_VEC_NEW;
    HL_VEC_PUSH(uint8_t, &v, 'x');
    cr_assert_eq(HL_VEC_CAP(uint8_t, &v), 8);
    hl_vec_extend(&v, "0123456789", 10);
    cr_assert_eq(hl_vec_len(&v), 11);
    cr_assert_eq(HL_VEC_CAP(uint8_t, &v), 16);
    hl_vec_extend(&v, "", 0);
    {
        HL_READ_VEC(uint8_t, s, &v);
        cr_assert_eq(s.len, 11);
        cr_assert_eq(memcmp(s.ptr, "x0123456789", 11), 0);
    }
    hl_drop(&v.buf);
}

Test(vectors, with_capacity_and_vec_slices) {
    hl_vec v = HL_VEC_WITH_CAPACITY(uint32_t, 10);
    cr_assert_eq(HL_VEC_CAP(uint32_t, &v), 10);
    cr_assert_eq(hl_vec_len(&v), 0);
    for (uint32_t i = 0; i < 10; i++) HL_VEC_PUSH(uint32_t, &v, i * 3);
    cr_assert_eq(HL_VEC_CAP(uint32_t, &v), 10, "no growth while it fits");
    {
        HL_WRITE_VEC(uint32_t, s, &v);
        cr_assert_eq(s.len, 10);
        HL_AT(s, 9) += 1;
    }
    HL_VEC_TRUNCATE(uint32_t, &v, 4);
    {
        HL_READ_VEC(uint32_t, s, &v);
        cr_assert_eq(s.len, 4, "a vector slice borrows len elements, not the capacity");
        cr_assert_eq(HL_AT(s, 3), 9);
    }
    cr_assert_eq(hl_byte(v.buf, 36), 28, "truncating a bytes vector leaves its buffer as it was");
    hl_vec none = HL_VEC_WITH_CAPACITY(uint32_t, 0);
    cr_assert(hl_is_null(none.buf));
    hl_drop(&v.buf);
}

Test(vectors, refs_vector_owns_its_elements) {
    hl_stats before = hl_get_stats();
    hl_vec v = HL_VEC_NEW;
    for (int64_t i = 0; i < 10; i++) HL_VEC_PUSH(hl_ref, &v, item_new(i));
    hl_ref last = HL_VEC_POP(hl_ref, &v);
    cr_assert_eq(item_id(last), 9);
    cr_assert(hl_is_null(hl_ref_at(v.buf, 9)), "the popped place is left empty");
    hl_drop(&last);
    HL_VEC_TRUNCATE(hl_ref, &v, 6);   /* drops items 6, 7, 8 */
    cr_assert_eq(hl_vec_len(&v), 6);
    for (size_t i = 6; i < 9; i++) cr_assert(hl_is_null(hl_ref_at(v.buf, i)));
    if (sees_frees()) cr_assert_eq(hl_get_stats().frees - before.frees, 8);
    HL_VEC_SHRINK_TO(hl_ref, &v, 8);
    cr_assert_eq(HL_VEC_CAP(hl_ref, &v), 8);
    HL_VEC_SHRINK_TO_FIT(hl_ref, &v);
    cr_assert_eq(HL_VEC_CAP(hl_ref, &v), 6);
    {
        HL_READ_VEC(hl_ref, s, &v);
        for (size_t i = 0; i < s.len; i++) cr_assert_eq(item_id(HL_AT(s, i)), (int64_t)i);
    }
    hl_drop(&v.buf);
    hl_stats after = hl_get_stats();
    cr_assert_eq(after.allocations - before.allocations, 21);
    if (sees_frees()) cr_assert_eq(after.frees - before.frees, 21);
}

/* Dirty memory, dropped, so that an allocator that reuses it hands it to a vector's growth:
** blocks of the sizes a refs vector grows through (4 to 64 handles: size-class free lists,
** glibc's per-thread cache) and larger ones, which glibc's realloc splits when it moves a
** block (it bypasses the per-thread cache). */
static void leave_dirty_blocks(void) {
    static const size_t sizes[] = {4 * 8, 8 * 8, 16 * 8, 32 * 8, 64 * 8, 4096, 16384};
    hl_ref junk[sizeof sizes / sizeof sizes[0]][2];
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (int k = 0; k < 2; k++) {
            junk[i][k] = hl_new_bytes(sizes[i]);
            HL_WRITE_BYTES(w, junk[i][k]);
            memset(w, 0xA5, sizes[i]);
        }
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (int k = 0; k < 2; k++) hl_drop(&junk[i][k]);
}

Test(vectors, a_growing_refs_vector_keeps_its_spare_elements_null) {
    leave_dirty_blocks();
    hl_vec v = HL_VEC_NEW;
    for (int64_t i = 0; i < 40; i++) {
        HL_VEC_PUSH(hl_ref, &v, item_new(i));
        HL_READ_REFS(e, v.buf);
        for (size_t k = hl_vec_len(&v); k < hl_len(v.buf); k++)
            cr_assert(hl_is_null(e[k]), "element %zu of %zu past len %zu after push %lld", k, hl_len(v.buf),
                      hl_vec_len(&v), (long long)i);
    }
    hl_drop(&v.buf);
}

Test(vectors, shrinking_an_empty_vector_frees_its_buffer) {
    hl_vec v = HL_VEC_WITH_CAPACITY(hl_ref, 4);
    HL_VEC_PUSH(hl_ref, &v, item_new(1));
    hl_ref x = HL_VEC_POP(hl_ref, &v);
    hl_drop(&x);
    HL_VEC_SHRINK_TO_FIT(hl_ref, &v);
    cr_assert(hl_is_null(v.buf));
    cr_assert_eq(HL_VEC_CAP(hl_ref, &v), 0);
    HL_VEC_PUSH(hl_ref, &v, item_new(2));   /* and it can grow again */
    cr_assert_eq(hl_vec_len(&v), 1);
    hl_drop(&v.buf);
    if (sees_frees()) cr_assert_eq(hl_get_stats().live_objects, 0);
}

Test(vectors, vector_fields_are_dropped_with_their_owner) {
    hl_stats before = hl_get_stats();
    hl_ref bag = hl_new(&Bag_type);
    for (int64_t i = 0; i < 5; i++) {
        HL_WRITE(Bag, w, bag);
        HL_VEC_PUSH(hl_ref, &w->items, item_new(i));
        HL_VEC_PUSH(uint32_t, &w->numbers, (uint32_t)i);
    }
    {
        HL_READ(Bag, r, bag);
        HL_READ_VEC(uint32_t, nums, &r->numbers);
        HL_READ_VEC(hl_ref, items, &r->items);
        cr_assert(nums.len == 5 && items.len == 5);
        for (size_t i = 0; i < 5; i++) cr_assert_eq(item_id(HL_AT(items, i)), (int64_t)HL_AT(nums, i));
    }
    hl_drop(&bag);   /* the bag, its two buffers, 5 items and their payloads */
    hl_stats after = hl_get_stats();
    cr_assert_eq(after.allocations - before.allocations, 13);
    if (sees_frees()) cr_assert_eq(after.frees - before.frees, 13);
}

/* ==== helpers ============================================================================== */

Test(helpers, swap_handles) {
    hl_ref a = item_new(1), b = item_new(2);
    hl_swap(&a, &b);
    cr_assert(item_id(a) == 2 && item_id(b) == 1);
    hl_ref n = HL_NULL;
    hl_swap(&a, &n);
    cr_assert(hl_is_null(a) && item_id(n) == 2);
    hl_swap(&b, &b);   /* a place with itself: nothing happens */
    cr_assert_eq(item_id(b), 1);
    hl_drop(&b);
    hl_drop(&n);
    if (sees_frees()) cr_assert_eq(hl_get_stats().live_objects, 0);
}

Test(helpers, swap_elements_of_a_refs_buffer) {
    hl_ref v = hl_new_refs(3);
    for (size_t i = 0; i < 3; i++) *hl_slot(v, i) = item_new((int64_t)i);
    hl_swap(hl_slot(v, 0), hl_slot(v, 2));
    cr_assert(item_id(hl_ref_at(v, 0)) == 2 && item_id(hl_ref_at(v, 1)) == 1 && item_id(hl_ref_at(v, 2)) == 0);
    {
        HL_WRITE_SLICE(hl_ref, s, v);
        hl_swap(&HL_AT(s, 1), &HL_AT(s, 2));
    }
    cr_assert(item_id(hl_ref_at(v, 1)) == 0 && item_id(hl_ref_at(v, 2)) == 1);
    hl_drop(&v);
}

Test(helpers, swap_plain_values) {
    int x = 3, y = 4;
    hl_swap(&x, &y);
    cr_assert(x == 4 && y == 3);
    Pt p = {1, 2}, q = {3, 4};
    hl_swap(&p, &q);
    cr_assert(p.x == 3 && p.y == 4 && q.x == 1 && q.y == 2);
    hl_vec a = HL_VEC_NEW, b = HL_VEC_NEW;
    HL_VEC_PUSH(uint8_t, &a, 1);
    hl_swap(&a, &b);   /* a vector is a plain struct: swapped as it is */
    cr_assert(hl_vec_len(&a) == 0 && hl_vec_len(&b) == 1 && hl_is_null(a.buf));
    hl_drop(&b.buf);
}

Test(helpers, bytes_from_a_c_string) {
    hl_ref s = hl_bytes_from_cstr("hello, world");
    cr_assert_eq(hl_len(s), 12, "no terminating NUL");
    {
        HL_READ_SLICE(uint8_t, b, s);
        cr_assert_eq(memcmp(b.ptr, "hello, world", 12), 0);
    }
    hl_ref e = hl_bytes_from_cstr("");
    cr_assert_eq(hl_len(e), 0);
    hl_ref part = hl_bytes_from("abcdef" + 2, 3);
    cr_assert(hl_len(part) == 3 && hl_byte(part, 0) == 'c' && hl_byte(part, 2) == 'e');
    hl_ref none = hl_bytes_from(NULL, 0);
    cr_assert_eq(hl_len(none), 0);
    hl_drop(&s);
    hl_drop(&e);
    hl_drop(&part);
    hl_drop(&none);
}
