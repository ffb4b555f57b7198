/*
** stack_escape: return a pointer to a local array and use it after the function returned.
**
** The bug: make_table fills a local array and returns its address (laundered through a
** volatile, because the compiler rejects `return table;` and would return NULL instead);
** after another call has reused that stack space, the caller reads the table (the loop
** marked FAULT). No heaplab call is involved: no runtime can see it (docs/design.md: Rust's
** compiler sees it, a C library cannot).
**
** Expected:
**   manual, gc, owned  silent: the table was overwritten by the next call's frame
**   manual + AddressSanitizer: stack-use-after-return (with detect_stack_use_after_return=1)
**   manual + valgrind: Invalid read (the table lies below the stack pointer when it is read)
**
** Without the bug the sum of squares 0..15 is read back: "result: ok 1240".
*/
#include "heaplab.h"

#include <inttypes.h>
#include <stdio.h>

#define N 16

static int64_t *volatile hatch;   /* launders the address past -Werror=return-local-addr */

/* An opaque consumer, so that the stores into the table are kept. */
__attribute__((noinline)) static void publish(int64_t *p) { hatch = p; }

__attribute__((noinline)) static int64_t *make_table(void) {
    int64_t table[N];
    for (int i = 0; i < N; i++) table[i] = (int64_t)i * i;
    publish(table);
    return hatch;   /* the bug: the address of a local that dies now */
}

/* Another call at the same depth: its frame reuses the dead table's stack space. */
__attribute__((noinline)) static int64_t scribble(void) {
    volatile int64_t junk[4 * N];
    for (int i = 0; i < 4 * N; i++) junk[i] = -7;
    return junk[N];
}

int main(void) {
    hl_init();
    int64_t *t = make_table();
    int64_t s = scribble(), sum = 0;
    for (int i = 0; i < N; i++) sum += t[i]; /* FAULT */
    (void)s;
    if (sum == 1240)
        printf("result: ok %" PRId64 "\n", sum);
    else
        printf("result: wrong %" PRId64 " (expected 1240)\n", sum);
    hl_shutdown();
    return 0;
}
