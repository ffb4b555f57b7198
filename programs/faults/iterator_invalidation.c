/*
** iterator_invalidation: hold a borrow into a bytes buffer, grow the buffer, then read.
**
** The bug: `view` borrows the buffer's bytes; while it is live the buffer is grown with
** hl_resize (marked FAULT), which moves the content to a new block. The program then rewrites
** every element through the buffer and reads them back through the old view, which still
** points at the old block: freed (manual) or merely stale (gc).
**
** The whole view is compared, not one byte: on manual the old block's first bytes now hold
** malloc's free-list link and a per-process random key, so a single byte would equal the new
** value by chance once in 256 runs and the bug would look prevented.
**
** Expected:
**   manual  silent: the view reads the old, freed block: "result: wrong N (expected 100)",
**           N a byte of malloc's bookkeeping, different from run to run
**   gc      silent: the old block stays alive but stale: "result: wrong 1 (expected 100)"
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
    bool same = true;
    {
        HL_READ_BYTES(view, buf);
        hl_resize(&buf, GROWN); /* FAULT */
        for (size_t i = 0; i < LEN; i++) hl_set_byte(buf, i, (uint8_t)(100 + i));
        for (size_t i = 0; i < LEN; i++) same = same && view[i] == 100 + i;
        v = view[0];
    }
    if (same)
        printf("result: ok %u\n", v);
    else
        printf("result: wrong %u (expected 100)\n", v);
    hl_drop(&buf);
    hl_shutdown();
    return 0;
}
