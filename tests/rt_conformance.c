/*
** rt_conformance.c: the contract all three runtimes share (docs/design.md, include/heaplab.h).
**
** Compiled once per runtime (build/tests/rt_conformance-<rt>). The suite never names a
** runtime except through hl_runtime_name(), and only where a runtime's documented difference
** is asserted: gc does not see frees (frees, live_objects and peak_live_bytes are 0, and
** hl_shutdown cannot count leaks), region's drops free nothing (its frees are what
** hl_region_end releases, and hl_shutdown returns 0), manual, owned and region have no
** collections or GC heap.
**
** Criterion runs every test in its own process; each test starts a fresh runtime.
*/
#define _GNU_SOURCE
#include "heaplab.h"
#include "hl_free_probe.h"
#include "hl_test.h"

#include <criterion/criterion.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- types -------------------------------------------------------------------------------- */

typedef struct Leaf {   /* owns nothing */
    int64_t v;
    uint8_t pad[24];
} Leaf;
HL_TYPE(Leaf);

typedef struct Node {   /* one owned field: a singly linked list */
    int64_t val;
    hl_ref  next;
} Node;
HL_TYPE(Node, next);

typedef struct Tri {    /* several owned fields between plain ones, plus a non-owning copy */
    hl_ref   a;
    int32_t  x;
    hl_ref   b;
    double   d;
    hl_ref   c;
    hl_ref   back;      /* not owned: not listed */
} Tri;
HL_TYPE(Tri, a, b, c);

typedef struct Pair {   /* two owned fields with a plain one between them */
    hl_ref  first;
    int64_t x;
    hl_ref  second;
} Pair;
HL_TYPE(Pair, first, second);

typedef struct Twig {   /* two owned fields leading the struct: a binary tree node */
    hl_ref  left, right;
    int64_t v;
} Twig;
HL_TYPE(Twig, left, right);

typedef struct Far {    /* an owned field more than 64 KiB into the object */
    uint8_t pad[70000];
    hl_ref  next;
} Far;
HL_TYPE(Far, next);

/* ---- helpers ------------------------------------------------------------------------------ */

static bool rt_is(const char *name) { return strcmp(hl_runtime_name(), name) == 0; }
/* gc does not see frees (frees, live_objects and peak_live_bytes are 0 there by contract), and
** region's hl_drop frees nothing (only hl_region_end releases): neither can count leaks. */
static bool sees_frees(void) { return !rt_is("gc") && !rt_is("region"); }
/* Does the runtime count objects without HEAPLAB_STATS? owned and region do; manual and gc count
** only in statistics runs (include/heaplab.h, hl_stats). */
static bool counts_always(void) { return !rt_is("gc") && !rt_is("manual"); }

/* Whether the runtime was started with statistics requested, and the free probe's count then
** (see frees). */
static bool stats_on;
static uint64_t probe_at_start;

/* Restart the runtime with statistics requested (HEAPLAB_STATS present, empty: counts without
** a file) or not. */
static void restart(bool stats) {
    hl_shutdown();
    if (stats)
        cr_assert_eq(setenv("HEAPLAB_STATS", "", 1), 0);
    else
        cr_assert_eq(unsetenv("HEAPLAB_STATS"), 0);
    hl_init();
    stats_on = stats;
    probe_at_start = hl_free_probe_count();
}

/* Every test starts a fresh runtime with statistics requested. */
static void fresh(void) { restart(true); }

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

/* A list of len nodes valued first, first+1, ... built iteratively (head first). */
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

static size_t list_len(hl_ref head) {
    size_t n = 0;
    hl_ref cur = head;
    while (!hl_is_null(cur)) {
        HL_READ(Node, p, cur);
        cur = p->next;   /* reassigning the borrowed handle variable: harmless */
        n++;
    }
    return n;
}

/* Objects freed since the runtime started: its own count where it keeps one. manual keeps none
** without statistics, so there it is the blocks freed since the start, seen by the free probe
** (manual frees one block an object), and 0 where the probe sees nothing (see can_count_frees). */
static uint64_t frees(void) {
    if (rt_is("manual") && !stats_on) return hl_free_probe_count() - probe_at_start;
    return hl_get_stats().frees;
}

/* Whether frees() counts in this run: the runtime sees frees (sees_frees), and counts them now or
** has the probe to count them (not under AddressSanitizer or valgrind: hl_free_probe.h). */
static bool can_count_frees(void) {
    return sees_frees() && (stats_on || !rt_is("manual") || hl_free_probe_works());
}

/* Objects allocated and not freed: the runtime's count, where it keeps one now. */
static uint64_t live(void) { return hl_get_stats().live_objects; }

/* Leak check at the end of a test: every test drops what it made. */
static void finish(void) {
    size_t leaked = hl_shutdown();
    if (sees_frees())
        cr_assert_eq(leaked, 0, "hl_shutdown reported %zu leaked objects", leaked);
    else
        cr_assert_eq(leaked, 0, "gc cannot count leaks: hl_shutdown returns 0");
}

TestSuite(conformance, .init = fresh);

/* ---- runtime identity and descriptors ------------------------------------------------------ */

Test(conformance, runtime_name_is_the_one_built) {
    const char *n = hl_runtime_name();
    cr_assert(n != NULL);
    cr_assert_str_eq(n, HL_TEST_RUNTIME, "hl_runtime_name() names another runtime than the one built");
}

Test(conformance, handle_is_8_bytes) {
    cr_assert_eq(sizeof(hl_ref), 8);
    cr_assert_eq(HL_NULL.bits, 0);
    cr_assert(hl_is_null(HL_NULL));
    finish();
}

Test(conformance, hl_type_zero_refs) {
    cr_assert_str_eq(Leaf_type.name, "Leaf");
    cr_assert_eq(Leaf_type.size, sizeof(Leaf));
    cr_assert_eq(Leaf_type.nrefs, 0);
}

Test(conformance, hl_type_one_ref) {
    cr_assert_str_eq(Node_type.name, "Node");
    cr_assert_eq(Node_type.size, sizeof(Node));
    cr_assert_eq(Node_type.nrefs, 1);
    cr_assert_eq(Node_type.refs[0], offsetof(Node, next));
}

Test(conformance, hl_type_several_refs_in_declaration_order) {
    cr_assert_str_eq(Tri_type.name, "Tri");
    cr_assert_eq(Tri_type.size, sizeof(Tri));
    cr_assert_eq(Tri_type.nrefs, 3);
    cr_assert_eq(Tri_type.refs[0], offsetof(Tri, a));
    cr_assert_eq(Tri_type.refs[1], offsetof(Tri, b));
    cr_assert_eq(Tri_type.refs[2], offsetof(Tri, c));
}

/* ---- zeroed memory -------------------------------------------------------------------------- */

static bool all_zero(const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i]) return false;
    return true;
}

Test(conformance, new_objects_are_zeroed) {
    /* Dirty objects and drop them first so that reused memory is exercised too. */
    for (int round = 0; round < 64; round++) {
        hl_ref t = hl_new(&Tri_type), l = hl_new(&Leaf_type);
        {
            HL_WRITE(Tri, p, t);
            memset(&p->x, 0xa5, sizeof p->x);
            memset(&p->d, 0xa5, sizeof p->d);
            HL_WRITE(Leaf, q, l);
            memset(q, 0x5a, sizeof *q);
        }
        hl_drop(&t);
        hl_drop(&l);
    }
    hl_ref t = hl_new(&Tri_type), l = hl_new(&Leaf_type);
    {
        HL_READ(Tri, p, t);
        cr_assert(all_zero(p, sizeof *p), "hl_new(&Tri_type) is not zeroed");
        cr_assert(hl_is_null(p->a) && hl_is_null(p->b) && hl_is_null(p->c));
        HL_READ(Leaf, q, l);
        cr_assert(all_zero(q, sizeof *q), "hl_new(&Leaf_type) is not zeroed");
    }
    hl_drop(&t);
    hl_drop(&l);
    finish();
}

Test(conformance, new_buffers_are_zeroed) {
    for (int round = 0; round < 16; round++) {
        hl_ref b = hl_new_bytes(4096);
        {
            HL_WRITE_BYTES(p, b);
            memset(p, 0xee, 4096);
        }
        hl_drop(&b);
    }
    hl_ref b = hl_new_bytes(4096), r = hl_new_refs(100), e = hl_new_bytes(0), er = hl_new_refs(0);
    cr_assert_eq(hl_len(b), 4096);
    cr_assert_eq(hl_len(r), 100);
    cr_assert_eq(hl_len(e), 0);
    cr_assert_eq(hl_len(er), 0);
    cr_assert(!hl_is_null(e), "a 0-byte buffer is still a buffer");
    {
        HL_READ_BYTES(p, b);
        cr_assert(all_zero(p, 4096), "hl_new_bytes is not zeroed");
        HL_READ_REFS(q, r);
        for (size_t i = 0; i < 100; i++) cr_assert(hl_is_null(q[i]), "element %zu of hl_new_refs not null", i);
    }
    for (size_t i = 0; i < 4096; i++) cr_assert_eq(hl_byte(b, i), 0);
    for (size_t i = 0; i < 100; i++) cr_assert(hl_is_null(hl_ref_at(r, i)));
    hl_drop(&b);
    hl_drop(&r);
    hl_drop(&e);
    hl_drop(&er);
    finish();
}

