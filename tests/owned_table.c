/*
** owned_table.c: the owned runtime's slot arena (runtimes/owned_table.c): small objects stored
** inside their slots, buffers that grow out of their slot and back, pages of every size class
** side by side, runs of the runtime one after another, and handles that name no slot.
**
** The layout is invisible through the API, so these tests check what it must keep: contents
** and zeroed growth across every move of a buffer's storage, objects of different classes that
** never overlap, no leak and no stale borrow carried from one run into the next, and a clear
** "invalid handle" for an index that does not name a slot. Built for owned, owned-fast and the
** sanitized owned runtime.
*/
#define _GNU_SOURCE
#include "heaplab.h"
#include "hl_expect.h"
#include "hl_test.h"
#include "hl_types.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static uint8_t pattern(size_t seed, size_t i) { return (uint8_t)(seed * 131 + i * 7 + 1); }

static void fill(hl_ref b, size_t seed) {
    HL_WRITE_SLICE(uint8_t, w, b);
    for (size_t i = 0; i < w.len; i++) HL_AT(w, i) = pattern(seed, i);
}

/* Bytes [from, to) of b hold the pattern of seed (zero: hold zeros). */
static bool holds(hl_ref b, size_t seed, size_t from, size_t to, bool zero) {
    HL_READ_SLICE(uint8_t, r, b);
    for (size_t i = from; i < to; i++)
        if (HL_AT(r, i) != (zero ? 0 : pattern(seed, i))) return false;
    return true;
}

/* Leave a dirty block of the class of a buffer of n bytes on its free list. */
static void dirty_block(size_t n) {
    hl_ref d = hl_new_bytes(n);
    fill(d, 99);
    hl_drop(&d);
}

