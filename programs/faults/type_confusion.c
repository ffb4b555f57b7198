/*
** type_confusion: borrow a handle as the wrong type.
**
** The bug: a Temperature is passed where an Account is expected, and the HL_READ marked
** FAULT borrows it as an Account: the double 21.5 is read as an integer balance. A value
** read through the wrong type is never right, so the program prints "result: wrong ..." if
** the borrow succeeds at all.
**
** Expected:
**   manual  silent: the bits of 21.5 read as a balance
**   gc      silent: the same (the memory is valid, its type is not)
**   owned   detected: "heaplab: error: type mismatch" at the FAULT line, exit 101
**   manual + AddressSanitizer, manual + valgrind: silent (no memory error happens)
*/
#include "heaplab.h"

#include <inttypes.h>
#include <stdio.h>

typedef struct Temperature {
    double celsius;
    int64_t sensor;
} Temperature;
HL_TYPE(Temperature);

typedef struct Account {
    int64_t balance;
    int64_t owner;
} Account;
HL_TYPE(Account);

static int64_t balance_of(hl_ref account) {
    HL_READ(Account, a, account); /* FAULT */
    return a->balance;
}

int main(void) {
    hl_init();
    hl_ref t = hl_new(&Temperature_type); /* ALLOC */
    {
        HL_WRITE(Temperature, w, t);
        w->celsius = 21.5;
        w->sensor = 3;
    }
    int64_t b = balance_of(t);   /* the wrong handle */
    printf("result: wrong: a Temperature (21.5) read as an Account has balance %" PRId64 "\n", b);
    hl_drop(&t);
    hl_shutdown();
    return 0;
}
