//! Mutations of a file's bytes and lines.

use std::io;

use super::dictionary;
use super::{Applied, Target, entries, pick_file, rewrite};
use crate::rng::Rng;
use crate::site::show;

/// Byte strings that often break a reader: NUL, control characters, invalid UTF-8, a BOM, a
/// carriage return, Unicode line separators and direction overrides.
const SPECIAL: [(&str, &[u8]); 16] = [
    ("NUL", b"\0"),
    ("BEL", b"\x07"),
    ("ESC sequence", b"\x1b[2J"),
    ("DEL", b"\x7f"),
    ("vertical tab", b"\x0b"),
    ("form feed", b"\x0c"),
    ("CR", b"\r"),
    ("NEL", b"\xc2\x85"),
    ("line separator", b"\xe2\x80\xa8"),
    ("RLO", b"\xe2\x80\xae"),
    ("BOM", b"\xef\xbb\xbf"),
    ("0xFF", b"\xff"),
    ("lone lead byte", b"\xc3"),
    ("surrogate", b"\xed\xa0\x80"),
    ("overlong slash", b"\xc0\xaf"),
    ("above U+10FFFF", b"\xf4\x90\x80\x80"),
];

/// Flips, inserts, deletes or duplicates bytes, or inserts a special byte string.
pub fn bytes(target: &Target, rng: &mut Rng) -> io::Result<Option<Applied>> {
    let site = target.site();
    let Some(rel) = pick_file(rng, &entries(&site).files) else { return Ok(None) };
    let mut what = String::new();
    rewrite(&site, &rel, |data| {
        let len = data.len();
        let at = rng.below(len + 1);
        what = match rng.below(7) {
            0 if len > 0 => {
                let at = at.min(len - 1);
                let bit = rng.below(8);
                data[at] ^= 1 << bit;
                format!("flip bit {bit} at {at}")
            }
            1 => {
                let n = rng.between(1, 16);
                let inserted: Vec<u8> = (0..n).map(|_| rng.below(256) as u8).collect();
                data.splice(at..at, inserted);
                format!("insert {n} random bytes at {at}")
            }
            2 if len > 0 => {
                let at = at.min(len - 1);
                let n = if rng.chance(1, 8) { rng.between(1, len - at.min(len - 1)) } else { rng.between(1, 64) };
                let end = (at + n).min(len);
                data.drain(at..end);
                format!("delete bytes {at}..{end}")
            }
            3 if len > 0 => {
                let from = rng.below(len);
                let end = (from + rng.between(1, 256)).min(len);
                let copy = data[from..end].to_vec();
                data.splice(at..at, copy);
                format!("duplicate bytes {from}..{end} at {at}")
            }
            4 => {
                data.iter_mut().for_each(|b| {
                    if *b == b'\n' {
                        *b = b'\r';
                    }
                });
                let crlf: Vec<u8> =
                    data.iter().flat_map(|&b| if b == b'\r' { vec![b'\r', b'\n'] } else { vec![b] }).collect();
                if rng.chance(1, 2) {
                    *data = crlf;
                    "all line ends CRLF".into()
                } else {
                    "all line ends CR".into()
                }
            }
            5 => {
                data.splice(0..0, b"\xef\xbb\xbf".iter().copied());
                "BOM at the start".into()
            }
            _ => {
                let (name, special) = SPECIAL[rng.below(SPECIAL.len())];
                data.splice(at..at, special.iter().copied());
                format!("insert {name} at {at}")
            }
        };
    })?;
    Ok(Some(Applied { what: format!("bytes: {what} of {}", show(&rel)), touched: vec![rel] }))
}

/// Deletes, duplicates or swaps lines, or inserts a hostile line from the dictionary.
pub fn lines(target: &Target, rng: &mut Rng) -> io::Result<Option<Applied>> {
    let site = target.site();
    let Some(rel) = pick_file(rng, &entries(&site).files) else { return Ok(None) };
    let mut what = String::new();
    rewrite(&site, &rel, |data| {
        let mut lines: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        let n = lines.len();
        let i = rng.below(n);
        what = match rng.below(6) {
            0 if n > 1 => {
                lines.remove(i);
                format!("delete line {}", i + 1)
            }
            1 => {
                let line = lines[i].clone();
                lines.insert(i, line);
                format!("duplicate line {}", i + 1)
            }
            2 if n > 1 => {
                let j = rng.below(n);
                lines.swap(i, j);
                format!("swap lines {} and {}", i + 1, j + 1)
            }
            _ => {
                let (label, line) = dictionary::hostile(rng, &rel, target.max_size);
                lines.insert(i, line);
                format!("insert hostile line `{label}` at line {}", i + 1)
            }
        };
        *data = lines.join(&b'\n');
    })?;
    Ok(Some(Applied { what: format!("lines: {what} of {}", show(&rel)), touched: vec![rel] }))
}
