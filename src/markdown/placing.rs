//! Where the findings of a text's raw HTML go: the scan's at their offsets, and what a
//! browser's reading adds, placed where the scan found its like or where the text names it.

use std::collections::HashMap;

use super::browser::{self, Reading};
use super::raw_html::RawHazard;

/// The hazards of a text's raw HTML, at offsets of its `source`: what the scan of the pieces
/// found (`scanned`, generous: it reads comments and `<textarea>`s as markup too, so that a
/// browser that parses some corner otherwise than html5ever is no blind spot), and what a
/// browser's reading of each of the rendered `htmls` adds, placed where the scan found its
/// like, else on the first line after the first raw piece that names it, else at that piece
/// (`span`: where the first and the last raw piece start). What is left open at the end is
/// placed at the last piece. A text too large to read so is refused.
pub(super) fn place_raw_hazards(
    source: &str,
    htmls: &[&str],
    span: (usize, usize),
    scanned: &[(usize, RawHazard)],
) -> Vec<(usize, RawHazard)> {
    let mut placed = scanned.to_vec();
    // A tag the scan found too large to read is not given to the parser (its time would grow
    // with the square of the tag's attributes).
    if scanned.iter().any(|(_, hazard)| *hazard == RawHazard::TooLarge) {
        return placed;
    }
    for html in htmls.iter().filter(|html| !html.is_empty()) {
        match browser::read(html) {
            Reading::TooLarge => placed.push((span.0, RawHazard::TooLarge)),
            Reading::Read(found) => placed.extend(place(source, span, scanned, found)),
        }
    }
    placed.sort();
    placed.dedup();
    placed
}

/// What one reading adds to the scan's findings, each at its offset of `source` (see
/// [`place_raw_hazards`]): each finding the scan has the like of is the scan's.
fn place(
    source: &str,
    span: (usize, usize),
    scanned: &[(usize, RawHazard)],
    found: Vec<RawHazard>,
) -> Vec<(usize, RawHazard)> {
    let mut unmatched: HashMap<(u8, String), usize> = HashMap::new();
    for (_, hazard) in scanned {
        let (kind, name) = hazard.key();
        *unmatched.entry((kind, name.to_string())).or_default() += 1;
    }
    let mut after: Option<String> = None;
    let mut searched = 0;
    let mut added = Vec::new();
    for hazard in found {
        let (kind, name) = hazard.key();
        if let Some(left) = unmatched.get_mut(&(kind, name.to_string())).filter(|left| **left > 0) {
            *left -= 1;
            continue;
        }
        let offset = if hazard == RawHazard::LeftOpen {
            span.1
        } else if searched < MAX_SEARCHES {
            // A hazard the pieces do not show alone (a tag one piece leaves open): the place
            // that names it. Searches are few; past them, the first piece stands for all.
            searched += 1;
            let after = after.get_or_insert_with(|| source.get(span.0..).unwrap_or("").to_ascii_lowercase());
            let needle = if kind == 0 { "<script" } else { name };
            after.find(&needle.to_ascii_lowercase()).map_or(span.0, |at| span.0 + at)
        } else {
            span.0
        };
        added.push((offset, hazard));
    }
    added
}

/// How many hazards that the pieces do not show are looked for by name in the text.
const MAX_SEARCHES: usize = 100;
