/*
** owned_scope.c: the owned runtime's rules for stack objects and regions (docs/design.md,
** "Stack objects" and "Regions"), provoked.
**
** Each case runs in a child process (hl_child_run, tests/support/hl_test.h) that breaks one
** rule; the test asserts exit status 101, one error block of the expected kind, its "-->" line
** and its notes:
**
**   heaplab: error: use after scope end
**     --> tests/owned_scope.c:<line of the offending call>
**      = note: `Node` declared at tests/owned_scope.c:<line of the HL_LOCAL>
**
**   heaplab: error: cannot move out of a stack object      (same notes, and a hint)
**
**   heaplab: error: region ended with live objects
**     --> tests/owned_scope.c:<line of hl_region_end>
**      = note: `Node` allocated at tests/owned_scope.c:<line>
**      = note: N objects allocated in the region are still live
**      = note: the region began at tests/owned_scope.c:<line>
**
** A stack refs buffer (HL_LOCAL_REFS) is named "refs" by the note; its elements are owned
** fields, so its block's end reports what a typed object's field would.
**
** Built for owned and owned-fast: owned-fast reports the same kinds at the same "-->" lines
** without the site notes (SITES below), and keeps the notes that name no site (the count).
** Also the legal cases next to each rule, which must not be reported.
*/
#define _GNU_SOURCE
#include "heaplab.h"
#include "hl_expect.h"
#include "hl_test.h"
#include "hl_types.h"
#include "owned.h"   /* the slot table: for the stack slot generation limit */

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THIS_FILE "tests/owned_scope.c"
#define SITES (HL__OLEVEL >= 2)

typedef struct Holder {
    hl_ref link;   /* not owned */
} Holder;
HL_TYPE(Holder);

/* Marks: line numbers recorded by the child. */
enum { NONE, USE, DECL, DECL2, ALLOC, BEGIN, RET };

/* ---- the expected diagnostic --------------------------------------------------------------- */

typedef struct expect {
    const char *kind;
    const char *where;   /* the "-->" text when it is not a marked line (a block's end) */
    const char *type;    /* the type named by the declaration or allocation note */
    int         decl;    /* mark of the HL_LOCAL named by "`T` declared at", or NONE */
    int         alloc;   /* mark of the allocation named by "`T` allocated at", or NONE */
    int         begin;   /* mark of the hl_region_begin named by "the region began at", or NONE */
    const char *text;    /* a line of the block must be exactly "   = note: <text>", or NULL */
    const char *absent;  /* no line of the block may contain this, or NULL */
} expect;

static int mark(const char *name, int k) {
    int line = hl_marks[k];
    cr_assert_gt(line, 0, "%s: the child never reached mark %d", name, k);
    return line;
}

static void expect_diag(const char *name, void (*fn)(void), expect e) {
    hl_child c;
    char *block = hl_expect_one_error(name, fn, e.kind, &c);

    char want[256];
    if (e.where)
        snprintf(want, sizeof want, "  --> %s", e.where);
    else
        snprintf(want, sizeof want, "  --> %s:%d", THIS_FILE, mark(name, USE));
    const char *second = strchr(block, '\n');
    cr_assert(second && hl_find_line(second + 1, "%s", want) == second + 1,
              "%s: expected \"%s\" right after the kind line; got:\n%s", name, want, block);

    if (!SITES) {
        cr_assert(!strstr(block, " declared at ") && !strstr(block, " allocated at ") && !strstr(block, " began at "),
                  "%s: owned-fast remembers no sites, yet the block has a site note:\n%s", name, block);
    } else {
        if (e.decl != NONE)
            cr_assert_not_null(hl_find_line(block, "   = note: `%s` declared at %s:%d", e.type, THIS_FILE,
                                            mark(name, e.decl)),
                               "%s: expected note \"`%s` declared at %s:%d\"; got:\n%s", name, e.type, THIS_FILE,
                               mark(name, e.decl), block);
        if (e.alloc != NONE)
            cr_assert_not_null(hl_find_line(block, "   = note: `%s` allocated at %s:%d", e.type, THIS_FILE,
                                            mark(name, e.alloc)),
                               "%s: expected note \"`%s` allocated at %s:%d\"; got:\n%s", name, e.type, THIS_FILE,
                               mark(name, e.alloc), block);
        if (e.begin != NONE)
            cr_assert_not_null(hl_find_line(block, "   = note: the region began at %s:%d", THIS_FILE, mark(name, e.begin)),
                               "%s: expected note \"the region began at %s:%d\"; got:\n%s", name, THIS_FILE,
                               mark(name, e.begin), block);
    }
    if (e.text)
        cr_assert_not_null(hl_find_line(block, "   = note: %s", e.text), "%s: expected note \"%s\" in:\n%s", name,
                           e.text, block);
    if (e.absent) cr_assert_null(strstr(block, e.absent), "%s: \"%s\" should not be in:\n%s", name, e.absent, block);
    free(block);
    hl_child_free(&c);
}

