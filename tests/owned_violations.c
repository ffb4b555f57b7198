/*
** owned_violations.c: every row of the "Owned runtime rules" table of docs/design.md, provoked.
**
** Each case runs in a child process (hl_child_run, tests/support/hl_test.h) that breaks one
** rule; the test asserts exit status 101 and the diagnostic block of docs/design.md:
**
**   heaplab: error: <kind>
**     --> tests/owned_violations.c:<line of the offending call>
**      = note: `<Type>` allocated at tests/owned_violations.c:<line>
**      = note: moved at ... | dropped at ... | dropped at the end of the scope of the `HL_OWNED`
**              variable declared at ...
**
** Built for owned and for owned-fast: owned-fast reports the same kinds at the same "-->"
** lines but remembers no sites, so there the site notes must be absent (SITES below).
**
** Lines are captured with HL_MARK(k) on the same line as the call they mark. Also: the leak
** report of hl_shutdown, the legal cases next to each rule (they must not be reported), and
** slot retirement at the generation limit (runtimes/owned.h's test hook).
*/
#define _GNU_SOURCE
#include "heaplab.h"
#include "hl_expect.h"
#include "hl_test.h"
#include "hl_types.h"
#include "owned.h"   /* hl__owned_age_slot: the slot-ageing test hook */

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THIS_FILE "tests/owned_violations.c"

/* Whether this build's diagnostics carry site notes (owned) or not (owned-fast). */
#define SITES (HL__OLEVEL >= 2)

/* No line of block is a site note: what owned-fast prints instead of them. */
static void assert_no_site_notes(const char *name, const char *block) {
    cr_assert(!strstr(block, " allocated at ") && !strstr(block, " moved at ") && !strstr(block, " dropped at "),
              "%s: owned-fast remembers no sites, yet the block has a site note:\n%s", name, block);
}

/* Marks: line numbers recorded by the child. */
enum { NONE, USE, ALLOC, ALLOC2, MOVE, MOVE2, DROP, RESIZE, RET, DECL, SCOPE_END = 100 };

/* ---- the expected diagnostic ------------------------------------------------------------- */

typedef struct expect {
    const char *kind;
    const char *type;    /* type named in the allocation note; NULL: any name (buffers) */
    int         alloc;   /* mark of the allocation, NONE: no allocation note required */
    const char *event;   /* "moved" or "dropped", NULL: no event note required */
    int         event_at;/* mark of the move/drop, or SCOPE_END: at the end of the scope of the
                            HL_OWNED variable declared at the DECL mark */
    const char *text;    /* a line of the block must contain this, or NULL */
} expect;

static int mark(const char *name, int k) {
    int line = hl_marks[k];
    cr_assert_gt(line, 0, "%s: the child never reached mark %d", name, k);
    return line;
}

/* Does some line of block end with the formatted suffix and start with "   = note: "? */
static bool has_note_ending(const char *block, const char *suffix) {
    size_t sl = strlen(suffix);
    for (const char *p = block; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t ll = nl ? (size_t)(nl - p) : strlen(p);
        if (strncmp(p, "   = note: ", 11) == 0 && ll >= sl && memcmp(p + ll - sl, suffix, sl) == 0) return true;
        p = nl ? nl + 1 : NULL;
    }
    return false;
}

static void expect_diag(const char *name, void (*fn)(void), expect e) {
    hl_child c;
    char *block = hl_expect_one_error(name, fn, e.kind, &c);

    /* the "-->" line follows the kind line directly */
    char want[256];
    snprintf(want, sizeof want, "  --> %s:%d", THIS_FILE, mark(name, USE));
    const char *second = strchr(block, '\n');
    cr_assert(second && hl_find_line(second + 1, "%s", want) == second + 1,
              "%s: expected \"%s\" right after the kind line; got:\n%s", name, want, block);

    if (!SITES) {
        assert_no_site_notes(name, block);
    } else if (e.alloc != NONE) {
        int line = mark(name, e.alloc);
        if (e.type)
            cr_assert_not_null(hl_find_line(block, "   = note: `%s` allocated at %s:%d", e.type, THIS_FILE, line),
                               "%s: expected note \"`%s` allocated at %s:%d\"; got:\n%s", name, e.type, THIS_FILE,
                               line, block);
        else {
            snprintf(want, sizeof want, "` allocated at %s:%d", THIS_FILE, line);
            cr_assert(has_note_ending(block, want), "%s: expected note \"`...%s\"; got:\n%s", name, want, block);
        }
    }
    if (SITES && e.event) {
        if (e.event_at == SCOPE_END) {
            int line = mark(name, DECL);
            cr_assert_not_null(hl_find_line(block, "   = note: %s at the end of the scope of the `HL_OWNED` variable declared at %s:%d",
                                            e.event, THIS_FILE, line),
                               "%s: expected note \"%s at the end of the scope of the `HL_OWNED` variable declared at "
                               "%s:%d\"; got:\n%s",
                               name, e.event, THIS_FILE, line, block);
        } else {
            int line = mark(name, e.event_at);
            cr_assert_not_null(hl_find_line(block, "   = note: %s at %s:%d", e.event, THIS_FILE, line),
                               "%s: expected note \"%s at %s:%d\"; got:\n%s", name, e.event, THIS_FILE, line, block);
        }
    }
    if (e.text) cr_assert(strstr(block, e.text) != NULL, "%s: expected \"%s\" in:\n%s", name, e.text, block);
    free(block);
    hl_child_free(&c);
}

#define EXPECT(fn, ...) expect_diag(#fn, fn, (expect){__VA_ARGS__})

/* The value a node holds; a borrow in the suite's own code, so that the suite can mark it. */
static int64_t val(hl_ref n) {
    HL_READ(Node, p, n);
    return p->val;
}

/* ==== null handle ========================================================================== */

static void null_read(void) {
    hl_init();
    hl_ref n = HL_NULL;
    HL_MARK(USE); HL_READ(Node, p, n);
    (void)p;
}
static void null_write(void) {
    hl_init();
    hl_ref n = HL_NULL;
    HL_MARK(USE); HL_WRITE(Node, p, n);
    (void)p;
}
static void null_read_bytes(void) {
    hl_init();
    hl_ref n = HL_NULL;
    HL_MARK(USE); HL_READ_BYTES(p, n);
    (void)p;
}
static void null_write_refs(void) {
    hl_init();
    hl_ref n = HL_NULL;
    HL_MARK(USE); HL_WRITE_REFS(p, n);
    (void)p;
}
static void null_resize(void) {
    hl_init();
    hl_ref n = HL_NULL;
    HL_MARK(USE); hl_resize(&n, 4);
}
static void null_byte(void) {
    hl_init();
    HL_MARK(USE); (void)hl_byte(HL_NULL, 0);
}
static void null_set_byte(void) {
    hl_init();
    HL_MARK(USE); hl_set_byte(HL_NULL, 0, 1);
}
static void null_ref_at(void) {
    hl_init();
    HL_MARK(USE); (void)hl_ref_at(HL_NULL, 0);
}
static void null_slot(void) {
    hl_init();
    HL_MARK(USE); (void)hl_slot(HL_NULL, 0);
}

