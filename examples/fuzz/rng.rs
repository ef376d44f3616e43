//! The fuzzer's own generator: splitmix64, seeded from the run's seed, the mutant's index and
//! a stream number, so that a mutant's bytes depend on nothing else (not on timing, nor on how
//! many mutants ran before it).

/// A splitmix64 generator.
pub struct Rng(u64);

/// The stream that makes a mutant before it is built.
pub const STREAM_MUTANT: u64 = 1;
/// The stream that makes the edits of its serve session.
pub const STREAM_SERVE: u64 = 2;

impl Rng {
    /// The generator of `stream` for mutant `index` of the run seeded with `seed`.
    pub fn for_mutant(seed: u64, index: u64, stream: u64) -> Self {
        let mut rng = Rng(seed);
        let a = rng.next_u64();
        let mut rng = Rng(a ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        let b = rng.next_u64();
        Rng(b ^ stream.wrapping_mul(0x8CB9_2BA7_2F3D_8DD7))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next_u64() % n as u64) as usize }
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True `num` times in `den`.
    pub fn chance(&mut self, num: usize, den: usize) -> bool {
        self.below(den) < num
    }

    /// One of `items` (`None` when there are none).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() { None } else { items.get(self.below(items.len())) }
    }

    /// An index into `weights`, each chosen in proportion to its weight.
    pub fn weighted(&mut self, weights: &[usize]) -> usize {
        let mut roll = self.below(weights.iter().sum());
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        0
    }
}
