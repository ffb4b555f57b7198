/*
** owned_diagnostics.c: diagnostics that point at both ends (docs/design.md, "Diagnostics").
**
**  - a borrow conflict names where the live borrow was taken (rustc's "immutable borrow occurs
**    here", "first mutable borrow occurs here"): the first of several shared borrows, which is
**    the one still live, whichever macro took it (HL_READ, HL_WRITE, slices, vectors);
**  - a double drop at the end of an HL_OWNED variable's scope points at the variable's
**    declaration and names the earlier drop;
**  - dropping through a non-owning copy is a drop like any (the limit docs/ownership.md states):
**    the owner's later drop is the double drop, and names both drops;
**  - HEAPLAB_BACKTRACE=1 adds the call stack, from the program's call that failed down to main.
**
** Each case runs in a child process (tests/support/hl_test.h) and the whole diagnostic block is
** compared line for line, with the lines of the marked calls (HL_MARK). Built for owned and for
** owned-fast: owned-fast remembers no sites, so there the notes say only what kind of borrow is
** live and a drop at the end of a scope has no declaration line (SITES below).
*/
#define _GNU_SOURCE
#include "heaplab.h"
#include "hl_expect.h"
#include "hl_test.h"
#include "hl_types.h"

#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THIS_FILE "tests/owned_diagnostics.c"
#define SITES (HL__OLEVEL >= 2)

/* Marks: line numbers recorded by the child. */
enum { USE, ALLOC, BORROW, DECL, DROP, CALL };

static int mark(const char *name, int k) {
    int line = hl_marks[k];
    cr_assert_gt(line, 0, "%s: the child never reached mark %d", name, k);
    return line;
}

/* ---- the expected block ------------------------------------------------------------------- */

typedef struct text {
    char buf[2048];
    size_t len;
} text;

static void add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
    va_end(ap);
    cr_assert(n >= 0 && (size_t)n + 1 < sizeof t->buf - t->len, "expected text too long");
    t->len += (size_t)n;
    t->buf[t->len++] = '\n';
    t->buf[t->len] = '\0';
}

/* Run fn; it must exit with status 101 and print exactly one error block, equal to want. */
static hl_child expect_block(const char *name, void (*fn)(void), const char *kind, void (*build)(const char *, text *)) {
    hl_child c;
    char *block = hl_expect_one_error(name, fn, kind, &c);
    text want = {.len = 0};
    add(&want, "heaplab: error: %s", kind);
    build(name, &want);
    cr_assert_str_eq(block, want.buf, "%s: expected the block\n%s\ngot\n%s", name, want.buf, block);
    free(block);
    return c;
}

