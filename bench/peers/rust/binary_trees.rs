// bench/peers/rust/binary_trees.rs: the Rust reference peer of programs/binary_trees.c.
//
// Idiomatic Rust with Box: the same tree shapes, the same output lines and the same checksum
// (hlp_mix from programs/lib/hl_prog.h, replicated exactly), so that `heaplab bench` can show
// it as the runtime row `rust-box` beside the C runtimes. Built with `rustc -O` by
// bench/bench.mk when rustc is on PATH.
use std::env;
use std::process::exit;

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

// hlp_mix: 64-bit FNV-1a style mixing, exactly as in programs/lib/hl_prog.h.
fn mix(h: u64, v: u64) -> u64 {
    let h = (h ^ v).wrapping_mul(0x100000001b3);
    h ^ (h >> 29)
}
const CHECK_INIT: u64 = 0xcbf29ce484222325;

const NAME: &str = "binary_trees";
const WHAT: &str = "maximum tree depth";
const DFLT: i64 = 18;
const MIN: i64 = 4;
const MAX: i64 = 26;

fn size_arg() -> i64 {
    let args: Vec<String> = env::args().collect();
    if args.len() > 1 && (args[1] == "--help" || args[1] == "-h") {
        println!("usage: {} [SIZE]", NAME);
        println!("many short-lived binary trees and one long-lived tree (Rust, Box)");
        println!("  SIZE  {}: {}..{} (default {})", WHAT, MIN, MAX, DFLT);
        exit(0);
    }
    if args.len() > 2 {
        eprintln!("{}: error: expected at most one argument ({}), got {}; try --help", NAME, WHAT, args.len() - 1);
        exit(2);
    }
    if args.len() < 2 {
        return DFLT;
    }
    match args[1].parse::<i64>() {
        Ok(v) if (MIN..=MAX).contains(&v) => v,
        Ok(v) => {
            eprintln!("{}: error: {} must be in {}..{}, got {}", NAME, WHAT, MIN, MAX, v);
            exit(2);
        }
        Err(_) => {
            eprintln!("{}: error: {} must be an integer, got '{}'", NAME, WHAT, args[1]);
            exit(2);
        }
    }
}

fn main() {
    let max_depth = size_arg() as i32;
    let mut sum = CHECK_INIT;
    {
        let stretch = tree_new(max_depth + 1);
        let c = tree_check(&stretch);
        println!("stretch tree of depth {}\t check: {}", max_depth + 1, c);
        sum = mix(sum, c);
    }
    let long_lived = tree_new(max_depth);
    let mut d = 4;
    while d <= max_depth {
        let iterations: u64 = 1u64 << (max_depth - d + 4);
        let mut c = 0u64;
        for _ in 0..iterations {
            let t = tree_new(d);
            c += tree_check(&t);
        }
        println!("{}\t trees of depth {}\t check: {}", iterations, d, c);
        sum = mix(sum, c);
        d += 2;
    }
    let c = tree_check(&long_lived);
    println!("long lived tree of depth {}\t check: {}", max_depth, c);
    sum = mix(sum, c);
    drop(long_lived);
    println!("{} size={} checksum={:016x}", NAME, max_depth, sum);
}
