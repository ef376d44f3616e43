//! The inverted index: every folded word with its stem, and every stem with its
//! document-level postings, each carrying a precomputed BM25 term weight. Documents are
//! tokenised in parallel slices, each with its own word table, then merged in order, so the
//! memory held is proportional to the text and the result does not depend on threads.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use super::documents::{Document, Meta};
use super::tokenize::{Analyzer, js_order, words};
use crate::memo::{Key, Memo};

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.75;
/// How many times a word of a title counts.
pub const TITLE_BOOST: u32 = 3;
/// The highest quantised weight (weights are 1..=MAX_WEIGHT, one character each).
pub const MAX_WEIGHT: u32 = 15;
/// Words longer than this (in bytes) are not indexed: hashes and addresses, not words.
const MAX_WORD_BYTES: usize = 48;

/// A word table keyed by short strings: hashed a machine word at a time (the multiply-rotate
/// hash of rustc's `FxHasher`), several times faster than the default SipHash for words, and
/// enough since the keys come from the site's own writers.
type Words<V> = HashMap<String, V, BuildHasherDefault<WordHasher>>;

/// The hasher of [`Words`].
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
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

impl WordHasher {
    fn add(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// One document containing a stem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// The document's index.
    pub doc: u32,
    /// Its BM25 term weight for the stem, quantised to 1..=[`MAX_WEIGHT`].
    pub weight: u8,
}

/// A stem with where it occurs.
#[derive(Debug, Clone, PartialEq)]
pub struct Stem {
    /// The stem.
    pub text: String,
    /// Its inverse document frequency (BM25's, always positive).
    pub idf: f64,
    /// The documents containing it, by increasing index.
    pub postings: Vec<Posting>,
}

/// The index of a set of documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Index {
    /// Every folded word found, with the index of its stem in `stems` (`None`: a stop word),
    /// in JavaScript string order.
    pub vocabulary: Vec<(String, Option<usize>)>,
    /// Every stem, in JavaScript string order.
    pub stems: Vec<Stem>,
}

/// Words of one slice of documents: a local word table and term frequencies per word.
#[derive(Default)]
struct Slice {
    ids: Words<usize>,
    /// Per local word: `(document, weighted term frequency)`, by increasing document.
    postings: Vec<Vec<(u32, u32)>>,
    /// Per local word, its frequency in the current document.
    tf: Vec<u32>,
    /// The words of the current document, in order of first use.
    touched: Vec<usize>,
}

impl Slice {
    /// Tokenises `docs`, numbered from 0 within the slice; returns what results show of each.
    fn collect(docs: impl IntoIterator<Item = Document>) -> (Self, Vec<Meta>) {
        let mut slice = Slice::default();
        let mut metas = Vec::new();
        for doc in docs {
            slice.add(&doc.title, TITLE_BOOST);
            slice.add(&doc.text, 1);
            // Counted in a small dense table first: the lists are touched once per word.
            let id = u32::try_from(metas.len()).unwrap_or(u32::MAX);
            for &word in &slice.touched {
                slice.postings[word].push((id, slice.tf[word]));
                slice.tf[word] = 0;
            }
            slice.touched.clear();
            metas.push(doc.meta);
        }
        (slice, metas)
    }

    fn add(&mut self, text: &str, weight: u32) {
        for word in words(text).filter(|w| w.len() <= MAX_WORD_BYTES) {
            let id = match self.ids.get(word.as_ref()) {
                Some(&id) => id,
                None => {
                    self.ids.insert(word.into_owned(), self.postings.len());
                    self.postings.push(Vec::new());
                    self.tf.push(0);
                    self.postings.len() - 1
                }
            };
            if self.tf[id] == 0 {
                self.touched.push(id);
            }
            self.tf[id] += weight;
        }
    }
}

/// Indexes the documents that `make` returns for each of `sources`, in order, tokenising the
/// sources in parallel. Documents are made only when their slice is indexed, so their texts
/// are never all in memory at once. Returns the index and what results show of each document.
pub fn build_from<S: Sync>(
    sources: &[S],
    make: impl Fn(&S) -> Vec<Document> + Sync,
    analyzer: &Analyzer,
) -> (Index, Vec<Meta>) {
    build_cached(sources, |_| None, make, analyzer, &mut SliceCache(Memo::none()))
}

/// Tokenised sources kept between the rebuilds of `serve`, by the texts they were made from.
#[derive(Default)]
pub struct SliceCache(Memo<SharedSlice>);

/// A tokenised source with what results show of its documents, shared by a build and the cache.
type SharedSlice = Arc<(Slice, Vec<Meta>)>;