/* hl_new_bytes_uninit: a buffer of the length asked for that holds what is written to it, and
** on the checked owned levels no byte of an earlier object (the block of the buffer dropped just
** before is the one its allocator hands out next). */
Test(conformance, uninit_buffers_hold_what_is_written) {
    static const size_t sizes[] = {0, 1, 7, 16, 100, 4096, 70000};   /* 70000: a large block */
    bool zeroes = rt_is("owned") || rt_is("owned-fast");
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        hl_ref old = hl_new_bytes(n);
        {
            HL_WRITE_BYTES(p, old);
            memset(p, 0xee, n);
        }
        hl_drop(&old);
        hl_ref b = hl_new_bytes_uninit(n);
        cr_assert(!hl_is_null(b), "a %zu-byte buffer is still a buffer", n);
        cr_assert_eq(hl_len(b), n);
        if (zeroes) {
            HL_READ_BYTES(p, b);
            cr_assert(all_zero(p, n), "%s hands out %zu unwritten bytes that are not zero", hl_runtime_name(), n);
        }
        {
            HL_WRITE_BYTES(p, b);
            for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(i * 13 + k);
        }
        for (size_t i = 0; i < n; i++) cr_assert_eq(hl_byte(b, i), (uint8_t)(i * 13 + k), "byte %zu of %zu", i, n);
        hl_resize(&b, n + 50);   /* a resize keeps the content and zeroes what it adds */
        for (size_t i = 0; i < n; i++) cr_assert_eq(hl_byte(b, i), (uint8_t)(i * 13 + k), "byte %zu lost", i);
        for (size_t i = n; i < n + 50; i++) cr_assert_eq(hl_byte(b, i), 0, "new byte %zu not zero", i);
        hl_drop(&b);
    }
    finish();
}

static void uninit_too_big(void) {
    hl_init();
    hl_ref b = hl_new_bytes_uninit(SIZE_MAX - 4);
    (void)b;
}

Test(conformance, uninit_buffer_exhaustion_is_reported) {
    hl_child c = hl_child_run(uninit_too_big);
    cr_assert(!c.signaled && c.code == 101, "expected exit status 101, got %s", hl_child_status(&c));
    cr_assert(hl_find_line_prefix(c.err, "heaplab: error: out of memory allocating "),
              "expected the out-of-memory diagnostic, got: %s", c.err);
    hl_child_free(&c);
}

/* ---- drop ------------------------------------------------------------------------------------ */

Test(conformance, drop_sets_handle_to_null) {
    hl_ref n = node_new(1), b = hl_new_bytes(8), r = hl_new_refs(2);
    hl_drop(&n);
    hl_drop(&b);
    hl_drop(&r);
    cr_assert(hl_is_null(n) && hl_is_null(b) && hl_is_null(r));
    cr_assert_eq(n.bits, 0, "hl_drop sets *r = HL_NULL");
    cr_assert_eq(b.bits, 0);
    cr_assert_eq(r.bits, 0);
    hl_drop(&n);   /* HL_NULL: no-op */
    finish();
}