/* A bytes buffer born in its slot (48-byte inline block) grows out of it, shrinks back into it
** and grows in place: the content is kept each time, and growth reads zeros, although the
** inline block still holds what was written there before. */
static void bytes_buffer_moves_out_of_its_slot_and_back(void) {
    hl_init();
    dirty_block(2000);   /* the block b moves to first holds another buffer's bytes */
    hl_ref b = hl_new_bytes(40);
    fill(b, 1);
    hl_resize(&b, 2000);   /* out: a block of its own */
    CHILD_CHECK(hl_len(b) == 2000 && holds(b, 1, 0, 40, false) && holds(b, 0, 40, 2000, true));
    fill(b, 2);
    hl_resize(&b, 100);    /* still too big for the slot's block */
    CHILD_CHECK(holds(b, 2, 0, 100, false));
    hl_resize(&b, 16);     /* back into the slot */
    CHILD_CHECK(hl_len(b) == 16 && holds(b, 2, 0, 16, false));
    hl_resize(&b, 40);     /* grows in place: the old bytes 16..39 of the block must not show */
    CHILD_CHECK(holds(b, 2, 0, 16, false) && holds(b, 0, 16, 40, true));
    hl_resize(&b, 0);
    hl_resize(&b, 30);
    CHILD_CHECK(holds(b, 0, 0, 30, true));
    hl_drop(&b);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(inline_blocks, a_bytes_buffer_keeps_its_content_out_of_its_slot_and_back) {
    EXPECT_OK_NO_LEAKS(bytes_buffer_moves_out_of_its_slot_and_back);
}

/* The same for a refs buffer: its elements are owned, so shrinking drops the ones cut off,
** and nothing leaks whichever block the buffer ends in. */
static void refs_buffer_moves_out_of_its_slot_and_back(void) {
    hl_init();
    hl_ref r = hl_new_refs(3);
    for (int64_t k = 0; k < 3; k++) *hl_slot(r, (size_t)k) = node(k);
    hl_resize(&r, 100);   /* 808 bytes: out of its slot */
    for (int64_t k = 3; k < 100; k++) *hl_slot(r, (size_t)k) = node(k);
    hl_resize(&r, 2);     /* back in: 98 nodes dropped */
    CHILD_CHECK(hl_len(r) == 2);
    for (size_t k = 0; k < 2; k++) {
        HL_READ(Node, n, hl_ref_at(r, k));
        CHILD_CHECK(n->val == (int64_t)k);
    }
    hl_resize(&r, 5);
    CHILD_CHECK(hl_is_null(hl_ref_at(r, 2)) && hl_is_null(hl_ref_at(r, 4)));
    hl_drop(&r);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(inline_blocks, a_refs_buffer_drops_and_keeps_its_elements_out_of_its_slot_and_back) {
    EXPECT_OK_NO_LEAKS(refs_buffer_moves_out_of_its_slot_and_back);
}

/* Buffers of every size from 1 to 600 bytes (every class, and blocks of their own past 504)
** and typed objects, interleaved, some dropped and their slots reused: each keeps its own
** bytes, so no two blocks overlap. */
enum { SIZES = 600 };

static void every_class_keeps_its_objects_apart(void) {
    hl_init();
    static hl_ref bufs[SIZES + 1], leaves[SIZES + 1];
    for (size_t n = 1; n <= SIZES; n++) {
        bufs[n] = hl_new_bytes(n);
        fill(bufs[n], n);
        leaves[n] = hl_new(&Leaf_type);
        HL_WRITE(Leaf, l, leaves[n]);
        l->v = (int64_t)n;
    }
    for (size_t n = 1; n <= SIZES; n += 3) hl_drop(&bufs[n]);
    for (size_t n = 1; n <= SIZES; n += 3) {   /* reuse the vacated slots, with other sizes */
        bufs[n] = hl_new_bytes(SIZES + 1 - n);
        fill(bufs[n], n + 1000);
    }
    for (size_t n = 1; n <= SIZES; n++) {
        bool reused = n % 3 == 1;
        size_t len = reused ? SIZES + 1 - n : n;
        CHILD_CHECK(hl_len(bufs[n]) == len && holds(bufs[n], reused ? n + 1000 : n, 0, len, false));
        HL_READ(Leaf, l, leaves[n]);
        CHILD_CHECK(l->v == (int64_t)n);
    }
    for (size_t n = 1; n <= SIZES; n++) {
        hl_drop(&bufs[n]);
        hl_drop(&leaves[n]);
    }
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(inline_blocks, objects_of_every_class_never_overlap) { EXPECT_OK_NO_LEAKS(every_class_keeps_its_objects_apart); }

/* ==== blocks of their own ==================================================================== */

/* Sizes of buffers of their own: around every boundary of the medium classes (eight to each
** doubling from 512 bytes to 32 KiB, runtimes/owned_alloc.c) and past them, where blocks come
** from malloc. Enough of them that the allocator's 256 KiB chunks run out many times. */
static size_t own_block_sizes(size_t *out, size_t cap) {
    size_t k = 0;
    for (size_t b = 512; b < 32768; b *= 2)
        for (size_t step = 1; step <= 8; step++) {
            size_t edge = b + step * (b / 8);
            for (size_t d = 0; d < 3 && k < cap; d++) out[k++] = edge - 1 + d;   /* edge-1, edge, edge+1 */
        }
    for (size_t extra = 40000; extra <= 100000 && k < cap; extra += 30000) out[k++] = extra;
    return k;
}

/* Buffers of every medium class and of malloc's sizes, interleaved with small objects, some
** dropped and their blocks reused by other sizes: each keeps its own bytes, so no two blocks
** overlap, and a reused block reads zeros before it is written. */
static void own_blocks_keep_apart(void) {
    hl_init();
    static size_t sizes[200];
    static hl_ref bufs[200], leaves[200];
    size_t n = own_block_sizes(sizes, 200);
    for (size_t k = 0; k < n; k++) {
        bufs[k] = hl_new_bytes(sizes[k]);
        fill(bufs[k], k);
        leaves[k] = node((int64_t)k);
    }
    for (size_t k = 0; k < n; k += 3) hl_drop(&bufs[k]);
    for (size_t k = 0; k < n; k += 3) {   /* the freed blocks, taken by other sizes */
        bufs[k] = hl_new_bytes(sizes[n - 1 - k]);
        CHILD_CHECK(holds(bufs[k], 0, 0, sizes[n - 1 - k], true));
        fill(bufs[k], k + 1000);
    }
    for (size_t k = 0; k < n; k++) {
        bool reused = k % 3 == 0;
        size_t len = reused ? sizes[n - 1 - k] : sizes[k];
        CHILD_CHECK(hl_len(bufs[k]) == len && holds(bufs[k], reused ? k + 1000 : k, 0, len, false));
        HL_READ(Node, l, leaves[k]);
        CHILD_CHECK(l->val == (int64_t)k);
    }
    for (size_t k = 0; k < n; k++) {
        hl_drop(&bufs[k]);
        hl_drop(&leaves[k]);
    }
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(own_blocks, blocks_of_every_medium_class_and_of_malloc_never_overlap) {
    EXPECT_OK_NO_LEAKS(own_blocks_keep_apart);
}

/* A buffer of its own resized within its block's class keeps the block: shrunk and grown
** again, it reads zeros where it grew, though the block still holds the bytes cut off. Resized
** from class to class, to a block from malloc and back, it keeps its content each time. */
static void own_block_resized(void) {
    hl_init();
    dirty_block(5000);   /* each move below gets a block holding another buffer's bytes */
    dirty_block(70000);
    hl_ref b = hl_new_bytes(1000);   /* class of 1024 bytes */
    fill(b, 1);
    hl_resize(&b, 990);
    hl_resize(&b, 1010);             /* the same class: bytes 990..1009 were 1's pattern */
    CHILD_CHECK(holds(b, 1, 0, 990, false) && holds(b, 0, 990, 1010, true));
    fill(b, 2);
    hl_resize(&b, 5000);             /* another class */
    CHILD_CHECK(holds(b, 2, 0, 1010, false) && holds(b, 0, 1010, 5000, true));
    fill(b, 3);
    hl_resize(&b, 70000);            /* from malloc */
    CHILD_CHECK(holds(b, 3, 0, 5000, false) && holds(b, 0, 5000, 70000, true));
    fill(b, 4);
    hl_resize(&b, 3000);             /* back to a class */
    CHILD_CHECK(hl_len(b) == 3000 && holds(b, 4, 0, 3000, false));
    hl_resize(&b, 3100);
    CHILD_CHECK(holds(b, 4, 0, 3000, false) && holds(b, 0, 3000, 3100, true));
    hl_drop(&b);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(own_blocks, a_buffer_keeps_its_content_from_class_to_class_and_reads_zeros_where_it_grew) {
    EXPECT_OK_NO_LEAKS(own_block_resized);
}

/* ==== address-space limits ===================================================================== */

/* Address space in use now, from /proc/self/statm. */
static size_t vm_bytes(void) {
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%lu", &pages) != 1) pages = 0;
        fclose(f);
    }
    return pages * (size_t)sysconf(_SC_PAGESIZE);
}

/* Under a limit on its address space (RLIMIT_AS) set before the runtime starts, the table
** takes at most half of what is left, so the program can still allocate large blocks. */
static void runs_under_an_address_space_limit(void) {
    struct rlimit rl;
    CHILD_CHECK(getrlimit(RLIMIT_AS, &rl) == 0);
    rl.rlim_cur = vm_bytes() + (128u << 20);
    CHILD_CHECK(setrlimit(RLIMIT_AS, &rl) == 0);
    hl_init();
    hl_ref big = hl_new_bytes(40u << 20);   /* 40 MiB of a block of its own */
    hl_ref list = HL_NULL;
    for (int64_t k = 0; k < 100000; k++) {   /* and small objects in the table */
        hl_ref n = node(k);
        {
            HL_WRITE(Node, w, n);
            w->next = hl_move(&list);
        }
        list = hl_move(&n);
    }
    hl_set_byte(big, (40u << 20) - 1, 1);
    hl_drop(&list);
    hl_drop(&big);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(limits, the_table_leaves_room_under_an_address_space_limit) {
    EXPECT_OK_NO_LEAKS(runs_under_an_address_space_limit);
}

/* ==== runs of the runtime ===================================================================== */

/* Many runs in one process, each carving pages after the last (their memory given back) until
** 1 GiB of pages lies behind and a run starts over at the first page: every run starts clean,
** and the start over happens (a later run's first handle has a lower index than an earlier's). */
static void many_runs(void) {
    bool restarted = false;
    uint32_t last = 0;
    for (int run = 0; run < 8000; run++) {
        hl_init();
        hl_ref a = node(run), b = hl_new_bytes((size_t)run % 300), c = hl_new_refs(2);
        restarted |= (uint32_t)a.bits < last;
        last = (uint32_t)a.bits;
        *hl_slot(c, 1) = hl_move(&a);
        {
            HL_READ(Node, n, hl_ref_at(c, 1));
            CHILD_CHECK(n->val == run);
        }
        CHILD_CHECK(hl_len(b) == (size_t)run % 300);
        hl_drop(&b);
        hl_drop(&c);
        CHILD_CHECK(hl_shutdown() == 0);
    }
    CHILD_CHECK(restarted);
}

Test(runs, thousands_of_runs_in_one_process_each_start_clean) { EXPECT_OK_NO_LEAKS(many_runs); }

/* A borrow left live across hl_shutdown is released after the next hl_init: the release writes
** into the earlier run's page, not into a slot of the new run. */
static void borrow_released_in_the_next_run(void) {
    hl_init();
    hl_ref a = hl_new(&Leaf_type);
    hl_ref b = HL_NULL;
    {
        HL_READ(Leaf, p, a);
        (void)p;
        hl_shutdown();   /* a is reported as leaked; its borrow is still live */
        hl_init();
        b = hl_new(&Leaf_type);
    }
    HL_WRITE(Leaf, w, b);   /* b is not borrowed: the release went elsewhere */
    w->v = 1;
}

Test(runs, a_borrow_released_in_the_next_run_touches_no_slot_of_it) { EXPECT_OK(borrow_released_in_the_next_run); }

/* A handle kept from an earlier run names no slot of this one. */
static void handle_from_an_earlier_run(void) {
    hl_init();
    hl_ref old = hl_new(&Leaf_type);
    hl_shutdown();
    hl_init();
    hl_ref now = hl_new(&Leaf_type);
    (void)now;
    HL_READ(Leaf, p, old);
    (void)p;
}

static void expect_invalid(const char *name, void (*fn)(void)) {
    hl_child c;
    char *block = hl_expect_one_error(name, fn, "invalid handle", &c);
    cr_assert(strstr(block, "not made by this runtime"), "%s: %s", name, block);
    free(block);
    hl_child_free(&c);
}

Test(runs, a_handle_from_an_earlier_run_is_invalid) { expect_invalid("earlier run", handle_from_an_earlier_run); }

/* An index into the middle of a slot (here: one unit past a live object's slot) is not a
** handle the runtime made: it is reported as such, whatever the memory there holds. */
static void handle_into_a_slot(void) {
    hl_init();
    hl_ref n = node(7);
    hl_ref forged = {n.bits + 1};
    HL_READ(Node, p, forged);
    (void)p;
}

Test(invalid, a_handle_into_the_middle_of_a_slot_is_invalid) { expect_invalid("into a slot", handle_into_a_slot); }
