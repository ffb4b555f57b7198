/*
** dangling_borrow: keep a borrow of a child, drop the parent, then read through the borrow.
**
** The bug: `c` borrows the child that `parent` owns; while the borrow is live the parent is
** dropped (the hl_drop marked FAULT), which drops the child too, and the program then reads
** the child's value through the borrowed pointer.
**
** Expected:
**   manual  silent: the child's block is freed and its first word overwritten by the
**           allocator, "result: wrong ..."
**   gc      prevented: the borrowed pointer keeps the child alive: "result: ok 42"
**   owned   detected: "heaplab: error: drop while borrowed" at the FAULT line, exit 101
**   manual + AddressSanitizer: heap-use-after-free;  manual + valgrind: Invalid read
**
** Without the bug the program prints "result: ok 42".
*/
#include "heaplab.h"

#include <inttypes.h>
#include <stdio.h>

typedef struct Child {
    int64_t value;
    int64_t spare;
} Child;
HL_TYPE(Child);

typedef struct Parent {
    hl_ref child;   /* owned */
} Parent;
HL_TYPE(Parent, child);

static hl_ref parent_new(int64_t v) {
    hl_ref c = hl_new(&Child_type); /* ALLOC */
    {
        HL_WRITE(Child, w, c);
        w->value = v;
    }
    hl_ref p = hl_new(&Parent_type);
    HL_WRITE(Parent, w, p);
    w->child = hl_move(&c);
    return p;
}

static hl_ref child_of(hl_ref parent) {
    HL_READ(Parent, p, parent);
    return p->child;   /* a non-owning copy */
}

int main(void) {
    hl_init();
    hl_ref parent = parent_new(42);
    int64_t v;
    {
        hl_ref child = child_of(parent);
        HL_READ(Child, c, child);
        hl_drop(&parent); /* FAULT */
        v = c->value;
    }
    if (v == 42)
        printf("result: ok %" PRId64 "\n", v);
    else
        printf("result: wrong %" PRId64 " (expected 42)\n", v);
    hl_shutdown();
    return 0;
}
