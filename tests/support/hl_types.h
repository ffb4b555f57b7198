/*
** tests/support/hl_types.h: the object types the runtime suites share: a list node (one owned
** field), a leaf (none) and a pair (two). Each suite is one translation unit, so defining the
** descriptors here gives each test binary exactly one of each. A helper that makes a node goes
** with them. Suites that need other shapes (rt_conformance's padded leaf and mixed pair,
** owned_slices' node with a vector) declare their own.
*/
#ifndef HL_TYPES_H
#define HL_TYPES_H

#include "heaplab.h"

typedef struct Node {   /* a singly linked list */
    int64_t val;
    hl_ref  next;
} Node;
HL_TYPE(Node, next);

typedef struct Leaf {   /* owns nothing */
    int64_t v;
} Leaf;
HL_TYPE(Leaf);

typedef struct Pair {   /* two owned fields */
    hl_ref first, second;
} Pair;
HL_TYPE(Pair, first, second);

/* A new node holding v. A diagnostic raised inside it names this file: the suites mark the
** calls they check in their own code. */
static inline hl_ref node(int64_t v) {
    hl_ref n = hl_new(&Node_type);
    HL_WRITE(Node, p, n);
    p->val = v;
    return n;
}

#endif
