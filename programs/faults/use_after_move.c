/*
** use_after_move: move an object into a container, then write through the old variable.
**
** The bug: `a` is moved into slot 0 of a refs buffer; the HL_WRITE marked FAULT borrows the
** moved-out variable and writes through it, as if it still owned the object.
**
** Expected:
**   manual  crash: a moved-out variable is HL_NULL, the write hits address 0 (SIGSEGV)
**   gc      crash: the same
**   owned   detected: "heaplab: error: use of moved value" at the FAULT line, exit 101
**   manual + AddressSanitizer: UBSan "member access within null pointer";
**   manual + valgrind: Invalid write (address 0x0), then SIGSEGV
**
** Without the bug (the write goes nowhere) the container's element keeps its value and the
** program prints "result: ok 1".
*/
#include "heaplab.h"
#include "fault.h"

#include <inttypes.h>
#include <stdio.h>

typedef struct Node {
    int64_t value;
    int64_t spare;
} Node;
HL_TYPE(Node);

int main(void) {
    hl_init();
    hl_ref a = hl_new(&Node_type); /* ALLOC */
    {
        HL_WRITE(Node, n, a);
        n->value = 1;
    }
    hl_ref box = hl_new_refs(1);
    *hl_slot(box, 0) = hl_move(&a); /* MOVE */
    a = hlf_launder(a);   /* keep -O2 from seeing that a is moved-out */
    {
        HL_WRITE(Node, n, a); /* FAULT */
        n->value = 99;
    }
    int64_t v;
    {
        hl_ref e = hl_ref_at(box, 0);
        HL_READ(Node, n, e);
        v = n->value;
    }
    if (v == 1)
        printf("result: ok %" PRId64 "\n", v);
    else
        printf("result: wrong %" PRId64 " (expected 1)\n", v);
    hl_drop(&box);
    hl_shutdown();
    return 0;
}
