// bench/peers/rust/binary_trees.rs: the Rust peer of programs/binary_trees.c.
//
// Idiomatic Rust: each node owns its children as Option<Box<Node>> (Box for hl_new and the
// owned refs, None for HL_NULL), a check borrows the tree (&Node for HL_READ) and a tree is
// freed when its owner goes out of scope (drop for hl_drop). The same tree shapes, output
// lines and checksum line, so `heaplab bench` shows it as the runtime row `rust`.
#[path = "common.rs"]
mod common;

use common::{mix, Spec, CHECK_INIT};

struct Node {
    left: Option<Box<Node>>,
    right: Option<Box<Node>>,
}

fn tree_new(depth: i32) -> Box<Node> {
    if depth > 0 {
        Box::new(Node { left: Some(tree_new(depth - 1)), right: Some(tree_new(depth - 1)) })
    } else {
        Box::new(Node { left: None, right: None })
    }
}

fn tree_check(n: &Node) -> u64 {
    match (&n.left, &n.right) {
        (Some(l), Some(r)) => 1 + tree_check(l) + tree_check(r),
        _ => 1,
    }
}

fn main() {
    let spec = Spec {
        name: "binary_trees",
        about: "many short-lived binary trees and one long-lived tree",
        what: "maximum tree depth",
        dflt: 18,
        min: 4,
        max: 26,
    };
    let max_depth = spec.size_arg() as i32;
    let mut sum = CHECK_INIT;
    let c = {
        let stretch = tree_new(max_depth + 1);
        tree_check(&stretch)
    }; // the stretch tree is dropped here, before the line is printed (as the API program does)
    println!("stretch tree of depth {}\t check: {}", max_depth + 1, c);
    sum = mix(sum, c);
    let long_lived = tree_new(max_depth);
    for d in (4..=max_depth).step_by(2) {
        let iterations: u64 = 1u64 << (max_depth - d + 4);
        let mut c = 0u64;
        for _ in 0..iterations {
            let t = tree_new(d);
            c += tree_check(&t);
        }
        println!("{}\t trees of depth {}\t check: {}", iterations, d, c);
        sum = mix(sum, c);
    }
    let c = tree_check(&long_lived);
    println!("long lived tree of depth {}\t check: {}", max_depth, c);
    sum = mix(sum, c);
    drop(long_lived);
    spec.print_checksum(max_depth as i64, sum);
}
