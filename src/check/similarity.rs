//! Recycled text: reviews that largely repeat another (word shingles, MinHash with banding
//! to find candidate pairs, then exact Jaccard similarity), and stock phrases — word
//! sequences that recur across reviews by different authors, as the seed's three writers
//! shared one catchphrase.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::diagnostic::{Diagnostic, LineIndex, display_path};
use crate::model::taxonomy::term_slug;
use crate::model::{Review, Site};
use crate::parse::Located;
use crate::scaffold;

/// Words a shingle spans.
const SHINGLE: usize = 5;
/// MinHash bands × rows: candidates are pairs agreeing on one band.
const BANDS: usize = 20;
const ROWS: usize = 3;
/// Reviews with fewer shingles than this are too short to compare.
const MIN_SHINGLES: usize = 10;

/// Common words that do not make a phrase distinctive on their own.
const STOPWORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "has", "have",
    "how", "i", "if", "in", "is", "it", "it's", "its", "more", "not", "of", "on", "one", "or", "so", "than", "that",
    "the", "their", "there", "they", "this", "to", "was", "we", "what", "when", "which", "who", "will", "with",
    "would", "you",
];

/// Between the words of two blocks in [`words`]: no word is empty, so no phrase holds it.
const BREAK: &str = "";

/// The words of a file's Markdown body, lowercased, with the byte offset of each in the file,
/// and [`BREAK`] between blocks (paragraphs, list items, table rows, quotes), so that no
/// phrase joins two. Code blocks, headings, comments and the text `critique new` and `critique
/// init` write are left out.
fn words(source: &Located) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    let end_block = |out: &mut Vec<(String, usize)>, at: usize| {
        if out.last().is_some_and(|(w, _)| w != BREAK) {
            out.push((BREAK.to_string(), at));
        }
    };
    let mut offset = 0;
    let mut in_code = false;
    // Where the words of the line before begin, while it may be a setext heading's text.
    let mut previous_line: Option<usize> = None;
    for (i, line) in source.text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        if i + 1 < source.body_line {
            continue;
        }
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            end_block(&mut out, start);
            continue;
        }
        let underline =
            !trimmed.is_empty() && (trimmed.bytes().all(|b| b == b'=') || trimmed.bytes().all(|b| b == b'-'));
        if let (true, Some(from)) = (underline, previous_line) {
            // The line before was a heading.
            out.truncate(from);
        }
        previous_line = None;
        let hashes = trimmed.len() - trimmed.trim_start_matches('#').len();
        let heading =
            (1..=6).contains(&hashes) && (trimmed.len() == hashes || trimmed[hashes..].starts_with([' ', '\t']));
        if in_code
            || trimmed.is_empty()
            || underline
            || heading
            || trimmed.starts_with("<!--")
            || scaffold::is_body_line(trimmed)
        {
            end_block(&mut out, start);
            continue;
        }
        let item = ["- ", "* ", "+ "].iter().any(|m| trimmed.starts_with(m))
            || trimmed.starts_with(['|', '>'])
            || trimmed
                .split_once(['.', ')'])
                .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if item {
            end_block(&mut out, start);
        }
        previous_line = Some(out.len());
        let mut word_start = None;
        for (j, c) in line.char_indices().chain(std::iter::once((line.len(), ' '))) {
            let part_of_word = c.is_alphanumeric() || c == '\'' || c == '’';
            match (part_of_word, word_start) {
                (true, None) => word_start = Some(j),
                (false, Some(s)) => {
                    let word = line[s..j].to_lowercase().replace('’', "'");
                    let word = word.trim_matches('\'');
                    if !word.is_empty() {
                        out.push((word.to_string(), start + s));
                    }
                    word_start = None;
                }
                _ => {}
            }
        }
    }
    out
}

/// Whether the words `gram` run across two blocks.
fn crosses(gram: &[(String, usize)]) -> bool {
    gram.iter().any(|(w, _)| w == BREAK)
}

/// FNV-1a: a stable hash, so findings do not depend on the process.
fn hash_words<'a>(words: impl Iterator<Item = &'a str>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words {
        for b in w.bytes().chain(std::iter::once(b' ')) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn shingles(words: &[(String, usize)]) -> HashSet<u64> {
    words.windows(SHINGLE).filter(|w| !crosses(w)).map(|w| hash_words(w.iter().map(|(s, _)| s.as_str()))).collect()
}

fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    let shared = a.intersection(b).count();
    shared as f64 / (a.len() + b.len() - shared).max(1) as f64
}

