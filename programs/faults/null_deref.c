/*
** null_deref: borrow HL_NULL.
**
** The bug: a lookup that found nothing returns HL_NULL, and the caller borrows the result
** without checking (the HL_READ marked FAULT) and reads a field.
**
** Expected:
**   manual  crash: the borrow is a null pointer, the read faults (SIGSEGV)
**   gc      crash: the same
**   owned   detected: "heaplab: error: null handle" at the FAULT line, exit 101
**   manual + AddressSanitizer: UBSan "member access within null pointer";
**   manual + valgrind: Invalid read (address 0x0), then SIGSEGV
**
** Without the bug (the caller checks hl_is_null) the program prints "result: ok 0".
*/
#include "heaplab.h"

#include <inttypes.h>
#include <stdio.h>

typedef struct Node {
    int64_t value;
    int64_t spare;
} Node;
HL_TYPE(Node);

/* A lookup that finds nothing; opaque to the optimiser. */
static hl_ref lookup(int key) {
    volatile uintptr_t bits = 0;
    (void)key;
    return (hl_ref){bits};
}

int main(void) {
    hl_init();
    hl_ref r = lookup(7);
    int64_t v;
    {
        HL_READ(Node, n, r); /* FAULT */
        v = n->value;
    }
    if (v == 0)
        printf("result: ok %" PRId64 "\n", v);
    else
        printf("result: wrong %" PRId64 " (expected 0)\n", v);
    hl_shutdown();
    return 0;
}