Test(conformance, drop_glue_frees_children) {
    hl_ref t = hl_new(&Tri_type);
    hl_ref a = list_new(3, 10), b = node_new(20), c = hl_new_refs(2);
    *hl_slot(c, 1) = node_new(30);
    hl_ref back = node_new(99);   /* referred to by a non-owning field only */
    {
        HL_WRITE(Tri, p, t);
        p->a = hl_move(&a);
        p->b = hl_move(&b);
        p->c = hl_move(&c);
        p->back = back;
        p->x = 7;
    }
    hl_stats s0 = hl_get_stats();
    cr_assert_eq(s0.allocations, 8);
    if (sees_frees()) cr_assert_eq(s0.live_objects, 8);
    hl_drop(&t);
    cr_assert(hl_is_null(t));
    if (sees_frees()) {
        hl_stats s1 = hl_get_stats();
        cr_assert_eq(s1.frees - s0.frees, 7, "drop of a Tri must free it and its 6 owned descendants, freed %llu",
                     (unsigned long long)(s1.frees - s0.frees));
        cr_assert_eq(s1.live_objects, 1, "only the unowned `back` object is left");
    }
    cr_assert_eq(node_val(back), 99, "a non-owning field's target is not dropped");
    hl_drop(&back);
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

Test(conformance, drop_skips_null_fields) {
    hl_ref t = hl_new(&Tri_type);
    hl_ref b = node_new(5);
    {
        HL_WRITE(Tri, p, t);
        p->b = hl_move(&b);
    }
    hl_drop(&t);
    if (sees_frees()) {
        cr_assert_eq(frees(), 2);
        cr_assert_eq(live(), 0);
    }
    finish();
}

/* ---- move ------------------------------------------------------------------------------------ */

Test(conformance, moved_out_source_is_null_and_dropping_it_does_nothing) {
    hl_ref a = node_new(41);
    hl_ref b = hl_move(&a);
    cr_assert(hl_is_null(a), "the moved-out source must be null");
    cr_assert(!hl_is_null(b));
    uint64_t f = frees();
    hl_drop(&a);   /* moved-out: no-op */
    cr_assert(hl_is_null(a));
    cr_assert_eq(frees(), f, "dropping a moved-out variable freed something");
    cr_assert_eq(node_val(b), 41, "the moved value must survive dropping its old variable");
    if (sees_frees()) cr_assert_eq(live(), 1);
    hl_drop(&b);
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

Test(conformance, move_chain_keeps_the_object) {
    hl_ref a = node_new(7);
    hl_ref b = hl_move(&a);
    hl_ref c = hl_move(&b);
    hl_ref d = hl_move(&c);
    cr_assert(hl_is_null(a) && hl_is_null(b) && hl_is_null(c));
    cr_assert_eq(node_val(d), 7);
    cr_assert_eq(hl_get_stats().allocations, 1, "a move allocates nothing");
    hl_drop(&b);
    hl_drop(&d);
    finish();
}

Test(conformance, moving_null_returns_null) {
    hl_ref n = HL_NULL;
    hl_ref m = hl_move(&n);
    cr_assert(hl_is_null(m));
    cr_assert_eq(m.bits, HL_NULL.bits, "moving HL_NULL returns HL_NULL");
    cr_assert(hl_is_null(n));
    hl_drop(&n);
    hl_drop(&m);
    finish();
}

Test(conformance, move_into_owned_field_and_back_out) {
    hl_ref parent = node_new(1), child = node_new(2);
    {
        HL_WRITE(Node, p, parent);
        p->next = hl_move(&child);
    }
    cr_assert(hl_is_null(child));
    hl_ref out;
    {
        HL_WRITE(Node, p, parent);
        out = hl_move(&p->next);
        cr_assert(hl_is_null(p->next));
    }
    cr_assert_eq(node_val(out), 2);
    hl_drop(&parent);
    if (sees_frees()) cr_assert_eq(live(), 1, "the child moved out of the parent must not be dropped with it");
    cr_assert_eq(node_val(out), 2);
    hl_drop(&out);
    finish();
}

/* ---- bytes buffers --------------------------------------------------------------------------- */

Test(conformance, bytes_len_and_resize_keep_content_and_zero_new_bytes) {
    hl_ref b = hl_new_bytes(10);
    cr_assert_eq(hl_len(b), 10);
    for (size_t i = 0; i < 10; i++) hl_set_byte(b, i, (uint8_t)(i * 7 + 1));
    hl_resize(&b, 1000);
    cr_assert_eq(hl_len(b), 1000);
    for (size_t i = 0; i < 10; i++) cr_assert_eq(hl_byte(b, i), (uint8_t)(i * 7 + 1), "byte %zu lost by growing", i);
    for (size_t i = 10; i < 1000; i++) cr_assert_eq(hl_byte(b, i), 0, "new byte %zu not zero", i);
    hl_resize(&b, 5);
    cr_assert_eq(hl_len(b), 5);
    for (size_t i = 0; i < 5; i++) cr_assert_eq(hl_byte(b, i), (uint8_t)(i * 7 + 1), "byte %zu lost by shrinking", i);
    hl_resize(&b, 20);   /* the bytes cut off before must come back as zeros */
    cr_assert_eq(hl_len(b), 20);
    for (size_t i = 5; i < 20; i++) cr_assert_eq(hl_byte(b, i), 0, "byte %zu not zeroed after shrink + grow", i);
    hl_resize(&b, 0);
    cr_assert_eq(hl_len(b), 0);
    hl_resize(&b, 3);
    cr_assert_eq(hl_len(b), 3);
    for (size_t i = 0; i < 3; i++) cr_assert_eq(hl_byte(b, i), 0);
    hl_drop(&b);
    finish();
}

Test(conformance, bytes_large_resize_through_borrows) {
    hl_ref b = hl_new_bytes(1);
    size_t n = 1;
    for (int step = 0; step < 20; step++) {   /* up to 1 MiB: crosses large-block thresholds */
        size_t m = n * 2;
        hl_resize(&b, m);
        HL_WRITE_BYTES(p, b);
        for (size_t i = n; i < m; i++) cr_assert_eq(p[i], 0);
        for (size_t i = n; i < m; i++) p[i] = (uint8_t)(i % 251);
        n = m;
    }
    {
        HL_READ_BYTES(p, b);
        for (size_t i = 1; i < n; i++) cr_assert_eq(p[i], (uint8_t)(i % 251), "byte %zu", i);
    }
    hl_drop(&b);
    finish();
}

/* ---- refs buffers ---------------------------------------------------------------------------- */

Test(conformance, refs_len_and_resize_keep_content_and_zero_new_elements) {
    hl_ref v = hl_new_refs(3);
    for (size_t i = 0; i < 3; i++) *hl_slot(v, i) = node_new((int64_t)i + 1);
    hl_resize(&v, 10);
    cr_assert_eq(hl_len(v), 10);
    for (size_t i = 0; i < 3; i++) cr_assert_eq(node_val(hl_ref_at(v, i)), (int64_t)i + 1, "element %zu lost", i);
    for (size_t i = 3; i < 10; i++) cr_assert(hl_is_null(hl_ref_at(v, i)), "new element %zu not null", i);
    if (sees_frees()) cr_assert_eq(live(), 4);
    cr_assert_eq(hl_get_stats().allocations, 4, "resize is not an allocation");
    hl_drop(&v);
    if (sees_frees()) cr_assert_eq(live(), 0, "dropping the resized buffer drops its elements");
    finish();
}

Test(conformance, shrinking_refs_drops_the_cut_off_elements) {
    hl_ref v = hl_new_refs(4);
    for (size_t i = 0; i < 4; i++) *hl_slot(v, i) = list_new(2, 10 * (int64_t)i);   /* 2 nodes each */
    hl_ref kept = hl_ref_at(v, 0);
    (void)kept;
    if (sees_frees()) cr_assert_eq(live(), 9);
    uint64_t f0 = frees();
    hl_resize(&v, 1);
    cr_assert_eq(hl_len(v), 1);
    if (sees_frees()) {
        cr_assert_eq(frees() - f0, 6, "shrinking 4 -> 1 must drop 3 lists of 2 nodes, freed %llu",
                     (unsigned long long)(frees() - f0));
        cr_assert_eq(live(), 3);
    }
    cr_assert_eq(node_val(hl_ref_at(v, 0)), 0);
    cr_assert_eq(list_len(hl_ref_at(v, 0)), 2);
    hl_resize(&v, 4);
    for (size_t i = 1; i < 4; i++) cr_assert(hl_is_null(hl_ref_at(v, i)), "element %zu came back after shrink", i);
    hl_resize(&v, 0);
    cr_assert_eq(hl_len(v), 0);
    if (sees_frees()) cr_assert_eq(live(), 1, "shrinking to 0 drops every element");
    hl_drop(&v);
    finish();
}

Test(conformance, refs_buffer_owns_its_elements) {
    hl_ref v = hl_new_refs(5);
    for (size_t i = 0; i < 5; i++)
        if (i != 2) *hl_slot(v, i) = list_new(i + 1, 0);   /* element 2 stays null */
    if (sees_frees()) cr_assert_eq(live(), 1 + 1 + 2 + 4 + 5);
    uint64_t f0 = frees();
    hl_drop(&v);
    cr_assert(hl_is_null(v));
    if (sees_frees()) {
        cr_assert_eq(frees() - f0, 13, "drop of the buffer freed %llu of 13", (unsigned long long)(frees() - f0));
        cr_assert_eq(live(), 0);
    }
    finish();
}

Test(conformance, nested_refs_buffers_are_dropped) {
    hl_ref outer = hl_new_refs(3);
    for (size_t i = 0; i < 3; i++) {
        hl_ref inner = hl_new_refs(3);
        for (size_t j = 0; j < 3; j++) *hl_slot(inner, j) = hl_new_bytes(16);
        *hl_slot(outer, i) = hl_move(&inner);
    }
    if (sees_frees()) cr_assert_eq(live(), 13);
    hl_drop(&outer);
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

Test(conformance, slot_move_in_and_out) {
    hl_ref v = hl_new_refs(3);
    hl_ref x = node_new(5);
    *hl_slot(v, 1) = hl_move(&x);
    cr_assert(hl_is_null(x));
    cr_assert(hl_is_null(hl_ref_at(v, 0)));
    cr_assert(!hl_is_null(hl_ref_at(v, 1)));
    cr_assert_eq(node_val(hl_ref_at(v, 1)), 5);
    hl_ref y = hl_move(hl_slot(v, 1));
    cr_assert(hl_is_null(hl_ref_at(v, 1)), "the element is null after moving out of its slot");
    cr_assert_eq(node_val(y), 5);
    uint64_t f = frees();
    hl_drop(&v);
    cr_assert_eq(frees() - f, sees_frees() ? 1 : 0, "only the buffer is freed: its element was moved out");
    cr_assert_eq(node_val(y), 5);
    hl_drop(&y);
    finish();
}

Test(conformance, take_leaves_an_empty_place_that_can_be_reused) {
    hl_ref v = hl_new_refs(2);
    hl_ref x = node_new(7);
    *hl_slot(v, 0) = hl_move(&x);
    hl_ref a = hl_take(hl_slot(v, 0));
    cr_assert_eq(node_val(a), 7);
    cr_assert_eq(hl_ref_at(v, 0).bits, HL_NULL.bits, "a taken place holds HL_NULL, not a moved-out value");
    hl_ref b = hl_take(hl_slot(v, 0));   /* taking from the empty place again is fine */
    cr_assert(hl_is_null(b));
    *hl_slot(v, 0) = hl_move(&a);
    cr_assert_eq(node_val(hl_ref_at(v, 0)), 7);
    hl_ref none = HL_NULL;
    cr_assert(hl_is_null(hl_take(&none)));
    hl_drop(&v);
    finish();
}

Test(conformance, slot_pointer_is_the_element_place) {
    hl_ref v = hl_new_refs(4);
    hl_ref *s = hl_slot(v, 2);
    *s = node_new(77);
    {
        HL_READ_REFS(e, v);
        cr_assert(!hl_is_null(e[2]));
        cr_assert_eq(node_val(e[2]), 77);
    }
    /* a pointer from hl_slot stays valid until the buffer is resized or dropped */
    hl_ref *s0 = hl_slot(v, 0);
    *s0 = node_new(1);
    hl_ref t = hl_move(s);
    cr_assert(hl_is_null(hl_ref_at(v, 2)));
    hl_drop(&t);
    hl_drop(&v);
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

Test(conformance, ref_at_is_a_non_owning_copy) {
    hl_ref v = hl_new_refs(2);
    *hl_slot(v, 0) = node_new(3);
    hl_ref c = hl_ref_at(v, 0);
    cr_assert_eq(node_val(c), 3);
    {
        HL_WRITE(Node, p, c);
        p->val = 4;
    }
    cr_assert_eq(node_val(hl_ref_at(v, 0)), 4, "a write through the copy reaches the element");
    cr_assert(!hl_is_null(hl_ref_at(v, 0)), "hl_ref_at does not move the element out");
    cr_assert(hl_is_null(hl_ref_at(v, 1)));
    uint64_t f = frees();
    hl_drop(&v);
    cr_assert_eq(frees() - f, sees_frees() ? 2 : 0, "the buffer still owned the element");
    finish();
}

Test(conformance, refs_borrow_macros) {
    hl_ref v = hl_new_refs(3);
    {
        HL_WRITE_REFS(e, v);
        for (size_t i = 0; i < 3; i++) {
            hl_ref n = node_new((int64_t)i * 100);
            e[i] = hl_move(&n);
        }
    }
    {
        HL_READ_REFS(e, v);
        HL_READ_REFS(e2, v);
        cr_assert_eq(e, e2);
        for (size_t i = 0; i < 3; i++) cr_assert_eq(node_val(e[i]), (int64_t)i * 100);
        cr_assert_eq(hl_len(v), 3, "hl_len is allowed while borrowed");
    }
    hl_drop(&v);
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

/* ---- borrows --------------------------------------------------------------------------------- */

Test(conformance, write_then_read_through_borrows) {
    hl_ref t = hl_new(&Tri_type);
    {
        HL_WRITE(Tri, p, t);
        p->x = -12345;
        p->d = 2.5;
    }
    {
        HL_READ(Tri, p, t);
        cr_assert_eq(p->x, -12345);
        cr_assert(p->d == 2.5);
    }
    hl_drop(&t);
    finish();
}

Test(conformance, several_shared_borrows_at_once) {
    hl_ref n = node_new(9);
    {
        HL_READ(Node, a, n);
        HL_READ(Node, b, n);
        HL_READ(Node, c, n);
        cr_assert(a == b && b == c, "shared borrows of one object point at it");
        cr_assert_eq(a->val + b->val + c->val, 27);
        cr_assert_eq(node_val(n), 9, "another shared borrow in a callee");
    }
    {
        HL_WRITE(Node, w, n);   /* all three released at the end of their block */
        w->val = 10;
    }
    cr_assert_eq(node_val(n), 10);
    hl_drop(&n);
    finish();
}

/* Any number of shared borrows of one object may be live at once (docs/design.md): a recursion
** that holds one per level must not be stopped, however deep. 16 borrows per frame keep the
** recursion shallow enough for the sanitized builds' larger frames. */
#define SHARED_PER_FRAME 16
static int64_t nested_reads(hl_ref n, long frames) {
    HL_READ(Node, p0, n); HL_READ(Node, p1, n); HL_READ(Node, p2, n); HL_READ(Node, p3, n);
    HL_READ(Node, p4, n); HL_READ(Node, p5, n); HL_READ(Node, p6, n); HL_READ(Node, p7, n);
    HL_READ(Node, p8, n); HL_READ(Node, p9, n); HL_READ(Node, pa, n); HL_READ(Node, pb, n);
    HL_READ(Node, pc, n); HL_READ(Node, pd, n); HL_READ(Node, pe, n); HL_READ(Node, pf, n);
    int64_t sum = p0->val + p1->val + p2->val + p3->val + p4->val + p5->val + p6->val + p7->val + p8->val +
                  p9->val + pa->val + pb->val + pc->val + pd->val + pe->val + pf->val;
    return frames > 1 ? sum + nested_reads(n, frames - 1) : sum + node_val(n);
}

Test(conformance, any_number_of_shared_borrows) {
    hl_ref n = node_new(3);
    long frames = 70000 / SHARED_PER_FRAME;   /* past 32767 and 65535: no counter width shows */
    for (int round = 0; round < 2; round++) {
        cr_assert_eq(nested_reads(n, frames), 3 * (frames * SHARED_PER_FRAME + 1));
        {
            HL_WRITE(Node, w, n);   /* every one of them released */
            w->val = 3;
        }
    }
    hl_drop(&n);
    finish();
}

Test(conformance, bytes_borrow_macros_and_accessors_agree) {
    hl_ref b = hl_new_bytes(64);
    {
        HL_WRITE_BYTES(p, b);
        for (size_t i = 0; i < 64; i++) p[i] = (uint8_t)(255 - i);
    }
    for (size_t i = 0; i < 64; i++) cr_assert_eq(hl_byte(b, i), (uint8_t)(255 - i));
    for (size_t i = 0; i < 64; i += 2) hl_set_byte(b, i, 1);
    {
        HL_READ_BYTES(p, b);
        HL_READ_BYTES(q, b);
        cr_assert_eq(p, q);
        for (size_t i = 0; i < 64; i++) cr_assert_eq(p[i], (i % 2 == 0) ? 1 : (uint8_t)(255 - i), "byte %zu", i);
    }
    hl_drop(&b);
    finish();
}

Test(conformance, reassigning_the_handle_inside_a_borrow_is_harmless) {
    hl_ref a = node_new(1), b = node_new(2);
    hl_ref cur = a;
    {
        HL_READ(Node, p, cur);
        cur = b;   /* the borrow is of a, not of whatever cur holds now */
        cr_assert_eq(p->val, 1);
        cur = HL_NULL;
    }
    {
        HL_WRITE(Node, p, a);   /* a's shared borrow was released */
        p->val = 11;
    }
    {
        HL_WRITE(Node, p, b);   /* b was never borrowed */
        p->val = 22;
    }
    cur = b;
    {
        HL_WRITE(Node, p, cur);
        cur = a;
        p->val = 23;
    }
    {
        HL_WRITE(Node, p, b);   /* b's exclusive borrow was released */
        cr_assert_eq(p->val, 23);
    }
    cr_assert_eq(node_val(a), 11);
    hl_drop(&a);
    hl_drop(&b);
    finish();
}

Test(conformance, list_traversal_reassigning_inside_borrows) {
    hl_ref head = list_new(100, 0);
    int64_t sum = 0;
    hl_ref cur = head;
    while (!hl_is_null(cur)) {
        HL_READ(Node, p, cur);
        sum += p->val;
        cur = p->next;
    }
    cr_assert_eq(sum, 99 * 100 / 2);
    /* then every node can be written: no borrow leaked */
    cur = head;
    while (!hl_is_null(cur)) {
        HL_WRITE(Node, p, cur);
        p->val = 1;
        cur = p->next;
    }
    cr_assert_eq(list_len(head), 100);
    hl_drop(&head);
    finish();
}

static int64_t early_return(hl_ref n, bool early) {
    HL_WRITE(Node, p, n);
    if (early) return p->val;
    p->val++;
    return p->val;
}

Test(conformance, borrow_released_on_return_and_break) {
    hl_ref n = node_new(5);
    cr_assert_eq(early_return(n, true), 5);
    cr_assert_eq(early_return(n, false), 6);
    for (int i = 0; i < 3; i++) {
        HL_WRITE(Node, p, n);
        p->val += 1;
        if (i == 1) break;
    }
    cr_assert_eq(node_val(n), 8);
    hl_drop(&n);
    finish();
}

Test(conformance, objects_do_not_move_while_borrowed) {
    hl_ref a = node_new(123);
    hl_ref bytes = hl_new_bytes(256);
    hl_ref keep = hl_new_refs(20000);
    {
        HL_READ(Node, p, a);
        HL_WRITE_BYTES(bp, bytes);
        memset(bp, 0x42, 256);
        for (size_t i = 0; i < 20000; i++) {
            *hl_slot(keep, i) = i % 100 == 0 ? hl_new_bytes(i) : node_new((int64_t)i);
            if (i % 1000 == 0) {
                hl_ref tmp = list_new(50, 0);
                hl_drop(&tmp);
            }
        }
        HL_READ(Node, q, a);
        cr_assert_eq(p, q, "the object moved while borrowed");
        cr_assert_eq(p->val, 123);
        for (size_t i = 0; i < 256; i++) cr_assert_eq(bp[i], 0x42);
        bp[255] = 7;   /* the borrowed pointer still addresses the live buffer */
    }
    {
        HL_WRITE(Node, p, a);
        hl_ref more = list_new(10000, 0);   /* allocating inside an exclusive borrow */
        p->val = 456;
        hl_drop(&more);
        p->val++;
    }
    cr_assert_eq(node_val(a), 457);
    cr_assert_eq(hl_byte(bytes, 255), 7);
    cr_assert_eq(hl_byte(bytes, 254), 0x42);
    for (size_t i = 1; i < 20000; i++)
        if (i % 100 != 0) cr_assert_eq(node_val(hl_ref_at(keep, i)), (int64_t)i);
    hl_drop(&keep);
    hl_drop(&a);
    hl_drop(&bytes);
    finish();
}

/* ---- HL_OWNED -------------------------------------------------------------------------------- */

Test(conformance, owned_variable_dropped_at_block_end) {
    {
        HL_OWNED hl_ref x = list_new(3, 0);
        HL_OWNED hl_ref y = hl_new_bytes(10);
        if (sees_frees()) cr_assert_eq(live(), 4);
        cr_assert_eq(list_len(x), 3);
        cr_assert_eq(hl_len(y), 10);
    }
    if (sees_frees()) {
        cr_assert_eq(live(), 0, "HL_OWNED variables must be dropped at the end of their block");
        cr_assert_eq(frees(), 4);
    }
    finish();
}

Test(conformance, owned_variable_moved_out_is_not_dropped) {
    hl_ref keep;
    {
        HL_OWNED hl_ref x = node_new(8);
        keep = hl_move(&x);
    }
    if (sees_frees()) cr_assert_eq(live(), 1, "a moved-out HL_OWNED variable must not be dropped");
    cr_assert_eq(node_val(keep), 8);
    {
        HL_OWNED hl_ref y = node_new(9);
        hl_drop(&y);   /* dropped explicitly: the scope end does nothing more */
        HL_OWNED hl_ref z = HL_NULL;
        (void)z;
    }
    if (sees_frees()) cr_assert_eq(frees(), 1);
    hl_drop(&keep);
    finish();
}

static void owned_in_loop(int n) {
    for (int i = 0; i < n; i++) {
        HL_OWNED hl_ref t = list_new(4, i);
        if (i == n - 1) break;
        if (i % 2) continue;
    }
}

Test(conformance, owned_variable_dropped_on_break_and_continue) {
    owned_in_loop(7);
    if (sees_frees()) {
        cr_assert_eq(live(), 0);
        cr_assert_eq(frees(), 28);
    }
    finish();
}

/* ---- deep structures -------------------------------------------------------------------------- */

Test(conformance, dropping_a_3_million_node_list_does_not_overflow_the_stack) {
    const size_t N = 3000000;
    hl_ref head = list_new(N, 0);
    cr_assert_eq(hl_get_stats().allocations, N);
    cr_assert_eq(list_len(head), N);
    hl_drop(&head);
    cr_assert(hl_is_null(head));
    if (sees_frees()) {
        cr_assert_eq(frees(), N);
        cr_assert_eq(live(), 0);
    }
    finish();
}

Test(conformance, dropping_a_long_chain_through_buffers_and_fields) {
    /* alternate refs buffers and nodes: drop glue must be iterative across both */
    const size_t N = 500000;
    hl_ref head = HL_NULL;
    for (size_t i = 0; i < N; i++) {
        hl_ref v = hl_new_refs(1);
        *hl_slot(v, 0) = hl_move(&head);
        hl_ref n = node_new((int64_t)i);
        {
            HL_WRITE(Node, p, n);
            p->next = hl_move(&v);
        }
        head = hl_move(&n);
    }
    hl_drop(&head);
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

/* Every shape manual's drop glue distinguishes (no owned field, one, two with the first a
** buffer or an object, more, offsets past 64 KiB, refs buffers), chained deep enough to spill
** its walk onto the worklist, dropped with and without byte statistics. */
static hl_ref pair_new(hl_ref *first, hl_ref *second) {
    hl_ref p = hl_new(&Pair_type);
    HL_WRITE(Pair, w, p);
    w->first = hl_move(first);
    w->second = hl_move(second);
    return p;
}

static hl_ref every_shape(void) {
    const size_t N = 20000;
    hl_ref chain = HL_NULL;
    for (size_t i = 0; i < N; i++) {
        /* a Pair waiting on the walk's stack (first) while the chain goes on (second), whose
        ** first owns a Pair of buffers, a Leaf and a refs buffer with a Tri */
        hl_ref b1 = hl_new_bytes(i % 5), b2 = hl_new_bytes(3), leaf = hl_new(&Leaf_type);
        hl_ref bufs = pair_new(&b1, &b2), inner = pair_new(&bufs, &leaf);
        hl_ref refs = hl_new_refs(2), tri = hl_new(&Tri_type), tail = list_new(2, 0);
        {
            HL_WRITE(Tri, w, tri);
            w->c = hl_move(&tail);
        }
        *hl_slot(refs, 1) = hl_move(&tri);
        hl_ref side = pair_new(&inner, &refs);
        chain = pair_new(&side, &chain);
    }
    hl_ref far = hl_new(&Far_type), key = hl_new_bytes(7);
    {
        HL_WRITE(Far, w, far);
        w->next = pair_new(&key, &chain);   /* a keyed list node: a buffer first */
    }
    return far;
}

/* Drop all, which the runtime counted as made allocations (0 if it does not count), and check
** that every one of them was freed. (manual's drop glue has a walk for runs with statistics and
** one for runs without.) */
static void drop_and_count(hl_ref all, uint64_t made, bool bytes) {
    cr_assert_eq(hl_get_stats().allocations, bytes || counts_always() ? made : 0,
                 "manual and gc count objects only when asked to");
    hl_drop(&all);
    cr_assert(hl_is_null(all));
    if (can_count_frees()) {
        cr_assert_eq(frees(), made, "freed %llu of %llu", (unsigned long long)frees(), (unsigned long long)made);
        cr_assert_eq(live(), 0);
    }
#ifdef HL_RUNTIME_MANUAL
    cr_assert_eq(hl__count.live_bytes, 0, "every byte counted in is counted out");
#endif
    finish();
}

static void drop_every_shape(bool bytes) {
    restart(bytes);
    drop_and_count(every_shape(), 20000 * 11 + 3, bytes);
}

Test(conformance, drop_glue_frees_every_shape) { drop_every_shape(false); }
Test(conformance, drop_glue_frees_every_shape_counting_bytes) { drop_every_shape(true); }

/* Trees of nodes whose owned fields lead the struct, which manual drops recursively while
** shallow: a full tree, a chain far deeper than any recursion could go (through the first
** field, each node with a leaf in the second), a keyed list (a buffer first, the chain second),
** and nodes whose fields hold other types that hold such nodes again. */
static hl_ref twig_new(hl_ref *left, hl_ref *right) {
    hl_ref t = hl_new(&Twig_type);
    HL_WRITE(Twig, w, t);
    w->left = hl_move(left);
    w->right = hl_move(right);
    return t;
}

static hl_ref twig_leaf(void) { return hl_new(&Twig_type); }

static hl_ref twig_full(int depth) {   /* 2^(depth+1) - 1 nodes */
    if (depth == 0) return twig_leaf();
    hl_ref l = twig_full(depth - 1), r = twig_full(depth - 1);
    return twig_new(&l, &r);
}

enum { TWIG_DEPTH = 10, TWIG_CHAIN = 300000, TWIG_MIXED = 1000 };

static hl_ref twig_forest(void) {
    hl_ref full = twig_full(TWIG_DEPTH), left_deep = HL_NULL, keyed = HL_NULL, mixed = HL_NULL;
    for (size_t i = 0; i < TWIG_CHAIN; i++) {
        hl_ref leaf = twig_leaf();
        left_deep = twig_new(&left_deep, &leaf);
        hl_ref key = hl_new_bytes(1 + i % 9);
        keyed = twig_new(&key, &keyed);
    }
    for (size_t i = 0; i < TWIG_MIXED; i++) {
        /* a refs buffer holding a small tree, and a Tri holding a list and the chain so far */
        hl_ref refs = hl_new_refs(2), tri = hl_new(&Tri_type), list = list_new(3, 0), small = twig_full(2);
        *hl_slot(refs, 0) = hl_move(&small);
        {
            HL_WRITE(Tri, w, tri);
            w->a = hl_move(&list);
            w->c = hl_move(&mixed);
        }
        hl_ref inner = twig_new(&refs, &tri);
        hl_ref leaf = twig_leaf();
        mixed = twig_new(&inner, &leaf);
    }
    hl_ref a = twig_new(&full, &left_deep), b = twig_new(&keyed, &mixed);
    return twig_new(&a, &b);
}

static void drop_twig_forest(bool bytes) {
    restart(bytes);
    /* mixed: the refs buffer, the Tri, its list, the small tree, inner, the leaf and the node */
    uint64_t full = (UINT64_C(2) << TWIG_DEPTH) - 1, mixed = 1 + 1 + 3 + 7 + 1 + 1 + 1;
    hl_ref forest = twig_forest();
    /* The drop gets 1 MiB of stack (a process's main thread grows its stack up to the limit),
    ** where dropping the chain by recursion alone would take several. (Valgrind keeps its own
    ** limit, so there the test checks only what was freed.) */
    struct rlimit lim;
    cr_assert_eq(getrlimit(RLIMIT_STACK, &lim), 0, "getrlimit");
    if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur > 1 << 20) lim.rlim_cur = 1 << 20;
    cr_assert_eq(setrlimit(RLIMIT_STACK, &lim), 0, "setrlimit");
    drop_and_count(forest, full + TWIG_CHAIN * 4 + TWIG_MIXED * mixed + 3, bytes);
}

Test(conformance, drop_glue_frees_trees_of_pair_nodes) { drop_twig_forest(false); }
Test(conformance, drop_glue_frees_trees_of_pair_nodes_counting_bytes) { drop_twig_forest(true); }

/* manual caches the type id of each hl_new call site whose descriptor it finds at run time (as
** here: new_of takes it as an argument): a site that makes objects of several types must give
** each its own, in every round, with statistics and without. A Node taken for a Twig would have
** its value dropped as a handle. */
static __attribute__((noinline)) hl_ref new_of(const hl_type *t) { return hl_new(t); }

Test(conformance, one_hl_new_call_site_makes_objects_of_several_types) {
    for (int round = 0; round < 4; round++) {
        restart(round == 2);
        hl_ref twig = new_of(&Twig_type), node = new_of(&Node_type), leaf = new_of(&Twig_type);
        {
            HL_WRITE(Node, n, node);
            n->val = 0x12345;
        }
        {
            HL_WRITE(Twig, w, twig);
            w->left = hl_move(&node);
            w->right = hl_move(&leaf);
        }
        hl_drop(&twig);
        if (can_count_frees()) {
            cr_assert_eq(frees(), 3, "round %d: freed %llu of 3 objects", round, (unsigned long long)frees());
            cr_assert_eq(live(), 0);
        }
    }
    finish();
}

/* Types of one shape: Twin is laid out as Twig (its two owned fields first) with a longer tail,
** so manual gives both one shape id and walks a tree of both as one tree of pair nodes. Types
** outside manual's shapes are registered: Mid's field lies past the first 64 bytes, Rev lists its
** fields last first (and is dropped in that order). */
typedef struct Twin {
    hl_ref  left, right;
    uint8_t tail[40];
} Twin;
HL_TYPE(Twin, left, right);

typedef struct Mid {
    uint8_t pad[100];
    hl_ref  next;
} Mid;
HL_TYPE(Mid, next);

typedef struct Rev {
    hl_ref a, b;
} Rev;
HL_TYPE(Rev, b, a);

/* A full tree of depth levels, Twig and Twin by turns; adds its objects and bytes to *n, *bytes. */
static hl_ref kin_tree(int depth, uint64_t *n, size_t *bytes) {
    hl_ref l = depth ? kin_tree(depth - 1, n, bytes) : HL_NULL, r = depth ? kin_tree(depth - 1, n, bytes) : HL_NULL;
    hl_ref t;
    if (depth % 2) {
        t = hl_new(&Twin_type);
        HL_WRITE(Twin, w, t);
        w->left = hl_move(&l), w->right = hl_move(&r);
        *bytes += sizeof(Twin);
    } else {
        t = hl_new(&Twig_type);
        HL_WRITE(Twig, w, t);
        w->left = hl_move(&l), w->right = hl_move(&r);
        *bytes += sizeof(Twig);
    }
    ++*n;
    return t;
}

/* A Rev owning a list of 50 Mid (in a) and a kin tree of depth 9 (in b); adds as kin_tree. */
static hl_ref kin_forest(uint64_t *n, size_t *bytes) {
    hl_ref mids = HL_NULL;
    for (int i = 0; i < 50; i++) {
        hl_ref m = hl_new(&Mid_type);
        HL_WRITE(Mid, w, m);
        w->next = hl_move(&mids);
        mids = m;
    }
    *n += 50, *bytes += 50 * sizeof(Mid);
    hl_ref tree = kin_tree(9, n, bytes), rev = hl_new(&Rev_type);
    HL_WRITE(Rev, w, rev);
    w->a = hl_move(&mids), w->b = hl_move(&tree);
    *n += 1, *bytes += sizeof(Rev);
    return rev;
}

Test(conformance, types_of_one_shape_and_types_outside_the_shapes_are_dropped_whole) {
    for (int round = 0; round < 2; round++) {
        bool stats = round == 1;
        restart(stats);
        uint64_t made = 0;
        size_t bytes = 0;
        hl_ref all = kin_forest(&made, &bytes);
        hl_ref pair = kin_tree(1, &made, &bytes);   /* a Twin whose fields are Twig leaves */
        if (stats) cr_assert_eq(hl_get_stats().bytes_allocated, bytes, "each object counted at its own size");
        hl_drop(&all);
        hl_drop(&pair);
        if (can_count_frees()) cr_assert_eq(frees(), made, "freed %llu of %llu", (unsigned long long)frees(),
                                            (unsigned long long)made);
#ifdef HL_RUNTIME_MANUAL
        cr_assert_eq(hl__count.live_bytes, 0, "every byte counted in is counted out");
#endif
    }
    finish();
}

#ifdef HL_RUNTIME_MANUAL
/* manual's tags: one per shape, the same whether hl_new knows the descriptor when compiled or
** finds it at run time (new_of); a type outside the shapes has one of its own. */
Test(conformance, manual_tags_a_shape_once_and_other_types_apart) {
    restart(false);
    hl_ref o[6] = {hl_new(&Twig_type), hl_new(&Twin_type), new_of(&Twin_type),
                   hl_new(&Mid_type),  new_of(&Mid_type),  hl_new(&Rev_type)};
    uint64_t tag[6];
    for (int i = 0; i < 6; i++) tag[i] = o[i].bits >> HL__TAG_SHIFT;
    cr_assert(tag[0] == tag[1] && tag[1] == tag[2], "Twig and Twin share a shape: %llu %llu %llu",
              (unsigned long long)tag[0], (unsigned long long)tag[1], (unsigned long long)tag[2]);
    cr_assert_eq(tag[3], tag[4], "Mid's id is registered once");
    cr_assert(tag[3] != tag[0] && tag[5] != tag[0] && tag[5] != tag[3], "Mid and Rev have ids of their own");
    cr_assert_eq(hl__type_of(o[3]), &Mid_type);
    cr_assert_eq(hl__type_of(o[1])->nrefs, 2, "a shape's descriptor gives its owned fields");
    cr_assert_eq(hl__type_of(o[1])->refs[1], offsetof(Twin, right));
    for (int i = 0; i < 6; i++) hl_drop(&o[i]);
    finish();
}

/* Registered ids run out after HL__MTYPES - HL__MTID_REGISTERED types outside the shapes: the
** next type gets a diagnostic and exit 101, not a wrong tag. Each type here has three owned
** fields, and is found at run time (new_of), as a descriptor built by a program would be. */
enum { REGISTRABLE_TYPES = HL__MTYPES - HL__MTID_REGISTERED };
static const size_t three_refs[] = {0, 8, 16};

static void register_one_type_too_many(void) {
    hl_init();
    hl_type *types = calloc(REGISTRABLE_TYPES + 1, sizeof *types);
    CHILD_CHECK(types != NULL);
    for (size_t i = 0; i <= REGISTRABLE_TYPES; i++) {
        types[i] = (hl_type){"Many", 3 * sizeof(hl_ref), 3, three_refs};
        if (i == REGISTRABLE_TYPES) {
            printf("registered %zu types\n", i);
            fflush(stdout);
        }
        hl_ref r = new_of(&types[i]);
        hl_drop(&r);
    }
}

Test(conformance, manual_reports_too_many_types) {
    hl_child c = hl_child_run(register_one_type_too_many);
    cr_assert(c.exited && c.code == 101, "%s; stderr: %s", hl_child_status(&c), c.err);
    char expect[64];
    snprintf(expect, sizeof expect, "registered %d types\n", REGISTRABLE_TYPES);
    cr_assert_str_eq(c.out, expect, "every id was given before the panic");
    cr_assert(strstr(c.err, "heaplab: error: too many types\n  --> ") == c.err, "%s", c.err);
    cr_assert(strstr(c.err, "rt_conformance.c:") != NULL, "the call site that ran out: %s", c.err);
    snprintf(expect, sizeof expect, "supports %d types that have more than two", REGISTRABLE_TYPES);
    cr_assert(strstr(c.err, expect) != NULL, "%s", c.err);
    hl_child_free(&c);
}
#endif

Test(conformance, dropping_a_pair_leaf_or_a_node_of_buffers_frees_it) {
    restart(false);
    hl_ref leaf = twig_leaf(), b1 = hl_new_bytes(3), b2 = hl_new_bytes(5);
    hl_ref bufs = twig_new(&b1, &b2);
    hl_drop(&leaf);
    hl_drop(&bufs);
    cr_assert(hl_is_null(leaf) && hl_is_null(bufs));
    if (can_count_frees()) cr_assert_eq(frees(), 4);
    finish();
}

/* ---- statistics ------------------------------------------------------------------------------- */

Test(conformance, stats_count_what_they_say) {
    hl_stats s = hl_get_stats();
    cr_assert_eq(s.allocations, 0, "counters start at 0 after hl_init");
    cr_assert_eq(s.bytes_allocated, 0);
    cr_assert_eq(s.frees, 0);

    hl_ref a = hl_new(&Node_type);   /* +16 */
    hl_ref b = hl_new_bytes(100);    /* +100 -> live 116 */
    hl_ref r = hl_new_refs(4);       /* +32  -> live 148 */
    hl_drop(&b);                     /* live 48 */
    hl_resize(&r, 10);               /* +48 growth -> live 96 */
    hl_ref c = hl_new_bytes(200);    /* live 296: the peak */
    hl_drop(&c);                     /* live 96 */
    hl_resize(&r, 2);                /* live 32 */
    s = hl_get_stats();
    cr_assert_eq(s.allocations, 4, "allocations = %llu", (unsigned long long)s.allocations);
    cr_assert_eq(s.bytes_allocated, 16 + 100 + 32 + 48 + 200, "bytes_allocated = %llu",
                 (unsigned long long)s.bytes_allocated);
    if (sees_frees()) {
        cr_assert_eq(s.frees, 2, "frees = %llu", (unsigned long long)s.frees);
        cr_assert_eq(s.live_objects, 2, "live_objects = %llu", (unsigned long long)s.live_objects);
        cr_assert_eq(s.peak_live_bytes, 296, "peak_live_bytes = %llu", (unsigned long long)s.peak_live_bytes);
        cr_assert_eq(s.collections, 0, "manual and owned have no collections");
        cr_assert_eq(s.gc_heap_bytes, 0, "manual and owned have no GC heap");
    } else if (rt_is("region")) {
        cr_assert_eq(s.frees, 0, "region's drops free nothing");
        cr_assert_eq(s.live_objects, 4, "live_objects = %llu", (unsigned long long)s.live_objects);
        cr_assert_eq(s.collections, 0);
        cr_assert_eq(s.gc_heap_bytes, 0);
    } else {
        cr_assert_eq(s.frees, 0, "gc does not see frees");
        cr_assert_eq(s.live_objects, 0);
        cr_assert_eq(s.peak_live_bytes, 0);
        cr_assert_gt(s.gc_heap_bytes, 0, "gc reports its heap size");
    }
    hl_drop(&a);
    hl_drop(&r);
    s = hl_get_stats();
    cr_assert_eq(s.allocations, 4);
    if (sees_frees()) {
        cr_assert_eq(s.frees, 4);
        cr_assert_eq(s.live_objects, 0);
        cr_assert_eq(s.peak_live_bytes, 296, "the peak is a high-water mark");
    }
    finish();
}

Test(conformance, stats_count_a_vectors_growth) {
    hl_vec words = HL_VEC_NEW, text = HL_VEC_NEW;
    for (uint32_t i = 0; i < 5; i++) HL_VEC_PUSH(uint32_t, &words, i);   /* 16 bytes, then 32 */
    for (uint8_t i = 0; i < 9; i++) HL_VEC_PUSH(uint8_t, &text, i);      /* 8 bytes, then 16 */
    hl_stats s = hl_get_stats();
    cr_assert_eq(s.allocations, 2, "a vector's first buffer is an allocation, its growth is not");
    cr_assert_eq(s.bytes_allocated, 32 + 16, "growth counts the bytes it adds: %llu",
                 (unsigned long long)s.bytes_allocated);
    if (sees_frees()) cr_assert_eq(s.peak_live_bytes, 32 + 16, "peak_live_bytes = %llu", (unsigned long long)s.peak_live_bytes);
    hl_drop(&words.buf);
    hl_drop(&text.buf);
    if (sees_frees()) {
        s = hl_get_stats();
        cr_assert_eq(s.frees, 2);
        cr_assert_eq(s.live_objects, 0);
    }
    finish();
}

Test(conformance, stats_bytes_only_when_requested) {
    restart(false);
    hl_ref a = node_new(1), b = hl_new_bytes(100);
    hl_stats s = hl_get_stats();
    if (counts_always())
        cr_assert_eq(s.allocations, 2, "objects are counted even without HEAPLAB_STATS");
    else
        cr_assert_eq(s.allocations, 0, "manual and gc count objects only when statistics are requested");
    cr_assert_eq(s.bytes_allocated, 0, "byte totals are kept only when statistics are requested");
    cr_assert_eq(s.peak_live_bytes, 0);
    hl_drop(&a);
    hl_drop(&b);
    if (can_count_frees()) cr_assert_eq(frees(), 2);
    cr_assert_eq(hl_get_stats().frees, sees_frees() && counts_always() ? 2 : 0, "frees are counted as objects are");
    finish();
}

/* Objects of each kind whose allocation has an inline path on some runtime (a typed object, a
** buffer the caller fills), INLINE_KINDS_EACH of each, made at the same two call sites every
** time (the first allocation at a site may take the out-of-line path, the next ones not);
** returns their bytes. */
enum { INLINE_KINDS_EACH = 3 };
static size_t make_inline_kinds(hl_ref objs[2 * INLINE_KINDS_EACH]) {
    for (int i = 0; i < INLINE_KINDS_EACH; i++) {
        objs[2 * i] = node_new(i);
        objs[2 * i + 1] = hl_new_bytes_uninit(100);
    }
    return INLINE_KINDS_EACH * (sizeof(Node) + 100);
}

/* Check the statistics of make_inline_kinds's objects (bytes: whether they were requested),
** then drop them. */
static void check_inline_kinds(hl_ref objs[2 * INLINE_KINDS_EACH], size_t made, bool bytes, const char *when) {
    hl_stats s = hl_get_stats();
    cr_assert_eq(s.bytes_allocated, bytes ? made : 0, "%s: %llu bytes counted, %zu made", when,
                 (unsigned long long)s.bytes_allocated, made);
    if (!rt_is("gc")) cr_assert_eq(s.peak_live_bytes, bytes ? made : 0, "%s", when);   /* gc: no frees, no peak */
    cr_assert_eq(s.allocations, bytes || counts_always() ? 2 * INLINE_KINDS_EACH : 0, "%s", when);
    for (int i = 0; i < 2 * INLINE_KINDS_EACH; i++) hl_drop(&objs[i]);
    if (can_count_frees()) cr_assert_eq(frees(), 2 * INLINE_KINDS_EACH, "%s", when);
#ifdef HL_RUNTIME_MANUAL
    cr_assert_eq(hl__count.live_bytes, 0, "%s: every byte counted in is counted out", when);
#endif
}

/* The inline allocation paths skip the byte statistics once their out-of-line path has seen
** that they are off (manual, gc): statistics requested at a later hl_init must count every
** allocation of sites that took the inline path before, and a start without them must stop
** counting again. */
Test(conformance, stats_requested_after_a_run_without_them_count_every_allocation) {
    hl_ref objs[2 * INLINE_KINDS_EACH];
    static const char *const rounds[] = {"without statistics", "with statistics", "without them again"};
    for (int round = 0; round < 3; round++) {
        bool bytes = round == 1;
        restart(bytes);
        check_inline_kinds(objs, make_inline_kinds(objs), bytes, rounds[round]);
    }
    finish();
}

Test(conformance, stats_restart_with_hl_init) {
    hl_ref a = node_new(1);
    hl_drop(&a);
    cr_assert_eq(hl_get_stats().allocations, 1);
    hl_shutdown();
    hl_init();
    hl_stats s = hl_get_stats();
    cr_assert_eq(s.allocations, 0, "counters are since hl_init");
    cr_assert_eq(s.bytes_allocated, 0);
    cr_assert_eq(s.frees, 0);
    cr_assert_eq(s.peak_live_bytes, 0);
    finish();
}

Test(conformance, stats_collections_on_gc) {
    /* Allocate and forget well over the initial heap: the collector must run (gc only). Each
    ** buffer lives in a region of its own: a token elsewhere, its release on region. */
    for (int i = 0; i < 200; i++) {
        hl_region m = hl_region_begin();
        hl_ref b = hl_new_bytes(1 << 20);
        hl_drop(&b);
        hl_region_end(m);
    }
    hl_stats s = hl_get_stats();
    cr_assert_eq(s.allocations, 200);
    cr_assert_eq(s.bytes_allocated, 200ull << 20);
    if (rt_is("gc"))
        cr_assert_gt(s.collections, 0, "200 MiB allocated and forgotten without a collection");
    else {
        cr_assert_eq(s.collections, 0);
        cr_assert_eq(s.peak_live_bytes, 1 << 20, "one 1 MiB buffer live at a time");
    }
    finish();
}

Test(conformance, shutdown_counts_leaks) {
    hl_ref list = list_new(2, 0), b = hl_new_bytes(4), gone = node_new(0);
    hl_drop(&gone);
    size_t leaked = hl_shutdown();
    if (sees_frees())
        cr_assert_eq(leaked, 3, "2 nodes and 1 buffer still owned, hl_shutdown returned %zu", leaked);
    else
        cr_assert_eq(leaked, 0, "gc does not know its leaks");
    /* drops after hl_shutdown are harmless */
    hl_drop(&list);
    hl_drop(&b);
}

Test(conformance, stats_file_written_by_shutdown) {
    char dir[] = "/tmp/hl_stats_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/stats.json", dir);
    hl_shutdown();
    cr_assert_eq(setenv("HEAPLAB_STATS", path, 1), 0);
    hl_init();

    hl_ref a = node_new(1);           /* 16 */
    hl_ref b = hl_new_bytes(1000);    /* 1016 live: peak */
    hl_drop(&b);
    hl_ref r = hl_new_refs(2);        /* 16 */
    hl_drop(&r);
    hl_drop(&a);
    cr_assert_eq(access(path, F_OK), -1, "the statistics are written at hl_shutdown, not before");
    size_t leaked = hl_shutdown();
    cr_assert_eq(leaked, 0);

    char *json = hl_read_file(path);
    cr_assert_not_null(json, "hl_shutdown did not write %s", path);
    const char *p = json;
    while (*p == ' ' || *p == '\n') p++;
    cr_assert_eq(*p, '{', "not a JSON object: %s", json);
    cr_assert_eq(strchr(p + 1, '{'), NULL, "more than one object: %s", json);
    const char *close = strchr(p, '}');
    cr_assert_not_null(close, "unterminated object: %s", json);
    for (const char *q = close + 1; *q; q++) cr_assert(*q == ' ' || *q == '\n', "text after the object: %s", json);

    char rt[32];
    cr_assert(hl_json_string(json, "runtime", rt, sizeof rt), "no \"runtime\" in %s", json);
    cr_assert_str_eq(rt, hl_runtime_name());
    unsigned long long v;
    const char *keys[] = {"allocations", "frees", "bytes_allocated", "live_objects", "peak_live_bytes",
                          "collections", "gc_heap_bytes"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        cr_assert(hl_json_number(json, keys[k], &v), "no number \"%s\" in %s", keys[k], json);
    hl_json_number(json, "allocations", &v);
    cr_assert_eq(v, 3, "%s", json);
    hl_json_number(json, "bytes_allocated", &v);
    cr_assert_eq(v, 16 + 1000 + 16, "%s", json);
    if (sees_frees()) {
        hl_json_number(json, "frees", &v);
        cr_assert_eq(v, 3, "%s", json);
        hl_json_number(json, "live_objects", &v);
        cr_assert_eq(v, 0, "%s", json);
        hl_json_number(json, "peak_live_bytes", &v);
        cr_assert_eq(v, 1016, "%s", json);
        hl_json_number(json, "collections", &v);
        cr_assert_eq(v, 0, "%s", json);
        hl_json_number(json, "gc_heap_bytes", &v);
        cr_assert_eq(v, 0, "%s", json);
    } else {
        hl_json_number(json, "frees", &v);
        cr_assert_eq(v, 0, "%s", json);
        hl_json_number(json, "gc_heap_bytes", &v);
        if (rt_is("gc"))
            cr_assert_gt(v, 0, "%s", json);
        else
            cr_assert_eq(v, 0, "region has no GC heap: %s", json);
    }
    free(json);
    unlink(path);
    rmdir(dir);
    unsetenv("HEAPLAB_STATS");
}

/* ---- where the statistics file goes: never replacing what the program does not own -------- */

/* A private temporary directory with HEAPLAB_STATS = dir/name, and a fresh runtime. */
static char *stats_dir(const char *name, char *path, size_t cap) {
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/hl-stats-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, cap, "%s/%s", dir, name);
    return dir;
}

static void export_stats_to(const char *path) {
    hl_shutdown();
    cr_assert_eq(setenv("HEAPLAB_STATS", path, 1), 0);
    hl_init();
    hl_ref a = node_new(1);
    hl_drop(&a);
    hl_shutdown();
    unsetenv("HEAPLAB_STATS");
}

static bool is_stats_json(const char *text) {
    char rt[32];
    return text && text[0] == '{' && hl_json_string(text, "runtime", rt, sizeof rt) && !strcmp(rt, hl_runtime_name());
}

/* Entries of dir, to check no temporary file is left behind. */
static int entries(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += e->d_name[0] != '.';
    if (d) closedir(d);
    return n;
}

Test(stats_file, a_regular_file_is_replaced_whole_with_no_temporary_left) {
    char path[128];
    char *dir = stats_dir("s.json", path, sizeof path);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("old content that is longer than the statistics object will ever be ..........................."
          "..................................................................................................",
          f);
    fclose(f);
    export_stats_to(path);
    char *json = hl_read_file(path);
    cr_assert(is_stats_json(json), "%s", json ? json : "(none)");
    cr_assert_null(strstr(json, "old content"), "the file was not replaced: %s", json);
    cr_assert_eq(entries(dir), 1, "a temporary file was left in %s", dir);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert(st.st_mode & S_IRGRP, "the file is not readable as a file the program makes (mode %o)", st.st_mode);
    free(json);
    unlink(path);
    rmdir(dir);
}

Test(stats_file, a_symlink_stays_a_symlink_and_its_target_gets_the_object) {
    char path[128], target[160];
    char *dir = stats_dir("link", path, sizeof path);
    snprintf(target, sizeof target, "%s/target", dir);
    FILE *f = fopen(target, "w");
    cr_assert_not_null(f);
    fclose(f);
    cr_assert_eq(symlink(target, path), 0);
    export_stats_to(path);
    struct stat st;
    cr_assert_eq(lstat(path, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "HEAPLAB_STATS replaced the symlink with a regular file");
    char *json = hl_read_file(target);
    cr_assert(is_stats_json(json), "the link's target holds: %s", json ? json : "(none)");
    free(json);
    unlink(path);
    unlink(target);
    rmdir(dir);
}

Test(stats_file, a_fifo_is_written_in_place) {
    char path[128];
    char *dir = stats_dir("fifo", path, sizeof path);
    cr_assert_eq(mkfifo(path, 0600), 0);
    int rd = open(path, O_RDONLY | O_NONBLOCK);   /* a reader, so the runtime's open does not block */
    cr_assert_geq(rd, 0);
    export_stats_to(path);
    char buf[512] = {0};
    ssize_t n = read(rd, buf, sizeof buf - 1);
    close(rd);
    cr_assert_gt(n, 0, "nothing was written into the FIFO");
    cr_assert(is_stats_json(buf), "%s", buf);
    struct stat st;
    cr_assert_eq(lstat(path, &st), 0);
    cr_assert(S_ISFIFO(st.st_mode), "the FIFO was replaced");
    unlink(path);
    rmdir(dir);
}

Test(stats_file, a_symlink_to_a_device_is_kept) {
    char path[128];
    char *dir = stats_dir("null", path, sizeof path);
    cr_assert_eq(symlink("/dev/null", path), 0);
    export_stats_to(path);
    struct stat st;
    cr_assert_eq(lstat(path, &st), 0);
    cr_assert(S_ISLNK(st.st_mode), "the symlink to /dev/null was replaced");
    cr_assert_eq(stat("/dev/null", &st), 0);
    cr_assert(S_ISCHR(st.st_mode), "/dev/null is no longer a device");
    unlink(path);
    rmdir(dir);
}

/* ---- lifetime edges ---------------------------------------------------------------------- */

/* A first hl_new before hl_init starts the runtime implicitly; a later hl_init must not
** forget what was allocated (manual counted 0 leaks and live_objects wrapped around). */
Test(conformance, hl_init_after_an_implicit_start_keeps_the_counts) {
    hl_shutdown();
    hl_ref a = node_new(1);   /* implicit start */
    hl_init();
    hl_ref b = node_new(2);
    hl_drop(&b);
    hl_stats s = hl_get_stats();
    cr_assert_eq(s.allocations, 2, "the allocation before hl_init is counted");
    if (sees_frees()) cr_assert_eq(s.live_objects, 1);
    size_t leaked = hl_shutdown();
    if (sees_frees()) cr_assert_eq(leaked, 1, "the object allocated before hl_init leaked");
    hl_init();
    (void)a;   /* leaked on purpose; its runtime is gone */
    finish();
}

/* "drops after it are harmless no-ops": the handle becomes HL_NULL and nothing is freed
** (manual freed: a drop after shutdown must not touch the heap). */
Test(conformance, drop_after_shutdown_is_a_no_op) {
    hl_ref a = node_new(7);
    hl_shutdown();
    uint64_t freed = hl_free_probe_count();
    hl_drop(&a);
    cr_assert(hl_is_null(a));
    hl_stats s = hl_get_stats();
    cr_assert_eq(s.frees, 0, "a drop after hl_shutdown freed something");
    if (rt_is("manual") && hl_free_probe_works())
        cr_assert_eq(hl_free_probe_count(), freed, "a drop after hl_shutdown called free");
    hl_init();
    finish();
}

Test(conformance, runtime_restarts_after_shutdown) {
    /* "After hl_shutdown it starts a fresh runtime": types, slots and counters work again,
    ** whatever the order in which types are first used in each session. */
    hl_ref a = node_new(1), l = hl_new(&Leaf_type);
    hl_drop(&l);
    hl_ref b = node_new(2);
    hl_drop(&a);
    hl_drop(&b);
    cr_assert_eq(hl_shutdown(), 0);
    hl_init();
    hl_ref n = node_new(3);              /* Node first again ... */
    hl_ref leaf = hl_new(&Leaf_type);    /* ... then Leaf */
    hl_ref t = hl_new(&Tri_type);
    {
        HL_WRITE(Leaf, p, leaf);
        p->v = 4;
    }
    cr_assert_eq(node_val(n), 3, "a Node is still a Node after a restart");
    {
        HL_READ(Leaf, p, leaf);
        cr_assert_eq(p->v, 4);
        HL_READ(Tri, q, t);
        cr_assert(hl_is_null(q->a));
    }
    cr_assert_eq(hl_get_stats().allocations, 3);
    hl_drop(&n);
    hl_drop(&leaf);
    hl_drop(&t);
    finish();
    hl_init();   /* and once more, in the other order */
    hl_ref l2 = hl_new(&Leaf_type), n2 = node_new(5);
    cr_assert_eq(node_val(n2), 5);
    {
        HL_READ(Leaf, p, l2);
        cr_assert_eq(p->v, 0);
    }
    hl_drop(&l2);
    hl_drop(&n2);
    finish();
}

Test(conformance, borrow_of_an_owned_variable_in_its_own_block) {
    /* the borrow is declared after the owner, so it is released before the owner is dropped */
    {
        HL_OWNED hl_ref x = node_new(4);
        HL_READ(Node, p, x);
        cr_assert_eq(p->val, 4);
    }
    {
        HL_OWNED hl_ref y = hl_new_bytes(8);
        HL_WRITE_BYTES(p, y);
        p[7] = 1;
        cr_assert_eq(hl_len(y), 8, "hl_len is allowed during an exclusive borrow");
    }
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

Test(conformance, objects_and_buffers_are_8_byte_aligned) {
    hl_ref keep = hl_new_refs(64);
    for (size_t i = 0; i < 64; i++) {
        *hl_slot(keep, i) = i % 3 == 0 ? hl_new_bytes(i) : i % 3 == 1 ? hl_new(&Leaf_type) : hl_new_refs(i);
        hl_ref e = hl_ref_at(keep, i);
        if (i % 3 == 0) {
            HL_READ_BYTES(p, e);
            cr_assert_eq((uintptr_t)p % 8, 0, "bytes buffer %zu at %p", i, (const void *)p);
        } else if (i % 3 == 1) {
            HL_READ(Leaf, p, e);
            cr_assert_eq((uintptr_t)p % 8, 0, "object %zu at %p", i, (const void *)p);
        } else {
            HL_READ_REFS(p, e);
            cr_assert_eq((uintptr_t)p % 8, 0, "refs buffer %zu at %p", i, (const void *)p);
        }
    }
    hl_drop(&keep);
    finish();
}

Test(conformance, init_twice_is_harmless) {
    hl_ref a = node_new(6);
    hl_init();   /* already running */
    cr_assert_eq(node_val(a), 6, "a second hl_init must not invalidate live objects");
    hl_ref b = node_new(7);
    cr_assert_eq(node_val(b), 7);
    hl_drop(&a);
    hl_drop(&b);
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

Test(conformance, first_allocation_initialises_implicitly) {
    hl_shutdown();   /* not running now */
    hl_ref a = node_new(8);
    cr_assert_eq(node_val(a), 8);
    cr_assert_eq(hl_get_stats().allocations, 1);
    hl_drop(&a);
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

/* An implicit start is hl_init's start: statistics requested in the environment when it
** happens are kept from the first allocation, whichever allocation it is (here a run without
** statistics comes first, so the environment is read at the start, not only at process start). */
static void check_implicit_start_counts_bytes(hl_ref (*first)(void), size_t first_bytes) {
    hl_shutdown();
    cr_assert_eq(unsetenv("HEAPLAB_STATS"), 0);
    hl_init();
    hl_shutdown();   /* not running now */
    cr_assert_eq(setenv("HEAPLAB_STATS", "", 1), 0);
    hl_ref a = first();   /* implicit start */
    hl_ref b = hl_new_bytes(10);
    hl_stats s = hl_get_stats();
    cr_assert_eq(s.allocations, 2);
    cr_assert_eq(s.bytes_allocated, first_bytes + 10, "an implicit start counted %llu bytes of %zu",
                 (unsigned long long)s.bytes_allocated, first_bytes + 10);
    hl_drop(&a);
    hl_drop(&b);
    if (sees_frees()) cr_assert_eq(live(), 0);
    finish();
}

static hl_ref first_node(void) { return node_new(1); }
static hl_ref first_buffer(void) { return hl_new_bytes_uninit(24); }
static hl_ref first_refs(void) { return hl_new_refs(3); }

Test(conformance, an_implicit_start_by_hl_new_reads_heaplab_stats) {
    check_implicit_start_counts_bytes(first_node, sizeof(Node));
}
Test(conformance, an_implicit_start_by_a_buffer_reads_heaplab_stats) {
    check_implicit_start_counts_bytes(first_buffer, 24);
}
Test(conformance, an_implicit_start_by_a_refs_buffer_reads_heaplab_stats) {
    check_implicit_start_counts_bytes(first_refs, 3 * sizeof(hl_ref));
}

Test(conformance, moving_keeps_the_content) {
    /* a move transfers the object itself: no copy, nothing reset */
    hl_ref b = hl_new_bytes(32);
    hl_set_byte(b, 31, 9);
    hl_ref c = hl_move(&b);
    cr_assert_eq(hl_get_stats().allocations, 1);
    {
        HL_READ_BYTES(p, c);
        cr_assert_eq(p[31], 9);
        cr_assert_eq(p[0], 0);
    }
    hl_drop(&c);
    finish();
}