/// Pairs of reviews whose texts largely coincide, reported on the later one.
pub(super) fn near_duplicates(site: &Site) -> Vec<Diagnostic> {
    let threshold = site.config.check.near_duplicate;
    let sets: Vec<HashSet<u64>> = site.reviews.iter().map(|r| shingles(&words(&r.source))).collect();
    let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
    for (i, set) in sets.iter().enumerate().filter(|(_, s)| s.len() >= MIN_SHINGLES) {
        let signature: Vec<u64> =
            (0..BANDS * ROWS).map(|k| set.iter().map(|&h| mix(h ^ mix(k as u64))).min().unwrap_or(0)).collect();
        for (band, rows) in signature.chunks(ROWS).enumerate() {
            let key = rows.iter().fold(0u64, |acc, &v| mix(acc ^ v));
            buckets.entry((band, key)).or_default().push(i);
        }
    }
    let mut pairs = BTreeSet::new();
    for members in buckets.values().filter(|m| m.len() > 1) {
        for (x, &a) in members.iter().enumerate() {
            for &b in &members[x + 1..] {
                pairs.insert((a.min(b), a.max(b)));
            }
        }
    }
    pairs
        .into_iter()
        .filter_map(|(a, b)| {
            let similarity = jaccard(&sets[a], &sets[b]);
            (similarity >= threshold).then(|| {
                // Reviews are sorted newest first: `a` is the later one.
                let (later, earlier) = (&site.reviews[a], &site.reviews[b]);
                Diagnostic::file(
                    &later.source.path,
                    format!(
                        "largely repeats {} (similarity {:.2}, threshold {threshold})",
                        display_path(&earlier.source.path),
                        similarity
                    ),
                )
                .warning()
                .with_rule("near-duplicate")
                .with_hint("a review should add its own evidence and questions, not restate another")
                .with_related([earlier.source.path.clone()])
            })
        })
        .collect()
}

/// How many of `reviews` have no author in common, taken in order: reviews written together
/// share a phrase between their authors, and count once with every review one of them wrote.
fn writers(site: &Site, reviews: impl Iterator<Item = usize>) -> usize {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut count = 0;
    for r in reviews {
        let authors: Vec<String> = site.reviews[r].authors.iter().map(|a| term_slug(a)).collect();
        if authors.iter().all(|a| !seen.contains(a)) {
            count += 1;
        }
        seen.extend(authors);
    }
    count
}

