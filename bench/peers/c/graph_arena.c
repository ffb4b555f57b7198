/*
** bench/peers/c/graph_arena.c: the plain C peer of programs/graph_arena.c (a mutable directed
** graph with shared and cyclic edges: build, then rounds of BFS, random removal with edge
** pruning, and refilling of the freed slots), written as a C programmer would write it
** without heaplab.
**
** Idioms: the graph is an arena of node pointers (a free slot is NULL) with edges as uint32_t
** indices into it, malloc'd with peer_new (the build fills every slot before any is read). Each
** node is a typed struct, allocated with peer_new (malloc, or GC_MALLOC in the c+gc build) and
** filled by a compound literal, that owns its out-edge array, a {edges, nedges, cap} vector of
** indices grown by doubling and shrunk with realloc; index arrays are pointer-free
** (peer_alloc_raw, GC_MALLOC_ATOMIC: the first allocation is not a realloc of NULL, which Boehm
** would make a scanned object). node_free frees a removed node and its edges; the free-slot
** stack and each BFS's distance and queue arrays are plain uint32_t arrays, freed where the API
** program drops them.
**
** Size argument: the number of nodes (default 250000), as programs/graph_arena.c.
*/
#include "hl_prog.h"
#include "hlp_util.h"
#include "peer.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct GNode {
    uint32_t *edges;   /* cap target indices, the first nedges used */
    uint32_t  nedges, cap;
    uint64_t  weight;
} GNode;

enum { ROUNDS = 8, MAX_DEGREE = 16 };
#define UNSEEN UINT32_MAX

typedef struct Graph {
    GNode   **arena;       /* n node slots; NULL is a free slot */
    uint32_t *free_slots;  /* stack of nfree free slot indices */
    uint32_t  n, nfree;
} Graph;

/* Resize a pointer-free block (NULL: a fresh one) to n bytes. */
static void *resize_bytes(void *p, size_t n) { return p ? peer_realloc(p, n) : peer_alloc_raw(n); }

static void node_free(GNode *node) {
    peer_free(node->edges);
    peer_free(node);
}

static bool live(const Graph *g, uint32_t i) { return g->arena[i] != NULL; }

static uint32_t random_live(const Graph *g, hlp_rng *rng) {
    for (;;) {
        uint32_t i = (uint32_t)hlp_rng_below(rng, g->n);
        if (live(g, i)) return i;
    }
}

static void add_edge(GNode *node, uint32_t to) {
    if (node->nedges == node->cap) {
        node->cap = node->cap ? 2 * node->cap : 2;
        node->edges = resize_bytes(node->edges, node->cap * sizeof *node->edges);
    }
    node->edges[node->nedges++] = to;
}

/* Place a new node in slot i (which is free) with out-edges to random live nodes (or to any
** slot while the graph is being built). */
static void new_node(Graph *g, uint32_t i, hlp_rng *rng, bool targets_live) {
    GNode *node = peer_new(sizeof *node);
    *node = (GNode){.edges = NULL, .nedges = 0, .cap = 0, .weight = 1 + hlp_rng_below(rng, 1000)};
    g->arena[i] = node;
    uint64_t deg = hlp_rng_pow(rng, MAX_DEGREE);
    for (uint64_t k = 0; k < deg; k++)
        add_edge(node, targets_live ? random_live(g, rng) : (uint32_t)hlp_rng_below(rng, g->n));
}

/* BFS from src: folds (nodes reached, sum of distances, reached weight) into *sum. */
static uint64_t bfs(const Graph *g, uint32_t src, uint64_t *sum) {
    uint32_t *dist = peer_alloc_raw(g->n * sizeof *dist), *queue = peer_alloc_raw(g->n * sizeof *queue);
    for (uint32_t i = 0; i < g->n; i++) dist[i] = UNSEEN;
    size_t head = 0, tail = 0;
    dist[src] = 0;
    queue[tail++] = src;
    uint64_t dsum = 0, wsum = 0;
    while (head < tail) {
        uint32_t u = queue[head++], du = dist[u];
        const GNode *node = g->arena[u];
        dsum += du;
        wsum += node->weight;
        for (uint32_t k = 0; k < node->nedges; k++) {
            uint32_t v = node->edges[k];
            if (dist[v] == UNSEEN) {
                dist[v] = du + 1;
                queue[tail++] = v;
            }
        }
    }
    peer_free(queue);
    peer_free(dist);
    *sum = hlp_mix(*sum, tail);
    *sum = hlp_mix(*sum, dsum);
    *sum = hlp_mix(*sum, wsum);
    return tail;
}