/// [`build_from`], reusing from `cache` the slices of sources whose identifying texts (`key`)
/// are the very texts they were made from.
pub fn build_cached<S: Sync>(
    sources: &[S],
    key: impl Fn(&S) -> Key,
    make: impl Fn(&S) -> Vec<Document> + Sync,
    analyzer: &Analyzer,
    cache: &mut SliceCache,
) -> (Index, Vec<Meta>) {
    let keys = sources.iter().map(key).collect();
    let found = cache.0.refresh(keys, |i| Arc::new(Slice::collect(make(&sources[i]))));
    let mut slices = Vec::with_capacity(found.len());
    let mut count = 0;
    for slice in &found {
        // Local document numbers become global ones by the documents of earlier slices.
        slices.push((u32::try_from(count).unwrap_or(u32::MAX), &slice.0));
        count += slice.1.len();
    }
    let index = merge(&slices, count, analyzer);
    drop(slices);
    let mut metas = Vec::with_capacity(count);
    for slice in found {
        // Slices the cache does not hold: what results show is moved out rather than copied.
        match Arc::try_unwrap(slice) {
            Ok((_, own)) => metas.extend(own),
            Err(shared) => metas.extend(shared.1.iter().cloned()),
        }
    }
    (index, metas)
}

/// Merges per-slice tables (each with its first document's number) into one index of
/// `count` documents.
fn merge(slices: &[(u32, &Slice)], count: usize, analyzer: &Analyzer) -> Index {
    // Each distinct word, stemmed once.
    let mut word_stem: Words<Option<usize>> = Words::default();
    let mut stem_ids: Words<usize> = Words::default();
    for word in slices.iter().flat_map(|(_, s)| s.ids.keys()) {
        if !word_stem.contains_key(word) {
            let stem = analyzer.stem(word).filter(|s| !s.is_empty()).map(|s| {
                let next = stem_ids.len();
                *stem_ids.entry(s).or_insert(next)
            });
            word_stem.insert(word.clone(), stem);
        }
    }
    // Postings by stem, slice after slice so that documents stay in order; where words of
    // one stem met in a slice, that slice's part is sorted and merged.
    let mut stem_postings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); stem_ids.len()];
    let (mut seen_in, mut start) = (vec![usize::MAX; stem_ids.len()], vec![0; stem_ids.len()]);
    for (k, &(first, slice)) in slices.iter().enumerate() {
        let mut met = Vec::new();
        for (word, &l) in &slice.ids {
            let Some(s) = word_stem.get(word).copied().flatten() else { continue };
            if seen_in[s] == k {
                met.push(s);
            } else {
                (seen_in[s], start[s]) = (k, stem_postings[s].len());
            }
            stem_postings[s].extend(slice.postings[l].iter().map(|&(doc, tf)| (doc + first, tf)));
        }
        met.sort_unstable();
        met.dedup();
        for s in met {
            merge_by_doc(&mut stem_postings[s], start[s]);
        }
    }
    let mut lengths = vec![0u64; count];
    for &(doc, tf) in stem_postings.iter().flatten() {
        lengths[doc as usize] += u64::from(tf);
    }
    let average = (lengths.iter().sum::<u64>() as f64 / count.max(1) as f64).max(1.0);
    // Stems in JavaScript order, words pointing at their new positions.
    let mut order: Vec<(String, usize)> = stem_ids.into_iter().collect();
    order.sort_by(|a, b| js_order(&a.0, &b.0));
    let mut position = vec![0; order.len()];
    let docs_count = count as f64;
    let stems = order
        .into_iter()
        .enumerate()
        .map(|(at, (text, id))| {
            position[id] = at;
            let list = std::mem::take(&mut stem_postings[id]);
            let df = list.len() as f64;
            let idf = (1.0 + (docs_count - df + 0.5) / (df + 0.5)).ln();
            let postings = list
                .into_iter()
                .map(|(doc, tf)| Posting { doc, weight: quantise(tf, lengths[doc as usize], average) })
                .collect();
            Stem { text, idf, postings }
        })
        .collect();
    let mut vocabulary: Vec<(String, Option<usize>)> =
        word_stem.into_iter().map(|(word, stem)| (word, stem.map(|id| position[id]))).collect();
    vocabulary.sort_by(|a, b| js_order(&a.0, &b.0));
    Index { vocabulary, stems }
}

/// Sorts the `(document, tf)` pairs of `list` from `from` on by document and adds up the
/// frequencies of one document.
fn merge_by_doc(list: &mut Vec<(u32, u32)>, from: usize) {
    let mut tail = list.split_off(from);
    tail.sort_unstable_by_key(|&(doc, _)| doc);
    tail.dedup_by(|next, kept| {
        let same = next.0 == kept.0;
        if same {
            kept.1 += next.1;
        }
        same
    });
    list.append(&mut tail);
}

