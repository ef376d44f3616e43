//! The hashes critique uses, one of each kind:
//!
//! - for tables keyed by short strings the site itself makes (words, output paths):
//!   [`FastHasher`], a machine word at a time (the multiply-rotate hash of rustc's `FxHasher`),
//!   several times faster than SipHash, and enough since no key comes from an adversary who
//!   could aim at collisions (tables keyed by names a writer chose use the standard library's
//!   randomly keyed hash);
//! - for contents, whose hash stands for them (a build's fingerprint, a rendered fragment's
//!   key): [`ContentHasher`], SipHash-1-3 with fixed keys, the same in every build of critique.
//!
//! The search index's id is its own FNV-1a (`search::file_hash`): part of the index format.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A `HashSet` with [`FastHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// The hasher of [`FastMap`] and [`FastSet`].
#[derive(Default)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn finish(&self) -> u64 {
        // The table picks buckets by the low bits, which a multiply leaves weak.
        self.0.rotate_left(26)
    }
}

impl FastHasher {
    fn add(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// The [`FastHasher`] hash of a string's bytes.
pub fn hash_str(text: &str) -> u64 {
    let mut hasher = FastHasher::default();
    hasher.write(text.as_bytes());
    hasher.finish()
}

/// The hasher of contents: SipHash-1-3 with zero keys, in 64 bits ([`Hasher::finish`]) or 128
/// ([`ContentHasher::finish128`]).
#[derive(Default)]
pub struct ContentHasher(siphasher::sip128::SipHasher13);

impl Hasher for ContentHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }

    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

impl ContentHasher {
    /// The 128-bit hash: wide enough that two different contents never meet.
    pub fn finish128(&self) -> u128 {
        siphasher::sip128::Hasher128::finish128(&self.0).as_u128()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_alike_and_near_keys_apart() {
        let mut set: FastSet<&str> = FastSet::default();
        for key in ["reviews/a/index.html", "reviews/b/index.html", "reviews/a/index.html", ""] {
            set.insert(key);
        }
        assert_eq!(set.len(), 3);
        let hash = |key: &str| {
            let mut h = FastHasher::default();
            h.write(key.as_bytes());
            h.finish()
        };
        assert_ne!(hash("search/meta/1.json"), hash("search/meta/2.json"));
    }
}