Test(null_handle, borrowing_null) {
    EXPECT(null_read, .kind = "null handle");
    EXPECT(null_write, .kind = "null handle");
    EXPECT(null_read_bytes, .kind = "null handle");
    EXPECT(null_write_refs, .kind = "null handle");
}

Test(null_handle, resizing_null) { EXPECT(null_resize, .kind = "null handle"); }

Test(null_handle, indexing_null) {
    EXPECT(null_byte, .kind = "null handle");
    EXPECT(null_set_byte, .kind = "null handle");
    EXPECT(null_ref_at, .kind = "null handle");
    EXPECT(null_slot, .kind = "null handle");
}

static void null_move_and_drop_are_fine(void) {
    hl_init();
    hl_ref n = HL_NULL;
    hl_ref m = hl_move(&n);
    CHILD_CHECK(hl_is_null(m) && m.bits == 0);
    CHILD_CHECK(hl_is_null(n));
    hl_ref k = hl_move(&m);   /* and again */
    CHILD_CHECK(k.bits == 0);
    hl_drop(&n);
    hl_drop(&m);
    hl_drop(&k);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(null_handle, moving_and_dropping_null_is_allowed) { EXPECT_OK(null_move_and_drop_are_fine); }

/* ==== use of moved value ==================================================================== */

static void moved_var_read(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = node(1);
    HL_MARK(MOVE); hl_ref b = hl_move(&a);
    CHILD_CHECK(hl_is_null(a));
    HL_MARK(USE); HL_READ(Node, p, a);
    (void)p, (void)b;
}
/* `node()` allocates inside the helper: use hl_new directly where the site matters. */
static void moved_var_write(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_MARK(MOVE); hl_ref b = hl_move(&a);
    HL_MARK(USE); HL_WRITE(Node, p, a);
    (void)p, (void)b;
}
static void moved_var_moved_again(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_MARK(MOVE); hl_ref b = hl_move(&a);
    HL_MARK(USE); hl_ref c = hl_move(&a);
    (void)b, (void)c;
}
static void moved_var_resized(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new_bytes(3);
    HL_MARK(MOVE); hl_ref b = hl_move(&a);
    HL_MARK(USE); hl_resize(&a, 8);
    (void)b;
}
static void moved_var_indexed(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new_refs(3);
    HL_MARK(MOVE); hl_ref b = hl_move(&a);
    HL_MARK(USE); (void)hl_ref_at(a, 0);
    (void)b;
}

Test(use_of_moved_value, moved_out_variable) {
    /* moved_var_read allocates in node(): its allocation note names node()'s line, so only
    ** the kind, the --> line and the move are asserted for it. */
    EXPECT(moved_var_read, .kind = "use of moved value", .event = "moved", .event_at = MOVE);
    EXPECT(moved_var_write, .kind = "use of moved value", .type = "Node", .alloc = ALLOC, .event = "moved",
           .event_at = MOVE);
    EXPECT(moved_var_moved_again, .kind = "use of moved value", .type = "Node", .alloc = ALLOC, .event = "moved",
           .event_at = MOVE);
    EXPECT(moved_var_resized, .kind = "use of moved value", .alloc = ALLOC, .event = "moved", .event_at = MOVE);
    EXPECT(moved_var_indexed, .kind = "use of moved value", .alloc = ALLOC, .event = "moved", .event_at = MOVE);
}

static void stale_copy_after_move(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref copy = a;
    HL_MARK(MOVE); hl_ref b = hl_move(&a);
    CHILD_CHECK(!hl_is_null(copy));   /* a copy is not the moved-out variable */
    HL_MARK(USE); HL_READ(Node, p, copy);
    (void)p, (void)b;
}
static void stale_copy_after_two_moves(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref copy = a;
    HL_MARK(MOVE); hl_ref b = hl_move(&a);
    HL_MARK(MOVE2); hl_ref c = hl_move(&b);
    CHILD_CHECK(val(c) == 0);
    HL_MARK(USE); HL_WRITE(Node, p, copy);
    (void)p;
}
static void stale_copy_of_an_intermediate_owner(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_MARK(MOVE); hl_ref b = hl_move(&a);
    hl_ref copy = b;
    CHILD_CHECK(val(copy) == 0);   /* valid until the next move */
    HL_MARK(MOVE2); hl_ref c = hl_move(&b);
    HL_MARK(USE); HL_READ(Node, p, copy);
    (void)p, (void)c;
}
static void stale_copy_dropped_while_object_lives(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref copy = a;
    HL_MARK(MOVE); hl_ref b = hl_move(&a);
    HL_MARK(USE); hl_drop(&copy);
    (void)b;
}
static void stale_copy_after_resize(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref buf = hl_new_bytes(3);
    hl_ref copy = buf;
    HL_MARK(RESIZE); hl_resize(&buf, 10);
    CHILD_CHECK(hl_len(buf) == 10);
    HL_MARK(USE); (void)hl_byte(copy, 0);
}
static void stale_copy_after_refs_resize(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref v = hl_new_refs(3);
    hl_ref copy = v;
    HL_MARK(RESIZE); hl_resize(&v, 1);
    HL_MARK(USE); HL_READ_REFS(p, copy);
    (void)p;
}

Test(use_of_moved_value, copy_taken_before_a_move) {
    EXPECT(stale_copy_after_move, .kind = "use of moved value", .type = "Node", .alloc = ALLOC, .event = "moved",
           .event_at = MOVE);
}

Test(use_of_moved_value, copy_taken_before_the_last_of_several_moves) {
    EXPECT(stale_copy_after_two_moves, .kind = "use of moved value", .type = "Node", .alloc = ALLOC,
           .event = "moved", .event_at = MOVE2);
    EXPECT(stale_copy_of_an_intermediate_owner, .kind = "use of moved value", .type = "Node", .alloc = ALLOC,
           .event = "moved", .event_at = MOVE2);
}

Test(use_of_moved_value, dropping_a_stale_copy_of_a_live_object) {
    EXPECT(stale_copy_dropped_while_object_lives, .kind = "use of moved value", .type = "Node", .alloc = ALLOC,
           .event = "moved", .event_at = MOVE);
}

/* A resize acts as a move into *r: the note gives the resize's site as the move. */
Test(use_of_moved_value, copy_taken_before_a_resize) {
    EXPECT(stale_copy_after_resize, .kind = "use of moved value", .alloc = ALLOC, .event = "moved",
           .event_at = RESIZE);
    EXPECT(stale_copy_after_refs_resize, .kind = "use of moved value", .alloc = ALLOC, .event = "moved",
           .event_at = RESIZE);
}

static void dropping_a_moved_out_variable_is_fine(void) {
    hl_init();
    hl_ref a = hl_new(&Node_type);
    hl_ref b = hl_move(&a);
    hl_drop(&a);   /* a no-op */
    hl_drop(&a);
    CHILD_CHECK(val(b) == 0);
    {
        HL_OWNED hl_ref x = hl_new(&Node_type);
        hl_ref keep = hl_move(&x);   /* x is moved out: the scope end does nothing */
        hl_drop(&keep);
    }
    hl_drop(&b);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(use_of_moved_value, dropping_a_moved_out_variable_is_allowed) { EXPECT_OK(dropping_a_moved_out_variable_is_fine); }

/* ==== use after free ======================================================================= */

static void uaf_read_copy(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref copy = a;
    HL_MARK(DROP); hl_drop(&a);
    HL_MARK(USE); HL_READ(Node, p, copy);
    (void)p;
}
static void uaf_move_copy(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref copy = a;
    HL_MARK(DROP); hl_drop(&a);
    HL_MARK(USE); hl_ref b = hl_move(&copy);
    (void)b;
}
static void uaf_resize_copy(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new_bytes(3);
    hl_ref copy = a;
    HL_MARK(DROP); hl_drop(&a);
    HL_MARK(USE); hl_resize(&copy, 1);
}
static void uaf_index_copy(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new_bytes(3);
    hl_ref copy = a;
    HL_MARK(DROP); hl_drop(&a);
    HL_MARK(USE); hl_set_byte(copy, 0, 1);
}
/* a copy taken before a move, used after the object was dropped: the object's current state
** (dropped) decides the kind */
static void uaf_stale_copy_of_moved_then_dropped(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref copy = a;
    HL_MARK(MOVE); hl_ref b = hl_move(&a);
    HL_MARK(DROP); hl_drop(&b);
    HL_MARK(USE); HL_READ(Node, p, copy);
    (void)p;
}
/* an element dropped with its buffer */
static void uaf_element_of_dropped_buffer(void) {
    hl_init();
    hl_ref v = hl_new_refs(2);
    HL_MARK(ALLOC); *hl_slot(v, 0) = hl_new(&Leaf_type);
    hl_ref elem = hl_ref_at(v, 0);
    HL_MARK(DROP); hl_drop(&v);
    HL_MARK(USE); HL_READ(Leaf, p, elem);
    (void)p;
}
static void uaf_after_owned_scope(void) {
    hl_init();
    hl_ref copy;
    {
        HL_MARK(ALLOC); HL_MARK(DECL); HL_OWNED hl_ref x = hl_new(&Node_type);
        copy = x;
    }
    HL_MARK(USE); HL_READ(Node, p, copy);
    (void)p;
}

Test(use_after_free, copy_of_a_dropped_handle) {
    EXPECT(uaf_read_copy, .kind = "use after free", .type = "Node", .alloc = ALLOC, .event = "dropped",
           .event_at = DROP);
    EXPECT(uaf_move_copy, .kind = "use after free", .type = "Node", .alloc = ALLOC, .event = "dropped",
           .event_at = DROP);
    EXPECT(uaf_resize_copy, .kind = "use after free", .alloc = ALLOC, .event = "dropped", .event_at = DROP);
    EXPECT(uaf_index_copy, .kind = "use after free", .alloc = ALLOC, .event = "dropped", .event_at = DROP);
}

Test(use_after_free, stale_copy_of_a_moved_then_dropped_object) {
    EXPECT(uaf_stale_copy_of_moved_then_dropped, .kind = "use after free", .type = "Node", .alloc = ALLOC,
           .event = "dropped", .event_at = DROP);
}

Test(use_after_free, element_dropped_with_its_buffer) {
    EXPECT(uaf_element_of_dropped_buffer, .kind = "use after free", .type = "Leaf", .alloc = ALLOC,
           .event = "dropped", .event_at = DROP);
}

Test(use_after_free, owned_variable_dropped_at_the_end_of_its_scope) {
    EXPECT(uaf_after_owned_scope, .kind = "use after free", .type = "Node", .alloc = ALLOC, .event = "dropped",
           .event_at = SCOPE_END);
}

/* allocate, copy, drop, allocate again (the slot is reused), use the copy */
static void uaf_after_slot_reuse(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref copy = a;
    HL_MARK(DROP); hl_drop(&a);
    HL_MARK(ALLOC2); hl_ref b = hl_new(&Node_type);
    hl_ref more[64];
    for (int i = 0; i < 64; i++) more[i] = hl_new(&Node_type);   /* whatever slot it was, it is taken now */
    {
        HL_WRITE(Node, p, b);
        p->val = 5;
    }
    HL_MARK(USE); HL_READ(Node, p, copy);
    (void)p;
    (void)more;
}
static void double_drop_after_slot_reuse(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref copy = a;
    HL_MARK(DROP); hl_drop(&a);
    HL_MARK(ALLOC2); hl_ref b = hl_new(&Node_type);
    HL_MARK(USE); hl_drop(&copy);
    (void)b;
}
static void reused_slot_object_is_intact(void) {
    hl_init();
    hl_ref a = hl_new(&Node_type);
    hl_ref copy = a;
    (void)copy;
    hl_drop(&a);
    hl_ref b = node(77);
    CHILD_CHECK(val(b) == 77);
    hl_drop(&b);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(use_after_free, after_the_slot_was_reused_kind_and_site) {
    EXPECT(uaf_after_slot_reuse, .kind = "use after free");
    EXPECT(double_drop_after_slot_reuse, .kind = "double drop");
    EXPECT_OK(reused_slot_object_is_intact);
}

/* docs/design.md: the notes give where the object was allocated and, when the error involves
** one, where it was moved or dropped -- also once the slot holds another object. */
Test(use_after_free, after_the_slot_was_reused_notes) {
    EXPECT(uaf_after_slot_reuse, .kind = "use after free", .type = "Node", .alloc = ALLOC, .event = "dropped",
           .event_at = DROP);
}

Test(use_after_free, after_the_slot_was_reused_does_not_blame_the_new_object) {
    hl_child c = hl_child_run(uaf_after_slot_reuse);
    cr_assert(c.exited && c.code == 101, "got %s:\n%s", hl_child_status(&c), c.err);
    int line = hl_marks[ALLOC2];
    cr_assert_gt(line, 0);
    char want[128];
    snprintf(want, sizeof want, "allocated at %s:%d", THIS_FILE, line);
    cr_assert_null(strstr(c.err, want), "the diagnostic names the slot's new object:\n%s", c.err);
    hl_child_free(&c);
}

/* ==== double drop ========================================================================== */

static void double_drop_copy(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref copy = a;
    HL_MARK(DROP); hl_drop(&a);
    HL_MARK(USE); hl_drop(&copy);
}
static void double_drop_buffer(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new_refs(4);
    hl_ref copy = a;
    HL_MARK(DROP); hl_drop(&a);
    HL_MARK(USE); hl_drop(&copy);
}
/* a child dropped by hand through a copy, then again by its owner's drop */
static void double_drop_through_owner(void) {
    hl_init();
    hl_ref parent = hl_new(&Pair_type);
    HL_MARK(ALLOC); hl_ref child = hl_new(&Leaf_type);
    hl_ref copy;
    {
        HL_WRITE(Pair, p, parent);
        p->first = hl_move(&child);
        copy = p->first;   /* a non-owning copy of the field: valid until it moves */
    }
    HL_MARK(DROP); hl_drop(&copy);
    HL_MARK(USE); hl_drop(&parent);
}
static void double_drop_owned_var(void) {
    hl_init();
    hl_ref copy;
    {
        HL_MARK(ALLOC); HL_MARK(DECL); HL_OWNED hl_ref x = hl_new(&Node_type);
        copy = x;
    }
    HL_MARK(USE); hl_drop(&copy);
}

Test(double_drop, dropping_a_dropped_object) {
    EXPECT(double_drop_copy, .kind = "double drop", .type = "Node", .alloc = ALLOC, .event = "dropped",
           .event_at = DROP);
    EXPECT(double_drop_buffer, .kind = "double drop", .alloc = ALLOC, .event = "dropped", .event_at = DROP);
}

Test(double_drop, through_the_owner_drop) {
    EXPECT(double_drop_through_owner, .kind = "double drop", .type = "Leaf", .alloc = ALLOC, .event = "dropped",
           .event_at = DROP);
}

Test(double_drop, after_the_end_of_an_owned_scope) {
    EXPECT(double_drop_owned_var, .kind = "double drop", .type = "Node", .alloc = ALLOC, .event = "dropped",
           .event_at = SCOPE_END);
}

/* ==== already borrowed ===================================================================== */

static void write_while_read(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_READ(Node, r, a);
    HL_MARK(USE); HL_WRITE(Node, w, a);
    (void)r, (void)w;
}
static void write_while_write(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_WRITE(Node, w1, a);
    HL_MARK(USE); HL_WRITE(Node, w2, a);
    (void)w1, (void)w2;
}
static void write_through_copy_while_read(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref copy = a;
    HL_READ(Node, r, a);
    HL_MARK(USE); HL_WRITE(Node, w, copy);
    (void)r, (void)w;
}
static void write_bytes_while_read(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(4);
    HL_READ_BYTES(r, b);
    HL_MARK(USE); HL_WRITE_BYTES(w, b);
    (void)r, (void)w;
}
static void resize_while_borrowed(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(4);
    HL_READ_BYTES(r, b);
    HL_MARK(USE); hl_resize(&b, 100);
    (void)r;
}
static void slot_while_borrowed(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref v = hl_new_refs(4);
    HL_READ_REFS(r, v);
    HL_MARK(USE); (void)hl_slot(v, 0);
    (void)r;
}
static void set_byte_while_borrowed(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(4);
    HL_READ_BYTES(r, b);
    HL_MARK(USE); hl_set_byte(b, 0, 1);
    (void)r;
}
static void set_byte_while_mutably_borrowed(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(4);
    HL_WRITE_BYTES(w, b);
    HL_MARK(USE); hl_set_byte(b, 0, 1);
    (void)w;
}
static void move_while_borrowed(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_READ(Node, r, a);
    HL_MARK(USE); hl_ref b = hl_move(&a);
    (void)r, (void)b;
}
static void move_out_of_slot_while_buffer_borrowed(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref v = hl_new_refs(2);
    *hl_slot(v, 0) = hl_new(&Node_type);
    HL_WRITE_REFS(w, v);
    HL_MARK(USE); hl_ref e = hl_move(hl_slot(v, 0));
    (void)w, (void)e;
}

Test(already_borrowed, write_while_borrowed) {
    EXPECT(write_while_read, .kind = "already borrowed", .type = "Node", .alloc = ALLOC);
    EXPECT(write_while_write, .kind = "already borrowed", .type = "Node", .alloc = ALLOC);
    EXPECT(write_through_copy_while_read, .kind = "already borrowed", .type = "Node", .alloc = ALLOC);
    EXPECT(write_bytes_while_read, .kind = "already borrowed", .alloc = ALLOC);
}

Test(already_borrowed, resize_while_borrowed) { EXPECT(resize_while_borrowed, .kind = "already borrowed", .alloc = ALLOC); }

Test(already_borrowed, slot_while_borrowed) {
    EXPECT(slot_while_borrowed, .kind = "already borrowed", .alloc = ALLOC);
    EXPECT(move_out_of_slot_while_buffer_borrowed, .kind = "already borrowed", .alloc = ALLOC);
}

Test(already_borrowed, set_byte_while_borrowed) {
    EXPECT(set_byte_while_borrowed, .kind = "already borrowed", .alloc = ALLOC);
    EXPECT(set_byte_while_mutably_borrowed, .kind = "already borrowed", .alloc = ALLOC);
}

Test(already_borrowed, move_while_borrowed) { EXPECT(move_while_borrowed, .kind = "already borrowed", .type = "Node", .alloc = ALLOC); }

/* Past the shared-borrow counter's range (INT16_MAX) the object must still count as borrowed,
** and exactly as long as one borrow lives. 16 borrows per frame keep the recursion shallow. */
typedef void (*innermost_fn)(hl_ref);
static void shared_nest(hl_ref n, long frames, innermost_fn inner) {
    HL_READ(Node, p0, n); HL_READ(Node, p1, n); HL_READ(Node, p2, n); HL_READ(Node, p3, n);
    HL_READ(Node, p4, n); HL_READ(Node, p5, n); HL_READ(Node, p6, n); HL_READ(Node, p7, n);
    HL_READ(Node, p8, n); HL_READ(Node, p9, n); HL_READ(Node, pa, n); HL_READ(Node, pb, n);
    HL_READ(Node, pc, n); HL_READ(Node, pd, n); HL_READ(Node, pe, n); HL_READ(Node, pf, n);
    CHILD_CHECK(p0 == pf && p1 == pe && p2 == pd && p3 == pc && p4 == pb && p5 == pa && p6 == p9 && p7 == p8);
    if (frames > 1)
        shared_nest(n, frames - 1, inner);
    else if (inner)
        inner(n);
}
static void write_now(hl_ref n) {
    HL_MARK(USE); HL_WRITE(Node, w, n);
    (void)w;
}
static void drop_now(hl_ref n) {
    HL_MARK(USE); hl_drop(&n);
}
static void write_under_40000_shared_borrows(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref n = hl_new(&Node_type);
    shared_nest(n, 40000 / 16, write_now);
}
static void drop_under_40000_shared_borrows(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref n = hl_new(&Node_type);
    shared_nest(n, 40000 / 16, drop_now);
}
/* 40,000 borrows taken and released inside one that is still live: that one still counts */
static void write_after_40000_released_under_one(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref n = hl_new(&Node_type);
    HL_READ(Node, outer, n);
    shared_nest(n, 40000 / 16, NULL);
    CHILD_CHECK(outer != NULL && val(n) == 0);
    write_now(n);
}

Test(already_borrowed, past_32767_shared_borrows_the_object_is_still_borrowed) {
    EXPECT(write_under_40000_shared_borrows, .kind = "already borrowed", .type = "Node", .alloc = ALLOC);
    EXPECT(drop_under_40000_shared_borrows, .kind = "drop while borrowed", .type = "Node", .alloc = ALLOC);
    EXPECT(write_after_40000_released_under_one, .kind = "already borrowed", .type = "Node", .alloc = ALLOC);
}

/* the legal neighbours: shared borrows together, hl_len while borrowed, borrows released at
** block end, borrowing two different objects */
static void borrows_that_are_fine(void) {
    hl_init();
    hl_ref a = hl_new(&Node_type), b = hl_new_bytes(4);
    {
        HL_READ(Node, r1, a);
        HL_READ(Node, r2, a);
        HL_READ_BYTES(rb, b);
        CHILD_CHECK(r1 == r2 && rb != NULL);
        CHILD_CHECK(hl_len(b) == 4);
        CHILD_CHECK(hl_byte(b, 0) == 0);
    }
    {
        HL_WRITE(Node, w, a);
        HL_WRITE_BYTES(wb, b);
        CHILD_CHECK(hl_len(b) == 4);
        w->val = 1;
        wb[0] = 2;
    }
    {
        HL_OWNED hl_ref x = hl_new(&Node_type);
        HL_WRITE(Node, w, x);   /* released before x is dropped at the end of the block */
        w->val = 3;
    }
    hl_resize(&b, 8);
    hl_ref c = hl_move(&a);
    CHILD_CHECK(val(c) == 1 && hl_byte(b, 0) == 2);
    hl_drop(&c);
    hl_drop(&b);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(already_borrowed, legal_borrow_patterns_are_not_reported) { EXPECT_OK(borrows_that_are_fine); }

/* hl_is_null is never an error: not on stale copies, dropped copies or moved-out variables */
static void is_null_never_fails(void) {
    hl_init();
    hl_ref a = hl_new(&Node_type);
    hl_ref before_move = a;
    hl_ref b = hl_move(&a);
    CHILD_CHECK(hl_is_null(a));
    CHILD_CHECK(!hl_is_null(before_move));   /* a stale copy is not null: using it is the error */
    hl_ref before_drop = b;
    hl_drop(&b);
    CHILD_CHECK(hl_is_null(b));
    CHILD_CHECK(!hl_is_null(before_drop));
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(use_of_moved_value, hl_is_null_is_never_an_error) { EXPECT_OK(is_null_never_fails); }

/* ==== already mutably borrowed ============================================================= */

static void read_while_write(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_WRITE(Node, w, a);
    HL_MARK(USE); HL_READ(Node, r, a);
    (void)r, (void)w;
}
static void read_refs_while_write(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref v = hl_new_refs(3);
    HL_WRITE_REFS(w, v);
    HL_MARK(USE); HL_READ_REFS(r, v);
    (void)r, (void)w;
}
static void byte_while_write(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(3);
    HL_WRITE_BYTES(w, b);
    HL_MARK(USE); (void)hl_byte(b, 0);
    (void)w;
}
static void ref_at_while_write(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref v = hl_new_refs(3);
    HL_WRITE_REFS(w, v);
    HL_MARK(USE); (void)hl_ref_at(v, 0);
    (void)w;
}
static void read_in_callee_while_write(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_WRITE(Node, w, a);
    w->val = 1;
    (void)val(a);   /* the callee's HL_READ is the offending call: its line is in val() */
}

Test(already_mutably_borrowed, read_while_written) {
    EXPECT(read_while_write, .kind = "already mutably borrowed", .type = "Node", .alloc = ALLOC);
    EXPECT(read_refs_while_write, .kind = "already mutably borrowed", .alloc = ALLOC);
}

Test(already_mutably_borrowed, byte_while_written) {
    EXPECT(byte_while_write, .kind = "already mutably borrowed", .alloc = ALLOC);
}

Test(already_mutably_borrowed, ref_at_while_written) {
    EXPECT(ref_at_while_write, .kind = "already mutably borrowed", .alloc = ALLOC);
}

Test(already_mutably_borrowed, read_in_a_callee) {
    hl_child c = hl_child_run(read_in_callee_while_write);
    cr_assert(c.exited && c.code == 101, "got %s:\n%s", hl_child_status(&c), c.err);
    char *block = hl_diag_block(c.err, "already mutably borrowed");
    cr_assert_not_null(block, "stderr:\n%s", c.err);
    cr_assert_not_null(hl_find_line_prefix(block, "  --> %s:", THIS_FILE), "%s", block);
    if (SITES)
        cr_assert_not_null(hl_find_line(block, "   = note: `Node` allocated at %s:%d", THIS_FILE, hl_marks[ALLOC]),
                           "%s", block);
    else
        assert_no_site_notes("read_in_a_callee", block);
    free(block);
    hl_child_free(&c);
}

/* ==== drop while borrowed ================================================================== */

static void drop_while_read(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_READ(Node, r, a);
    HL_MARK(USE); hl_drop(&a);
    (void)r;
}
static void drop_while_written(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(8);
    HL_WRITE_BYTES(w, b);
    HL_MARK(USE); hl_drop(&b);
    (void)w;
}
static void drop_owner_while_field_borrowed(void) {
    hl_init();
    hl_ref parent = hl_new(&Pair_type);
    HL_MARK(ALLOC); hl_ref child = hl_new(&Leaf_type);
    hl_ref copy;
    {
        HL_WRITE(Pair, p, parent);
        p->second = hl_move(&child);
        copy = p->second;
    }
    HL_READ(Leaf, r, copy);
    HL_MARK(USE); hl_drop(&parent);
    (void)r;
}
static void drop_buffer_while_element_borrowed(void) {
    hl_init();
    hl_ref v = hl_new_refs(3);
    HL_MARK(ALLOC); *hl_slot(v, 2) = hl_new(&Node_type);
    HL_WRITE(Node, w, hl_ref_at(v, 2));
    HL_MARK(USE); hl_drop(&v);
    (void)w;
}
static void shrink_while_element_borrowed(void) {
    hl_init();
    hl_ref v = hl_new_refs(3);
    HL_MARK(ALLOC); *hl_slot(v, 2) = hl_new(&Node_type);
    HL_READ(Node, r, hl_ref_at(v, 2));
    HL_MARK(USE); hl_resize(&v, 1);
    (void)r;
}
static void drop_deep_descendant_while_borrowed(void) {
    hl_init();
    hl_ref head = HL_NULL;
    for (int i = 0; i < 1000; i++) {
        HL_MARK(ALLOC); hl_ref n = hl_new(&Node_type);
        {
            HL_WRITE(Node, p, n);
            p->next = hl_move(&head);
        }
        head = hl_move(&n);
    }
    /* a copy of the last node (the first allocated), reached through the list */
    hl_ref cur = head;
    for (int i = 0; i < 999; i++) {
        HL_READ(Node, p, cur);
        cur = p->next;
    }
    HL_READ(Node, r, cur);
    HL_MARK(USE); hl_drop(&head);
    (void)r;
}

Test(drop_while_borrowed, dropping_a_borrowed_object) {
    EXPECT(drop_while_read, .kind = "drop while borrowed", .type = "Node", .alloc = ALLOC);
    EXPECT(drop_while_written, .kind = "drop while borrowed", .alloc = ALLOC);
}

Test(drop_while_borrowed, through_its_owner_drop) {
    EXPECT(drop_owner_while_field_borrowed, .kind = "drop while borrowed", .type = "Leaf", .alloc = ALLOC);
    EXPECT(drop_buffer_while_element_borrowed, .kind = "drop while borrowed", .type = "Node", .alloc = ALLOC);
    EXPECT(drop_deep_descendant_while_borrowed, .kind = "drop while borrowed", .type = "Node", .alloc = ALLOC);
}

/* Drop glue runs fields in declaration order and elements first to last: with two borrowed
** children, the first one reached is the one reported. */
static void drop_order_fields(void) {
    hl_init();
    hl_ref parent = hl_new(&Pair_type);
    HL_MARK(ALLOC); hl_ref first = hl_new(&Leaf_type);
    HL_MARK(ALLOC2); hl_ref second = hl_new(&Node_type);
    hl_ref c1, c2;
    {
        HL_WRITE(Pair, p, parent);
        p->second = hl_move(&second);
        p->first = hl_move(&first);
        c1 = p->first;
        c2 = p->second;
    }
    HL_READ(Node, r2, c2);
    HL_READ(Leaf, r1, c1);
    HL_MARK(USE); hl_drop(&parent);
    (void)r1, (void)r2;
}
static void drop_order_elements(void) {
    hl_init();
    hl_ref v = hl_new_refs(4);
    HL_MARK(ALLOC2); *hl_slot(v, 3) = hl_new(&Node_type);
    HL_MARK(ALLOC); *hl_slot(v, 1) = hl_new(&Leaf_type);
    HL_READ(Node, r3, hl_ref_at(v, 3));
    HL_READ(Leaf, r1, hl_ref_at(v, 1));
    HL_MARK(USE); hl_drop(&v);
    (void)r1, (void)r3;
}

Test(drop_while_borrowed, the_first_child_in_drop_order_is_reported) {
    EXPECT(drop_order_fields, .kind = "drop while borrowed", .type = "Leaf", .alloc = ALLOC);
    EXPECT(drop_order_elements, .kind = "drop while borrowed", .type = "Leaf", .alloc = ALLOC);
}

Test(drop_while_borrowed, through_shrinking_its_buffer) {
    EXPECT(shrink_while_element_borrowed, .kind = "drop while borrowed", .type = "Node", .alloc = ALLOC);
}

/* ==== index out of bounds ================================================================== */

static void oob_byte(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(3);
    HL_MARK(USE); (void)hl_byte(b, 5);
}
static void oob_set_byte(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(3);
    HL_MARK(USE); hl_set_byte(b, 5, 1);
}
static void oob_ref_at(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref v = hl_new_refs(3);
    HL_MARK(USE); (void)hl_ref_at(v, 5);
}
static void oob_slot(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref v = hl_new_refs(3);
    HL_MARK(USE); (void)hl_slot(v, 5);
}
static void oob_at_len(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(3);
    CHILD_CHECK(hl_byte(b, 2) == 0);   /* the last element is fine */
    HL_MARK(USE); (void)hl_byte(b, 3);
}
static void oob_after_shrink(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(10);
    hl_resize(&b, 3);
    HL_MARK(USE); (void)hl_byte(b, 5);
}
static void oob_empty(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref v = hl_new_refs(0);
    HL_MARK(USE); (void)hl_ref_at(v, 0);
}

Test(index_out_of_bounds, checked_accessors) {
    EXPECT(oob_byte, .kind = "index out of bounds", .alloc = ALLOC, .text = "the len is 3 but the index is 5");
    EXPECT(oob_set_byte, .kind = "index out of bounds", .alloc = ALLOC, .text = "the len is 3 but the index is 5");
    EXPECT(oob_ref_at, .kind = "index out of bounds", .alloc = ALLOC, .text = "the len is 3 but the index is 5");
    EXPECT(oob_slot, .kind = "index out of bounds", .alloc = ALLOC, .text = "the len is 3 but the index is 5");
}

Test(index_out_of_bounds, boundaries) {
    EXPECT(oob_at_len, .kind = "index out of bounds", .alloc = ALLOC, .text = "the len is 3 but the index is 3");
    EXPECT(oob_after_shrink, .kind = "index out of bounds", .alloc = ALLOC, .text = "the len is 3 but the index is 5");
    EXPECT(oob_empty, .kind = "index out of bounds", .alloc = ALLOC, .text = "the len is 0 but the index is 0");
}

/* ==== type mismatch ======================================================================== */

static void node_as_leaf(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_MARK(USE); HL_READ(Leaf, p, a);
    (void)p;
}
static void node_as_leaf_write(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_MARK(USE); HL_WRITE(Leaf, p, a);
    (void)p;
}
static void bytes_as_refs(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(16);
    HL_MARK(USE); HL_READ_REFS(p, b);
    (void)p;
}
static void refs_as_bytes(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref v = hl_new_refs(2);
    HL_MARK(USE); HL_WRITE_BYTES(p, v);
    (void)p;
}
static void ref_at_on_bytes(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(16);
    HL_MARK(USE); (void)hl_ref_at(b, 0);
}
static void object_as_bytes(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    HL_MARK(USE); HL_READ_BYTES(p, a);
    (void)p;
}
static void bytes_as_node(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(16);
    HL_MARK(USE); HL_READ(Node, p, b);
    (void)p;
}

Test(type_mismatch, node_borrowed_as_leaf) {
    EXPECT(node_as_leaf, .kind = "type mismatch", .type = "Node", .alloc = ALLOC);
    EXPECT(node_as_leaf_write, .kind = "type mismatch", .type = "Node", .alloc = ALLOC);
}

Test(type_mismatch, bytes_borrowed_as_refs) {
    EXPECT(bytes_as_refs, .kind = "type mismatch", .alloc = ALLOC);
    EXPECT(refs_as_bytes, .kind = "type mismatch", .alloc = ALLOC);
    EXPECT(ref_at_on_bytes, .kind = "type mismatch", .alloc = ALLOC);
}

Test(type_mismatch, objects_and_buffers) {
    EXPECT(object_as_bytes, .kind = "type mismatch", .type = "Node", .alloc = ALLOC);
    EXPECT(bytes_as_node, .kind = "type mismatch", .alloc = ALLOC);
}

/* ==== the current state decides the kind ================================================== */

/* a moved-out variable whose object has since been dropped: use after free, not "moved" */
static void moved_out_var_after_drop(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref b = hl_move(&a);
    HL_MARK(DROP); hl_drop(&b);
    HL_MARK(USE); HL_READ(Node, p, a);
    (void)p;
}
/* a moved-out variable of a borrowed object: the handle is the problem first */
static void stale_copy_while_borrowed(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref copy = a;
    HL_MARK(MOVE); hl_ref b = hl_move(&a);
    HL_READ(Node, r, b);
    HL_MARK(USE); HL_WRITE(Node, w, copy);
    (void)r, (void)w;
}

Test(current_state, moved_out_variable_of_a_dropped_object_is_use_after_free) {
    EXPECT(moved_out_var_after_drop, .kind = "use after free", .type = "Node", .alloc = ALLOC, .event = "dropped",
           .event_at = DROP);
}

Test(current_state, stale_copy_of_a_borrowed_live_object_is_use_of_moved_value) {
    EXPECT(stale_copy_while_borrowed, .kind = "use of moved value", .type = "Node", .alloc = ALLOC, .event = "moved",
           .event_at = MOVE);
}

/* ==== leak report ========================================================================== */

static void leak_three(void) {
    hl_init();
    hl_ref keep[2];
    for (int i = 0; i < 2; i++) {
        HL_MARK(ALLOC); keep[i] = hl_new(&Node_type);
    }
    HL_MARK(ALLOC2); hl_ref b = hl_new_bytes(8);
    hl_ref gone = hl_new(&Leaf_type);
    hl_drop(&gone);
    (void)keep, (void)b;
    hl_marks[RET] = (int)hl_shutdown();
}

static void no_leak(void) {
    hl_init();
    hl_ref a = hl_new(&Node_type);
    hl_drop(&a);
    hl_marks[RET] = (int)hl_shutdown();
}

Test(leaks, shutdown_reports_leaked_objects_with_their_sites) {
    hl_child c = hl_child_run(leak_three);
    cr_assert(c.exited && c.code == 0, "got %s:\n%s", hl_child_status(&c), c.err);
    cr_assert_eq(hl_marks[RET], 3, "hl_shutdown returned %d, expected 3", hl_marks[RET]);
    cr_assert_eq(hl_count_errors(c.err), 0, "%s", c.err);
    cr_assert_not_null(hl_find_line(c.err, "heaplab: warning: 3 objects (40 bytes) leaked"), "stderr:\n%s", c.err);
    if (!SITES) {
        assert_no_site_notes("leaks", c.err);
        hl_child_free(&c);
        return;
    }
    char want[128];
    snprintf(want, sizeof want, "allocated at %s:%d", THIS_FILE, hl_marks[ALLOC]);
    cr_assert(has_note_ending(c.err, want), "no note naming the Node allocation site (%s):\n%s", want, c.err);
    snprintf(want, sizeof want, "allocated at %s:%d", THIS_FILE, hl_marks[ALLOC2]);
    cr_assert(has_note_ending(c.err, want), "no note naming the bytes allocation site (%s):\n%s", want, c.err);
    cr_assert_not_null(strstr(c.err, "`Node`"), "the leak notes name the type:\n%s", c.err);
    hl_child_free(&c);
}

Test(leaks, no_report_without_leaks) {
    hl_child c = hl_child_run(no_leak);
    cr_assert(c.exited && c.code == 0, "got %s:\n%s", hl_child_status(&c), c.err);
    cr_assert_eq(hl_marks[RET], 0);
    cr_assert_null(strstr(c.err, "leaked"), "%s", c.err);
    hl_child_free(&c);
}

/* ==== slot retirement at the generation limit (2^31) ======================================= */

/* A live object whose slot has 0 generation increments left is dropped: the slot retires,
** old handles stay invalid, and allocation goes on. */
static void retired_by_drop(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    a = hl__owned_age_slot(a, 0);
    CHILD_CHECK(val(a) == 0);
    hl_ref old = a;
    HL_MARK(DROP); hl_drop(&a);
    hl_ref many = hl_new_refs(10000);
    for (size_t i = 0; i < 10000; i++) *hl_slot(many, i) = node((int64_t)i);
    for (size_t i = 0; i < 10000; i++) {
        hl_ref e = hl_ref_at(many, i);
        CHILD_CHECK(!hl_is_null(e) && val(e) == (int64_t)i);
    }
    for (int round = 0; round < 1000; round++) {   /* churn the free list */
        hl_ref t = node(round);
        CHILD_CHECK(!hl_is_null(t));
        hl_drop(&t);
    }
    HL_MARK(USE); HL_READ(Node, p, old);
    (void)p;
}

/* Moves past the limit relocate the live object to a fresh slot. */
static void relocated_by_move(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    {
        HL_WRITE(Node, p, a);
        p->val = 42;
    }
    a = hl__owned_age_slot(a, 1);
    hl_ref c0 = a;
    hl_ref b = hl_move(&a);                      /* the last generation of the slot */
    hl_ref c1 = b;
    CHILD_CHECK(val(c1) == 42);
    HL_MARK(MOVE); hl_ref d = hl_move(&b);       /* no generation left: relocation */
    CHILD_CHECK(hl_is_null(a) && hl_is_null(b) && !hl_is_null(d));
    CHILD_CHECK(val(d) == 42);
    {
        HL_WRITE(Node, p, d);
        p->val = 43;
    }
    HL_MARK(MOVE2); hl_ref e = hl_move(&d);      /* and it moves on normally (the last move) */
    CHILD_CHECK(val(e) == 43);
    for (int i = 0; i < 1000; i++) {
        hl_ref t = node(i);
        CHILD_CHECK(val(t) == i);
        hl_drop(&t);
    }
    (void)c0;
    HL_MARK(USE); HL_READ(Node, p, c1);
    (void)p;
}
static void relocated_old_copy(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    a = hl__owned_age_slot(a, 1);
    hl_ref c0 = a;
    hl_ref b = hl_move(&a);
    HL_MARK(MOVE2); hl_ref d = hl_move(&b);
    CHILD_CHECK(val(d) == 0);
    HL_MARK(USE); HL_WRITE(Node, p, c0);
    (void)p;
}
static void relocated_then_dropped(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    a = hl__owned_age_slot(a, 0);
    hl_ref c0 = a;
    HL_MARK(MOVE); hl_ref d = hl_move(&a);   /* relocation */
    hl_ref c1 = d;
    HL_MARK(DROP); hl_drop(&d);
    HL_MARK(USE); HL_READ(Node, p, c0);
    (void)p, (void)c1;
}
static void relocated_then_dropped_new_copy(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    a = hl__owned_age_slot(a, 0);
    HL_MARK(MOVE); hl_ref d = hl_move(&a);
    hl_ref c1 = d;
    HL_MARK(DROP); hl_drop(&d);
    HL_MARK(USE); hl_drop(&c1);
}
static void resized_at_the_limit(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref b = hl_new_bytes(3);
    hl_set_byte(b, 1, 7);
    b = hl__owned_age_slot(b, 0);
    hl_ref old = b;
    hl_resize(&b, 100);   /* no generation left: relocation, then the resize */
    CHILD_CHECK(hl_len(b) == 100 && hl_byte(b, 1) == 7 && hl_byte(b, 99) == 0);
    HL_MARK(RESIZE); hl_resize(&b, 2);
    CHILD_CHECK(hl_byte(b, 1) == 7);
    HL_MARK(USE); (void)hl_byte(old, 1);
}
/* age, drop and reallocate many slots: nothing old comes back, everything new works */
static void many_retirements(void) {
    hl_init();
    enum { N = 2000 };
    hl_ref *stale = malloc(N * sizeof *stale);
    CHILD_CHECK(stale != NULL);
    for (int i = 0; i < N; i++) {
        hl_ref a = node(i);
        a = hl__owned_age_slot(a, (uint32_t)(i % 3));
        for (int k = 0; k < i % 3; k++) {   /* use up the remaining generations */
            hl_ref m = hl_move(&a);
            a = m;
        }
        stale[i] = a;
        if (i % 2) {
            hl_drop(&a);
        } else {
            hl_ref m = hl_move(&a);   /* relocation */
            CHILD_CHECK(val(m) == i);
            hl_drop(&m);
        }
    }
    hl_ref keep = hl_new_refs(N);
    for (int i = 0; i < N; i++) *hl_slot(keep, (size_t)i) = node(-i);
    for (int i = 0; i < N; i++) {
        hl_ref e = hl_ref_at(keep, (size_t)i);
        CHILD_CHECK(!hl_is_null(e) && val(e) == -i);   /* a fresh handle is never "moved-out" */
        for (int k = 0; k < N; k++) CHILD_CHECK(e.bits != stale[k].bits);   /* nor an old handle */
    }
    hl_drop(&keep);
    CHILD_CHECK(hl_get_stats().live_objects == 0);
    CHILD_CHECK(hl_shutdown() == 0);
    free(stale);
}

/* Found by the model-based tests: a slot vacated with one generation left was reused, so an
** object could be relocated into it with none left, and the resize that relocated it pushed the
** generation past the limit (into stack objects' range: the buffer then could not be moved). */
static void resize_relocates_into_a_nearly_spent_slot(void) {
    hl_init();
    hl_ref v = hl_new_bytes(100);
    v = hl__owned_age_slot(v, 0);   /* no generation left: the resize relocates it */
    hl_ref r = hl_new_refs(3);
    r = hl__owned_age_slot(r, 1);
    hl_drop(&r);                    /* its slot: vacant with one generation left */
    hl_set_byte(v, 99, 7);
    hl_resize(&v, 16);
    CHILD_CHECK(!hl_is_null(v) && hl_len(v) == 16 && hl_byte(v, 15) == 0);
    hl_ref w = hl_move(&v);
    hl_resize(&w, 200);
    hl_ref x = hl_move(&w);
    CHILD_CHECK(hl_len(x) == 200);
    CHILD_CHECK(hl_shutdown() == 1);   /* x is leaked: counted as the heap object it is */
}

Test(generation_limit, a_relocated_object_always_has_a_generation_left) {
    EXPECT_OK(resize_relocates_into_a_nearly_spent_slot);
}

/* Found by the model-based tests: a stale handle to an earlier object of a slot was taken for
** one of the object that later lived there and was relocated ("use of moved value"). */
static void stale_handle_of_an_older_object_of_a_relocated_slot(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref a = hl_new(&Node_type);
    hl_ref old = a;
    HL_MARK(DROP); hl_drop(&a);
    hl_ref b = hl_new(&Node_type);   /* the same slot */
    CHILD_CHECK((uint32_t)b.bits == (uint32_t)old.bits);
    b = hl__owned_age_slot(b, 0);
    hl_ref c = hl_move(&b);          /* relocated: the slot forwards to c's */
    CHILD_CHECK(val(c) == 0);
    HL_MARK(USE); hl_drop(&old);
}

Test(generation_limit, a_stale_handle_of_an_earlier_object_is_not_forwarded) {
    EXPECT(stale_handle_of_an_older_object_of_a_relocated_slot, .kind = "double drop", .type = "Node",
           .alloc = ALLOC, .event = "dropped", .event_at = DROP);
}

Test(generation_limit, a_slot_retired_by_drop_never_validates_old_handles) {
    EXPECT(retired_by_drop, .kind = "use after free", .type = "Node", .alloc = ALLOC, .event = "dropped",
           .event_at = DROP);
}

Test(generation_limit, a_move_past_the_limit_relocates_the_object) {
    EXPECT(relocated_by_move, .kind = "use of moved value", .type = "Node", .alloc = ALLOC, .event = "moved",
           .event_at = MOVE2);
    EXPECT(relocated_old_copy, .kind = "use of moved value", .type = "Node", .alloc = ALLOC, .event = "moved",
           .event_at = MOVE2);
}

Test(generation_limit, a_relocated_then_dropped_object) {
    EXPECT(relocated_then_dropped, .kind = "use after free", .type = "Node", .alloc = ALLOC, .event = "dropped",
           .event_at = DROP);
    EXPECT(relocated_then_dropped_new_copy, .kind = "double drop", .type = "Node", .alloc = ALLOC,
           .event = "dropped", .event_at = DROP);
}

Test(generation_limit, a_resize_at_the_limit_keeps_the_content) {
    EXPECT(resized_at_the_limit, .kind = "use of moved value", .alloc = ALLOC, .event = "moved", .event_at = RESIZE);
}

Test(generation_limit, allocation_goes_on_after_many_retirements) { EXPECT_OK(many_retirements); }
