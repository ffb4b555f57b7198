// bench/peers/rust/common.rs: what every Rust peer shares with the C workload programs, the Rust
// twin of programs/lib/hl_prog.{h,c} and programs/lib/hlp_util.h: the seeded PRNG (the same draws
// in the same order), the hashes and checksum mixing, the size argument with the same usage text
// and errors, and the checksum line. A peer includes it with
//     #[path = "common.rs"] mod common;
// Every function here must compute bit for bit what its C counterpart computes: the driver
// compares the peers' checksum lines with the API programs'.
#![allow(dead_code)]

use std::ffi::OsString;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::process::exit;

/// xoshiro256** seeded through splitmix64 (hlp_rng).
pub struct Rng {
    s: [u64; 4],
}

fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9e3779b97f4a7c15);
    hash_u64(*x)
}

impl Rng {
    /// hlp_rng_seed: the four state words are four splitmix64 outputs from `seed`.
    pub fn new(mut seed: u64) -> Rng {
        let mut s = [0u64; 4];
        for w in s.iter_mut() {
            *w = splitmix64(&mut seed);
        }
        Rng { s }
    }

    /// hlp_rng_next.
    pub fn next(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// hlp_rng_below: uniform in [0, n) (n > 0) by rejection below the largest multiple of n,
    /// so it consumes exactly the draws the C version consumes.
    pub fn below(&mut self, n: u64) -> u64 {
        let limit = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next();
            if x < limit {
                return x % n;
            }
        }
    }

    /// hlp_rng_unit: uniform double in [0, 1) from the top 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// hlp_rng_pow: a power-law draw in [1, max] (max >= 1): an exponent e uniform in
    /// [0, floor(log2 max)], then uniform in [2^e, 2^(e+1)), rejecting values above max.
    pub fn pow(&mut self, max: u64) -> u64 {
        let mut k: u32 = 0;
        while k < 63 && (2u64 << k) <= max {
            k += 1;
        }
        loop {
            let e = self.below(k as u64 + 1) as u32;
            let v = (1u64 << e) + self.below(1u64 << e);
            if v <= max {
                return v;
            }
        }
    }
}

/// hlp_hash_bytes: 64-bit FNV-1a.
pub fn hash_bytes(p: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in p {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// hlp_hash_u64: the splitmix64 finaliser.
pub fn hash_u64(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
    z ^ (z >> 31)
}

/// hlp_mix: fold a value into a running checksum.
pub fn mix(h: u64, v: u64) -> u64 {
    let h = (h ^ v).wrapping_mul(0x100000001b3);
    h ^ (h >> 29)
}

/// HLP_CHECK_INIT: the checksum's starting value.
pub const CHECK_INIT: u64 = 0xcbf29ce484222325;

/// hlp_spec: the program's name, one line on what it models, what its size means, and the
/// size's default and bounds.
pub struct Spec {
    pub name: &'static str,
    pub about: &'static str,
    pub what: &'static str,
    pub dflt: i64,
    pub min: i64,
    pub max: i64,
}

impl Spec {
    /// hlp_size_arg: `prog [SIZE]` or `prog --help`. Returns the size; bad input prints one
    /// line on stderr and exits 2, --help prints the usage and exits 0.
    pub fn size_arg(&self) -> i64 {
        let args: Vec<OsString> = std::env::args_os().collect();
        if args.len() > 1 && (args[1] == "--help" || args[1] == "-h") {
            print!(
                "usage: {} [SIZE]\n{}\n  SIZE  {}: {}..{} (default {})\n",
                self.name, self.about, self.what, self.min, self.max, self.dflt
            );
            exit(0);
        }
        if args.len() > 2 {
            eprintln!(
                "{}: error: expected at most one argument ({}), got {}; try --help",
                self.name,
                self.what,
                args.len() - 1
            );
            exit(2);
        }
        if args.len() < 2 {
            return self.dflt;
        }
        let raw = args[1].as_bytes();
        match parse_strtoll(raw) {
            Some(v) if v >= self.min && v <= self.max => v,
            Some(v) => {
                eprintln!(
                    "{}: error: {} must be in {}..{}, got {}",
                    self.name, self.what, self.min, self.max, v
                );
                exit(2);
            }
            None => {
                // The argument as given, byte for byte, as the C version prints it.
                let mut line = format!("{}: error: {} must be an integer, got '", self.name, self.what).into_bytes();
                line.extend_from_slice(raw);
                line.extend_from_slice(b"'\n");
                let _ = std::io::stderr().write_all(&line);
                exit(2);
            }
        }
    }

    /// hlp_print_checksum: "<name> size=<n> checksum=<hex>" on stdout.
    pub fn print_checksum(&self, size: i64, checksum: u64) {
        println!("{} size={} checksum={:016x}", self.name, size, checksum);
    }
}

/// What hlp_size_arg accepts from strtoll: optional leading C whitespace, an optional sign,
/// decimal digits, nothing after, no overflow.
fn parse_strtoll(raw: &[u8]) -> Option<i64> {
    let start = raw.iter().position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))?;
    std::str::from_utf8(&raw[start..]).ok()?.parse::<i64>().ok()
}
