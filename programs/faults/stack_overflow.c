/*
** stack_overflow: unbounded recursion.
**
** The bug: depth() calls itself with no base case that is ever reached (the call marked
** FAULT); each frame holds 1 KiB, so the 8 MiB default stack is gone after a few thousand
** calls. Every runtime installs an alternate signal stack in hl_init, so the overflow is
** reported instead of a bare SIGSEGV.
**
** Expected:
**   manual, gc, owned  detected: "heaplab: error: stack overflow", exit 101
**   manual + AddressSanitizer: the same, or AddressSanitizer's "stack-overflow"
**   manual + valgrind: the same after valgrind's "Stack overflow in thread #1"
**
** Without the bug the recursion would end and print "result: ok"; it cannot.
*/
#include "heaplab.h"

#include <stdio.h>

static volatile long never = -1;   /* a base case the optimiser cannot rule out */

__attribute__((noinline)) static long depth(long n) {
    volatile char frame[1024];
    frame[0] = (char)n;
    frame[sizeof frame - 1] = (char)(n >> 8);
    if (n == never) return 0;
    return depth(n + 1) + frame[n & 1023]; /* FAULT */
}

int main(void) {
    hl_init();
    long d = depth(0);
    printf("result: wrong: the recursion ended (%ld)\n", d);
    hl_shutdown();
    return 0;
}