#define EXPECT_BLOCK(fn, kind, build)                                                      \
    do {                                                                                   \
        hl_child c_ = expect_block(#fn, fn, kind, build);                                  \
        hl_child_free(&c_);                                                                \
    } while (0)

/* ==== borrow conflicts name the live borrow ================================================= */

static void shared_then_exclusive(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_MARK(BORROW); HL_READ(Node, r, a);
    HL_MARK(USE); HL_WRITE(Node, w, a);
    (void)r, (void)w;
}
static void exclusive_then_shared(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_MARK(BORROW); HL_WRITE(Node, w, a);
    HL_MARK(USE); HL_READ(Node, r, a);
    (void)r, (void)w;
}
static void exclusive_then_exclusive(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_MARK(BORROW); HL_WRITE(Node, w1, a);
    HL_MARK(USE); HL_WRITE(Node, w2, a);
    (void)w1, (void)w2;
}
/* A move is not a borrow: the live exclusive borrow is just "mutably borrowed". */
static void move_while_exclusive(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_MARK(BORROW); HL_WRITE(Node, w, a);
    HL_MARK(USE); hl_ref b = hl_move(&a);
    (void)w, (void)b;
}
static void drop_while_shared(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_MARK(BORROW); HL_READ(Node, r, a);
    HL_MARK(USE); hl_drop(&a);
    (void)r;
}

/* Where the live borrow was taken, or (owned-fast) only what it is. */
static void borrow_note(const char *name, text *t, const char *what, const char *state) {
    add(t, "  --> %s:%d", THIS_FILE, mark(name, USE));
    if (SITES) {
        add(t, "   = note: `Node` allocated at %s:%d", THIS_FILE, mark(name, ALLOC));
        add(t, "   = note: %s at %s:%d", what, THIS_FILE, mark(name, BORROW));
    } else {
        add(t, "   = note: it is %s", state);
    }
}
static void shared_live(const char *name, text *t) { borrow_note(name, t, "borrowed (shared)", "borrowed (shared)"); }
static void exclusive_live(const char *name, text *t) { borrow_note(name, t, "mutably borrowed", "mutably borrowed"); }
static void exclusive_live_first(const char *name, text *t) {
    borrow_note(name, t, "first mutably borrowed", "mutably borrowed");
}

Test(borrow_site, shared_then_exclusive) {
    EXPECT_BLOCK(shared_then_exclusive, "already borrowed", shared_live);
}

Test(borrow_site, exclusive_then_shared) {
    EXPECT_BLOCK(exclusive_then_shared, "already mutably borrowed", exclusive_live);
}

Test(borrow_site, exclusive_then_exclusive) {
    EXPECT_BLOCK(exclusive_then_exclusive, "already borrowed", exclusive_live_first);
}

Test(borrow_site, moving_or_dropping_a_borrowed_object) {
    EXPECT_BLOCK(move_while_exclusive, "already borrowed", exclusive_live);
    EXPECT_BLOCK(drop_while_shared, "drop while borrowed", shared_live);
}

/* Nested shared borrows: the first one, still live, is named; not one taken and released
** before it, nor the inner ones (released or live). */
static void nested_shared_then_conflict(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    {
        HL_READ(Node, gone, a);   /* taken from 0 and released: forgotten */
        (void)gone;
    }
    HL_MARK(BORROW); HL_READ(Node, outer, a);
    {
        HL_READ(Node, inner, a);
        {
            HL_READ(Node, innermost, a);
            (void)innermost;
        }
        (void)inner;
    }
    HL_READ(Node, later, a);
    HL_MARK(USE); HL_WRITE(Node, w, a);
    (void)outer, (void)later, (void)w;
}

/* The same sites a second time, so that the typed borrows take the inline fast path (the
** first visit of a site fills its type hint in the slow path). */
static void conflict_on_the_fast_path(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    for (int round = 0; round < 2; round++) {
        HL_MARK(BORROW); HL_READ(Node, r, a);
        HL_READ(Node, r2, a);
        if (round == 1) {
            HL_MARK(USE); HL_WRITE(Node, w, a);
            (void)w;
        }
        (void)r, (void)r2;
    }
}

Test(borrow_site, nested_shared_borrows_name_the_first_live_one) {
    EXPECT_BLOCK(nested_shared_then_conflict, "already borrowed", shared_live);
    EXPECT_BLOCK(conflict_on_the_fast_path, "already borrowed", shared_live);
}

/* Slices and vectors are borrows: the same notes, naming the slice's or vector's borrow. */
static void slice_then_write_slice(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(16);
    HL_MARK(BORROW); HL_READ_SLICE(uint32_t, s, b);
    HL_MARK(USE); HL_WRITE_SLICE(uint32_t, w, b);
    (void)s, (void)w;
}
static void write_slice_then_set_byte(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(16);
    HL_MARK(BORROW); HL_WRITE_SLICE(uint8_t, s, b);
    HL_MARK(USE); hl_set_byte(b, 0, 1);
    (void)s;
}
static void refs_slice_then_slot(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref v = hl_new_refs(4);
    HL_MARK(BORROW); HL_READ_SLICE(hl_ref, s, v);
    HL_MARK(USE); (void)hl_slot(v, 0);
    (void)s;
}
static void vec_slice_then_push(void) {
    hl_init();
    hl_vec v = HL_VEC_NEW;
    HL_MARK(ALLOC); HL_VEC_PUSH(uint32_t, &v, 7);
    HL_MARK(BORROW); HL_WRITE_VEC(uint32_t, s, &v);
    HL_MARK(USE); HL_VEC_PUSH(uint32_t, &v, 8);
    (void)s;
}
static void vec_slice_then_read_vec(void) {
    hl_init();
    hl_vec v = HL_VEC_NEW;
    HL_MARK(ALLOC); HL_VEC_PUSH(uint32_t, &v, 7);
    HL_MARK(BORROW); HL_WRITE_VEC(uint32_t, s, &v);
    HL_MARK(USE); HL_READ_VEC(uint32_t, r, &v);
    (void)s, (void)r;
}

static void buffer_note(const char *name, text *t, const char *type, const char *what, const char *state) {
    add(t, "  --> %s:%d", THIS_FILE, mark(name, USE));
    if (SITES) {
        add(t, "   = note: `%s` allocated at %s:%d", type, THIS_FILE, mark(name, ALLOC));
        add(t, "   = note: %s at %s:%d", what, THIS_FILE, mark(name, BORROW));
    } else {
        add(t, "   = note: it is %s", state);
    }
}
static void bytes_shared(const char *name, text *t) { buffer_note(name, t, "bytes", "borrowed (shared)", "borrowed (shared)"); }
static void bytes_exclusive(const char *name, text *t) { buffer_note(name, t, "bytes", "mutably borrowed", "mutably borrowed"); }
static void bytes_exclusive_first(const char *name, text *t) {
    buffer_note(name, t, "bytes", "first mutably borrowed", "mutably borrowed");
}
static void refs_shared(const char *name, text *t) { buffer_note(name, t, "refs", "borrowed (shared)", "borrowed (shared)"); }

Test(borrow_site, through_slices_and_vectors) {
    EXPECT_BLOCK(slice_then_write_slice, "already borrowed", bytes_shared);
    EXPECT_BLOCK(write_slice_then_set_byte, "already borrowed", bytes_exclusive);
    EXPECT_BLOCK(refs_slice_then_slot, "already borrowed", refs_shared);
    /* a push is a write to the buffer, as v.push() is a &mut borrow of v */
    EXPECT_BLOCK(vec_slice_then_push, "already borrowed", bytes_exclusive_first);
    EXPECT_BLOCK(vec_slice_then_read_vec, "already mutably borrowed", bytes_exclusive);
}

/* ==== a double drop at the end of an HL_OWNED variable's scope =============================== */

/* The variable's object was dropped through a non-owning copy; then its scope ends. */
static void double_drop_at_scope_end(void) {
    hl_init();
    {
        HL_MARK(DECL); HL_OWNED hl_ref x = hl_new(&Node_type);
        hl_ref c = x;
        HL_MARK(DROP); hl_drop(&c);
    }
}
/* The same, with other HL_OWNED variables around it: declared after it in its block (dropped
** before it, legally), inside its initialiser's callee, and in a block that ended before. */
static hl_ref made_with_a_temporary(void) {
    HL_OWNED hl_ref tmp = node(1);
    HL_OWNED hl_ref result = node(2);
    (void)tmp;
    return hl_move(&result);
}
static void double_drop_at_scope_end_among_others(void) {
    hl_init();
    {
        HL_OWNED hl_ref before = node(0);
        (void)before;
    }
    HL_OWNED hl_ref outer = node(3);
    {
        HL_MARK(DECL); HL_OWNED hl_ref x = made_with_a_temporary();
        HL_OWNED hl_ref after = node(4);
        HL_OWNED_VEC hl_vec v = HL_VEC_NEW;
        HL_VEC_PUSH(uint8_t, &v, 1);
        hl_ref c = x;
        HL_MARK(DROP); hl_drop(&c);
        (void)after;
    }
    (void)outer;
}

static void scope_end_where(const char *name, text *t) {
    if (SITES) {
        add(t, "  --> %s:%d", THIS_FILE, mark(name, DECL));
        add(t, "   = note: the drop is at the end of the scope of the `HL_OWNED` variable declared here");
    } else {
        add(t, "  --> (the end of an HL_OWNED variable's scope)");
    }
}
static void double_drop_declared_here(const char *name, text *t) {
    scope_end_where(name, t);
    if (SITES) {
        add(t, "   = note: `Node` allocated at %s:%d", THIS_FILE, mark(name, DECL));
        add(t, "   = note: dropped at %s:%d", THIS_FILE, mark(name, DROP));
    }
}
static void double_drop_declared_here_made_elsewhere(const char *name, text *t) {
    scope_end_where(name, t);
    if (SITES) {
        add(t, "   = note: `Node` allocated at %s:%d", THIS_FILE, mark(name, ALLOC));
        add(t, "   = note: dropped at %s:%d", THIS_FILE, mark(name, DROP));
    }
}

static hl_ref node_marked(int64_t v) {
    HL_MARK(ALLOC); hl_ref n = hl_new(&Node_type);
    HL_WRITE(Node, p, n);
    p->val = v;
    return n;
}
static void double_drop_at_scope_end_of_a_returned_object(void) {
    hl_init();
    {
        HL_MARK(DECL); HL_OWNED hl_ref x = node_marked(5);
        hl_ref c = x;
        HL_MARK(DROP); hl_drop(&c);
    }
}

Test(owned_scope_end, a_double_drop_names_the_declaration_and_the_earlier_drop) {
    EXPECT_BLOCK(double_drop_at_scope_end, "double drop", double_drop_declared_here);
    EXPECT_BLOCK(double_drop_at_scope_end_of_a_returned_object, "double drop", double_drop_declared_here_made_elsewhere);
}

/* The allocation is in node() (its line is not marked): check the lines that name the sites. */
Test(owned_scope_end, the_declaration_among_other_owned_variables) {
    hl_child c;
    char *block = hl_expect_one_error("double_drop_at_scope_end_among_others", double_drop_at_scope_end_among_others, "double drop", &c);
    if (SITES) {
        cr_assert_not_null(hl_find_line(block, "  --> %s:%d", THIS_FILE, hl_marks[DECL]), "got:\n%s", block);
        cr_assert_not_null(hl_find_line(block, "   = note: dropped at %s:%d", THIS_FILE, hl_marks[DROP]), "got:\n%s",
                           block);
    } else {
        cr_assert_not_null(hl_find_line(block, "  --> (the end of an HL_OWNED variable's scope)"), "got:\n%s", block);
    }
    free(block);
    hl_child_free(&c);
}

/* HL_OWNED variables 100 deep, more than the declaration stack keeps (64): the stack is right
** again once they have ended, and a drop deeper than it keeps falls back to no declaration. */
static void nest_owned(int depth, bool fail_at_bottom) {
    HL_OWNED hl_ref level = node(depth);
    if (depth > 0) {
        nest_owned(depth - 1, fail_at_bottom);
    } else if (fail_at_bottom) {
        HL_OWNED hl_ref x = node(-1);
        hl_ref c = x;
        hl_drop(&c);
    }
    (void)level;
}
static void double_drop_after_deep_nesting(void) {
    hl_init();
    nest_owned(100, false);
    {
        HL_MARK(DECL); HL_OWNED hl_ref x = hl_new(&Node_type);
        hl_ref c = x;
        HL_MARK(DROP); hl_drop(&c);
    }
}
static void double_drop_deeper_than_kept(void) {
    hl_init();
    nest_owned(100, true);
}

Test(owned_scope_end, deeper_than_the_declaration_stack) {
    EXPECT_BLOCK(double_drop_after_deep_nesting, "double drop", double_drop_declared_here);
    hl_child c;
    char *block = hl_expect_one_error("double_drop_deeper_than_kept", double_drop_deeper_than_kept, "double drop", &c);
    cr_assert_not_null(hl_find_line(block, "  --> (the end of an HL_OWNED variable's scope)"),
                       "a declaration the stack did not keep is not named:\n%s", block);
    free(block);
    hl_child_free(&c);
}

/* A use after free of an object dropped at the end of an HL_OWNED variable's scope names that
** variable's declaration. */
static void use_after_scope_end_drop(void) {
    hl_init();
    hl_ref copy;
    {
        HL_MARK(DECL); HL_OWNED hl_ref x = hl_new(&Node_type);
        copy = x;
    }
    HL_MARK(USE); HL_READ(Node, p, copy);
    (void)p;
}
static void dropped_at_scope_end(const char *name, text *t) {
    add(t, "  --> %s:%d", THIS_FILE, mark(name, USE));
    if (SITES) {
        add(t, "   = note: `Node` allocated at %s:%d", THIS_FILE, mark(name, DECL));
        add(t, "   = note: dropped at the end of the scope of the `HL_OWNED` variable declared at %s:%d", THIS_FILE,
            mark(name, DECL));
    }
}

Test(owned_scope_end, a_use_after_free_names_the_scope_that_dropped_it) {
    EXPECT_BLOCK(use_after_scope_end_drop, "use after free", dropped_at_scope_end);
}

/* ==== dropping through a non-owning copy ======================================================= */

/* C cannot tell a copy from its owner: the copy's drop succeeds (the object is gone) and the
** owner's own drop is then the double drop, naming both. */
static void drop_through_copy_then_owner(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref c = a;
    HL_MARK(DROP); hl_drop(&c);
    CHILD_CHECK(hl_is_null(c));
    printf("the copy's drop succeeded\n");
    fflush(stdout);
    HL_MARK(USE); hl_drop(&a);
}
static void double_drop_of_the_owner(const char *name, text *t) {
    add(t, "  --> %s:%d", THIS_FILE, mark(name, USE));
    if (SITES) {
        add(t, "   = note: `Node` allocated at %s:%d", THIS_FILE, mark(name, ALLOC));
        add(t, "   = note: dropped at %s:%d", THIS_FILE, mark(name, DROP));
    }
}

Test(non_owning_copy, its_drop_frees_and_the_owners_drop_is_a_double_drop) {
    hl_child c = expect_block("drop_through_copy_then_owner", drop_through_copy_then_owner, "double drop",
                              double_drop_of_the_owner);
    cr_assert_str_eq(c.out, "the copy's drop succeeded\n", "the first drop must succeed; stdout:\n%s", c.out);
    hl_child_free(&c);
}

/* ... and at the end of the owner's HL_OWNED scope: double_drop_at_scope_end above. */

/* ==== HEAPLAB_BACKTRACE ======================================================================== */

/* Not static and not inlined: it must be a frame of its own, named in the backtrace. */
void conflicting_helper(hl_ref a);
__attribute__((noinline)) void conflicting_helper(hl_ref a) {
    HL_MARK(USE); HL_WRITE(Node, w, a);
    (void)w;
}
__attribute__((noinline)) static void conflict_in_a_helper(void) {
    hl_init();
    hl_ref a = hl_new(&Node_type);
    HL_MARK(BORROW); HL_READ(Node, r, a);
    HL_MARK(CALL); conflicting_helper(a);
    (void)r;
}
static void conflict_with_backtrace(void) {
    setenv("HEAPLAB_BACKTRACE", "1", 1);
    conflict_in_a_helper();
}
static void conflict_without_backtrace(void) {
    unsetenv("HEAPLAB_BACKTRACE");
    conflict_in_a_helper();
}
static void conflict_with_backtrace_0(void) {
    setenv("HEAPLAB_BACKTRACE", "0", 1);
    conflict_in_a_helper();
}
/* No addr2line on the PATH: the raw frames, still no crash. */
static void conflict_with_backtrace_no_addr2line(void) {
    setenv("HEAPLAB_BACKTRACE", "1", 1);
    setenv("PATH", "/nonexistent", 1);
    conflict_in_a_helper();
}

/* The line after the one starting at p, or NULL. */
static const char *next_line(const char *p) {
    const char *nl = strchr(p, '\n');
    return nl ? nl + 1 : NULL;
}

/* Does the line at p end with "tests/owned_diagnostics.c:<line>" after "             at "? */
static bool at_line(const char *p, int line) {
    char want[128];
    snprintf(want, sizeof want, "/" THIS_FILE ":%d", line);
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p), wl = strlen(want);
    return strncmp(p, "             at ", 16) == 0 && len >= wl && memcmp(p + len - wl, want, wl) == 0;
}