/// BM25's term-frequency part, `tf·(k1+1) / (tf + k1·(1−b+b·len/avg))`, scaled from its range
/// `0..k1+1` to `1..=MAX_WEIGHT`.
fn quantise(tf: u32, length: u64, average: f64) -> u8 {
    let tf = f64::from(tf);
    let part = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length as f64 / average));
    let scaled = (part / (K1 + 1.0) * f64::from(MAX_WEIGHT)).round();
    scaled.clamp(1.0, f64::from(MAX_WEIGHT)) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::documents::Kind;

    /// Documents per slice when a test builds an index in one call.
    const MIN_SLICE: usize = 256;

    /// Indexes `docs` in a few slices.
    fn build(docs: &[Document], analyzer: &Analyzer) -> Index {
        build_in_slices(docs, analyzer, docs.len().div_ceil(rayon::current_num_threads() * 2).max(MIN_SLICE))
    }

    /// [`build`] with `slice` documents tokenised together; the result does not depend on it.
    fn build_in_slices(docs: &[Document], analyzer: &Analyzer, slice: usize) -> Index {
        let chunks: Vec<&[Document]> = docs.chunks(slice.max(1)).collect();
        build_from(&chunks, |chunk| chunk.to_vec(), analyzer).0
    }

    fn doc(title: &str, text: &str) -> Document {
        let meta = Meta {
            k: Kind::Review,
            t: title.into(),
            u: String::new(),
            p: String::new(),
            d: None,
            v: None,
            r: None,
            x: String::new(),
        };
        Document { kind: Kind::Review, title: title.into(), text: text.into(), meta }
    }

    fn stem<'a>(index: &'a Index, text: &str) -> &'a Stem {
        index.stems.iter().find(|s| s.text == text).unwrap_or_else(|| panic!("no stem {text}"))
    }

    #[test]
    fn words_map_to_stems_and_stems_to_documents() {
        let docs = [
            doc("Upgrades", "The upgrade keys are held by a multisig."),
            doc("Fees", "Fees rise after every upgrade; upgrading is costly."),
            doc("Nothing", "Unrelated text."),
        ];
        let index = build(&docs, &Analyzer::new("en"));
        let words: Vec<(&str, Option<&str>)> = index
            .vocabulary
            .iter()
            .map(|(w, s)| (w.as_str(), s.map(|s| index.stems[s].text.as_str())))
            .filter(|(w, _)| w.starts_with("upgrad") || *w == "the")
            .collect();
        assert_eq!(
            words,
            [("the", None), ("upgrade", Some("upgrad")), ("upgrades", Some("upgrad")), ("upgrading", Some("upgrad"))]
        );
        let upgrade = stem(&index, "upgrad");
        assert_eq!(upgrade.postings.iter().map(|p| p.doc).collect::<Vec<_>>(), [0, 1]);
        assert!(index.stems.windows(2).all(|w| js_order(&w[0].text, &w[1].text).is_lt()));
        assert!(upgrade.idf > 0.0 && upgrade.idf < stem(&index, "unrel").idf, "rarer stems weigh more");
    }

    #[test]
    fn titles_weigh_more_than_bodies_and_repetition_saturates() {
        let docs = [
            doc("Governance", "A review."),
            doc("A review", "It mentions governance once."),
            doc("Another", "governance governance governance governance governance governance"),
        ];
        let index = build(&docs, &Analyzer::new("en"));
        let weights: Vec<u8> = stem(&index, "govern").postings.iter().map(|p| p.weight).collect();
        assert!(weights[0] > weights[1], "title beats one mention in the body: {weights:?}");
        assert!(weights[2] > weights[1] && u32::from(weights[2]) <= MAX_WEIGHT, "{weights:?}");
    }

    #[test]
    fn slices_merge_into_the_same_index_as_one_pass() {
        let docs: Vec<Document> = (0..MIN_SLICE * 2 + 7)
            .map(|i| doc(&format!("Title {i}"), &format!("word{} shared text", i % 13)))
            .collect();
        let index = build_in_slices(&docs, &Analyzer::new("en"), 7);
        let shared = stem(&index, "share");
        assert_eq!(shared.postings.len(), docs.len());
        assert!(shared.postings.windows(2).all(|w| w[0].doc < w[1].doc), "postings stay in document order");
        assert_eq!(stem(&index, "word12").postings.len(), (docs.len() - 12).div_ceil(13));
        assert_eq!(build_in_slices(&docs, &Analyzer::new("en"), docs.len()), index, "slicing changes nothing");
        assert_eq!(build(&docs, &Analyzer::new("en")), index);
    }

    #[test]
    fn quantised_weights_stay_in_range() {
        assert_eq!(quantise(1, 10_000, 10.0), 1);
        assert_eq!(u32::from(quantise(1_000, 1, 100.0)), MAX_WEIGHT);
        assert!(quantise(2, 100, 100.0) > quantise(1, 100, 100.0));
    }
}
