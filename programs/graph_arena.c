/*
** graph_arena: a mutable directed graph with shared and cyclic edges.
**
** Models the data structures that single ownership cannot express as a tree (dependency
** graphs, scene graphs, social graphs, compiler CFGs), written the way idiomatic Rust writes
** them: one owned arena of nodes (a refs buffer; a free slot is HL_NULL) and edges as plain
** indices into it, so a node may be the target of many edges and cycles are harmless. Each
** node owns its out-edge list (a bytes buffer of 32-bit indices that doubles with hl_resize).
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
    hl_ref   edges;    /* owned bytes: cap uint32 target indices, the first nedges used */
    uint32_t nedges, cap;
    uint64_t weight;
} GNode;
HL_TYPE(GNode, edges);

enum { ROUNDS = 8, MAX_DEGREE = 16 };
#define UNSEEN UINT32_MAX

typedef struct Graph {
    hl_ref   arena;    /* owned refs buffer of n node slots */
    hl_ref   free;     /* owned bytes: stack of nfree free slot indices (uint32) */
    uint32_t n, nfree;
} Graph;

static bool live(const Graph *g, uint32_t i) { return !hl_is_null(hl_ref_at(g->arena, i)); }

static uint32_t random_live(const Graph *g, hlp_rng *rng) {
    for (;;) {
        uint32_t i = (uint32_t)hlp_rng_below(rng, g->n);
        if (live(g, i)) return i;
    }
}

static void add_edge(Graph *g, uint32_t from, uint32_t to) {
    HL_WRITE(GNode, w, hl_ref_at(g->arena, from));
    if (w->nedges == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 2;
        hl_resize(&w->edges, 4 * (size_t)w->cap);
    }
    HL_WRITE_BYTES(e, w->edges);
    hlp_put_u32(e, w->nedges++, to);
}

/* Place a new node in slot i (which is free) with out-edges to random live nodes (or to
** itself while it is the only one). */
static void new_node(Graph *g, uint32_t i, hlp_rng *rng, bool targets_live) {
    hl_ref node = hl_new(&GNode_type);
    {
        hl_ref edges = hl_new_bytes(0);
        HL_WRITE(GNode, w, node);
        w->edges = hl_move(&edges);
        w->weight = 1 + hlp_rng_below(rng, 1000);
    }
    *hl_slot(g->arena, i) = hl_move(&node);
    uint64_t deg = hlp_rng_pow(rng, MAX_DEGREE);
    for (uint64_t k = 0; k < deg; k++)
        add_edge(g, i, targets_live ? random_live(g, rng) : (uint32_t)hlp_rng_below(rng, g->n));
}

/* BFS from src: folds (nodes reached, sum of distances, reached weight) into *sum. */
static uint64_t bfs(const Graph *g, uint32_t src, uint64_t *sum) {
    HL_OWNED hl_ref dist = hl_new_bytes(4 * (size_t)g->n), queue = hl_new_bytes(4 * (size_t)g->n);
    HL_WRITE_BYTES(d, dist);
    HL_WRITE_BYTES(q, queue);
    for (uint32_t i = 0; i < g->n; i++) hlp_put_u32(d, i, UNSEEN);
    size_t head = 0, tail = 0;
    hlp_put_u32(d, src, 0);
    hlp_put_u32(q, tail++, src);
    uint64_t dsum = 0, wsum = 0;
    while (head < tail) {
        uint32_t u = hlp_get_u32(q, head++), du = hlp_get_u32(d, u);
        dsum += du;
        HL_READ(GNode, node, hl_ref_at(g->arena, u));
        wsum += node->weight;
        HL_READ_BYTES(e, node->edges);
        for (uint32_t k = 0; k < node->nedges; k++) {
            uint32_t v = hlp_get_u32(e, k);
            if (hlp_get_u32(d, v) == UNSEEN) {
                hlp_put_u32(d, v, du + 1);
                hlp_put_u32(q, tail++, v);
            }
        }
    }
    *sum = hlp_mix(*sum, tail);
    *sum = hlp_mix(*sum, dsum);
    *sum = hlp_mix(*sum, wsum);
    return tail;
}

/* Drop edges to removed nodes; shrink lists that fell below a quarter of their capacity. */
static uint64_t prune_edges(Graph *g) {
    uint64_t pruned = 0;
    for (uint32_t i = 0; i < g->n; i++) {
        hl_ref h = hl_ref_at(g->arena, i);
        if (hl_is_null(h)) continue;
        HL_WRITE(GNode, w, h);
        {
            HL_WRITE_BYTES(e, w->edges);
            uint32_t kept = 0;
            for (uint32_t k = 0; k < w->nedges; k++) {
                uint32_t t = hlp_get_u32(e, k);
                if (live(g, t)) hlp_put_u32(e, kept++, t);
            }
            pruned += w->nedges - kept;
            w->nedges = kept;
        }
        if (w->cap > 4 && w->nedges < w->cap / 4) {
            w->cap /= 2;
            hl_resize(&w->edges, 4 * (size_t)w->cap);
        }
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
    Graph g = {hl_new_refs(n), hl_new_bytes(4 * (size_t)n), n, 0};
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
            HL_WRITE_BYTES(f, g.free);
            hlp_put_u32(f, g.nfree++, i);
        }
        removed += kill;
        pruned += prune_edges(&g);
        /* Refill the freed slots, most recently freed first. */
        while (g.nfree > 0) {
            uint32_t i;
            {
                HL_READ_BYTES(f, g.free);
                i = hlp_get_u32(f, --g.nfree);
            }
            new_node(&g, i, &rng, true);
            for (int k = 0; k < 2; k++) add_edge(&g, random_live(&g, &rng), i);
        }
    }
    hl_region search = hl_region_begin();
    reached += bfs(&g, random_live(&g, &rng), &sum);
    hl_region_end(search);
    uint64_t edges = 0;
    for (uint32_t i = 0; i < g.n; i++) {
        HL_READ(GNode, r, hl_ref_at(g.arena, i));
        edges += r->nedges;
        sum = hlp_mix(sum, r->nedges ^ r->weight);
    }
    printf("%u nodes, %d rounds: %llu removed, %llu edges pruned, %llu edges at the end, %llu reached in BFS\n", n,
           ROUNDS, (unsigned long long)removed, (unsigned long long)pruned, (unsigned long long)edges,
           (unsigned long long)reached);
    sum = hlp_mix(sum, removed);
    sum = hlp_mix(sum, pruned);
    sum = hlp_mix(sum, edges);
    hl_drop(&g.arena);
    hl_drop(&g.free);
    hlp_print_checksum(&spec, (long long)n, sum);
    return hl_shutdown() == 0 ? 0 : 1;
}
