/*
** rt_scope.c: stack objects (HL_LOCAL, HL_LOCAL_BYTES, HL_LOCAL_REFS) and regions
** (hl_region_begin/end), the part of the contract every runtime shares (docs/design.md, "Stack objects", "Regions").
**
** Compiled once per runtime (build/tests/rt_scope-<rt>). A runtime is named only through
** hl_runtime_name(), where its documented difference is asserted: gc sees no frees, region's
** drops free nothing (only hl_region_end releases, and then the memory is reused), and
** hl_shutdown cannot count leaks on either. The owned runtime's diagnostics for misuse are in
** tests/owned_scope.c.
**
** Criterion runs every test in its own process; each test starts a fresh runtime.
*/
#define _GNU_SOURCE
#include "heaplab.h"
#include "hl_test.h"
#include "hl_types.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- types -------------------------------------------------------------------------------- */

typedef struct Tri {    /* owned fields between plain ones, and a non-owning copy */
    hl_ref  a;
    int32_t x;
    hl_ref  b;
    double  d;
    hl_ref  c;
    hl_ref  back;       /* not owned */
} Tri;
HL_TYPE(Tri, a, b, c);

typedef struct Frame {  /* a recursion's scratch object: a link to the caller's (not owned) */
    int64_t depth;
    hl_ref  up;
} Frame;
HL_TYPE(Frame);

/* ---- helpers ------------------------------------------------------------------------------ */

static bool rt_is(const char *name) { return strcmp(hl_runtime_name(), name) == 0; }
/* gc does not see frees and region's drops free nothing (docs/design.md). */
static bool sees_frees(void) { return !rt_is("gc") && !rt_is("region"); }

static void fresh(void) {
    hl_shutdown();
    cr_assert_eq(setenv("HEAPLAB_STATS", "", 1), 0);
    hl_init();
}

static uint64_t live(void) { return hl_get_stats().live_objects; }

static void finish(void) {
    size_t leaked = hl_shutdown();
    cr_assert_eq(leaked, 0, "hl_shutdown reported %zu leaked objects", leaked);
}

static hl_ref node_new(int64_t val) {
    hl_ref n = hl_new(&Node_type);
    HL_WRITE(Node, p, n);
    p->val = val;
    return n;
}

static int64_t node_val(hl_ref n) {
    HL_READ(Node, p, n);
    return p->val;
}

static hl_ref list_new(size_t len, int64_t first) {
    hl_ref head = HL_NULL;
    for (size_t i = len; i-- > 0;) {
        hl_ref n = node_new(first + (int64_t)i);
        {
            HL_WRITE(Node, p, n);
            p->next = hl_move(&head);
        }
        head = hl_move(&n);
    }
    return head;
}

static int64_t list_sum(hl_ref head) {
    int64_t s = 0;
    for (hl_ref cur = head; !hl_is_null(cur);) {
        HL_READ(Node, p, cur);
        s += p->val;
        cur = p->next;
    }
    return s;
}

static bool all_zero(const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return false;
    return true;
}

TestSuite(stack_objects, .init = fresh);
TestSuite(regions, .init = fresh);

/* ==== stack objects ======================================================================== */

/* Fill stack objects with garbage; the next call at the same depth gets the same stack. The
** third object is a bytes buffer the size of check_zeroed_frame's refs buffer (a garbage
** handle in a refs buffer would be dropped when its block ends). */
enum { DIRTY_REFS = 32 };
static uintptr_t dirty_lo, dirty_hi;   /* where the garbage for the refs buffer lay */

