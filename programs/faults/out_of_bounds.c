/*
** out_of_bounds: index a bytes buffer one past its end, through the API's checked access.
**
** The bug: a classic `i <= len` loop reads hl_byte(buf, len) (marked FAULT). There is no
** correct value at that index, so any value the access returns is wrong: the program prints
** "result: wrong ..." if the access returns at all. The best a runtime can do is refuse it.
** (24 bytes: on glibc the byte past the end is the next block's size field.)
**
** Expected:
**   manual  silent: the read returns whatever lies past the buffer
**   gc      silent: the same (Boehm rounds the block up; the read lands in its padding)
**   owned   detected: "heaplab: error: index out of bounds" (the len is 24 but the index is
**           24) at the FAULT line, exit 101
**   manual + AddressSanitizer: heap-buffer-overflow;  manual + valgrind: Invalid read of size 1
**
** Without the bug (a loop that stops at len) there would be nothing to report; the program
** cannot print "result: ok" because it always reads the index past the end.
*/
#include "heaplab.h"

#include <stdio.h>

#define LEN 24

int main(void) {
    hl_init();
    hl_ref buf = hl_new_bytes(LEN); /* ALLOC */
    hl_ref next = hl_new_bytes(LEN);   /* a neighbour */
    for (size_t i = 0; i < LEN; i++) {
        hl_set_byte(buf, i, (uint8_t)(i + 1));
        hl_set_byte(next, i, 0xEE);
    }
    unsigned sum = 0, past = 0;
    size_t len = hl_len(buf);
    for (size_t i = 0; i <= len; i++) {   /* the off-by-one */
        unsigned b = hl_byte(buf, i); /* FAULT */
        if (i < len)
            sum += b;
        else
            past = b;
    }
    printf("result: wrong: read index %zu of a %zu-byte buffer and got %u (sum %u)\n", len, len, past, sum);
    hl_drop(&buf);
    hl_drop(&next);
    hl_shutdown();
    return 0;
}