#define EXPECT(fn, ...) expect_diag(#fn, fn, (expect){__VA_ARGS__})

/* The value a node holds; a borrow in the suite's own code, so that the suite can mark it. */
static int64_t val(hl_ref n) {
    HL_READ(Node, p, n);
    return p->val;
}

/* ==== use after scope end ================================================================== */

/* Rust: "`n` does not live long enough". */
__attribute__((noinline)) static hl_ref escape_node(void) {
    HL_MARK(DECL); HL_LOCAL(Node, n);
    return n;
}
__attribute__((noinline)) static hl_ref escape_bytes(void) {
    HL_MARK(DECL); HL_LOCAL_BYTES(b, 16);
    return b;
}
__attribute__((noinline)) static hl_ref escape_refs(void) {
    HL_MARK(DECL); HL_LOCAL_REFS(r, 4);
    return r;
}

static void read_after_return(void) {
    hl_init();
    hl_ref h = escape_node();
    HL_MARK(USE); HL_READ(Node, p, h);
    (void)p;
}
static void write_after_return(void) {
    hl_init();
    hl_ref h = escape_node();
    HL_MARK(USE); HL_WRITE(Node, p, h);
    (void)p;
}
static void byte_after_return(void) {
    hl_init();
    hl_ref b = escape_bytes();
    HL_MARK(USE); (void)hl_byte(b, 0);
}
static void len_after_return(void) {
    hl_init();
    hl_ref b = escape_bytes();
    HL_MARK(USE); (void)hl_len(b);
}
static void ref_at_after_return(void) {
    hl_init();
    hl_ref r = escape_refs();
    HL_MARK(USE); (void)hl_ref_at(r, 0);
}
static void slot_after_return(void) {
    hl_init();
    hl_ref r = escape_refs();
    hl_ref x = node(1);
    HL_MARK(USE); *hl_slot(r, 1) = hl_move(&x);
}
static void refs_slice_after_return(void) {
    hl_init();
    hl_ref r = escape_refs();
    HL_MARK(USE); HL_READ_SLICE(hl_ref, s, r);
    (void)s;
}
static void move_after_return(void) {
    hl_init();
    hl_ref h = escape_node();
    HL_MARK(USE); hl_ref m = hl_move(&h);
    (void)m;
}
static void drop_after_return(void) {
    hl_init();
    hl_ref h = escape_node();
    HL_MARK(USE); hl_drop(&h);
}
static void resize_after_return(void) {
    hl_init();
    hl_ref b = escape_bytes();
    HL_MARK(USE); hl_resize(&b, 4);
}
static void drop_refs_after_return(void) {
    hl_init();
    hl_ref r = escape_refs();
    HL_MARK(USE); hl_drop(&r);
}

Test(use_after_scope_end, any_use_of_an_escaped_handle) {
    EXPECT(read_after_return, .kind = "use after scope end", .type = "Node", .decl = DECL);
    EXPECT(write_after_return, .kind = "use after scope end", .type = "Node", .decl = DECL);
    EXPECT(byte_after_return, .kind = "use after scope end", .type = "bytes", .decl = DECL);
    EXPECT(len_after_return, .kind = "use after scope end", .type = "bytes", .decl = DECL);
    EXPECT(ref_at_after_return, .kind = "use after scope end", .type = "refs", .decl = DECL);
    EXPECT(slot_after_return, .kind = "use after scope end", .type = "refs", .decl = DECL);
    EXPECT(refs_slice_after_return, .kind = "use after scope end", .type = "refs", .decl = DECL);
}

Test(use_after_scope_end, moving_dropping_or_resizing_an_escaped_handle) {
    /* The block has ended: that is the error, not the move itself. */
    EXPECT(move_after_return, .kind = "use after scope end", .type = "Node", .decl = DECL);
    EXPECT(drop_after_return, .kind = "use after scope end", .type = "Node", .decl = DECL);
    EXPECT(resize_after_return, .kind = "use after scope end", .type = "bytes", .decl = DECL);
    EXPECT(drop_refs_after_return, .kind = "use after scope end", .type = "refs", .decl = DECL);
}

