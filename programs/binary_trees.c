/*
** binary_trees: many short-lived uniform objects and one long-lived tree.
**
** The benchmarks-game shape of GCBench (Ellis, Kovac, Boehm). For a maximum depth N:
**   1. build and check a "stretch" tree of depth N+1, then drop it;
**   2. build a long-lived tree of depth N, kept until the end;
**   3. for d = 4, 6, ..., N: build 2^(N-d+4) trees of depth d bottom-up, check each, drop it;
**   4. check the long-lived tree and drop it.
** "Check" counts the nodes of a tree. Every node is the same 16-byte object with two owned
** children; lifetimes are LIFO (whole trees die at once), the easy case for malloc and the
** case a generational or bump allocator loves.
**
** Regions: the stretch tree and every short-lived tree of step 3 is a region of its own (the
** tree is dropped, then its region ends), so the region runtime reuses one tree's memory for
** the next. The long-lived tree is allocated outside any region. No stack objects: every
** node is a heap object.
**
** Size argument: N, the maximum tree depth (default 18).
*/
#include "heaplab.h"
#include "hl_prog.h"

#include <stdio.h>

typedef struct Node {
    hl_ref left, right;   /* owned children; both HL_NULL in a leaf */
} Node;
HL_TYPE(Node, left, right);

static hl_ref tree_new(int depth) {
    hl_ref node = hl_new(&Node_type);
    if (depth > 0) {
        HL_WRITE(Node, n, node);
        n->left = tree_new(depth - 1);
        n->right = tree_new(depth - 1);
    }
    return node;
}

static uint64_t tree_check(hl_ref node) {
    HL_READ(Node, n, node);
    if (hl_is_null(n->left)) return 1;
    return 1 + tree_check(n->left) + tree_check(n->right);
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"binary_trees", "many short-lived binary trees and one long-lived tree",
                                  "maximum tree depth", 18, 4, 26};
    int max_depth = (int)hlp_size_arg(&spec, argc, argv);
    uint64_t sum = HLP_CHECK_INIT;
    hl_init();
    {
        hl_region stretch_region = hl_region_begin();
        hl_ref stretch = tree_new(max_depth + 1);
        uint64_t c = tree_check(stretch);
        hl_drop(&stretch);
        hl_region_end(stretch_region);
        printf("stretch tree of depth %d\t check: %llu\n", max_depth + 1, (unsigned long long)c);
        sum = hlp_mix(sum, c);
    }
    HL_OWNED hl_ref long_lived = tree_new(max_depth);
    for (int d = 4; d <= max_depth; d += 2) {
        uint64_t iterations = 1ULL << (max_depth - d + 4), c = 0;
        for (uint64_t i = 0; i < iterations; i++) {
            hl_region tree_region = hl_region_begin();
            hl_ref t = tree_new(d);
            c += tree_check(t);
            hl_drop(&t);
            hl_region_end(tree_region);
        }
        printf("%llu\t trees of depth %d\t check: %llu\n", (unsigned long long)iterations, d,
               (unsigned long long)c);
        sum = hlp_mix(sum, c);
    }
    uint64_t c = tree_check(long_lived);
    printf("long lived tree of depth %d\t check: %llu\n", max_depth, (unsigned long long)c);
    sum = hlp_mix(sum, c);
    hl_drop(&long_lived);
    hlp_print_checksum(&spec, max_depth, sum);
    return hl_shutdown() == 0 ? 0 : 1;
}