/* Remove a fifth of the live nodes at random, pushing their slots on the free stack. */
static uint32_t remove_nodes(Graph *g, hlp_rng *rng) {
    uint32_t kill = g->n / 5;
    for (uint32_t k = 0; k < kill; k++) {
        uint32_t i = random_live(g, rng);
        node_free(g->arena[i]);
        g->arena[i] = NULL;
        g->free_slots[g->nfree++] = i;
    }
    return kill;
}

/* Drop edges to removed nodes; shrink lists that fell below a quarter of their capacity. */
static uint64_t prune_edges(Graph *g) {
    uint64_t pruned = 0;
    for (uint32_t i = 0; i < g->n; i++) {
        GNode *node = g->arena[i];
        if (!node) continue;
        uint32_t kept = 0;
        for (uint32_t k = 0; k < node->nedges; k++)
            if (live(g, node->edges[k])) node->edges[kept++] = node->edges[k];
        pruned += node->nedges - kept;
        node->nedges = kept;
        if (node->cap > 4 && node->nedges < node->cap / 4) {
            node->cap /= 2;
            node->edges = peer_realloc(node->edges, node->cap * sizeof *node->edges);
        }
    }
    return pruned;
}

/* Refill the freed slots, most recently freed first, each with two in-edges. */
static void refill(Graph *g, hlp_rng *rng) {
    while (g->nfree > 0) {
        uint32_t i = g->free_slots[--g->nfree];
        new_node(g, i, rng, true);
        for (int k = 0; k < 2; k++) add_edge(g->arena[random_live(g, rng)], i);
    }
}

static void graph_free(Graph *g) {
    for (uint32_t i = 0; i < g->n; i++)
        if (g->arena[i]) node_free(g->arena[i]);
    peer_free(g->arena);
    peer_free(g->free_slots);
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"graph_arena", "a graph in an owned node arena with index edges: BFS, removal",
                                  "number of nodes", 250000, 2, 10000000};
    uint32_t n = (uint32_t)hlp_size_arg(&spec, argc, argv);
    peer_init();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0x96a9);
    uint64_t sum = HLP_CHECK_INIT, removed = 0, pruned = 0, reached = 0;
    Graph g = {peer_new(n * sizeof *g.arena), peer_alloc_raw(n * sizeof *g.free_slots), n, 0};
    for (uint32_t i = 0; i < n; i++) new_node(&g, i, &rng, false);
    for (int round = 0; round < ROUNDS; round++) {
        reached += bfs(&g, random_live(&g, &rng), &sum);
        removed += remove_nodes(&g, &rng);
        pruned += prune_edges(&g);
        refill(&g, &rng);
    }
    reached += bfs(&g, random_live(&g, &rng), &sum);
    uint64_t edges = 0;
    for (uint32_t i = 0; i < g.n; i++) {
        edges += g.arena[i]->nedges;
        sum = hlp_mix(sum, g.arena[i]->nedges ^ g.arena[i]->weight);
    }
    printf("%u nodes, %d rounds: %llu removed, %llu edges pruned, %llu edges at the end, %llu reached in BFS\n", n,
           ROUNDS, (unsigned long long)removed, (unsigned long long)pruned, (unsigned long long)edges,
           (unsigned long long)reached);
    sum = hlp_mix(sum, removed);
    sum = hlp_mix(sum, pruned);
    sum = hlp_mix(sum, edges);
    graph_free(&g);
    hlp_print_checksum(&spec, (long long)n, sum);
    return 0;
}