/* A copy kept from an inner block, used after it ended; the slot is then reused by the same
** declaration on the next iteration, and by another one. */
static void copy_from_an_inner_block(void) {
    hl_init();
    hl_ref kept = HL_NULL;
    {
        HL_MARK(DECL); HL_LOCAL(Node, n);
        kept = n;
    }
    HL_MARK(USE); HL_READ(Node, use_, kept);
    (void)use_;
}
static void copy_from_an_earlier_iteration(void) {
    hl_init();
    hl_ref kept = HL_NULL;
    for (int i = 0; i < 3; i++) {
        HL_MARK(DECL); HL_LOCAL(Node, n);
        if (i == 0) kept = n;
        if (i == 2) {
            HL_MARK(USE); HL_READ(Node, use_, kept);
            (void)use_;
        }
    }
}
static void copy_whose_slot_another_declaration_took(void) {
    hl_init();
    hl_ref kept = HL_NULL;
    {
        HL_MARK(DECL); HL_LOCAL(Node, n);
        kept = n;
    }
    {
        HL_MARK(DECL2); HL_LOCAL(Leaf, l);   /* takes the same stack slot */
        HL_READ(Leaf, p, l);
        (void)p;
    }
    HL_LOCAL_BYTES(b, 8);
    (void)b;
    HL_MARK(USE); HL_READ(Node, use_, kept);
    (void)use_;
}
/* A handle stored in a heap object (a field that is not owned) outlives the block. */
static void copy_in_a_heap_object(void) {
    hl_init();
    hl_ref holder = hl_new(&Holder_type);
    {
        HL_MARK(DECL); HL_LOCAL(Node, n);
        HL_WRITE(Holder, p, holder);
        p->link = n;
        CHILD_CHECK(val(p->link) == 0);
    }
    HL_READ(Holder, p, holder);
    HL_MARK(USE); HL_READ(Node, use_, p->link);
    (void)use_;
}

Test(use_after_scope_end, copies_kept_past_the_block) {
    EXPECT(copy_from_an_inner_block, .kind = "use after scope end", .type = "Node", .decl = DECL);
    EXPECT(copy_from_an_earlier_iteration, .kind = "use after scope end", .type = "Node", .decl = DECL);
}

Test(use_after_scope_end, the_note_names_the_first_declaration_after_slot_reuse) {
    EXPECT(copy_whose_slot_another_declaration_took, .kind = "use after scope end", .type = "Node", .decl = DECL,
           .absent = "`Leaf`");
}

Test(use_after_scope_end, through_a_copy_stored_in_a_heap_object) {
    EXPECT(copy_in_a_heap_object, .kind = "use after scope end", .type = "Node", .decl = DECL);
}

/* An HL_OWNED variable holding a stale copy: its drop at the end of its scope. owned points at
** the variable's declaration, with a note; owned-fast, which remembers no sites, cannot. */
#define OWNED_END_NOTE "the drop is at the end of the scope of the `HL_OWNED` variable declared here"
#define OWNED_END_WHERE (SITES ? NULL : "(the end of an HL_OWNED variable's scope)")
static void owned_variable_holding_an_escaped_handle(void) {
    hl_init();
    HL_MARK(USE); HL_OWNED hl_ref h = escape_node();
    (void)h;
}

Test(use_after_scope_end, dropped_by_an_owned_variable) {
    EXPECT(owned_variable_holding_an_escaped_handle, .kind = "use after scope end", .type = "Node", .decl = DECL,
           .where = OWNED_END_WHERE, .text = SITES ? OWNED_END_NOTE : NULL);
}

/* ==== cannot move out of a stack object ==================================================== */

static void move_a_stack_object(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL(Node, n);
    hl_ref c = n;
    HL_MARK(USE); hl_ref m = hl_move(&c);
    (void)m;
}
static void take_a_stack_object(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL(Node, n);
    hl_ref c = n;
    HL_MARK(USE); hl_ref m = hl_take(&c);
    (void)m;
}
static void drop_a_stack_object(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL(Node, n);
    hl_ref c = n;
    HL_MARK(USE); hl_drop(&c);
}
static void resize_a_stack_buffer(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL_BYTES(b, 8);
    hl_ref c = b;
    HL_MARK(USE); hl_resize(&c, 16);
}
static void move_a_stack_refs_buffer(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL_REFS(r, 2);
    hl_ref c = r;
    HL_MARK(USE); hl_ref m = hl_move(&c);
    (void)m;
}
static void take_a_stack_refs_buffer(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL_REFS(r, 2);
    hl_ref c = r;
    HL_MARK(USE); hl_ref m = hl_take(&c);
    (void)m;
}
/* ... with an element holding a node: the drop is refused before it reaches the node */
static void drop_a_stack_refs_buffer(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL_REFS(r, 2);
    *hl_slot(r, 1) = node(1);
    hl_ref c = r;
    HL_MARK(USE); hl_drop(&c);
}
static void resize_a_stack_refs_buffer(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL_REFS(r, 2);
    hl_ref c = r;
    HL_MARK(USE); hl_resize(&c, 8);
}
static void move_a_borrowed_stack_object(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL(Node, n);
    HL_READ(Node, p, n);
    hl_ref c = n;
    HL_MARK(USE); hl_ref m = hl_move(&c);
    (void)m, (void)p;
}

