/*
** aliased_mutation: a shared borrow and an exclusive borrow of one object at once.
**
** The bug: `r` is a shared borrow (it promises the value does not change while it lives);
** the HL_WRITE marked FAULT takes an exclusive borrow of the same object meanwhile and
** changes the value under it.
**
** Expected:
**   manual  silent: the shared view changes under the reader: "result: wrong 42 (expected 1)"
**   gc      silent: the same
**   owned   detected: "heaplab: error: already borrowed" at the FAULT line, exit 101
**   manual + AddressSanitizer, manual + valgrind: silent (no memory error happens)
**
** Without the bug the value seen through the shared borrow stays 1: "result: ok 1".
*/
#include "heaplab.h"

#include <inttypes.h>
#include <stdio.h>

typedef struct Counter {
    int64_t value;
    int64_t spare;
} Counter;
HL_TYPE(Counter);

int main(void) {
    hl_init();
    hl_ref c = hl_new(&Counter_type); /* ALLOC */
    {
        HL_WRITE(Counter, w, c);
        w->value = 1;
    }
    int64_t before, after;
    {
        HL_READ(Counter, r, c);
        before = r->value;
        {
            HL_WRITE(Counter, w, c); /* FAULT */
            w->value += 41;
        }
        after = *(const volatile int64_t *)&r->value;
    }
    if (after == before)
        printf("result: ok %" PRId64 "\n", after);
    else
        printf("result: wrong %" PRId64 " (expected %" PRId64 ")\n", after, before);
    hl_drop(&c);
    hl_shutdown();
    return 0;
}
