/*
** regressions.c: sequences that once showed a bug, or pin a corner of the contract, run by the
** model suite on every runtime (the ones that stop with a violation on owned and owned-fast
** only). Operations are {code, a, b, t, n}, as in ops.def.
*/
#include "regressions.h"

#define SEQ(name, expect, ...)                                                             \
    {name, (const hlm_op[]){__VA_ARGS__}, sizeof((const hlm_op[]){__VA_ARGS__}) / sizeof(hlm_op), expect}

/* hlm_many(n): 13 is 40,000 borrows, 15 is 70,000. hlm_list_len(107) is 100,000. */
const hlm_regression hlm_regressions[] = {
    /* owned stopped correct programs with "too many shared borrows" at 32,767 live shared
    ** borrows of one object; the contract allows any number */
    SEQ("70,000 shared borrows of one object, released, then a write", HLM_OK,
        {HLM_NEW, 0, 0, HLM_NODE, 0}, {HLM_READ_MANY, 0, 0, HLM_NODE, 15}, {HLM_B_GET, 0, 0, 0, 0},
        {HLM_CLOSE, 0, 0, 0, 0}, {HLM_WRITE, 0, 0, HLM_NODE, 0}, {HLM_B_SET, 0, 0, 7, 7}, {HLM_CLOSE, 0, 0, 0, 0},
        {HLM_DROP, 0, 0, 0, 0}),
    SEQ("a write under 40,000 shared borrows", HLM_ALREADY_BORROWED,
        {HLM_NEW_BYTES, 0, 0, 0, 9}, {HLM_READ_MANY, 0, 0, HLM_BYTES, 13}, {HLM_WRITE, 0, 0, HLM_BYTES, 0}),
    SEQ("a drop under 40,000 shared borrows", HLM_DROP_BORROWED,
        {HLM_NEW, 0, 0, HLM_PAIR, 0}, {HLM_READ_MANY, 0, 0, HLM_PAIR, 13}, {HLM_DROP, 0, 0, 0, 0}),
    SEQ("40,000 shared borrows released inside one that lives: still borrowed", HLM_ALREADY_BORROWED,
        {HLM_NEW_REFS, 1, 0, 0, 3}, {HLM_READ, 1, 0, HLM_REFS, 0}, {HLM_READ_MANY, 1, 0, HLM_REFS, 13},
        {HLM_CLOSE, 0, 0, 0, 0}, {HLM_SLOT_DROP, 1, 0, 0, 0}),
    /* deep drop glue */
    SEQ("a 100,000-node list dropped", HLM_OK, {HLM_LIST, 2, 0, 0, 107}, {HLM_NTH, 3, 2, 0, 199},
        {HLM_DROP, 2, 0, 0, 0}),
    SEQ("dropping a 100,000-node list while its 9,999th node is borrowed", HLM_DROP_BORROWED, {HLM_LIST, 2, 0, 0, 107},
        {HLM_NTH, 3, 2, 0, 202}, {HLM_NTH, 3, 3, 0, 202}, {HLM_READ, 3, 0, HLM_NODE, 0}, {HLM_DROP, 2, 0, 0, 0}),
    /* found by the model-based tests (shrunk): a resize relocated a buffer into a slot vacated
    ** with one generation left, and pushed its generation past the limit (owned then took it for
    ** a stack object and did not count it as a leak) */
    SEQ("a resize that relocates into a nearly spent slot", HLM_OK, {HLM_NEW_REFS, 3, 1, 199, 3},
        {HLM_COPY, 4, 3, 89, 128}, {HLM_AGE, 4, 0, 54, 1}, {HLM_NEW_BYTES, 6, 1, 8, 254}, {HLM_COPY, 5, 4, 228, 72},
        {HLM_AGE, 6, 2, 199, 0}, {HLM_DROP, 5, 3, 188, 203}, {HLM_RESIZE, 6, 2, 165, 16}),
    /* found by the model-based tests (shrunk): a stale handle of a dropped buffer, kept in a
    ** refs buffer, was taken for a handle of the Pair later relocated out of the same slot */
    SEQ("a stale element whose slot's later object was relocated", HLM_DOUBLE_DROP, {HLM_NEW_BYTES, 5, 2, 0, 169},
        {HLM_NEW_REFS, 3, 5, 216, 15}, {HLM_NEW, 4, 5, 177, 242}, {HLM_COPY, 2, 3, 243, 8}, {HLM_TAKE, 0, 2, 146, 163},
        {HLM_TAKE, 3, 0, 121, 211}, {HLM_WRITE, 3, 2, 107, 103}, {HLM_READ, 4, 5, 97, 247}, {HLM_CLOSE, 5, 3, 241, 134},
        {HLM_B_STORE, 5, 0, 221, 82}, {HLM_CLOSE, 2, 4, 69, 150}, {HLM_AGE, 5, 2, 77, 1}, {HLM_DROP, 5, 0, 237, 154},
        {HLM_NEW, 5, 0, 6, 235}, {HLM_TAKE, 6, 5, 250, 40}, {HLM_MOVE, 7, 3, 142, 31}, {HLM_COPY, 0, 7, 123, 236},
        {HLM_DROP, 0, 6, 209, 89}),
    SEQ("a stale handle of a slot's earlier object, after the later one was relocated", HLM_DOUBLE_DROP,
        {HLM_NEW, 0, 0, HLM_NODE, 0}, {HLM_COPY, 1, 0, 0, 0}, {HLM_DROP, 0, 0, 0, 0}, {HLM_NEW, 2, 0, HLM_NODE, 0},
        {HLM_AGE, 2, 0, 0, 0}, {HLM_MOVE, 3, 2, 0, 0}, {HLM_DROP, 1, 0, 0, 0}),
    /* stack objects and regions: corners of the contract */
    SEQ("a copy of a stack object's handle in an owned field: the owner's drop reaches it", HLM_CANNOT_MOVE,
        {HLM_LOCAL, 0, 0, HLM_LEAF, 0}, {HLM_NEW, 1, 0, HLM_NODE, 0}, {HLM_WRITE, 1, 0, HLM_NODE, 0},
        {HLM_B_STORE, 0, 0, 0, 0}, {HLM_CLOSE, 0, 0, 0, 0}, {HLM_DROP, 1, 0, 0, 0}),
    SEQ("a stack object's handle dropped after its block", HLM_SCOPE_END, {HLM_LOCAL, 0, 0, 4, 2},
        {HLM_SET, 0, 0, 9, 63}, {HLM_CLOSE, 0, 0, 0, 0}, {HLM_DROP, 0, 0, 0, 0}),
    SEQ("a stack Pair's owned fields are dropped at the end of its block", HLM_OK, {HLM_LOCAL, 0, 0, HLM_PAIR, 0},
        {HLM_NEW_BYTES, 1, 0, 0, 5}, {HLM_WRITE, 0, 0, HLM_PAIR, 0}, {HLM_B_PUT, 1, 0, 1, 0}, {HLM_CLOSE, 0, 0, 0, 0},
        {HLM_CLOSE, 0, 0, 0, 0}),
    /* HL_LOCAL_REFS (LOCAL of kind HLM_REFS; n 1 is 1 element, 2 is 4, 3 is 16): elements are
    ** owned fields, dropped first to last when the block ends. Element 0 holds a stale handle
    ** and element 1 a copy of a stack object's handle: the first is the one reported */
    SEQ("a stack refs buffer's elements are dropped first to last at the end of its block", HLM_DOUBLE_DROP,
        {HLM_LOCAL, 0, 0, HLM_LEAF, 0}, {HLM_NEW, 2, 0, HLM_LEAF, 0}, {HLM_COPY, 3, 2, 0, 0}, {HLM_DROP, 2, 0, 0, 0},
        {HLM_LOCAL, 1, 0, HLM_REFS, 2}, {HLM_WRITE, 1, 0, HLM_REFS, 0}, {HLM_B_STORE, 3, 0, 0, 0},
        {HLM_B_STORE, 0, 0, 1, 0}, {HLM_CLOSE, 0, 0, 0, 0}, {HLM_CLOSE, 0, 0, 0, 0}),
    SEQ("a stack refs buffer's element names a borrowed object when its block ends", HLM_DROP_BORROWED,
        {HLM_NEW, 0, 0, HLM_PAIR, 0}, {HLM_READ, 0, 0, HLM_PAIR, 0}, {HLM_LOCAL, 1, 0, HLM_REFS, 1},
        {HLM_WRITE, 1, 0, HLM_REFS, 0}, {HLM_B_STORE, 0, 0, 0, 0}, {HLM_CLOSE, 0, 0, 0, 0}, {HLM_CLOSE, 0, 0, 0, 0}),
    SEQ("a stack refs buffer owns what is moved into it; what is taken out outlives it", HLM_OK,
        {HLM_LOCAL, 0, 0, HLM_REFS, 3}, {HLM_NEW, 1, 0, HLM_PAIR, 0}, {HLM_SLOT_IN, 0, 1, 0, 15}, {HLM_LIST, 2, 0, 0, 9},
        {HLM_SLOT_IN, 0, 2, 0, 0}, {HLM_LEN, 0, 0, 0, 0}, {HLM_REF_AT, 3, 0, 0, 15}, {HLM_READ, 3, 0, HLM_PAIR, 0},
        {HLM_CLOSE, 0, 0, 0, 0}, {HLM_SLOT_TAKE, 4, 0, 0, 0}, {HLM_CLOSE, 0, 0, 0, 0}),
    SEQ("a stack refs buffer cannot be resized", HLM_CANNOT_MOVE, {HLM_LOCAL, 0, 0, HLM_REFS, 2},
        {HLM_RESIZE, 0, 0, 0, 8}),
    SEQ("ending a region twice, and an outer one after it", HLM_OK, {HLM_REGION_BEGIN, 0, 0, 0, 0},
        {HLM_REGION_BEGIN, 0, 0, 0, 0}, {HLM_NEW, 0, 0, HLM_BIG, 0}, {HLM_DROP, 0, 0, 0, 0},
        {HLM_REGION_END, 0, 1, 0, 0}, {HLM_REGION_END, 0, 1, 0, 0}, {HLM_REGION_END, 0, 0, 0, 0},
        {HLM_REGION_END, 0, 1, 0, 0}),
    SEQ("a buffer resized inside a region belongs to it", HLM_REGION_LIVE, {HLM_NEW_BYTES, 0, 0, 0, 4},
        {HLM_REGION_BEGIN, 0, 0, 0, 0}, {HLM_RESIZE, 0, 0, 0, 9}, {HLM_REGION_END, 0, 0, 0, 0}),
    SEQ("ending an outer region checks the inner region's objects", HLM_REGION_LIVE, {HLM_REGION_BEGIN, 0, 0, 0, 0},
        {HLM_REGION_BEGIN, 0, 0, 0, 0}, {HLM_LIST, 3, 0, 0, 20}, {HLM_REGION_END, 0, 0, 0, 0}),
    {0, 0, 0, HLM_OK},
};
