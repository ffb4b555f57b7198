/*
** fault.h: what the fault programs share.
**
** Each fault program commits its bug through the API on purpose. At -O2 the compiler could
** see through a copied or moved-out handle and change the bug as written (fold a read of a
** moved-out HL_NULL, for instance); hlf_launder hides a handle's value from the optimiser.
*/
#ifndef HL_FAULT_H
#define HL_FAULT_H

#include "heaplab.h"

static inline hl_ref hlf_launder(hl_ref r) {
    volatile uintptr_t bits = r.bits;
    return (hl_ref){bits};
}

#endif
