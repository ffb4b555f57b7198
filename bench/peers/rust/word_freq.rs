// bench/peers/rust/word_freq.rs: the Rust peer of programs/word_freq.c.
//
// The checksum walks the map in bucket order and chain order, and the output prints the
// bucket count, so this keeps the C program's own chained hash map (FNV-1a of the word, a
// power-of-two bucket array doubled at load 3/4, new entries at the front of their chain,
// chains split and decayed by pushing back to the front) rather than std's HashMap, whose
// iteration order is unspecified. It is written as Rust writes a linked list: the bucket
// array is a Vec<Option<Box<Entry>>> (the refs buffer of owned chains; resize_with for
// hl_resize), each entry owns the rest of its chain as Option<Box<Entry>> and its word as
// a Box<[u8]> (the owned bytes key, whose length replaces the stored len), Option::take
// detaches a chain (hl_take / hl_move), lookups return Option<&mut Entry> (a borrow for the
// non-owning handle copy), and unlinking walks a &mut Option<Box<Entry>> cursor. Each chunk
// of text is a Vec<u8> split on spaces.
#[path = "common.rs"]
mod common;

use common::{hash_bytes, hash_u64, mix, Rng, Spec, CHECK_INIT};

const DECAY_EVERY: u64 = 1 << 17;
const VOCAB_BITS: u32 = 20;
const CHUNK: usize = 64 * 1024;
const MAX_WORD: usize = 12;

struct Entry {
    key: Box<[u8]>,
    next: Option<Box<Entry>>, // the rest of the chain
    hash: u64,
    count: u64,
}

struct Map {
    buckets: Vec<Option<Box<Entry>>>, // a power-of-two number of chains
    count: usize,
}

impl Map {
    fn new() -> Map {
        Map { buckets: (0..16).map(|_| None).collect(), count: 0 }
    }

    fn bucket(&self, h: u64) -> usize {
        (h as usize) & (self.buckets.len() - 1)
    }

    fn find_mut(&mut self, word: &[u8], h: u64) -> Option<&mut Entry> {
        let b = self.bucket(h);
        let mut cur = self.buckets[b].as_deref_mut();
        while let Some(e) = cur {
            if e.hash == h && *e.key == *word {
                return Some(e);
            }
            cur = e.next.as_deref_mut();
        }
        None
    }

    /// Doubles the bucket array and splits every chain between bucket i and bucket i + old.
    fn grow(&mut self) {
        let old = self.buckets.len();
        self.buckets.resize_with(2 * old, || None);
        for i in 0..old {
            let mut chain = self.buckets[i].take();
            while let Some(mut e) = chain {
                chain = e.next.take();
                let b = self.bucket(e.hash);
                e.next = self.buckets[b].take();
                self.buckets[b] = Some(e);
            }
        }
    }

    fn insert(&mut self, word: &[u8], h: u64) {
        if 4 * (self.count + 1) > 3 * self.buckets.len() {
            self.grow();
        }
        let b = self.bucket(h);
        let next = self.buckets[b].take();
        self.buckets[b] = Some(Box::new(Entry { key: word.into(), next, hash: h, count: 1 }));
        self.count += 1;
    }

    /// Unlinks and drops the entry of hash h's bucket whose count has just dropped to zero.
    fn remove_dead(&mut self, h: u64) {
        let b = self.bucket(h);
        let mut link = &mut self.buckets[b];
        while link.as_ref().map_or(false, |e| e.count != 0) {
            link = &mut link.as_mut().unwrap().next;
        }
        if let Some(mut dead) = link.take() {
            *link = dead.next.take();
            self.count -= 1;
        }
    }

    /// Decrements every count, deleting the entries that reach zero (the streaming "frequent
    /// items" trick); the survivors of each chain are pushed back onto its bucket. Returns
    /// the number deleted.
    fn decay(&mut self) -> u64 {
        let mut deleted = 0;
        for bucket in self.buckets.iter_mut() {
            let mut chain = bucket.take();
            while let Some(mut e) = chain {
                chain = e.next.take();
                e.count -= 1;
                if e.count == 0 {
                    deleted += 1;
                } else {
                    e.next = bucket.take();
                    *bucket = Some(e);
                }
            }
        }
        self.count -= deleted as usize;
        deleted
    }

    /// Every entry, in bucket order and chain order.
    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.buckets.iter().flat_map(|b| std::iter::successors(b.as_deref(), |e| e.next.as_deref()))
    }
}

/// Word number w of the vocabulary: its letters are a function of w alone.
fn vocab_word(w: u64) -> ([u8; MAX_WORD], usize) {
    let mut out = [0u8; MAX_WORD];
    let mut h = hash_u64(w.wrapping_add(0x5eed));
    let len = 1 + (h % MAX_WORD as u64) as usize;
    for (i, c) in out[..len].iter_mut().enumerate() {
        h = hash_u64(h.wrapping_add(i as u64));
        *c = b'a' + (h % 26) as u8;
    }
    (out, len)
}

/// One chunk of text: whole words, each followed by a space, at most CHUNK bytes.
fn make_chunk(rng: &mut Rng) -> Vec<u8> {
    let mut text = Vec::with_capacity(CHUNK);
    loop {
        let (w, len) = vocab_word(rng.pow(1 << VOCAB_BITS) - 1);
        if text.len() + len + 1 > CHUNK {
            return text;
        }
        text.extend_from_slice(&w[..len]);
        text.push(b' ');
    }
}

fn main() {
    let spec = Spec {
        name: "word_freq",
        about: "word counts in a string-keyed chained hash map with churn",
        what: "number of tokens",
        dflt: 8000000,
        min: 1,
        max: 1000000000,
    };
    let n = spec.size_arg() as u64;
    let mut rng = Rng::new(0x0f0e0d);
    let mut m = Map::new();
    let (mut tokens, mut inserts, mut updates, mut deletes) = (0u64, 0u64, 0u64, 0u64);
    let (mut decays, mut misses, mut max_count) = (0u64, 0u64, 0u64);
    while tokens < n {
        let text = make_chunk(&mut rng);
        for word in text.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
            if tokens == n {
                break;
            }
            tokens += 1;
            if tokens % DECAY_EVERY == 0 {
                deletes += m.decay();
                decays += 1;
            }
            let h = hash_bytes(word);
            let retract = rng.below(4) == 0;
            match m.find_mut(word, h) {
                None if retract => misses += 1,
                None => {
                    m.insert(word, h);
                    inserts += 1;
                }
                Some(e) if retract => {
                    e.count -= 1;
                    if e.count == 0 {
                        m.remove_dead(h);
                        deletes += 1;
                    }
                }
                Some(e) => {
                    e.count += 1;
                    max_count = max_count.max(e.count);
                    updates += 1;
                }
            }
        }
    }
    let mut sum = CHECK_INIT;
    let mut total = 0u64;
    for e in m.entries() {
        sum = mix(sum, e.hash ^ e.count);
        total += e.count;
    }
    let (distinct, nbuckets) = (m.count as u64, m.buckets.len() as u64);
    println!(
        "tokens {}: {} inserts, {} updates, {} deletes, {} misses; {} distinct words ({} occurrences) in {} buckets, top count {}",
        tokens, inserts, updates, deletes, misses, distinct, total, nbuckets, max_count
    );
    for v in [decays, inserts, updates, deletes, misses, distinct, total, nbuckets, max_count] {
        sum = mix(sum, v);
    }
    spec.print_checksum(n as i64, sum);
}