/// Phrases of `stock_phrase_words` or more words that reviews by `stock_phrase_reviews` or
/// more different authors share, each reported once.
pub(super) fn stock_phrases(site: &Site) -> Vec<Diagnostic> {
    let n = site.config.check.stock_phrase_words;
    let needed = site.config.check.stock_phrase_reviews;
    let texts: Vec<Vec<(String, usize)>> = site.reviews.iter().map(|r| words(&r.source)).collect();
    let distinctive =
        |gram: &[(String, usize)]| gram.iter().filter(|(w, _)| !STOPWORDS.contains(&w.as_str())).count() >= 2;
    // (gram, review) pairs, sorted: grams shared by several reviews sit side by side.
    let mut grams: Vec<(u64, usize)> = texts
        .iter()
        .enumerate()
        .flat_map(|(r, words)| {
            words
                .windows(n)
                .filter(|g| !crosses(g) && distinctive(g))
                .map(move |g| (hash_words(g.iter().map(|(s, _)| s.as_str())), r))
        })
        .collect();
    grams.sort_unstable();
    grams.dedup();
    // Each shared gram with the reviews that use it.
    let mut flagged: HashMap<u64, Vec<usize>> = HashMap::new();
    for group in grams.chunk_by(|a, b| a.0 == b.0) {
        if group.len() >= needed && writers(site, group.iter().map(|&(_, r)| r)) >= needed {
            flagged.insert(group[0].0, group.iter().map(|&(_, r)| r).collect());
        }
    }
    if flagged.is_empty() {
        return Vec::new();
    }
    // In each review, consecutive shared grams used by the same reviews make one phrase: so
    // a phrase is the same words wherever it is found, whatever surrounds it.
    let mut phrases: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    // Where each flagged gram first is in each review, found in one pass over the review
    // when it is first needed (not once per phrase).
    let mut first_grams: Vec<Option<HashMap<u64, usize>>> = vec![None; texts.len()];
    for words in &texts {
        let users: Vec<Option<&Vec<usize>>> = words
            .windows(n)
            .map(|g| flagged.get(&hash_words(g.iter().map(|(s, _)| s.as_str()))).filter(|_| !crosses(g)))
            .collect();
        let mut i = 0;
        while i < users.len() {
            let Some(set) = users[i] else {
                i += 1;
                continue;
            };
            let start = i;
            while i < users.len() && users[i] == Some(set) {
                i += 1;
            }
            let phrase: Vec<&str> = words[start..i - 1 + n].iter().map(|(w, _)| w.as_str()).collect();
            let entry = phrases.entry(phrase.join(" ")).or_default();
            if entry.is_empty() {
                // Where each of the reviews using it says it: found by its first gram.
                let first = hash_words(words[start..start + n].iter().map(|(s, _)| s.as_str()));
                for &r in set {
                    let grams = first_grams[r].get_or_insert_with(|| {
                        let mut grams = HashMap::new();
                        for g in texts[r].windows(n) {
                            let hash = hash_words(g.iter().map(|(s, _)| s.as_str()));
                            if flagged.contains_key(&hash) {
                                grams.entry(hash).or_insert(g[0].1);
                            }
                        }
                        grams
                    });
                    entry.push((r, grams.get(&first).copied().unwrap_or(0)));
                }
            }
        }
    }
    let mut found = Vec::new();
    let mut line_indexes: Vec<Option<LineIndex>> = vec![None; site.reviews.len()];
    for (phrase, mut uses) in phrases {
        uses.sort_by(|a, b| site.reviews[a.0].source.path.cmp(&site.reviews[b.0].source.path));
        uses.dedup_by_key(|u| u.0);
        if writers(site, uses.iter().map(|&(r, _)| r)) < needed {
            continue;
        }
        let (first, offset) = uses[0];
        let review: &Review = &site.reviews[first];
        let line = line_indexes[first].get_or_insert_with(|| LineIndex::new(&review.source.text)).line(offset);
        let others: Vec<String> = uses[1..]
            .iter()
            .map(|&(r, _)| format!("{} ({})", display_path(&site.reviews[r].source.path), site.reviews[r].byline()))
            .collect();
        found.push(
            Diagnostic::at(
                &review.source.path,
                line,
                0,
                format!("stock phrase \"{phrase}\" is also in {}", others.join(", ")),
            )
            .warning()
            .with_rule("stock-phrase")
            .with_hint("say it in this reviewer's own words, or quote and credit the other review")
            .with_related(uses[1..].iter().map(|&(r, _)| site.reviews[r].source.path.clone())),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::check::tests::located;

    #[test]
    fn words_skip_front_matter_and_code() {
        let w = words(&located("---\ntitle: x\n---\nIt’s *new*, Really.\n```\ncode here\n```\nend\n"));
        let list: Vec<&str> = w.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(list, ["it's", "new", "really", BREAK, "end"]);
        assert_eq!(w[0].1, 17, "byte offset in the file");
    }

    #[test]
    fn words_of_two_blocks_never_make_one_phrase() {
        let text = "---\ntitle: x\n---\n# Who pays\n\nFirst paragraph ends\nhere.\n\nSecond one\n- item one\nSetext heading\n---\nThe first paragraph is the summary shown in listings.\nlast\n";
        let w = words(&located(text));
        let list: Vec<&str> = w.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            list,
            ["first", "paragraph", "ends", "here", BREAK, "second", "one", BREAK, "item", "one", BREAK, "last"]
        );
    }

    #[test]
    fn jaccard_of_shingles() {
        let a: HashSet<u64> = [1, 2, 3, 4].into();
        let b: HashSet<u64> = [3, 4, 5, 6].into();
        assert!((jaccard(&a, &b) - 2.0 / 6.0).abs() < 1e-9);
    }
}
