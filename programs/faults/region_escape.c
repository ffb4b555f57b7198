/*
** region_escape: an object allocated inside a region is still live, and used, after the
** region ended.
**
** The bug: a phase of the program runs in a region (hl_region_begin ... hl_region_end): it
** builds a Total in the region and hands its handle out to `total`, which lives on after the
** phase, instead of copying the value out. The region ends (the hl_region_end marked FAULT)
** while the Total is still owned; the next phase, in a region of its own, allocates a Node in
** the same place; then the program reads the Total.
**
** Expected:
**   manual, gc, owned-off  prevented: a region is only a mark there, the Total lives until
**               it is dropped: "result: ok 42"
**   region      silent: hl_region_end released the Total's memory and the next phase's Node
**               took it: "result: wrong ..."
**   owned   detected: "heaplab: error: region ended with live objects" at the FAULT line,
**           exit 101, with the note "`Total` allocated at" the ALLOC line
**   manual + AddressSanitizer, manual + valgrind: prevented, as manual
**
** Without the bug (the value copied out and the Total dropped inside the region) the program
** prints "result: ok 42".
*/
#include "heaplab.h"
#include "fault.h"

#include <inttypes.h>
#include <stdio.h>

typedef struct Total {
    int64_t value;
    int64_t count;
} Total;
HL_TYPE(Total);

typedef struct Node {
    int64_t value;
    int64_t next;
} Node;
HL_TYPE(Node);

int main(void) {
    hl_init();
    hl_ref total;
    hl_region phase = hl_region_begin();
    {
        hl_ref t = hl_new(&Total_type); /* ALLOC */
        {
            HL_WRITE(Total, w, t);
            for (int64_t i = 1; i <= 6; i++) w->value += 2 * i;   /* 42 */
            w->count = 6;
        }
        total = hl_move(&t);   /* the bug: the region's object leaves the phase */
    }
    hl_region_end(phase); /* FAULT */

    hl_region next = hl_region_begin();
    hl_ref n = hl_new(&Node_type);
    {
        HL_WRITE(Node, w, n);
        w->value = -7;
        w->next = -7;
    }
    int64_t v;
    {
        HL_READ(Total, r, hlf_launder(total));
        v = r->value;
    }
    hl_drop(&n);
    hl_region_end(next);
    hl_drop(&total);
    if (v == 42)
        printf("result: ok %" PRId64 "\n", v);
    else
        printf("result: wrong %" PRId64 " (expected 42)\n", v);
    hl_shutdown();
    return 0;
}
