/*
** local_escape: a function returns the handle of its stack object; the caller borrows it.
**
** The bug: make_point declares a Point on the stack (HL_LOCAL), fills it and returns its
** handle, as C lets a function return the address of its local. The Point's block ends with
** the function. The caller makes another call at the same depth (its frame reuses the dead
** Point's stack), then borrows the Point through the returned handle (the HL_READ marked
** FAULT) and reads its value. Rust rejects this at compile time ("`p` does not live long
** enough").
**
** Expected:
**   manual, gc, region  silent: the handle is the dead frame's address, which the next call
**                       overwrote: "result: wrong ..."
**   owned   detected: "heaplab: error: use after scope end" at the FAULT line, exit 101, with
**           the note "`Point` declared at" the HL_LOCAL line
**   owned-off  crash: the handle's slot no longer points at the object
**   manual + AddressSanitizer: stack-use-after-return (detect_stack_use_after_return=1)
**   manual + valgrind: "Conditional jump or move depends on uninitialised value(s)": memcheck
**           marks a returned frame undefined again, so the value read from it is
**
** Without the bug the program prints "result: ok 42".
*/
#include "heaplab.h"
#include "fault.h"

#include <inttypes.h>
#include <stdio.h>

typedef struct Point {
    int64_t x, y;
} Point;
HL_TYPE(Point);

__attribute__((noinline)) static hl_ref make_point(int64_t x) {
    HL_LOCAL(Point, p);
    {
        HL_WRITE(Point, w, p);
        w->x = x;
        w->y = -x;
    }
    return hlf_launder(p);   /* the bug: the handle of an object whose block ends now */
}

/* Another call at the same depth: its frame reuses the dead Point's stack space. */
__attribute__((noinline)) static int64_t scribble(void) {
    volatile int64_t junk[64];
    for (int i = 0; i < 64; i++) junk[i] = -7;
    return junk[7];
}

int main(void) {
    hl_init();
    hl_ref p = make_point(42);
    int64_t s = scribble(), v;
    {
        HL_READ(Point, r, p); /* FAULT */
        v = r->x;
    }
    (void)s;
    if (v == 42)
        printf("result: ok %" PRId64 "\n", v);
    else
        printf("result: wrong %" PRId64 " (expected 42)\n", v);
    hl_shutdown();
    return 0;
}
