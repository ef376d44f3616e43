//! Compact encodings inside JSON. Numbers are written as characters of a 64-letter alphabet
//! that needs no escaping in JSON: one character per small number keeps gzip's view of the
//! data as regular as raw bytes would be (base64 would smear each byte over character
//! boundaries). The browser decodes with the same alphabet.

use std::ops::Range;

use super::index::Posting;

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

/// Splits items of the given sizes into consecutive runs of about `target` in total: a run
/// closes before the item that would take it past the target, so an item larger than the
/// target stands alone and no run is empty.
pub fn runs(sizes: impl IntoIterator<Item = usize>, target: usize) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let (mut start, mut total, mut count) = (0, 0, 0);
    for (i, s) in sizes.into_iter().enumerate() {
        count = i + 1;
        if total > 0 && total + s > target {
            runs.push(start..i);
            (start, total) = (i, 0);
        }
        total += s;
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
    fn runs_close_at_the_target_and_big_items_stand_alone() {
        let sizes = [3, 3, 3, 10, 1, 1];
        assert_eq!(runs(sizes, 6), [0..2, 2..3, 3..4, 4..6]);
        assert_eq!(runs([], 6), Vec::<Range<usize>>::new());
    }
}
