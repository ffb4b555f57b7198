/*
** use_after_free: drop an object, then read it through a copy of its handle.
**
** The bug: `alias` is a non-owning copy of `a`. hl_drop(&a) ends the object's life, and the
** HL_READ marked FAULT borrows it through the stale copy and reads its value.
**
** Expected:
**   manual  silent: free() recycles the block (glibc's tcache writes its key over the first
**           field), the read returns garbage and the program prints "result: wrong ..."
**   gc      prevented: hl_drop only forgets; the copy keeps the object alive: "result: ok 42"
**   owned   detected: "heaplab: error: use after free" at the FAULT line, exit 101
**   manual + AddressSanitizer: heap-use-after-free;  manual + valgrind: Invalid read
**
** Without the bug the program prints "result: ok 42".
*/
#include "heaplab.h"
#include "fault.h"

#include <inttypes.h>
#include <stdio.h>

typedef struct Node {
    int64_t value;   /* first: the word free() overwrites */
    int64_t spare;
} Node;
HL_TYPE(Node);

int main(void) {
    hl_init();
    hl_ref a = hl_new(&Node_type); /* ALLOC */
    {
        HL_WRITE(Node, n, a);
        n->value = 42;
    }
    hl_ref alias = hlf_launder(a);   /* a non-owning copy */
    hl_drop(&a); /* DROP */

    int64_t v;
    {
        HL_READ(Node, n, alias); /* FAULT */
        v = n->value;
    }
    if (v == 42)
        printf("result: ok %" PRId64 "\n", v);
    else
        printf("result: wrong %" PRId64 " (expected 42)\n", v);
    hl_shutdown();
    return 0;
}