Test(cannot_move_out, move_take_drop_resize) {
    const char *hint = "a stack object is owned by its block: borrow it, or allocate it with hl_new to move it";
    EXPECT(move_a_stack_object, .kind = "cannot move out of a stack object", .type = "Node", .decl = DECL, .text = hint);
    EXPECT(take_a_stack_object, .kind = "cannot move out of a stack object", .type = "Node", .decl = DECL);
    EXPECT(drop_a_stack_object, .kind = "cannot move out of a stack object", .type = "Node", .decl = DECL);
    EXPECT(resize_a_stack_buffer, .kind = "cannot move out of a stack object", .type = "bytes", .decl = DECL);
    EXPECT(move_a_borrowed_stack_object, .kind = "cannot move out of a stack object", .type = "Node", .decl = DECL);
}

Test(cannot_move_out, a_stack_refs_buffer) {
    const char *hint = "a stack object is owned by its block: borrow it, or allocate it with hl_new to move it";
    EXPECT(move_a_stack_refs_buffer, .kind = "cannot move out of a stack object", .type = "refs", .decl = DECL,
           .text = hint);
    EXPECT(take_a_stack_refs_buffer, .kind = "cannot move out of a stack object", .type = "refs", .decl = DECL);
    EXPECT(drop_a_stack_refs_buffer, .kind = "cannot move out of a stack object", .type = "refs", .decl = DECL);
    EXPECT(resize_a_stack_refs_buffer, .kind = "cannot move out of a stack object", .type = "refs", .decl = DECL);
}

/* A non-owning copy of a stack object's handle stored in an owned field: the owner's drop
** glue reaches it. */
static void drop_glue_reaches_a_stack_object(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL(Node, n);
    hl_ref owner = hl_new(&Pair_type);
    {
        HL_WRITE(Pair, p, owner);
        p->first = node(1);
        p->second = n;
    }
    HL_MARK(USE); hl_drop(&owner);
}
/* ... deep inside a long list */
static void deep_drop_glue_reaches_a_stack_object(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL(Node, n);
    hl_ref head = n;
    for (int i = 0; i < 100000; i++) {
        hl_ref h = node(i);
        {
            HL_WRITE(Node, p, h);
            p->next = head;   /* the first link is the stack object's handle: not owned */
        }
        head = h;
    }
    HL_MARK(USE); hl_drop(&head);
}
/* ... as an element of a refs buffer, cut off by a shrink */
static void shrink_reaches_a_stack_object(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL(Leaf, l);
    hl_ref v = hl_new_refs(3);
    *hl_slot(v, 2) = l;
    HL_MARK(USE); hl_resize(&v, 1);
}
/* ... by an HL_OWNED variable's drop at the end of its scope */
static void owned_variable_holding_a_stack_object(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL(Node, n);
    {
        HL_MARK(USE); HL_OWNED hl_ref h = n;
        (void)h;
    }
}
/* ... by a stack object's own owned field, at the end of its block */
static void stack_field_holding_a_stack_object(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL(Node, inner);
    {
        HL_LOCAL(Node, outer);
        HL_WRITE(Node, p, outer);
        p->next = inner;
    }
}

Test(cannot_move_out, through_drop_glue) {
    EXPECT(drop_glue_reaches_a_stack_object, .kind = "cannot move out of a stack object", .type = "Node", .decl = DECL);
    EXPECT(deep_drop_glue_reaches_a_stack_object, .kind = "cannot move out of a stack object", .type = "Node",
           .decl = DECL);
    EXPECT(shrink_reaches_a_stack_object, .kind = "cannot move out of a stack object", .type = "Leaf", .decl = DECL);
}

/* ... by a stack refs buffer's element, at the end of its block */
static void stack_refs_element_holding_a_stack_object(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL(Node, n);
    {
        HL_LOCAL_REFS(r, 3);
        *hl_slot(r, 0) = node(0);
        *hl_slot(r, 2) = n;
    }
}
/* ... by two elements: the first in index order is reported, though its object was declared
** second (the elements are dropped first to last) */
static void stack_refs_elements_dropped_in_index_order(void) {
    hl_init();
    HL_MARK(DECL2); HL_LOCAL(Leaf, first);
    HL_MARK(DECL); HL_LOCAL(Node, second);
    {
        HL_LOCAL_REFS(r, 4);
        *hl_slot(r, 1) = second;
        *hl_slot(r, 3) = first;
    }
}
/* ... by a stack refs buffer's element holding the buffer's own handle */
static void stack_refs_element_holding_its_own_buffer(void) {
    hl_init();
    HL_MARK(DECL); HL_LOCAL_REFS(r, 1);
    *hl_slot(r, 0) = r;
}