Test(backtrace, names_the_helper_and_its_caller) {
    hl_child c = hl_child_run(conflict_with_backtrace);
    cr_assert(c.exited && c.code == 101, "expected exit status 101, got %s; stderr:\n%s", hl_child_status(&c), c.err);
    char *block = hl_diag_block(c.err, "already borrowed");
    cr_assert_not_null(block, "no diagnostic in:\n%s", c.err);
    cr_assert_not_null(hl_find_line(block, "  --> %s:%d", THIS_FILE, hl_marks[USE]), "got:\n%s", block);
    /* the backtrace follows the block directly */
    const char *bt = strstr(c.err, block) + strlen(block);
    cr_assert(strncmp(bt, "stack backtrace:\n", 17) == 0, "no backtrace after the block:\n%s", c.err);
    const char *f0 = next_line(bt);
    cr_assert(f0 && strncmp(f0, "   0: conflicting_helper\n", 25) == 0, "frame 0 must be the helper:\n%s", bt);
    cr_assert(at_line(next_line(f0), hl_marks[USE]), "frame 0 must be at the helper's borrow:\n%s", bt);
    const char *f1 = next_line(next_line(f0));
    cr_assert(f1 && strncmp(f1, "   1: conflict_in_a_helper\n", 27) == 0, "frame 1 must be its caller:\n%s", bt);
    cr_assert(at_line(next_line(f1), hl_marks[CALL]), "frame 1 must be at the call:\n%s", bt);
    cr_assert_null(strstr(bt, "hl__"), "the runtime's own frames are left out:\n%s", bt);
    free(block);
    hl_child_free(&c);
}

