// bench/peers/rust/graph_arena.rs: the Rust peer of programs/graph_arena.c.
//
// Idiomatic Rust: the arena is a Vec<Option<Node>> indexed with bounds checks (the refs buffer
// of node handles; None for a free slot instead of HL_NULL, and the nodes live in the Vec
// itself rather than one heap object each), edges are u32 indices into it, each node's
// out-edges are a Vec<u32> that grows by itself and is shrunk with shrink_to (the bytes buffer
// with nedges, cap and hl_resize), the BFS's distances, queue and the free-slot stack are Vecs,
// and removing a node sets its slot to None, which frees its edge list. Pruning cannot read the
// arena while it mutably borrows a node's edges, so it first takes a snapshot of which slots
// are live (a Vec<bool>) and then prunes every node with `retain`, the usual Rust answer to
// that aliasing. The same draws in the same order, output lines and checksum line.
#[path = "common.rs"]
mod common;

use common::{mix, Rng, Spec, CHECK_INIT};

const ROUNDS: u32 = 8;
const MAX_DEGREE: u64 = 16;
const UNSEEN: u32 = u32::MAX;

struct Node {
    edges: Vec<u32>,
    weight: u64,
}

struct Graph {
    arena: Vec<Option<Node>>,
}

impl Graph {
    fn n(&self) -> u64 {
        self.arena.len() as u64
    }

    fn random_live(&self, rng: &mut Rng) -> u32 {
        loop {
            let i = rng.below(self.n()) as u32;
            if self.arena[i as usize].is_some() {
                return i;
            }
        }
    }

    fn node_mut(&mut self, i: u32) -> &mut Node {
        self.arena[i as usize].as_mut().expect("an edge starts at a live node")
    }

    /// Place a new node in slot i (which is free) with out-edges to random live nodes (or to
    /// any slot while the graph is being built).
    fn new_node(&mut self, i: u32, rng: &mut Rng, targets_live: bool) {
        let weight = 1 + rng.below(1000);
        self.arena[i as usize] = Some(Node { edges: Vec::new(), weight });
        let deg = rng.pow(MAX_DEGREE);
        for _ in 0..deg {
            let to = if targets_live { self.random_live(rng) } else { rng.below(self.n()) as u32 };
            self.node_mut(i).edges.push(to);
        }
    }

    /// BFS from src: folds (nodes reached, sum of distances, reached weight) into sum and
    /// returns the number of nodes reached.
    fn bfs(&self, src: u32, sum: &mut u64) -> u64 {
        let mut dist = vec![UNSEEN; self.arena.len()];
        let mut queue: Vec<u32> = Vec::with_capacity(self.arena.len());
        dist[src as usize] = 0;
        queue.push(src);
        let (mut head, mut dsum, mut wsum) = (0, 0u64, 0u64);
        while head < queue.len() {
            let u = queue[head] as usize;
            head += 1;
            let du = dist[u];
            dsum += du as u64;
            let node = self.arena[u].as_ref().expect("an edge points at a live node");
            wsum += node.weight;
            for &v in &node.edges {
                if dist[v as usize] == UNSEEN {
                    dist[v as usize] = du + 1;
                    queue.push(v);
                }
            }
        }
        let reached = queue.len() as u64;
        *sum = mix(*sum, reached);
        *sum = mix(*sum, dsum);
        *sum = mix(*sum, wsum);
        reached
    }

    /// Drop edges to removed nodes; shrink lists that fell below a quarter of their capacity.
    fn prune_edges(&mut self) -> u64 {
        let live: Vec<bool> = self.arena.iter().map(Option::is_some).collect();
        let mut pruned = 0;
        for node in self.arena.iter_mut().flatten() {
            let before = node.edges.len();
            node.edges.retain(|&t| live[t as usize]);
            pruned += (before - node.edges.len()) as u64;
            let cap = node.edges.capacity();
            if cap > 4 && node.edges.len() < cap / 4 {
                node.edges.shrink_to(cap / 2);
            }
        }
        pruned
    }
}

fn main() {
    let spec = Spec {
        name: "graph_arena",
        about: "a graph in an owned node arena with index edges: BFS, removal",
        what: "number of nodes",
        dflt: 250000,
        min: 2,
        max: 10000000,
    };
    let n = spec.size_arg() as u32;
    let mut rng = Rng::new(0x96a9);
    let (mut sum, mut removed, mut pruned, mut reached) = (CHECK_INIT, 0u64, 0u64, 0u64);
    let mut g = Graph { arena: Vec::new() };
    g.arena.resize_with(n as usize, || None);
    for i in 0..n {
        g.new_node(i, &mut rng, false);
    }
    let mut free: Vec<u32> = Vec::with_capacity(n as usize);
    for _ in 0..ROUNDS {
        let src = g.random_live(&mut rng);
        reached += g.bfs(src, &mut sum);
        // Remove a fifth of the live nodes.
        let kill = n / 5;
        for _ in 0..kill {
            let i = g.random_live(&mut rng);
            g.arena[i as usize] = None;
            free.push(i);
        }
        removed += kill as u64;
        pruned += g.prune_edges();
        // Refill the freed slots, most recently freed first.
        while let Some(i) = free.pop() {
            g.new_node(i, &mut rng, true);
            for _ in 0..2 {
                let from = g.random_live(&mut rng);
                g.node_mut(from).edges.push(i);
            }
        }
    }
    let src = g.random_live(&mut rng);
    reached += g.bfs(src, &mut sum);
    let mut edges = 0u64;
    for node in &g.arena {
        let node = node.as_ref().expect("every slot is refilled");
        edges += node.edges.len() as u64;
        sum = mix(sum, node.edges.len() as u64 ^ node.weight);
    }
    println!(
        "{} nodes, {} rounds: {} removed, {} edges pruned, {} edges at the end, {} reached in BFS",
        n, ROUNDS, removed, pruned, edges, reached
    );
    sum = mix(sum, removed);
    sum = mix(sum, pruned);
    sum = mix(sum, edges);
    drop(g);
    drop(free);
    spec.print_checksum(n as i64, sum);
}