Test(cannot_move_out, at_the_end_of_a_scope) {
    EXPECT(owned_variable_holding_a_stack_object, .kind = "cannot move out of a stack object", .type = "Node",
           .decl = DECL, .where = OWNED_END_WHERE, .text = SITES ? OWNED_END_NOTE : NULL);
    EXPECT(stack_field_holding_a_stack_object, .kind = "cannot move out of a stack object", .type = "Node",
           .decl = DECL, .where = "(the end of an HL_LOCAL object's block)");
    EXPECT(stack_refs_element_holding_a_stack_object, .kind = "cannot move out of a stack object", .type = "Node",
           .decl = DECL, .where = "(the end of an HL_LOCAL object's block)");
    EXPECT(stack_refs_elements_dropped_in_index_order, .kind = "cannot move out of a stack object", .type = "Node",
           .decl = DECL, .where = "(the end of an HL_LOCAL object's block)", .absent = "`Leaf`");
    EXPECT(stack_refs_element_holding_its_own_buffer, .kind = "cannot move out of a stack object", .type = "refs",
           .decl = DECL, .where = "(the end of an HL_LOCAL object's block)");
}

/* ==== the end of a stack object's block ====================================================== */

/* Its owned field's object is borrowed from outside the block (the field holds a second,
** non-owning copy of a heap object's handle): dropping the field is a drop while borrowed. */
static void field_borrowed_at_the_block_end(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref x = hl_new(&Node_type);
    HL_READ(Node, q, x);
    {
        HL_LOCAL(Node, n);
        HL_WRITE(Node, p, n);
        p->next = x;
    }
    (void)q;
}

/* The same for a stack refs buffer's element. */
static void element_borrowed_at_the_block_end(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref x = hl_new(&Node_type);
    HL_READ(Node, q, x);
    {
        HL_LOCAL_REFS(r, 2);
        *hl_slot(r, 1) = x;
    }
    (void)q;
}

Test(block_end, a_borrowed_field_is_a_drop_while_borrowed) {
    EXPECT(field_borrowed_at_the_block_end, .kind = "drop while borrowed", .type = "Node", .alloc = ALLOC,
           .where = "(the end of an HL_LOCAL object's block)");
    EXPECT(element_borrowed_at_the_block_end, .kind = "drop while borrowed", .type = "Node", .alloc = ALLOC,
           .where = "(the end of an HL_LOCAL object's block)");
}

/* A use after free of an object the block's end dropped names the end of its scope. */
static void use_of_a_field_dropped_at_the_block_end(void) {
    hl_init();
    hl_ref kept;
    {
        HL_LOCAL(Node, n);
        HL_WRITE(Node, p, n);
        HL_MARK(ALLOC); p->next = hl_new(&Node_type);
        kept = p->next;
    }
    HL_MARK(USE); HL_READ(Node, use_, kept);
    (void)use_;
}

static void use_of_an_element_dropped_at_the_block_end(void) {
    hl_init();
    hl_ref kept;
    {
        HL_LOCAL_REFS(r, 2);
        HL_MARK(ALLOC); *hl_slot(r, 0) = hl_new(&Node_type);
        kept = hl_ref_at(r, 0);
    }
    HL_MARK(USE); HL_READ(Node, use_, kept);
    (void)use_;
}

Test(block_end, owned_fields_are_dropped_at_the_end_of_its_scope) {
    EXPECT(use_of_a_field_dropped_at_the_block_end, .kind = "use after free", .type = "Node", .alloc = ALLOC,
           .text = SITES ? "dropped at the end of its scope" : NULL);
    EXPECT(use_of_an_element_dropped_at_the_block_end, .kind = "use after free", .type = "Node", .alloc = ALLOC,
           .text = SITES ? "dropped at the end of its scope" : NULL);
}

