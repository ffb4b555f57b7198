// bench/peers/rust/vec_grow.rs: the Rust peer of programs/vec_grow.c.
//
// Idiomatic Rust: every growable buffer is a Vec that grows by itself (the Buf struct with
// its owned bytes buffer, len, cap and hl_resize); the integers are a Vec<u64> pushed one at
// a time, the text a Vec<u8>, the slices copied out of it are Vec<u8> (`text[a..b].to_vec()`,
// which knows its own length where the C program keeps a lens[] array) collected in a
// Vec<Vec<u8>> (the refs buffer), and truncate + shrink_to_fit drop the slices cut off and
// shrink in place (hl_resize); the 64 long-lived vectors are a Vec<Vec<u8>> borrowed by index
// (&mut for HL_WRITE). Everything a round makes is freed when it goes out of scope at the end
// of the round. The same draws in the same order, output lines and checksum line.
//
// The long-lived vectors are bytes (u64s appended as little-endian bytes), not Vec<u64>,
// because the C program truncates them to a quarter of their byte length, which may cut an
// integer in half, and its checksum hashes those bytes.
#[path = "common.rs"]
mod common;

use common::{hash_bytes, mix, Rng, Spec, CHECK_INIT};

const NLONG: usize = 64;
const LONG_LIMIT: usize = 8 << 13; // bytes: 8192 integers

/// The step of the program's 64-bit LCG (the values it pushes and the words it spells).
fn lcg(x: u64) -> u64 {
    x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407)
}

/// The C program's buf_hash: the bytes' hash and their count.
fn buf_hash(b: &[u8]) -> u64 {
    hash_bytes(b) ^ b.len() as u64
}

fn slices_hash(slices: &[Vec<u8>]) -> u64 {
    slices.iter().fold(0, |h, s| mix(h, hash_bytes(s)))
}

fn main() {
    let spec = Spec {
        name: "vec_grow",
        about: "growable arrays and strings: doubling, appends, slices",
        what: "number of rounds",
        dflt: 60000,
        min: 1,
        max: 100000000,
    };
    let n = spec.size_arg() as u64;
    let mut rng = Rng::new(0x7ec);
    let mut sum = CHECK_INIT;
    let (mut pushed, mut text_bytes, mut slices, mut truncations) = (0u64, 0u64, 0u64, 0u64);
    let mut longs: Vec<Vec<u8>> = vec![Vec::new(); NLONG];
    for round in 0..n {
        // 1. integers, one push at a time
        let mut nums: Vec<u64> = Vec::new();
        let k = rng.pow(8192);
        let mut x = round;
        for _ in 0..k {
            x = lcg(x);
            nums.push(x >> 7);
        }
        let acc = nums.iter().zip(1u64..).fold(0u64, |acc, (&v, i)| acc.wrapping_add(v.wrapping_mul(i)));
        pushed += k;
        // 2. a string of words
        let mut text: Vec<u8> = Vec::new();
        let words = rng.pow(1024);
        for _ in 0..words {
            let len = 1 + rng.below(12) as usize;
            text.extend((0..len).map(|j| b'a' + ((x >> (j * 4 % 60)) & 15) as u8 + (j % 10) as u8));
            text.push(b' ');
            x = lcg(x);
        }
        let tlen = text.len();
        text_bytes += tlen as u64;
        // 3. slices copied out, then truncated to half
        let mut sv: Vec<Vec<u8>> = Vec::new();
        let ns = rng.pow(128);
        for _ in 0..ns {
            let off = rng.below(tlen as u64) as usize;
            let len = (rng.pow(64) as usize).min(tlen - off);
            sv.push(text[off..off + len].to_vec());
        }
        slices += ns;
        let h1 = slices_hash(&sv);
        sv.truncate(sv.len() / 2);
        sv.shrink_to_fit();
        let h2 = slices_hash(&sv);
        drop(sv);
        // 4. one long-lived vector grows, and sometimes shrinks
        let lv = &mut longs[rng.below(NLONG as u64) as usize];
        let ext = rng.pow(4096);
        for i in 0..ext {
            lv.extend_from_slice(&x.wrapping_add(i).to_le_bytes());
        }
        if lv.len() > LONG_LIMIT {
            lv.truncate(lv.len() / 4);
            lv.shrink_to_fit();
            truncations += 1;
        }
        sum = mix(sum, acc ^ buf_hash(&text) ^ h1.wrapping_add(h2.wrapping_mul(3)) ^ lv.len() as u64);
    }
    for lv in &longs {
        sum = mix(sum, buf_hash(lv));
    }
    println!(
        "{} rounds: {} integers pushed, {} bytes of text, {} slices, {} truncations",
        n, pushed, text_bytes, slices, truncations
    );
    drop(longs);
    spec.print_checksum(n as i64, sum);
}
