/*
** bench/analyze/expect.c: the owned runtime's expected outcome for every fault program, in
** the order the matrix lists them (the order).
*/
#include "analyze/expect.h"

#include <string.h>

const hlb_fault_expect hlb_fault_expects[] = {
    {"use_after_free", HLB_OUTCOME_DETECTED, "use after free", true,
     "drops an object, then reads it through a copy of its handle"},
    {"double_free", HLB_OUTCOME_DETECTED, "double drop", true, "drops the same object through two copies"},
    {"leak", HLB_OUTCOME_LEAK_REPORTED, NULL, false, "allocates in a loop and never drops"},
    {"use_after_move", HLB_OUTCOME_DETECTED, "use of moved value", true,
     "moves an object into a container, then writes through the old variable"},
    {"dangling_borrow", HLB_OUTCOME_DETECTED, "drop while borrowed", true,
     "keeps a borrow of a child, drops the parent, then reads through the borrow"},
    {"iterator_invalidation", HLB_OUTCOME_DETECTED, "already borrowed", true,
     "holds a borrow into a bytes buffer, grows it with hl_resize, then reads"},
    {"out_of_bounds", HLB_OUTCOME_DETECTED, "index out of bounds", true,
     "indexes a bytes buffer one past its end through hl_byte"},
    {"null_deref", HLB_OUTCOME_DETECTED, "null handle", true, "borrows HL_NULL"},
    {"type_confusion", HLB_OUTCOME_DETECTED, "type mismatch", true, "borrows a handle as the wrong type"},
    {"aliased_mutation", HLB_OUTCOME_DETECTED, "already borrowed", true,
     "takes a shared borrow and an exclusive borrow of one object at once"},
    {"local_escape", HLB_OUTCOME_DETECTED, "use after scope end", true,
     "returns the handle of its HL_LOCAL stack object; the caller borrows it"},
    {"region_escape", HLB_OUTCOME_DETECTED, "region ended with live objects", true,
     "ends a region while an object allocated in it is still owned, then reads it"},
    /* Not visible through the API: no runtime can see a raw pointer to a dead stack frame. */
    {"stack_escape", HLB_OUTCOME_SILENT, NULL, false,
     "returns a pointer to a local array and uses it after return"},
    /* Reported by the signal handler every runtime installs; it has no call site. */
    {"stack_overflow", HLB_OUTCOME_DETECTED, "stack overflow", false, "unbounded recursion"},
    {"out_of_memory", HLB_OUTCOME_DETECTED, "out of memory allocating ", true,
     "allocates until the address-space limit (setrlimit RLIMIT_AS) is hit"},
};
const size_t hlb_fault_expects_len = sizeof hlb_fault_expects / sizeof *hlb_fault_expects;

const hlb_fault_expect *hlb_fault_expect_find(const char *fault) {
    for (size_t i = 0; i < hlb_fault_expects_len; i++)
        if (strcmp(hlb_fault_expects[i].fault, fault) == 0) return &hlb_fault_expects[i];
    return NULL;
}
