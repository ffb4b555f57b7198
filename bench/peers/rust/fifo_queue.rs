// bench/peers/rust/fifo_queue.rs: the Rust peer of programs/fifo_queue.c.
//
// Idiomatic Rust: the hand-made ring of owned handles (a refs buffer doubled with hl_resize,
// copied into a smaller ring below a quarter full) is a VecDeque<Msg>, which grows by itself;
// shrink_to gives back the same halving when it falls below a quarter full. A message is a
// plain struct held by value in the queue, owning its payload as a Box<[u8]> (the bytes
// buffer; its length replaces the stored len), so it is one allocation where the API
// version makes two (header object and payload). pop_front hands the message out by value
// and it is freed when consumed (hl_move + hl_drop). The PRNG draws, output lines and
// checksum are those of the C program.
#[path = "common.rs"]
mod common;

use common::{hash_bytes, mix, Rng, Spec, CHECK_INIT};
use std::collections::VecDeque;
use std::process::exit;

struct Msg {
    payload: Box<[u8]>,
    seq: u64,  // position in the stream
    tag: u8,   // first payload byte, a cheap integrity check
}

const MIN_RING: usize = 16;

fn payload_byte(seq: u64, i: usize) -> u8 {
    (seq.wrapping_mul(131).wrapping_add(i as u64 * 7).wrapping_add((i >> 3) as u64)) as u8
}

impl Msg {
    fn new(seq: u64, len: usize) -> Msg {
        let payload: Box<[u8]> = (0..len).map(|i| payload_byte(seq, i)).collect();
        Msg { payload, seq, tag: payload_byte(seq, 0) }
    }

    /// Checks the message is the one expected and intact, and returns its hash.
    fn check(&self, expect_seq: u64) -> Option<u64> {
        let b = &self.payload;
        let last = b.len() - 1;
        if self.seq != expect_seq || b[0] != self.tag || b[last] != payload_byte(self.seq, last) {
            return None;
        }
        Some(hash_bytes(b) ^ self.seq)
    }
}

fn main() {
    let spec = Spec {
        name: "fifo_queue",
        about: "producer/consumer message queue: FIFO lifetimes",
        what: "number of messages",
        dflt: 2200000,
        min: 1,
        max: 1000000000,
    };
    let n = spec.size_arg() as u64;
    let mut rng = Rng::new(0xf1f0);
    let mut sum = CHECK_INIT;
    let (mut produced, mut consumed, mut max_depth, mut rounds) = (0u64, 0u64, 0u64, 0u64);
    let mut q: VecDeque<Msg> = VecDeque::with_capacity(MIN_RING);
    let mut fill = true;
    let mut phase_left = 0u64;
    while consumed < n {
        if phase_left == 0 {
            fill = !fill;
            phase_left = 256 + rng.below(2048);
        }
        phase_left -= 1;
        rounds += 1;
        let p = rng.below(if fill { 48 } else { 16 });
        let mut c = rng.below(if fill { 16 } else { 48 });
        for _ in 0..p {
            if produced == n {
                break;
            }
            let len = 8 + rng.pow(1016) as usize;
            q.push_back(Msg::new(produced, len));
            produced += 1;
        }
        max_depth = max_depth.max(q.len() as u64);
        if produced == n {
            c = q.len() as u64; // the producer is done: drain
        }
        for _ in 0..c {
            let m = match q.pop_front() {
                Some(m) => m,
                None => break,
            };
            match m.check(consumed) {
                Some(h) => sum = mix(sum, h),
                None => {
                    eprintln!("fifo_queue: error: message {} out of order or corrupt", consumed);
                    exit(1);
                }
            }
            consumed += 1;
            if q.capacity() > MIN_RING && q.len() < q.capacity() / 4 {
                q.shrink_to(q.capacity() / 2);
            }
        }
    }
    sum = mix(sum, max_depth);
    sum = mix(sum, rounds);
    println!("messages {}, rounds {}, max depth {}", consumed, rounds, max_depth);
    spec.print_checksum(n as i64, sum);
}