/* A million-node list owned by a stack object's field: dropped without recursion, and every
** object is gone afterwards. */
static void deep_drop_through_a_stack_field(void) {
    hl_init();
    {
        HL_LOCAL(Pair, pr);
        hl_ref head = HL_NULL;
        for (int i = 0; i < 1000000; i++) {
            hl_ref h = node(i);
            {
                HL_WRITE(Node, p, h);
                p->next = hl_move(&head);
            }
            head = hl_move(&h);
        }
        HL_WRITE(Pair, p, pr);
        p->second = hl_move(&head);
        p->first = node(-1);
    }
    CHILD_CHECK(hl_get_stats().live_objects == 0);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(block_end, a_deep_drop_through_a_stack_objects_field) { EXPECT_OK_NO_LEAKS(deep_drop_through_a_stack_field); }

/* Everything a program may do with stack objects. */
static void stack_objects_used_correctly(void) {
    hl_init();
    HL_LOCAL(Node, n);
    HL_LOCAL_BYTES(b, 32);
    hl_ref copy = n;   /* a non-owning copy, used while the block lives */
    {
        HL_WRITE(Node, p, copy);
        p->val = 3;
        p->next = node(4);
        hl_ref moved = hl_move(&p->next);   /* moving the field's object out is fine */
        p->next = hl_move(&moved);
    }
    {
        HL_READ(Node, p, n);
        HL_READ(Node, p2, copy);
        CHILD_CHECK(p->val == 3 && p2 == p && val(p->next) == 4);
    }
    hl_set_byte(b, 31, 9);
    CHILD_CHECK(hl_byte(b, 31) == 9 && hl_len(b) == 32);
    hl_ref nothing = HL_NULL;
    hl_drop(&nothing);
    CHILD_CHECK(!hl_is_null(n));
    for (int i = 0; i < 1000; i++) {   /* slots are recycled */
        HL_LOCAL(Leaf, l);
        HL_WRITE(Leaf, p, l);
        p->v = i;
    }
}

Test(block_end, legal_uses_are_not_reported) { EXPECT_OK_NO_LEAKS(stack_objects_used_correctly); }

/* Everything a program may do with a stack refs buffer; every object is gone afterwards. */
static void stack_refs_used_correctly(void) {
    hl_init();
    hl_ref kept = HL_NULL;
    {
        HL_LOCAL_REFS(r, 8);
        HL_LOCAL_REFS(none, 0);
        hl_ref copy = r;   /* a non-owning copy, used while the block lives */
        hl_ref x = node(1);
        *hl_slot(copy, 0) = hl_move(&x);
        {
            HL_WRITE_REFS(p, r);
            p[1] = node(2);
            p[2] = hl_new_refs(2);   /* a heap buffer in a stack one */
        }
        *hl_slot(hl_ref_at(r, 2), 1) = node(3);
        {
            HL_WRITE_SLICE(hl_ref, s, r);
            HL_AT(s, 3) = node(4);
            hl_ref t = hl_take(&HL_AT(s, 3));   /* taken out and put back */
            HL_AT(s, 3) = hl_move(&t);
        }
        {
            HL_READ_REFS(p, r);
            HL_READ_SLICE(hl_ref, s, copy);
            HL_READ(Node, q, p[1]);   /* an element's object borrowed inside the block */
            CHILD_CHECK(q->val == 2 && s.len == 8 && val(HL_AT(s, 3)) == 4);
        }
        CHILD_CHECK(hl_len(r) == 8 && hl_len(none) == 0 && !hl_is_null(none));
        kept = hl_move(hl_slot(r, 0));   /* moved out: not dropped with the block */
        hl_ref chain = HL_NULL;   /* a long list in an element, dropped without recursion */
        for (int i = 0; i < 100000; i++) {
            hl_ref h = node(i);
            {
                HL_WRITE(Node, p, h);
                p->next = hl_move(&chain);
            }
            chain = hl_move(&h);
        }
        *hl_slot(r, 7) = hl_move(&chain);
    }
    CHILD_CHECK(val(kept) == 1);
    CHILD_CHECK(hl_get_stats().live_objects == 1);
    hl_drop(&kept);
    for (int i = 0; i < 1000; i++) {   /* slots are recycled */
        HL_LOCAL_REFS(r, 1);
        *hl_slot(r, 0) = node(i);
    }
    CHILD_CHECK(hl_get_stats().live_objects == 0);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(block_end, legal_uses_of_a_stack_refs_buffer_are_not_reported) { EXPECT_OK_NO_LEAKS(stack_refs_used_correctly); }

/* A stack slot at the generation limit retires when its block ends: the next declaration
** takes another slot, and an old handle to the retired one is still a use after scope end. */
static void stack_slot_retires_at_the_generation_limit(void) {
    hl_init();
    hl_ref old = HL_NULL;
    uint32_t retired = 0;
    {
        HL_MARK(DECL); HL_LOCAL(Node, n);
        retired = (uint32_t)n.bits;
        hl__oslot *s = hl__oslot_at(retired);
        s->head = HL__OHEAD(HL__OGEN_STACK_LAST, HL__OBORROW(s->head), HL__OTID(s->head));   /* pretend: the last generation */
        old = (hl_ref){(uint64_t)HL__OGEN_STACK_LAST << 32 | retired};
        CHILD_CHECK(val(old) == 0);
    }
    for (int i = 0; i < 10; i++) {
        HL_LOCAL(Node, m);
        CHILD_CHECK((uint32_t)m.bits != retired);
        CHILD_CHECK(val(m) == 0);
    }
    HL_MARK(USE); HL_READ(Node, use_, old);
    (void)use_;
}

Test(block_end, a_stack_slot_retires_at_the_generation_limit) {
    EXPECT(stack_slot_retires_at_the_generation_limit, .kind = "use after scope end", .type = "Node", .decl = DECL);
}

/* ==== region ended with live objects ========================================================= */

static void one_survivor(void) {
    hl_init();
    HL_MARK(BEGIN); hl_region m = hl_region_begin();
    HL_MARK(ALLOC); hl_ref keep = hl_new(&Node_type);
    hl_ref gone = node(2);
    hl_drop(&gone);
    HL_MARK(USE); hl_region_end(m);
    (void)keep;
}
/* The first survivor in allocation order is named; earlier objects that died are not. */
static void three_survivors(void) {
    hl_init();
    HL_MARK(BEGIN); hl_region m = hl_region_begin();
    hl_ref early = node(0);
    hl_drop(&early);
    HL_MARK(ALLOC); hl_ref a = hl_new_bytes(10);
    hl_ref b = node(1), c = hl_new(&Leaf_type);
    HL_MARK(USE); hl_region_end(m);
    (void)a, (void)b, (void)c;
}
/* A survivor moved to an owner outside the region is still the region's. */
static void survivor_moved_out(void) {
    hl_init();
    hl_ref outer = hl_new(&Pair_type);
    HL_MARK(BEGIN); hl_region m = hl_region_begin();
    HL_MARK(ALLOC); hl_ref x = hl_new(&Node_type);
    {
        HL_WRITE(Pair, p, outer);
        p->first = hl_move(&x);
    }
    HL_MARK(USE); hl_region_end(m);
}
/* A buffer from before the region, resized inside it: the region runtime would allocate its
** new storage in the region. */
static void resized_inside(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref v = hl_new_bytes(4);
    HL_MARK(BEGIN); hl_region m = hl_region_begin();
    hl_resize(&v, 64);
    HL_MARK(USE); hl_region_end(m);
}
/* Many allocations (the log is compacted on the way) and one survivor among them. */
static void survivor_among_many(void) {
    hl_init();
    HL_MARK(BEGIN); hl_region m = hl_region_begin();
    hl_ref keep = HL_NULL;
    for (int i = 0; i < 100000; i++) {
        if (i == 54321) {
            HL_MARK(ALLOC); keep = hl_new(&Node_type);
        } else {
            hl_ref t = node(i);
            hl_drop(&t);
        }
    }
    HL_MARK(USE); hl_region_end(m);
    (void)keep;
}

Test(region_ended_with_live_objects, names_the_first_survivor_and_counts) {
    EXPECT(one_survivor, .kind = "region ended with live objects", .type = "Node", .alloc = ALLOC, .begin = BEGIN,
           .text = "1 object allocated in the region is still live");
    EXPECT(three_survivors, .kind = "region ended with live objects", .type = "bytes", .alloc = ALLOC, .begin = BEGIN,
           .text = "3 objects allocated in the region are still live");
    EXPECT(survivor_among_many, .kind = "region ended with live objects", .type = "Node", .alloc = ALLOC,
           .begin = BEGIN, .text = "1 object allocated in the region is still live");
}

Test(region_ended_with_live_objects, a_survivor_owned_from_outside) {
    EXPECT(survivor_moved_out, .kind = "region ended with live objects", .type = "Node", .alloc = ALLOC, .begin = BEGIN,
           .text = "1 object allocated in the region is still live");
}

Test(region_ended_with_live_objects, a_buffer_resized_inside) {
    EXPECT(resized_inside, .kind = "region ended with live objects", .type = "bytes", .alloc = ALLOC, .begin = BEGIN,
           .text = SITES ? "it was resized inside the region, which allocates it anew" : NULL);
}

/* Nested regions: the inner one ends cleanly; an object of the inner one that survives it is
** an error at the inner end; one allocated in the outer region after the inner one ended is
** reported at the outer end; ending the outer region ends (and checks) the inner one. */
static void nested_inner_survivor(void) {
    hl_init();
    hl_region outer = hl_region_begin();
    HL_MARK(BEGIN); hl_region inner = hl_region_begin();
    HL_MARK(ALLOC); hl_ref x = hl_new(&Node_type);
    HL_MARK(USE); hl_region_end(inner);
    hl_region_end(outer);
    (void)x;
}
static void nested_outer_survivor(void) {
    hl_init();
    HL_MARK(BEGIN); hl_region outer = hl_region_begin();
    hl_region inner = hl_region_begin();
    hl_ref t = node(1);
    hl_drop(&t);
    hl_region_end(inner);
    HL_MARK(ALLOC); hl_ref x = hl_new(&Node_type);
    HL_MARK(USE); hl_region_end(outer);
    (void)x;
}
static void outer_end_checks_the_inner_region(void) {
    hl_init();
    HL_MARK(BEGIN); hl_region outer = hl_region_begin();
    hl_region inner = hl_region_begin();
    HL_MARK(ALLOC); hl_ref x = hl_new(&Node_type);
    HL_MARK(USE); hl_region_end(outer);
    (void)x, (void)inner;
}

Test(region_ended_with_live_objects, nested_regions) {
    EXPECT(nested_inner_survivor, .kind = "region ended with live objects", .type = "Node", .alloc = ALLOC,
           .begin = BEGIN);
    EXPECT(nested_outer_survivor, .kind = "region ended with live objects", .type = "Node", .alloc = ALLOC,
           .begin = BEGIN);
    EXPECT(outer_end_checks_the_inner_region, .kind = "region ended with live objects", .type = "Node", .alloc = ALLOC,
           .begin = BEGIN);
}

/* Everything a program may do with regions. */
static void regions_used_correctly(void) {
    hl_init();
    hl_ref before = node(1);
    hl_ref buf = hl_new_bytes(4);
    hl_region outer = hl_region_begin();
    hl_drop(&before);   /* an older object may die inside */
    CHILD_CHECK(hl_byte(buf, 0) == 0);   /* and be used */
    for (int round = 0; round < 50; round++) {
        hl_region m = hl_region_begin();
        hl_ref holder = hl_new(&Pair_type);
        hl_ref v = hl_new_refs(1);
        for (int i = 0; i < 1000; i++) {
            hl_ref n = node(i);
            hl_ref moved = hl_move(&n);   /* moves keep it the region's */
            hl_drop(&moved);
        }
        hl_resize(&v, 100);   /* resizing a buffer of the region */
        *hl_slot(v, 99) = node(round);
        {
            HL_WRITE(Pair, p, holder);
            p->first = hl_move(&v);   /* owned by an object of the region, dropped with it */
        }
        HL_LOCAL(Node, s);   /* a stack object may outlive the region's end */
        hl_drop(&holder);
        hl_region_end(m);
        hl_region_end(m);   /* ending it again does nothing */
        CHILD_CHECK(val(s) == 0);
    }
    hl_region inner = hl_region_begin();
    hl_ref t = node(2);
    hl_drop(&t);
    hl_region_end(outer);   /* ends inner too */
    hl_region_end(inner);
    hl_drop(&buf);
    CHILD_CHECK(hl_shutdown() == 0);
}

Test(region_ended_with_live_objects, legal_uses_are_not_reported) { EXPECT_OK_NO_LEAKS(regions_used_correctly); }

/* A relocated object (its slot at the generation limit) is still found alive: a buffer from
** before the region, resized inside it with its slot's last generation, then moved (which
** relocates it to a fresh slot). */
static void relocated_survivor(void) {
    hl_init();
    HL_MARK(ALLOC); hl_ref v = hl_new_bytes(4);
    v = hl__owned_age_slot(v, 1);
    HL_MARK(BEGIN); hl_region m = hl_region_begin();
    hl_resize(&v, 64);
    hl_ref w = hl_move(&v);
    CHILD_CHECK(hl_len(w) == 64);
    HL_MARK(USE); hl_region_end(m);
}

Test(region_ended_with_live_objects, a_relocated_survivor) {
    EXPECT(relocated_survivor, .kind = "region ended with live objects", .type = "bytes", .alloc = ALLOC, .begin = BEGIN,
           .text = "1 object allocated in the region is still live");
}

/* Allocation serials renumbered on the way (hl__owned_region_skip leaves a few before the
** limit): region membership, the count and the first survivor's order survive it. */
static void renumbered_correct_program(void) {
    hl_init();
    hl_region outer = hl_region_begin();
    hl_ref a = node(1);
    hl__owned_region_skip(3);
    hl_region inner = hl_region_begin();
    for (int round = 0; round < 3; round++) {
        hl_ref keep[8];
        for (int i = 0; i < 8; i++) keep[i] = node(i);
        for (int i = 0; i < 8; i++) hl_drop(&keep[i]);
    }
    hl_region_end(inner);
    hl_ref b = node(2);
    hl_drop(&a);   /* the outer region's, allocated before the renumbering */
    hl_drop(&b);
    hl_region_end(outer);
    CHILD_CHECK(hl_shutdown() == 0);
}
static void renumbered_inner_survivor(void) {
    hl_init();
    hl_region outer = hl_region_begin();
    hl_ref a = node(1);
    hl__owned_region_skip(2);
    HL_MARK(BEGIN); hl_region inner = hl_region_begin();
    hl_ref t[6];
    for (int i = 0; i < 6; i++) t[i] = node(i);
    HL_MARK(ALLOC); hl_ref keep = hl_new(&Leaf_type);
    for (int i = 0; i < 6; i++) hl_drop(&t[i]);
    HL_MARK(USE); hl_region_end(inner);
    (void)keep, (void)a, (void)outer;
}
static void renumbered_first_survivor(void) {
    hl_init();
    HL_MARK(BEGIN); hl_region m = hl_region_begin();
    hl_ref early = node(0);
    hl_drop(&early);
    HL_MARK(ALLOC); hl_ref a = hl_new_bytes(3);
    hl__owned_region_skip(1);
    hl_ref kept[5];
    for (int i = 0; i < 5; i++) kept[i] = node(i);
    HL_MARK(USE); hl_region_end(m);
    (void)a, (void)kept;
}

Test(region_ended_with_live_objects, serials_renumbered_near_their_limit) {
    EXPECT_OK_NO_LEAKS(renumbered_correct_program);
    EXPECT(renumbered_inner_survivor, .kind = "region ended with live objects", .type = "Leaf", .alloc = ALLOC,
           .begin = BEGIN, .text = "1 object allocated in the region is still live");
    EXPECT(renumbered_first_survivor, .kind = "region ended with live objects", .type = "bytes", .alloc = ALLOC,
           .begin = BEGIN, .text = "6 objects allocated in the region are still live");
}
