//! Compact encodings inside JSON. Numbers are written as characters of a 64-letter alphabet
//! that needs no escaping in JSON: one character per small number keeps gzip's view of the
//! data as regular as raw bytes would be (base64 would smear each byte over character
//! boundaries). The browser decodes with the same alphabet.

use std::ops::Range;

/// One document containing a stem, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// The document's index.
    pub doc: u32,
    /// Its BM25 term weight for the stem, quantised to 1..=`MAX_WEIGHT`.
    pub weight: u8,
}

/// The 64 characters, in value order.
pub const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Appends `value` as a variable-length number: five bits a character, lowest first; a
/// character from the upper half of the alphabet means more follow.
pub fn push_varint(out: &mut String, mut value: u64) {
    loop {
        let low = (value & 31) as usize;
        value >>= 5;
        if value == 0 {
            out.push(char::from(ALPHABET[low]));
            return;
        }
        out.push(char::from(ALPHABET[low + 32]));
    }
}

/// Reads a number written by [`push_varint`] from `chars`.
#[cfg(test)]
pub fn read_varint(chars: &mut impl Iterator<Item = u8>) -> Option<u64> {
    let mut value = 0u64;
    let mut shift = 0;
    loop {
        let c = chars.next()?;
        let digit = ALPHABET.iter().position(|&a| a == c)? as u64;
        value |= (digit & 31) << shift;
        shift += 5;
        if digit < 32 {
            return Some(value);
        }
    }
}

/// How many characters a fixed-width code needs for `values` distinct values.
pub fn code_width(values: usize) -> usize {
    let mut width = 1;
    let mut capacity = 64;
    while capacity < values {
        width += 1;
        capacity *= 64;
    }
    width
}

/// Appends `value` as exactly `width` characters, most significant first.
pub fn push_code(out: &mut String, value: usize, width: usize) {
    for digit in (0..width).rev() {
        out.push(char::from(ALPHABET[(value >> (6 * digit)) & 63]));
    }
}

/// One stem's postings: its idf (hundredths), the number of documents, the gaps between
/// their indices (the first gap counted from 0), then one weight character per document (the
/// last characters, which an update of weights alone patches in place).
pub fn postings(idf: f64, postings: &[Posting]) -> String {
    let mut out = String::with_capacity(postings.len() * 2 + 4);
    push_varint(&mut out, (idf * 100.0).round() as u64);
    push_varint(&mut out, postings.len() as u64);
    let mut previous = 0;
    for p in postings {
        push_varint(&mut out, u64::from(p.doc - previous));
        previous = p.doc;
    }
    out.extend(postings.iter().map(|p| char::from(ALPHABET[usize::from(p.weight)])));
    out
}

/// One item in this many (by the hash of its key) may end a run.
const CUT_SPREAD: u64 = 4;

/// Splits items, each given as its size and a hash of its key, into consecutive runs of about
/// `target` in total, cut where the items say: a run ends after an item whose hash is a
/// multiple of [`CUT_SPREAD`] once it holds three quarters of the target, and before an item
/// that would take it past twice the target (so an item larger than that stands alone, and no
/// run is empty). A cut depends on the items just before it, so an item that grows or shrinks
/// moves at most the cuts near it: the chunk files further on keep their bytes, and `serve`
/// rewrites few of them after an edit.
pub fn runs(items: impl IntoIterator<Item = (usize, u64)>, target: usize) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let (mut start, mut total, mut count) = (0, 0, 0);
    for (i, (size, hash)) in items.into_iter().enumerate() {
        count = i + 1;
        if total > 0 && total + size > 2 * target {
            runs.push(start..i);
            (start, total) = (i, 0);
        }
        total += size;
        if total >= target * 3 / 4 && hash.is_multiple_of(CUT_SPREAD) {
            runs.push(start..i + 1);
            (start, total) = (i + 1, 0);
        }
    }
    if start < count {
        runs.push(start..count);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_small_numbers_take_one_character() {
        for value in [0, 1, 31, 32, 1023, 1024, 45_000, u64::from(u32::MAX)] {
            let mut s = String::new();
            push_varint(&mut s, value);
            assert_eq!(read_varint(&mut s.bytes()), Some(value), "{value} as {s}");
        }
        let mut s = String::new();
        push_varint(&mut s, 31);
        push_varint(&mut s, 32);
        assert_eq!(s, "VW1", "31 is one character, 32 two");
        assert!(s.bytes().all(|b| b != b'"' && b != b'\\'), "nothing to escape in JSON");
    }

    #[test]
    fn codes_have_a_fixed_width() {
        assert_eq!((code_width(1), code_width(64), code_width(65), code_width(4097)), (1, 1, 2, 3));
        let mut s = String::new();
        push_code(&mut s, 0, 2);
        push_code(&mut s, 64 + 5, 2);
        assert_eq!(s, "0015");
    }

    #[test]
    fn postings_are_gaps_then_weights() {
        let encoded = postings(1.234, &[Posting { doc: 3, weight: 10 }, Posting { doc: 40, weight: 63 }]);
        let mut chars = encoded.bytes();
        let numbers: Vec<u64> = (0..4).map(|_| read_varint(&mut chars).expect("number")).collect();
        assert_eq!(numbers, [123, 2, 3, 37]);
        assert_eq!(chars.collect::<Vec<u8>>(), b"A_");
    }

    #[test]
    fn runs_end_at_marked_items_past_three_quarters_and_big_items_stand_alone() {
        // Hashes: multiples of 4 may end a run.
        let items = [(3, 4), (3, 1), (3, 8), (30, 1), (1, 1), (1, 0)];
        assert_eq!(runs(items, 6), [0..3, 3..4, 4..6]);
        assert_eq!(runs([], 6), Vec::<Range<usize>>::new());
        // No marked item: runs close before passing twice the target.
        assert_eq!(runs([(5, 1), (5, 1), (5, 1)], 6), [0..2, 2..3]);
    }

    #[test]
    fn a_grown_item_moves_only_the_cuts_near_it() {
        let items: Vec<(usize, u64)> =
            (0..400u64).map(|i| (10 + (i * 7) as usize % 13, i.wrapping_mul(0x9e37_79b9) >> 7)).collect();
        let before = runs(items.clone(), 100);
        let mut grown = items;
        grown[3].0 += 5;
        let after = runs(grown, 100);
        let same_tail = before.iter().rev().zip(after.iter().rev()).take_while(|(a, b)| a == b).count();
        assert!(same_tail + 3 >= before.len(), "{} of {} runs moved", before.len() - same_tail, before.len());
    }
}
