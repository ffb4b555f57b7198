// bench/peers/rust/lru_cache.rs: the Rust peer of programs/lru_cache.c.
//
// Idiomatic Rust: the entries live by value in a Vec<Entry> arena (the refs buffer of owned
// entries; an evicted entry is overwritten in place, which drops its value), the recency list
// links are arena indices as Option<usize> (None for NIL), and the hash index is a std
// HashMap<u64, usize> from key to arena index: the C program's own chains (bucket heads in a
// bytes buffer, hnext links) never show in its output, so they are not reproduced. Each value
// is a Box<[u8]> (the owned bytes buffer; its length replaces the stored len). The PRNG
// draws, the recency order, output lines and checksum are those of the C program.
#[path = "common.rs"]
mod common;

use common::{hash_bytes, mix, Rng, Spec, CHECK_INIT};
use std::collections::HashMap;
use std::process::exit;

const MAX_CAPACITY: u64 = 1 << 16;
const MIN_CAPACITY: u64 = 64;

struct Entry {
    value: Box<[u8]>,
    key: u64,
    version: u64,         // how many times this key's value was written
    prev: Option<usize>,  // recency list neighbours: arena indices, None at the ends
    next: Option<usize>,
}

fn value_byte(key: u64, version: u64, i: usize) -> u8 {
    key.wrapping_mul(29)
        .wrapping_add(version.wrapping_mul(7))
        .wrapping_add(i as u64)
        .wrapping_add((i >> 5) as u64) as u8
}

fn make_value(key: u64, version: u64, len: usize) -> Box<[u8]> {
    (0..len).map(|i| value_byte(key, version, i)).collect()
}

struct Cache {
    entries: Vec<Entry>,
    index: HashMap<u64, usize>,
    mru: Option<usize>,
    lru: Option<usize>,
    capacity: usize,
    evictions: u64,
}

impl Cache {
    fn new(capacity: usize) -> Cache {
        Cache {
            entries: Vec::with_capacity(capacity),
            index: HashMap::with_capacity(capacity),
            mru: None,
            lru: None,
            capacity,
            evictions: 0,
        }
    }

    fn unlink(&mut self, i: usize) {
        let (prev, next) = (self.entries[i].prev, self.entries[i].next);
        match prev {
            Some(p) => self.entries[p].next = next,
            None => self.mru = next,
        }
        match next {
            Some(n) => self.entries[n].prev = prev,
            None => self.lru = prev,
        }
    }

    fn push_front(&mut self, i: usize) {
        let old = self.mru;
        self.entries[i].prev = None;
        self.entries[i].next = old;
        match old {
            Some(o) => self.entries[o].prev = Some(i),
            None => self.lru = Some(i),
        }
        self.mru = Some(i);
    }

    /// Marks entry i as the most recently used.
    fn touch(&mut self, i: usize) {
        self.unlink(i);
        self.push_front(i);
    }

    /// Inserts a key known to be absent, evicting the least recently used entry when full.
    fn insert(&mut self, key: u64, len: usize) {
        let entry = Entry { value: make_value(key, 0, len), key, version: 0, prev: None, next: None };
        let i = if self.entries.len() < self.capacity {
            self.entries.push(entry);
            self.entries.len() - 1
        } else {
            let i = self.lru.expect("a full cache has a least recently used entry");
            self.unlink(i);
            self.index.remove(&self.entries[i].key);
            self.entries[i] = entry; // drops the evicted entry and its value
            self.evictions += 1;
            i
        };
        self.index.insert(key, i);
        self.push_front(i);
    }

    /// Replaces the value of entry i.
    fn replace(&mut self, i: usize, len: usize) {
        let e = &mut self.entries[i];
        e.version += 1;
        e.value = make_value(e.key, e.version, len);
    }

    /// Checks and hashes entry i's value (0 when it is corrupt).
    fn read_value(&self, i: usize) -> u64 {
        let e = &self.entries[i];
        let last = e.value.len() - 1;
        if e.value[last] != value_byte(e.key, e.version, last) {
            return 0;
        }
        hash_bytes(&e.value) ^ e.version
    }

    /// The entries from the most recently used to the least.
    fn by_recency(&self) -> impl Iterator<Item = &Entry> {
        std::iter::successors(self.mru.map(|i| &self.entries[i]), move |e| e.next.map(|i| &self.entries[i]))
    }
}

fn main() {
    let spec = Spec {
        name: "lru_cache",
        about: "fixed-capacity LRU cache: random gets and puts",
        what: "number of operations",
        dflt: 1600000,
        min: 1,
        max: 1000000000,
    };
    let n = spec.size_arg() as u64;
    let mut rng = Rng::new(0x1e0);
    // The capacity is fixed for a run: n/16 entries, at least 64 and at most 65536.
    let capacity = (n / 16).clamp(MIN_CAPACITY, MAX_CAPACITY);
    let keyspace = 4 * capacity;
    let mut c = Cache::new(capacity as usize);
    let mut sum = CHECK_INIT;
    let (mut hits, mut misses, mut puts, mut bad) = (0u64, 0u64, 0u64, 0u64);
    for _ in 0..n {
        let key = if rng.below(2) != 0 { rng.pow(keyspace) } else { 1 + rng.below(keyspace) };
        let len = 16 + rng.pow(2032) as usize;
        let is_put = rng.below(5) == 0;
        let i = match c.index.get(&key) {
            Some(&i) => i,
            None => {
                c.insert(key, len);
                if is_put {
                    puts += 1;
                } else {
                    misses += 1;
                }
                continue;
            }
        };
        c.touch(i);
        if is_put {
            c.replace(i, len);
            puts += 1;
        } else {
            let h = c.read_value(i);
            if h == 0 {
                bad += 1;
            }
            sum = mix(sum, h);
            hits += 1;
        }
    }
    if bad != 0 {
        eprintln!("lru_cache: error: {} corrupt values", bad);
        exit(1);
    }
    let mut walked = 0u64;
    for e in c.by_recency() {
        sum = mix(sum, e.key ^ (e.version << 32));
        walked += 1;
    }
    println!(
        "{} operations: {} hits, {} misses, {} puts, {} evictions, {} entries",
        n, hits, misses, puts, c.evictions, walked
    );
    for v in [hits, misses, puts, c.evictions, walked] {
        sum = mix(sum, v);
    }
    spec.print_checksum(n as i64, sum);
}
