/*
** iterator_invalidation: hold a borrow into a bytes buffer, grow the buffer, then read.
**
** The bug: `view` borrows the buffer's bytes; while it is live the buffer is grown with
** hl_resize (marked FAULT), which moves the content to a new block. The program then updates
** element 0 through the buffer and reads it back through the old view, which still points
** at the old block: freed (manual) or merely stale (gc).
**
** Expected:
**   manual  silent: the view reads the old, freed block: "result: wrong 1 (expected 100)"
**   gc      silent: the old block stays alive but stale: the same wrong result
**   owned   detected: "heaplab: error: already borrowed" at the FAULT line, exit 101
**   manual + AddressSanitizer: heap-use-after-free;  manual + valgrind: Invalid read
**
** Without the bug the view sees the update and the program prints "result: ok 100".
*/
#include "heaplab.h"

#include <stdio.h>

#define LEN 16
#define GROWN (1u << 20)   /* large enough that every allocator moves the block */

int main(void) {
    hl_init();
    hl_ref buf = hl_new_bytes(LEN); /* ALLOC */
    for (size_t i = 0; i < LEN; i++) hl_set_byte(buf, i, (uint8_t)(i + 1));
    unsigned v;
    {
        HL_READ_BYTES(view, buf);
        hl_resize(&buf, GROWN); /* FAULT */
        hl_set_byte(buf, 0, 100);
        v = view[0];
    }
    if (v == 100)
        printf("result: ok %u\n", v);
    else
        printf("result: wrong %u (expected 100)\n", v);
    hl_drop(&buf);
    hl_shutdown();
    return 0;
}