Test(backtrace, is_off_unless_asked_for) {
    void (*fns[])(void) = {conflict_without_backtrace, conflict_with_backtrace_0};
    for (size_t k = 0; k < sizeof fns / sizeof fns[0]; k++) {
        hl_child c = hl_child_run(fns[k]);
        cr_assert(c.exited && c.code == 101, "expected exit status 101, got %s; stderr:\n%s", hl_child_status(&c),
                  c.err);
        cr_assert_eq(hl_count_errors(c.err), 1, "stderr:\n%s", c.err);
        cr_assert_null(strstr(c.err, "stack backtrace"), "no backtrace unless HEAPLAB_BACKTRACE is set:\n%s", c.err);
        hl_child_free(&c);
    }
}

Test(backtrace, without_addr2line_the_raw_frames) {
    hl_child c = hl_child_run(conflict_with_backtrace_no_addr2line);
    cr_assert(c.exited && c.code == 101, "expected exit status 101, got %s; stderr:\n%s", hl_child_status(&c), c.err);
    cr_assert_eq(hl_count_errors(c.err), 1, "stderr:\n%s", c.err);
    const char *bt = strstr(c.err, "\nstack backtrace:\n");
    cr_assert_not_null(bt, "a backtrace, unresolved:\n%s", c.err);
    cr_assert_not_null(strstr(bt, "\n   0: "), "numbered frames:\n%s", c.err);
    hl_child_free(&c);
}
