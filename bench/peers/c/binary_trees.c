/*
** bench/peers/c/binary_trees.c: the plain C peer of programs/binary_trees.c (GCBench's shape:
** many short-lived binary trees and one long-lived tree), written as a C programmer would
** write it without heaplab.
**
** Idioms: a node is a typed struct of two raw child pointers (both NULL in a leaf), allocated
** with peer_new (malloc, or GC_MALLOC in the c+gc build) and both fields set at once. A tree is
** freed by a recursive, type-specific tree_free, as Boehm's GCBench frees it; in the c+gc build
** that walk is skipped and the collector reclaims the dropped trees. Each tree is freed at the
** point where the API program drops it: the stretch tree before the long-lived one is built,
** every short-lived tree right after its check, the long-lived tree at the end.
**
** Size argument: the maximum tree depth (default 18), as programs/binary_trees.c.
*/
#include "hl_prog.h"
#include "peer.h"

#include <stdio.h>

typedef struct Node {
    struct Node *left, *right;   /* owned children; both NULL in a leaf */
} Node;

static Node *tree_new(int depth) {
    Node *n = peer_new(sizeof *n);
    if (depth > 0) {
        n->left = tree_new(depth - 1);
        n->right = tree_new(depth - 1);
    } else {
        n->left = n->right = NULL;
    }
    return n;
}

static uint64_t tree_check(const Node *n) {
    if (!n->left) return 1;
    return 1 + tree_check(n->left) + tree_check(n->right);
}

static void tree_free(Node *n) {
    if (!PEER_FREES) return;   /* c+gc: the collector reclaims the whole tree */
    if (n->left) {
        tree_free(n->left);
        tree_free(n->right);
    }
    peer_free(n);
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"binary_trees", "many short-lived binary trees and one long-lived tree",
                                  "maximum tree depth", 18, 4, 26};
    int max_depth = (int)hlp_size_arg(&spec, argc, argv);
    uint64_t sum = HLP_CHECK_INIT;
    peer_init();

    Node *stretch = tree_new(max_depth + 1);
    uint64_t c = tree_check(stretch);
    tree_free(stretch);
    printf("stretch tree of depth %d\t check: %llu\n", max_depth + 1, (unsigned long long)c);
    sum = hlp_mix(sum, c);

    Node *long_lived = tree_new(max_depth);
    for (int d = 4; d <= max_depth; d += 2) {
        uint64_t iterations = 1ULL << (max_depth - d + 4);
        c = 0;
        for (uint64_t i = 0; i < iterations; i++) {
            Node *t = tree_new(d);
            c += tree_check(t);
            tree_free(t);
        }
        printf("%llu\t trees of depth %d\t check: %llu\n", (unsigned long long)iterations, d,
               (unsigned long long)c);
        sum = hlp_mix(sum, c);
    }
    c = tree_check(long_lived);
    printf("long lived tree of depth %d\t check: %llu\n", max_depth, (unsigned long long)c);
    sum = hlp_mix(sum, c);
    tree_free(long_lived);

    hlp_print_checksum(&spec, max_depth, sum);
    return 0;
}
