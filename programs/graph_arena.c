/*
** graph_arena: a mutable directed graph with shared and cyclic edges.
**
** Models the data structures that single ownership cannot express as a tree (dependency
** graphs, scene graphs, social graphs, compiler CFGs), written the way idiomatic Rust writes
** them: one owned arena of nodes (a refs buffer; a free slot is HL_NULL) and edges as plain
** indices into it, so a node may be the target of many edges and cycles are harmless. Each
** node owns its out-edge list, a vector of 32-bit indices (hl_vec: Vec<u32>). Loops over the
** arena, an edge list or the BFS's arrays borrow them once as slices and index the slices
** (HL_AT: a bounds check), as Rust's `for &v in &node.edges` and `dist[v]` do.
**
** The run: build N nodes with power-law out-degrees (1..16 edges, uniform random targets,
** self-loops and duplicates allowed), then 8 rounds of
**   1. a breadth-first search from a random live node (distance sums, reached weight);
**   2. removing 20 % of the live nodes at random (dropping them frees their edge lists), then
**      pruning every edge that pointed at a removed node and shrinking edge lists that fell
**      below a quarter of their capacity;
**   3. re-adding as many nodes in the freed slots, each with fresh out-edges and two in-edges
**      from random live nodes.
** A final BFS ends the run.
**
** Allocation pattern: a large long-lived population of small objects with variable-sized
** side buffers, scattered removals and reuse of their slots (an arena with holes), and
** in-place growth and shrinking of many buffers; pointer-chasing reads for the BFS.
**
** Regions: each BFS is a region (its distance and queue arrays are dropped when bfs returns).
** The rest is not LIFO: removed nodes die in random order, their slots are refilled, and
** edge lists grow and shrink for the whole run, so it stays outside any region; the region
** runtime reclaims none of it (neither removed nodes nor the buffers a resize replaced). No
** stack objects: the BFS arrays are sized by the node count at run time, which a stack object
** cannot be (its size is fixed at compile time); the Graph is a plain struct on main's stack.
**
** Size argument: the number of nodes (default 250000).
*/
#include "heaplab.h"
#include "hl_prog.h"
#include "hlp_util.h"

#include <stdio.h>

typedef struct GNode {
    hl_vec   edges;    /* owned: uint32 target indices */
    uint64_t weight;
} GNode;
HL_TYPE(GNode, edges.buf);

enum { ROUNDS = 8, MAX_DEGREE = 16 };
#define UNSEEN UINT32_MAX

typedef struct Graph {
    hl_ref   arena;    /* owned refs buffer of n node slots */
    hl_vec   free;     /* owned: stack of free slot indices (uint32) */
    uint32_t n;
} Graph;

static uint32_t random_live(const Graph *g, hlp_rng *rng) {
    HL_READ_SLICE(hl_ref, arena, g->arena);
    for (;;) {
        uint32_t i = (uint32_t)hlp_rng_below(rng, g->n);
        if (!hl_is_null(HL_AT(arena, i))) return i;
    }
}

static void add_edge(Graph *g, uint32_t from, uint32_t to) {
    HL_WRITE(GNode, w, hl_ref_at(g->arena, from));
    HL_VEC_PUSH(uint32_t, &w->edges, to);
}

/* Place a new node in slot i (which is free) with out-edges to random live nodes (or to
** itself while it is the only one). */
static void new_node(Graph *g, uint32_t i, hlp_rng *rng, bool targets_live) {
    hl_ref node = hl_new(&GNode_type);
    {
        HL_WRITE(GNode, w, node);
        w->weight = 1 + hlp_rng_below(rng, 1000);
    }
    *hl_slot(g->arena, i) = hl_move(&node);
    /* The node is borrowed once for all its edges: drawing a target reads only the arena. */
    HL_WRITE(GNode, w, hl_ref_at(g->arena, i));
    uint64_t deg = hlp_rng_pow(rng, MAX_DEGREE);
    for (uint64_t k = 0; k < deg; k++)
        HL_VEC_PUSH(uint32_t, &w->edges, targets_live ? random_live(g, rng) : (uint32_t)hlp_rng_below(rng, g->n));
}