__attribute__((noinline)) static void dirty_frame(void) {
    HL_LOCAL(Tri, t);
    HL_LOCAL_BYTES(b, 256);
    HL_LOCAL_BYTES(r, DIRTY_REFS * sizeof(hl_ref));
    {
        HL_WRITE(Tri, p, t);
        memset(&p->x, 0xa5, sizeof p->x);
        memset(&p->d, 0xa5, sizeof p->d);
        HL_WRITE_BYTES(q, b);
        memset(q, 0x5a, 256);
        HL_WRITE_BYTES(g, r);
        memset(g, 0xc3, DIRTY_REFS * sizeof(hl_ref));
        dirty_lo = (uintptr_t)g;
        dirty_hi = dirty_lo + DIRTY_REFS * sizeof(hl_ref);
    }
    __asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void check_zeroed_frame(void) {
    HL_LOCAL(Tri, t);
    HL_LOCAL_BYTES(b, 256);
    HL_LOCAL_REFS(r, DIRTY_REFS);
    HL_READ(Tri, p, t);
    cr_assert(all_zero(p, sizeof *p), "HL_LOCAL(Tri, t) is not zeroed");
    cr_assert(hl_is_null(p->a) && hl_is_null(p->b) && hl_is_null(p->c));
    HL_READ_BYTES(q, b);
    cr_assert(all_zero(q, 256), "HL_LOCAL_BYTES(b, 256) is not zeroed");
    cr_assert_eq(hl_len(r), DIRTY_REFS);
    HL_READ_REFS(e, r);
    uintptr_t lo = (uintptr_t)e, hi = lo + DIRTY_REFS * sizeof(hl_ref);
    cr_assert(lo < dirty_hi && dirty_lo < hi,
              "the refs buffer does not overlap the dirtied bytes: the test shows nothing (compiler layout)");
    for (size_t i = 0; i < DIRTY_REFS; i++) cr_assert(hl_is_null(e[i]), "HL_LOCAL_REFS element %zu is not HL_NULL", i);
}

Test(stack_objects, are_zeroed_even_where_the_stack_was_dirty) {
    for (int i = 0; i < 4; i++) {
        dirty_frame();
        check_zeroed_frame();
    }
    finish();
}

Test(stack_objects, handles_are_not_null_and_borrowable) {
    HL_LOCAL(Tri, t);
    cr_assert(!hl_is_null(t));
    {
        HL_WRITE(Tri, p, t);
        p->x = -7;
        p->d = 1.5;
    }
    {
        HL_READ(Tri, p, t);
        HL_READ(Tri, p2, t);   /* several shared borrows, as on the heap */
        cr_assert_eq(p, p2);
        cr_assert_eq(p->x, -7);
        cr_assert(p->d == 1.5);
        cr_assert_eq((uintptr_t)p % 8, 0, "a stack object is 8-byte aligned like a heap object");
    }
    finish();
}

Test(stack_objects, bytes_len_accessors_and_borrows_agree) {
    HL_LOCAL_BYTES(b, 100);
    HL_LOCAL_BYTES(e, 0);
    cr_assert_eq(hl_len(b), 100);
    cr_assert_eq(hl_len(e), 0);
    cr_assert(!hl_is_null(e), "a 0-byte stack buffer is still a buffer");
    for (size_t i = 0; i < 100; i++) hl_set_byte(b, i, (uint8_t)(3 * i + 1));
    {
        HL_READ_BYTES(p, b);
        cr_assert_eq((uintptr_t)p % 8, 0);
        for (size_t i = 0; i < 100; i++) cr_assert_eq(p[i], (uint8_t)(3 * i + 1));
        cr_assert_eq(hl_len(b), 100, "hl_len is allowed while borrowed");
    }
    {
        HL_WRITE_BYTES(p, b);
        p[99] = 200;
    }
    cr_assert_eq(hl_byte(b, 99), 200);
    enum { N = 3 * 8 };   /* any integer constant expression */
    HL_LOCAL_BYTES(c, N + 1);
    cr_assert_eq(hl_len(c), 25);
    finish();
}

/* (The block ends before finish(): the element's node is dropped with it, not leaked.) */
Test(stack_objects, refs_len_accessors_and_borrows_agree) {
    {
        HL_LOCAL_REFS(r, 10);
        HL_LOCAL_REFS(e, 0);
        cr_assert_eq(hl_len(r), 10);
        cr_assert_eq(hl_len(e), 0);
        cr_assert(!hl_is_null(e), "a 0-length stack refs buffer is still a buffer");
        for (size_t i = 0; i < 10; i++) cr_assert(hl_is_null(hl_ref_at(r, i)));
        hl_ref x = node_new(7);
        *hl_slot(r, 4) = hl_move(&x);
        cr_assert(hl_is_null(x), "hl_move empties the source");
        cr_assert_eq(node_val(hl_ref_at(r, 4)), 7, "the element holds the handle stored");
        {
            HL_READ_REFS(p, r);
            HL_READ_REFS(p2, r);   /* several shared borrows, as on the heap */
            cr_assert_eq(p, p2);
            cr_assert_eq((uintptr_t)p % 8, 0);
            cr_assert_eq(node_val(p[4]), 7);
            cr_assert(hl_is_null(p[3]) && hl_is_null(p[5]));
            cr_assert_eq(hl_len(r), 10, "hl_len is allowed while borrowed");
        }
        {
            HL_READ_SLICE(hl_ref, s, r);
            cr_assert_eq(s.len, 10);
            cr_assert_eq(node_val(HL_AT(s, 4)), 7);
            HL_READ_SLICE(hl_ref, z, e);
            cr_assert_eq(z.len, 0);
        }
        enum { N = 2 * 3 };   /* any integer constant expression */
        HL_LOCAL_REFS(c, N + 1);
        cr_assert_eq(hl_len(c), 7);
    }
    finish();
}

/* Every way of storing an owned handle in an element: hl_slot, HL_WRITE_REFS, HL_WRITE_SLICE. */
Test(stack_objects, refs_elements_are_dropped_when_the_block_ends) {
    hl_ref spare = node_new(99);   /* not in the buffer: survives */
    {
        HL_LOCAL_REFS(r, 8);
        hl_ref a = list_new(3, 1);
        *hl_slot(r, 0) = hl_move(&a);
        {
            HL_WRITE_REFS(p, r);
            p[3] = list_new(2, 10);
        }
        {
            HL_WRITE_SLICE(hl_ref, s, r);
            HL_AT(s, 7) = list_new(4, 100);
            HL_AT(s, 5) = hl_new_bytes(32);
        }
        if (sees_frees()) cr_assert_eq(live(), 1 + 3 + 2 + 4 + 1);
        cr_assert_eq(list_sum(hl_ref_at(r, 0)) + list_sum(hl_ref_at(r, 3)) + list_sum(hl_ref_at(r, 7)),
                     1 + 2 + 3 + 10 + 11 + 100 + 101 + 102 + 103);
        cr_assert_eq(hl_len(hl_ref_at(r, 5)), 32);
    }
    if (sees_frees()) cr_assert_eq(live(), 1, "what the elements held dies with the block");
    cr_assert_eq(node_val(spare), 99);
    hl_drop(&spare);
    finish();
}

Test(stack_objects, refs_moved_out_elements_are_not_dropped) {
    hl_ref taken, moved;
    {
        HL_LOCAL_REFS(r, 4);
        *hl_slot(r, 0) = list_new(3, 0);
        *hl_slot(r, 1) = node_new(5);
        *hl_slot(r, 2) = list_new(2, 20);
        taken = hl_take(hl_slot(r, 0));
        moved = hl_move(hl_slot(r, 2));
        cr_assert(hl_is_null(hl_ref_at(r, 0)) && hl_is_null(hl_ref_at(r, 2)), "the elements were emptied");
        if (sees_frees()) cr_assert_eq(live(), 6);
    }
    if (sees_frees()) cr_assert_eq(live(), 5, "only the element still holding a node was dropped");
    cr_assert_eq(list_sum(taken), 0 + 1 + 2);
    cr_assert_eq(list_sum(moved), 20 + 21);
    hl_drop(&taken);
    hl_drop(&moved);
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

/* A list of 100000 nodes held by an element: the drop at the end of the block is iterative. */
Test(stack_objects, refs_a_deep_drop_through_an_element) {
    {
        HL_LOCAL_REFS(r, 3);
        *hl_slot(r, 1) = list_new(100000, 0);
        *hl_slot(r, 2) = node_new(1);
        if (sees_frees()) cr_assert_eq(live(), 100001);
    }
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

/* A refs buffer's elements are dropped on every way out of its block. */
static int64_t refs_early_exit(bool early) {
    HL_LOCAL_REFS(r, 2);
    *hl_slot(r, 0) = node_new(5);
    *hl_slot(r, 1) = list_new(3, 0);
    if (early) return node_val(hl_ref_at(r, 0));
    return -1;
}

Test(stack_objects, refs_end_on_return_break_and_continue) {
    cr_assert_eq(refs_early_exit(true), 5);
    cr_assert_eq(refs_early_exit(false), -1);
    for (int i = 0; i < 10; i++) {
        HL_LOCAL_REFS(r, 1);
        *hl_slot(r, 0) = node_new(i);
        if (i % 2) continue;
        if (i == 8) break;
    }
    if (sees_frees()) cr_assert_eq(live(), 0, "every refs buffer's elements were dropped on the way out");
    finish();
}

Test(stack_objects, are_not_allocations) {
    {
        HL_LOCAL(Node, n);
        HL_LOCAL_BYTES(b, 64);
        HL_LOCAL_REFS(r, 16);
        cr_assert_eq(node_val(n), 0);
        cr_assert_eq(hl_byte(b, 63), 0);
        cr_assert(hl_is_null(hl_ref_at(r, 15)));
        hl_stats s = hl_get_stats();
        cr_assert_eq(s.allocations, 0, "stack objects are not counted as allocations");
        cr_assert_eq(s.bytes_allocated, 0);
    }
    cr_assert_eq(hl_get_stats().allocations, 0);
    cr_assert_eq(hl_shutdown(), 0, "stack objects are never leaks");
}

/* What an element holds is an allocation; the buffer is not. */
Test(stack_objects, a_refs_buffer_is_not_an_allocation) {
    hl_ref kept;
    {
        HL_LOCAL_REFS(r, 64);
        cr_assert_eq(hl_get_stats().allocations, 0, "a stack refs buffer is not counted as an allocation");
        *hl_slot(r, 3) = node_new(3);
        *hl_slot(r, 60) = node_new(60);
        hl_stats s = hl_get_stats();
        cr_assert_eq(s.allocations, 2);
        cr_assert_eq(s.bytes_allocated, 2 * sizeof(Node));
        kept = hl_move(hl_slot(r, 60));
    }
    cr_assert_eq(hl_get_stats().allocations, 2);
    if (sees_frees()) cr_assert_eq(hl_get_stats().frees, 1, "the element still holding a node was freed");
    cr_assert_eq(node_val(kept), 60);
    hl_drop(&kept);
    cr_assert_eq(hl_shutdown(), 0, "a stack refs buffer is never a leak");
}

Test(stack_objects, owned_fields_are_dropped_when_the_block_ends) {
    hl_ref spare = node_new(99);   /* not owned by the stack object: survives */
    {
        HL_LOCAL(Tri, t);
        {
            HL_WRITE(Tri, p, t);
            p->a = list_new(3, 1);
            p->c = list_new(2, 10);
            p->back = spare;   /* a non-owning copy: not dropped */
        }
        if (sees_frees()) cr_assert_eq(live(), 6);
        HL_READ(Tri, p, t);
        cr_assert_eq(list_sum(p->a) + list_sum(p->c), 1 + 2 + 3 + 10 + 11);
    }
    if (sees_frees()) cr_assert_eq(live(), 1, "the stack object's owned fields die with its block");
    cr_assert_eq(node_val(spare), 99, "an object only copied into a non-owned field lives on");
    hl_drop(&spare);
    finish();
}

Test(stack_objects, moved_out_fields_are_not_dropped) {
    hl_ref kept;
    {
        HL_LOCAL(Node, n);
        HL_WRITE(Node, p, n);
        p->next = list_new(4, 0);
        kept = hl_move(&p->next);   /* ownership leaves the stack object */
    }
    cr_assert_eq(list_sum(kept), 0 + 1 + 2 + 3);
    hl_drop(&kept);
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

/* A stack object ends after the borrows and HL_OWNED variables declared after it in its block
** (reverse order): the borrow of its field's object is released first, so the drop of that
** field is legal (owned would report "drop while borrowed" otherwise), and an HL_OWNED
** variable declared before it is dropped after it. */
Test(stack_objects, end_in_reverse_order_with_owned_variables_and_borrows) {
    {
        HL_OWNED hl_ref first = node_new(1);
        HL_LOCAL(Node, n);
        {
            HL_WRITE(Node, p, n);
            p->next = node_new(2);
        }
        HL_READ(Node, outer, n);
        HL_READ(Node, inner, outer->next);   /* borrows the stack object's field's object */
        HL_OWNED hl_ref last = node_new(3);
        cr_assert_eq(inner->val + node_val(first) + node_val(last), 6);
    }
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

static int64_t early_exit(bool early) {
    HL_LOCAL(Node, n);
    {
        HL_WRITE(Node, p, n);
        p->val = 5;
        p->next = node_new(6);
    }
    if (early) return node_val(n);
    return -1;
}

Test(stack_objects, end_on_return_break_and_continue) {
    cr_assert_eq(early_exit(true), 5);
    cr_assert_eq(early_exit(false), -1);
    for (int i = 0; i < 10; i++) {
        HL_LOCAL(Node, n);
        {
            HL_WRITE(Node, p, n);
            p->next = node_new(i);
        }
        if (i % 2) continue;
        if (i == 8) break;
    }
    if (sees_frees()) cr_assert_eq(live(), 0, "every stack object's field was dropped on the way out");
    finish();
}

/* Each level's stack object links to its caller's (a non-owning copy); the sum runs through
** all of them while every frame lives. */
static int64_t recurse(int64_t depth, hl_ref up) {
    HL_LOCAL(Frame, f);
    {
        HL_WRITE(Frame, p, f);
        p->depth = depth;
        p->up = up;
    }
    if (depth > 0) return recurse(depth - 1, f);
    int64_t sum = 0;
    for (hl_ref cur = f; !hl_is_null(cur);) {
        HL_READ(Frame, p, cur);
        sum += p->depth;
        cur = p->up;
    }
    return sum;
}

Test(stack_objects, one_per_frame_of_a_deep_recursion) {
    for (int round = 0; round < 3; round++) cr_assert_eq(recurse(2000, HL_NULL), 2000 * 2001 / 2);
    finish();
}

Test(stack_objects, many_in_a_loop) {
    int64_t sum = 0;
    for (int i = 0; i < 200000; i++) {
        HL_LOCAL(Node, n);
        HL_LOCAL_BYTES(b, 16);
        {
            HL_WRITE(Node, p, n);
            p->val = i;
        }
        hl_set_byte(b, (size_t)i % 16, 1);
        sum += node_val(n) + hl_byte(b, (size_t)i % 16);
    }
    cr_assert_eq(sum, 200000LL * 199999 / 2 + 200000);
    cr_assert_eq(hl_get_stats().allocations, 0);
    finish();
}

/* A stack object's owned field that holds a list of 3 million nodes: the drop at the end of
** its block is as iterative as hl_drop's. */
Test(stack_objects, a_deep_drop_through_an_owned_field) {
    {
        HL_LOCAL(Node, n);
        hl_ref list = list_new(3000000, 0);
        HL_WRITE(Node, p, n);
        p->next = hl_move(&list);
    }
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

/* Heap objects owned by a live stack object stay alive while garbage is made (on gc the
** stack is scanned) and keep their content. */
Test(stack_objects, heap_objects_owned_by_one_stay_alive) {
    {
        HL_LOCAL(Node, n);
        {
            HL_WRITE(Node, p, n);
            p->next = list_new(1000, 0);
        }
        for (int i = 0; i < 300; i++) {
            hl_ref junk = hl_new_bytes(64 * 1024);
            hl_set_byte(junk, 0, 0xff);
            hl_drop(&junk);
        }
        HL_READ(Node, p, n);
        cr_assert_eq(list_sum(p->next), 999 * 1000 / 2);
    }
    finish();
}

/* The same for the elements of a live stack refs buffer. */
Test(stack_objects, heap_objects_owned_by_a_refs_buffer_stay_alive) {
    {
        HL_LOCAL_REFS(r, 4);
        for (size_t k = 0; k < 4; k++) *hl_slot(r, k) = list_new(250, (int64_t)(1000 * k));
        for (int i = 0; i < 300; i++) {
            hl_ref junk = hl_new_bytes(64 * 1024);
            hl_set_byte(junk, 0, 0xff);
            hl_drop(&junk);
        }
        for (size_t k = 0; k < 4; k++)
            cr_assert_eq(list_sum(hl_ref_at(r, k)), 250 * 1000 * (int64_t)k + 249 * 250 / 2);
    }
    finish();
}

/* A non-owning copy of a stack object's handle may be kept in a heap object (a field that is
** not owned) while the block lives. */
Test(stack_objects, non_owning_copies_in_heap_objects) {
    HL_LOCAL(Node, n);
    {
        HL_WRITE(Node, p, n);
        p->val = 41;
    }
    hl_ref t = hl_new(&Tri_type);
    {
        HL_WRITE(Tri, p, t);
        p->back = n;
    }
    {
        HL_READ(Tri, p, t);
        HL_WRITE(Node, q, p->back);
        q->val++;
    }
    cr_assert_eq(node_val(n), 42);
    hl_drop(&t);
    finish();
}

/* A stack object still live at hl_shutdown is forgotten; its block's end is then harmless,
** and a restarted runtime has stack objects again. */
Test(stack_objects, outliving_the_runtime_is_harmless) {
    {
        HL_LOCAL(Node, n);
        HL_LOCAL_BYTES(b, 8);
        hl_set_byte(b, 1, 1);
        cr_assert_eq(node_val(n), 0);
        cr_assert_eq(hl_shutdown(), 0, "stack objects are not leaks");
    }
    hl_init();
    {
        HL_LOCAL(Node, m);
        HL_WRITE(Node, p, m);
        p->val = 3;
        p->next = node_new(4);
        cr_assert_eq(p->val + node_val(p->next), 7);
    }
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

/* ==== regions ============================================================================== */

static uintptr_t address_of(hl_ref bytes) {
    HL_READ_BYTES(p, bytes);
    return (uintptr_t)p;
}

Test(regions, nest_and_end_in_order) {
    hl_region outer = hl_region_begin();
    hl_ref a = node_new(1);
    hl_region inner = hl_region_begin();
    hl_ref b = list_new(100, 0);
    hl_drop(&b);
    hl_region_end(inner);
    cr_assert_eq(node_val(a), 1);
    hl_drop(&a);
    hl_region_end(outer);
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

Test(regions, objects_from_before_a_region_outlive_it) {
    hl_ref before = list_new(10, 0);
    hl_ref dropped_inside = node_new(5);
    for (int round = 0; round < 20; round++) {
        hl_region m = hl_region_begin();
        hl_ref t = list_new(1000, round);
        cr_assert_eq(list_sum(t), 1000 * round + 999 * 1000 / 2);
        hl_drop(&t);
        if (round == 3) hl_drop(&dropped_inside);   /* an older object may die inside */
        hl_region_end(m);
    }
    cr_assert_eq(list_sum(before), 45, "an object allocated before the region is intact after it");
    hl_drop(&before);
    finish();
}

Test(regions, memory_handed_out_after_an_end_is_zeroed) {
    for (int round = 0; round < 5; round++) {
        hl_region m = hl_region_begin();
        hl_ref b = hl_new_bytes(5000);
        {
            HL_READ_BYTES(p, b);
            cr_assert(all_zero(p, 5000), "round %d: a new buffer is not zeroed", round);
        }
        {
            HL_WRITE_BYTES(p, b);
            memset(p, 0xff, 5000);
        }
        hl_ref t = hl_new(&Tri_type);
        {
            HL_WRITE(Tri, p, t);
            memset(&p->x, 0xff, sizeof p->x);
        }
        hl_drop(&t);
        hl_drop(&b);
        hl_region_end(m);
        hl_ref t2 = hl_new(&Tri_type);
        {
            HL_READ(Tri, p, t2);
            cr_assert(all_zero(p, sizeof *p));
        }
        hl_drop(&t2);
    }
    finish();
}

/* Ending an outer region ends the inner ones still open; ending them again does nothing. */
Test(regions, ending_an_outer_region_ends_the_inner_ones) {
    hl_region outer = hl_region_begin();
    hl_ref first = hl_new_bytes(32);
    uintptr_t at_mark = address_of(first);
    hl_drop(&first);
    hl_region inner = hl_region_begin();
    hl_ref x = list_new(50, 0);
    hl_drop(&x);
    hl_region_end(outer);   /* ends inner too */
    hl_ref y = hl_new_bytes(32);
    hl_set_byte(y, 31, 7);
    hl_region_end(inner);   /* already ended: nothing happens to y */
    hl_region_end(outer);   /* likewise */
    hl_ref z = hl_new_bytes(32);
    hl_set_byte(z, 31, 9);
    cr_assert_eq(hl_byte(y, 31), 7, "ending an ended region released a later object");
    if (rt_is("region")) cr_assert_eq(address_of(y), at_mark, "region: the memory since the mark is reused");
    hl_drop(&y);
    hl_drop(&z);
    finish();
}

/* A token of a region that has ended stays stale when a new region opens at its depth. */
Test(regions, a_stale_token_does_not_end_a_newer_region) {
    hl_region a = hl_region_begin();
    hl_region_end(a);
    hl_region b = hl_region_begin();
    hl_ref y = hl_new_bytes(16);
    hl_set_byte(y, 0, 5);
    hl_region_end(a);   /* a, not b */
    hl_ref z = hl_new_bytes(16);
    hl_set_byte(z, 0, 6);
    cr_assert_eq(hl_byte(y, 0), 5);
    hl_drop(&y);
    hl_drop(&z);
    hl_region_end(b);
    finish();
}

Test(regions, large_buffers_and_resizes_inside) {
    for (int round = 0; round < 30; round++) {
        hl_region m = hl_region_begin();
        hl_ref big = hl_new_bytes(3u << 20);   /* larger than a region chunk */
        hl_set_byte(big, (3u << 20) - 1, 1);
        hl_ref v = hl_new_bytes(10);
        for (size_t n = 20; n < 200000; n *= 2) {
            hl_set_byte(v, hl_len(v) - 1, 3);
            hl_resize(&v, n);
            cr_assert_eq(hl_byte(v, n / 2 - 1), 3, "a resize keeps the content");
            cr_assert_eq(hl_byte(v, n - 1), 0, "and zeroes the new part");
        }
        cr_assert_eq(hl_byte(big, (3u << 20) - 1), 1);
        hl_drop(&v);
        hl_drop(&big);
        hl_region_end(m);
    }
    finish();
}

/* More small objects than one chunk holds, with their values checked after every allocation
** has been made. */
Test(regions, many_objects_across_chunks) {
    hl_region m = hl_region_begin();
    hl_ref l = list_new(200000, 1);
    cr_assert_eq(list_sum(l), 200000LL * 200001 / 2);
    hl_drop(&l);
    hl_region_end(m);
    finish();
}

/* More memory in one region than the region runtime takes in 1 MiB chunks (32 MiB; past it,
** its chunks are 2 MiB huge-page ones): every buffer keeps its bytes until the end, and the
** chunks reused after it hand out zeroed buffers. */
Test(regions, past_the_huge_page_threshold) {
    enum { N = 40000, SIZE = 1024 };
    static hl_ref bufs[N];
    for (int round = 0; round < 2; round++) {
        hl_region m = hl_region_begin();
        for (int i = 0; i < N; i++) {
            bufs[i] = hl_new_bytes(SIZE);
            cr_assert_eq(hl_byte(bufs[i], 0) | hl_byte(bufs[i], SIZE - 1), 0, "round %d: buffer %d not zeroed", round, i);
            hl_set_byte(bufs[i], 0, (uint8_t)i);
            hl_set_byte(bufs[i], SIZE - 1, (uint8_t)(i >> 8));
        }
        for (int i = 0; i < N; i++) {
            cr_assert_eq(hl_byte(bufs[i], 0), (uint8_t)i, "round %d: buffer %d lost its first byte", round, i);
            cr_assert_eq(hl_byte(bufs[i], SIZE - 1), (uint8_t)(i >> 8), "round %d: buffer %d lost its last byte", round, i);
            hl_drop(&bufs[i]);
        }
        hl_region_end(m);
    }
    finish();
}

/* Stack objects are not the region's: one declared inside may outlive the region's end. */
Test(regions, stack_objects_are_not_region_objects) {
    {
        hl_region m = hl_region_begin();
        HL_LOCAL(Node, n);
        HL_LOCAL_BYTES(b, 4);
        hl_region_end(m);
        hl_set_byte(b, 3, 1);
        cr_assert_eq(node_val(n) + hl_byte(b, 3), 1);
    }
    finish();
}

/* hl_shutdown ends every open region; a token from before it does nothing afterwards. */
Test(regions, shutdown_ends_every_region) {
    hl_region m = hl_region_begin();
    hl_region_begin();
    cr_assert_eq(hl_shutdown(), 0);
    hl_init();
    hl_region m2 = hl_region_begin();
    hl_ref y = hl_new_bytes(8);
    hl_set_byte(y, 7, 4);
    hl_region_end(m);
    hl_ref z = hl_new_bytes(8);
    hl_set_byte(z, 7, 5);
    cr_assert_eq(hl_byte(y, 7), 4);
    hl_drop(&y);
    hl_drop(&z);
    hl_region_end(m2);
    finish();
}

Test(regions, begin_before_init_starts_the_runtime) {
    hl_shutdown();
    hl_region m = hl_region_begin();
    hl_ref a = node_new(3);
    cr_assert_eq(node_val(a), 3);
    hl_drop(&a);
    hl_region_end(m);
    finish();
}

/* region only: hl_region_end releases what was allocated since the mark (frees, live counts
** and the bytes go back to what they were at the mark), and the memory is reused. */
Test(regions, region_runtime_releases_at_the_end) {
    if (!rt_is("region")) cr_skip_test("%s: hl_region_end releases nothing itself", hl_runtime_name());
    hl_ref keep = hl_new_bytes(100);
    hl_region m = hl_region_begin();
    hl_ref a = hl_new_bytes(1000);
    uintptr_t first = address_of(a);
    hl_ref b = list_new(10, 0);
    hl_drop(&a);
    cr_assert_eq(hl_get_stats().frees, 0, "region: hl_drop frees nothing");
    hl_drop(&b);
    hl_region_end(m);
    hl_stats s = hl_get_stats();
    cr_assert_eq(s.allocations, 12);
    cr_assert_eq(s.frees, 11, "the 11 objects of the region are released");
    cr_assert_eq(s.live_objects, 1);
    cr_assert_eq(s.peak_live_bytes, 100 + 1000 + 10 * sizeof(Node));
    hl_region m2 = hl_region_begin();
    hl_ref c = hl_new_bytes(1000);
    cr_assert_eq(address_of(c), first, "the region's memory is reused by the next one");
    hl_drop(&c);
    hl_region_end(m2);
    hl_drop(&keep);
    cr_assert_eq(hl_shutdown(), 0, "region cannot count leaks");
}
