/* An "outside" program: written only from docs/design.md, built with nothing but
** `cc list_sum.c $(pkg-config --cflags --libs heaplab-<runtime>)` (tools/check-pkgconfig.sh).
** It builds a linked list, sums it through borrows, moves it into a refs buffer and drops
** everything; it prints the same line on every runtime. */
#include <heaplab.h>
#include <stdio.h>

typedef struct Cell {
    hl_ref next;
    long value;
} Cell;
HL_TYPE(Cell, next);

int main(void) {
    hl_init();
    HL_OWNED hl_ref head = HL_NULL;
    for (long i = 1; i <= 1000; i++) {
        hl_ref c = hl_new(&Cell_type);
        {   /* the borrow must end before c is moved */
            HL_WRITE(Cell, cell, c);
            cell->value = i;
            cell->next = hl_move(&head);
        }
        head = hl_move(&c);
    }
    long sum = 0;
    for (hl_ref p = head; !hl_is_null(p);) {
        HL_READ(Cell, cell, p);
        sum += cell->value;
        p = cell->next;
    }
    HL_OWNED hl_ref box = hl_new_refs(1);
    *hl_slot(box, 0) = hl_move(&head);
    hl_drop(&box);
    printf("sum=%ld null=%d leaks=%zu\n", sum, hl_is_null(head), hl_shutdown());
    return 0;
}
