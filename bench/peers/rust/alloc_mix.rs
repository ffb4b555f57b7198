// bench/peers/rust/alloc_mix.rs: the Rust peer of programs/alloc_mix.c.
//
// Idiomatic Rust: an object is an enum, Bytes(Box<[u8]>) or Pair(Box<Pair>) (a fixed-size
// bytes buffer from hl_new_bytes, or the typed Pair object owning two of them), so the kind
// and size the C program keeps in a side buffer of per-slot metadata travel with the object:
// the variant is the kind and the slice knows its length. A region is a Vec<Option<Object>>
// indexed with bounds checks (the refs buffer; None for an empty slot instead of HL_NULL);
// killing an object is `slot.take()`, checking it and letting it go out of scope (hl_drop,
// which for a Pair frees three blocks), and a hand-over is `slots[to] = slots[from].take()`
// (hl_take and hl_move). Pair stays boxed so that it is its own heap block as in the C
// program and an empty or bytes slot does not pay for its size. The same draws in the same
// order, output lines and checksum line.
#[path = "common.rs"]
mod common;

use common::{hash_u64, mix, Rng, Spec, CHECK_INIT};
use std::process::exit;

const WINDOW: u32 = 1 << 14;
const OLD: u32 = 1 << 10;
const MIN_SIZE: usize = 8;
const MAX_SIZE: usize = 4096;

struct Pair {
    a: Box<[u8]>,
    b: Box<[u8]>,
    stamp: u64,
}

enum Object {
    Bytes(Box<[u8]>),
    Pair(Box<Pair>),
}

/// The checksum and the count of objects whose stamp did not check out.
struct Tally {
    sum: u64,
    bad: u64,
}

/// A bytes buffer of size >= 8: the stamp in its first 8 bytes, a check byte last.
fn stamped(size: usize, stamp: u64) -> Box<[u8]> {
    let mut b = vec![0u8; size].into_boxed_slice();
    b[..8].copy_from_slice(&stamp.to_le_bytes());
    if size > 8 {
        b[size - 1] = (stamp >> 3) as u8;
    }
    b
}

/// The stamp of a buffer made by `stamped`, or 0 when its check byte is wrong.
fn check(b: &[u8]) -> u64 {
    let stamp = u64::from_le_bytes(b[..8].try_into().expect("a stamped buffer has 8 bytes"));
    if b.len() == 8 || b[b.len() - 1] == (stamp >> 3) as u8 {
        stamp
    } else {
        0
    }
}

impl Object {
    fn new(rng: &mut Rng, stamp: u64) -> Object {
        let size = MIN_SIZE - 1 + rng.pow((MAX_SIZE - MIN_SIZE + 1) as u64) as usize;
        if rng.below(8) == 0 {
            let (a, b) = (stamped(size, stamp), stamped(MIN_SIZE, stamp.wrapping_add(1)));
            Object::Pair(Box::new(Pair { a, b, stamp }))
        } else {
            Object::Bytes(stamped(size, stamp))
        }
    }

    /// The object's size (a Pair's first buffer) and its stamp, or 0 when a check fails.
    fn size_and_stamp(&self) -> (usize, u64) {
        match self {
            Object::Bytes(b) => (b.len(), check(b)),
            Object::Pair(p) => {
                let ok = check(&p.a) == p.stamp && check(&p.b) == p.stamp.wrapping_add(1);
                (p.a.len(), if ok { p.stamp } else { 0 })
            }
        }
    }
}

struct Region {
    slots: Vec<Option<Object>>,
}

impl Region {
    fn new(n: u32) -> Region {
        Region { slots: (0..n).map(|_| None).collect() }
    }

    /// Kill whatever slot i holds: check its stamp, fold it into the checksum, free it.
    fn kill(&mut self, i: u32, t: &mut Tally) {
        if let Some(obj) = self.slots[i as usize].take() {
            let (size, stamp) = obj.size_and_stamp();
            t.bad += (stamp == 0) as u64;
            t.sum = mix(t.sum, stamp ^ size as u64);
        }
    }

    /// Store a new object in slot i (which is empty).
    fn store(&mut self, i: u32, rng: &mut Rng, stamp: u64) {
        self.slots[i as usize] = Some(Object::new(rng, stamp));
    }

    /// Hand the object in slot `from` over to slot `to` (killing what was there).
    fn hand_over(&mut self, from: u32, to: u32, t: &mut Tally) {
        if from == to {
            return;
        }
        self.kill(to, t);
        self.slots[to as usize] = self.slots[from as usize].take();
    }

    /// Kill every object, in slot order, and free the region.
    fn finish(mut self, t: &mut Tally) {
        for i in 0..self.slots.len() as u32 {
            self.kill(i, t);
        }
    }
}

fn main() {
    let spec = Spec {
        name: "alloc_mix",
        about: "allocator stress: power-law sizes, random lifetimes, sliding window",
        what: "number of objects allocated",
        dflt: 5000000,
        min: 1,
        max: 2000000000,
    };
    let n = spec.size_arg() as u64;
    let mut rng = Rng::new(0xa110c);
    let (mut young, mut old) = (Region::new(WINDOW), Region::new(OLD));
    let mut t = Tally { sum: CHECK_INIT, bad: 0 };
    let (mut handovers, mut olds) = (0u64, 0u64);
    let mut ring = 0u32;
    for step in 0..n {
        let stamp = hash_u64(step) | 1; // never 0, which marks a bad check
        let (r, i) = if rng.below(64) == 0 {
            olds += 1;
            (&mut old, rng.below(OLD as u64) as u32)
        } else if rng.below(2) == 0 {
            let i = ring;
            ring = (ring + 1) & (WINDOW - 1);
            (&mut young, i)
        } else {
            (&mut young, rng.below(WINDOW as u64) as u32)
        };
        r.kill(i, &mut t);
        r.store(i, &mut rng, stamp);
        if rng.below(8) == 0 {
            // The C program draws both slots as arguments of one call, and gcc evaluates
            // them last to first: `to` is drawn before `from`.
            let to = rng.below(WINDOW as u64) as u32;
            let from = rng.below(WINDOW as u64) as u32;
            young.hand_over(from, to, &mut t);
            handovers += 1;
        }
    }
    young.finish(&mut t);
    old.finish(&mut t);
    if t.bad != 0 {
        eprintln!("alloc_mix: error: {} objects with a corrupt stamp", t.bad);
        exit(1);
    }
    println!("{} objects: {} long-lived, {} handed over", n, olds, handovers);
    let mut sum = mix(t.sum, olds);
    sum = mix(sum, handovers);
    spec.print_checksum(n as i64, sum);
}