/* BFS from src: folds (nodes reached, sum of distances, reached weight) into *sum. */
static uint64_t bfs(const Graph *g, uint32_t src, uint64_t *sum) {
    /* dist is filled below; queue is read only where it was written (head < tail) */
    HL_OWNED hl_ref dist = hl_new_bytes_uninit(4 * (size_t)g->n);
    HL_OWNED hl_ref queue = hl_new_bytes_uninit(4 * (size_t)g->n);
    HL_READ_SLICE(hl_ref, arena, g->arena);
    HL_WRITE_SLICE(uint32_t, d, dist);
    HL_WRITE_SLICE(uint32_t, q, queue);
    for (size_t i = 0; i < d.len; i++) HL_AT(d, i) = UNSEEN;
    size_t head = 0, tail = 0;
    HL_AT(d, src) = 0;
    HL_AT(q, tail++) = src;
    uint64_t dsum = 0, wsum = 0;
    while (head < tail) {
        uint32_t u = HL_AT(q, head++), du = HL_AT(d, u);
        dsum += du;
        HL_READ(GNode, node, HL_AT(arena, u));
        wsum += node->weight;
        HL_READ_VEC(uint32_t, e, &node->edges);
        for (size_t k = 0; k < e.len; k++) {
            uint32_t v = HL_AT(e, k);
            if (HL_AT(d, v) == UNSEEN) {
                HL_AT(d, v) = du + 1;
                HL_AT(q, tail++) = v;
            }
        }
    }
    *sum = hlp_mix(*sum, tail);
    *sum = hlp_mix(*sum, dsum);
    *sum = hlp_mix(*sum, wsum);
    return tail;
}

/* Drop edges to removed nodes (Rust's retain); shrink lists that fell below a quarter of
** their capacity. The arena is borrowed shared for the whole walk, each node exclusively. */
static uint64_t prune_edges(Graph *g) {
    uint64_t pruned = 0;
    HL_READ_SLICE(hl_ref, arena, g->arena);
    for (size_t i = 0; i < arena.len; i++) {
        hl_ref h = HL_AT(arena, i);
        if (hl_is_null(h)) continue;
        HL_WRITE(GNode, w, h);
        size_t kept = 0, nedges = hl_vec_len(&w->edges);
        {
            HL_WRITE_VEC(uint32_t, e, &w->edges);
            for (size_t k = 0; k < e.len; k++) {
                uint32_t t = HL_AT(e, k);
                if (!hl_is_null(HL_AT(arena, t))) HL_AT(e, kept++) = t;
            }
        }
        HL_VEC_TRUNCATE(uint32_t, &w->edges, kept);
        pruned += nedges - kept;
        size_t cap = HL_VEC_CAP(uint32_t, &w->edges);
        if (cap > 4 && kept < cap / 4) HL_VEC_SHRINK_TO(uint32_t, &w->edges, cap / 2);
    }
    return pruned;
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"graph_arena", "a graph in an owned node arena with index edges: BFS, removal",
                                  "number of nodes", 250000, 2, 10000000};
    uint32_t n = (uint32_t)hlp_size_arg(&spec, argc, argv);
    hl_init();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0x96a9);
    uint64_t sum = HLP_CHECK_INIT, removed = 0, pruned = 0, reached = 0;
    Graph g = {hl_new_refs(n), HL_VEC_WITH_CAPACITY(uint32_t, n), n};
    for (uint32_t i = 0; i < n; i++) new_node(&g, i, &rng, false);
    for (int round = 0; round < ROUNDS; round++) {
        hl_region search = hl_region_begin();
        reached += bfs(&g, random_live(&g, &rng), &sum);
        hl_region_end(search);
        /* Remove a fifth of the live nodes. */
        uint32_t kill = g.n / 5;
        for (uint32_t k = 0; k < kill; k++) {
            uint32_t i = random_live(&g, &rng);
            hl_drop(hl_slot(g.arena, i));
            HL_VEC_PUSH(uint32_t, &g.free, i);
        }
        removed += kill;
        pruned += prune_edges(&g);
        /* Refill the freed slots, most recently freed first. */
        while (hl_vec_len(&g.free) > 0) {
            uint32_t i = HL_VEC_POP(uint32_t, &g.free);
            new_node(&g, i, &rng, true);
            for (int k = 0; k < 2; k++) add_edge(&g, random_live(&g, &rng), i);
        }
    }
    hl_region search = hl_region_begin();
    reached += bfs(&g, random_live(&g, &rng), &sum);
    hl_region_end(search);
    uint64_t edges = 0;
    {
        HL_READ_SLICE(hl_ref, arena, g.arena);
        for (size_t i = 0; i < arena.len; i++) {
            HL_READ(GNode, r, HL_AT(arena, i));
            uint64_t nedges = hl_vec_len(&r->edges);
            edges += nedges;
            sum = hlp_mix(sum, nedges ^ r->weight);
        }
    }
    printf("%u nodes, %d rounds: %llu removed, %llu edges pruned, %llu edges at the end, %llu reached in BFS\n", n,
           ROUNDS, (unsigned long long)removed, (unsigned long long)pruned, (unsigned long long)edges,
           (unsigned long long)reached);
    sum = hlp_mix(sum, removed);
    sum = hlp_mix(sum, pruned);
    sum = hlp_mix(sum, edges);
    hl_drop(&g.arena);
    hl_drop(&g.free.buf);
    hlp_print_checksum(&spec, (long long)n, sum);
    return hl_shutdown() == 0 ? 0 : 1;
}
