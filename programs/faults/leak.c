/*
** leak: allocate in a loop and never drop.
**
** The bug: every iteration allocates a 1 KiB buffer, uses it and lets the handle go out of
** scope without hl_drop (the allocation marked FAULT). The program's result is right either
** way; what is lost is memory. At the end it prints "lost: N objects", N being what
** hl_shutdown says is still owned (owned knows; manual knows in a run with statistics, which
** `heaplab safety` requests through HEAPLAB_STATS, and says 0 otherwise, as plain C counts
** nothing; gc says 0: its collector reclaims unreachable buffers).
**
** Expected:
**   manual  silent: result correct, 10000 buffers (10 MB) never freed ("lost: 10000 objects"
**           with HEAPLAB_STATS set)
**   gc      prevented: the collector reclaims the unreachable buffers
**   owned   leak reported: "heaplab: warning: 10000 objects (... bytes) leaked" at shutdown
**   manual + AddressSanitizer: LeakSanitizer "detected memory leaks";
**   manual + valgrind: "definitely lost"
**
** Without the bug the program prints "result: ok 10000" and "lost: 0 objects".
*/
#include "heaplab.h"

#include <stdio.h>

#define ROUNDS 10000
#define SIZE 1024

int main(void) {
    hl_init();
    unsigned long sum = 0;
    for (int i = 0; i < ROUNDS; i++) {
        hl_ref buf = hl_new_bytes(SIZE); /* FAULT */ /* ALLOC */
        hl_set_byte(buf, (size_t)i % SIZE, 1);
        sum += hl_byte(buf, (size_t)i % SIZE);
        /* the bug: no hl_drop(&buf) */
    }
    size_t lost = hl_shutdown();
    if (sum == ROUNDS)
        printf("result: ok %lu\n", sum);
    else
        printf("result: wrong %lu (expected %d)\n", sum, ROUNDS);
    printf("lost: %zu objects\n", lost);
    return 0;
}
