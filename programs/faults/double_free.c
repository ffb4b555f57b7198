/*
** double_free: drop the same object through two copies of its handle.
**
** The bug: `alias` is a non-owning copy of `a`; the object is dropped through `a`, then again
** through `alias` (the hl_drop marked FAULT). With malloc/free a block freed twice can be
** handed out twice, so two later objects would share memory: the program checks that.
**
** Expected:
**   manual  crash: the second drop reads the freed block's header (now a free-list link) and
**           dies on a wild pointer, or glibc aborts ("free(): double free detected")
**   gc      prevented: hl_drop only forgets; dropping twice is harmless: "result: ok 42"
**   owned   detected: "heaplab: error: double drop" at the FAULT line, exit 101
**   manual + AddressSanitizer: heap-use-after-free or attempting double-free;
**   manual + valgrind: Invalid read / Invalid free()
**
** Without the bug the program prints "result: ok 42".
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

static hl_ref node_new(int64_t v) {
    hl_ref r = hl_new(&Node_type); /* ALLOC */
    HL_WRITE(Node, n, r);
    n->value = v;
    return r;
}

static int64_t node_value(hl_ref r) {
    HL_READ(Node, n, r);
    return n->value;
}

int main(void) {
    hl_init();
    hl_ref a = node_new(42);
    hl_ref alias = hlf_launder(a);
    int64_t v = node_value(a);
    hl_drop(&a); /* DROP */
    hl_drop(&alias); /* FAULT */

    /* After a double free, malloc may return the same block for both of these. */
    hl_ref x = node_new(1), y = node_new(2);
    int64_t vx = node_value(x), vy = node_value(y);
    if (v == 42 && vx == 1 && vy == 2)
        printf("result: ok %" PRId64 "\n", v);
    else
        printf("result: wrong %" PRId64 " %" PRId64 " %" PRId64 " (expected 42 1 2)\n", v, vx, vy);
    hl_drop(&x);
    hl_drop(&y);
    hl_shutdown();
    return 0;
}
