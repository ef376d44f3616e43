//! The inverted index: every folded word with its stem, and every stem with the documents
//! containing it and its weighted term frequency in each. [`Index::merge`] joins tokenised
//! slices in order, so the result does not depend on threads; `serve` keeps the index and
//! swaps in the slices an edit changed ([`Index::replace`]). BM25 weights are worked out when
//! a stem is encoded ([`Index::encode`]).

use super::encode::{self, Posting};

// Swapping a part of the documents in: how `serve` keeps an index between rebuilds.
#[cfg(feature = "serve")]
mod replace;

use super::slice::{Slice, Words};
use super::tokenize::{Analyzer, js_order};
#[cfg(feature = "serve")]
pub use replace::Change;

/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.75;
/// The highest quantised weight (weights are 1..=MAX_WEIGHT, one character each).
pub const MAX_WEIGHT: u32 = 15;

/// A word of the index.
#[derive(Debug, Clone, Copy)]
struct Word {
    /// How many slices hold it.
    slices: u32,
    /// Its stem's number (`None`: a stop word).
    stem: Option<u32>,
}

/// A stem with where it occurs.
#[derive(Debug, Default)]
pub struct Stem {
    /// The stem.
    pub text: String,
    /// `(document, weighted term frequency)`, by increasing document.
    pub postings: Vec<(u32, u32)>,
}

/// The index of a set of documents.
#[derive(Debug, Default)]
pub struct Index {
    words: Words<Word>,
    stem_ids: Words<u32>,
    /// Stems by number; a number in `free` belongs to no stem and has no postings.
    stems: Vec<Stem>,
    free: Vec<u32>,
    /// Per document, its length: the weighted frequencies of its words that have a stem.
    lengths: Vec<u64>,
    /// The sum of `lengths`.
    total: u64,
}

impl Index {
    /// Merges slices (each with the number of its first document) into the index of `count`
    /// documents.
    pub fn merge(slices: &[(u32, &Slice)], count: usize, analyzer: &Analyzer) -> Self {
        let mut index = Index { lengths: vec![0; count], ..Index::default() };
        // Each distinct word, stemmed once.
        for word in slices.iter().flat_map(|(_, s)| s.ids.keys()) {
            match index.words.get_mut(word) {
                Some(w) => w.slices += 1,
                None => {
                    let stem = index.stem_of(word, analyzer).map(|(id, _)| id);
                    index.words.insert(word.clone(), Word { slices: 1, stem });
                }
            }
        }
        // Postings by stem, slice after slice so that documents stay in order; where words of
        // one stem met in a slice, that slice's part is sorted and merged.
        let (mut seen_in, mut start) = (vec![usize::MAX; index.stems.len()], vec![0; index.stems.len()]);
        for (k, &(first, slice)) in slices.iter().enumerate() {
            let mut met = Vec::new();
            for (word, &l) in &slice.ids {
                let Some(s) = index.words.get(word).and_then(|w| w.stem) else { continue };
                let (s, list) = (s as usize, &mut index.stems[s as usize].postings);
                if seen_in[s] == k {
                    met.push(s);
                } else {
                    (seen_in[s], start[s]) = (k, list.len());
                }
                list.extend(slice.postings[l].iter().map(|&(doc, tf)| (doc + first, tf)));
            }
            met.sort_unstable();
            met.dedup();
            for s in met {
                merge_by_doc(&mut index.stems[s].postings, start[s]);
            }
        }
        for &(doc, tf) in index.stems.iter().flat_map(|s| &s.postings) {
            index.lengths[doc as usize] += u64::from(tf);
            index.total += u64::from(tf);
        }
        index
    }

    /// The number of `word`'s stem, made if new, with whether it was; `None` for a stop word.
    fn stem_of(&mut self, word: &str, analyzer: &Analyzer) -> Option<(u32, bool)> {
        let text = analyzer.stem(word).filter(|s| !s.is_empty())?;
        if let Some(&id) = self.stem_ids.get(&text) {
            return Some((id, false));
        }
        let id = match self.free.pop() {
            Some(id) => id,
            None => {
                self.stems.push(Stem::default());
                u32::try_from(self.stems.len() - 1).unwrap_or(u32::MAX)
            }
        };
        self.stems[id as usize].text.clone_from(&text);
        self.stem_ids.insert(text, id);
        Some((id, true))
    }

    /// How many documents are indexed.
    pub fn documents(&self) -> usize {
        self.lengths.len()
    }

    /// Stem number `id` (empty if no stem has it).
    pub fn stem(&self, id: u32) -> &Stem {
        &self.stems[id as usize]
    }

    /// How many stem numbers there are, used or free.
    pub fn stem_slots(&self) -> usize {
        self.stems.len()
    }

    /// Whether stem number `id` belongs to a stem.
    pub fn has_stem(&self, id: u32) -> bool {
        self.stems.get(id as usize).is_some_and(|s| self.stem_ids.get(&s.text) == Some(&id))
    }

    /// The stem number of `word`, if the index has the word (`Some(None)`: a stop word).
    pub fn word(&self, word: &str) -> Option<Option<u32>> {
        self.words.get(word).map(|w| w.stem)
    }

    /// Every word with its stem's number, in JavaScript string order.
    pub fn vocabulary(&self) -> Vec<(String, Option<u32>)> {
        let mut vocabulary: Vec<(String, Option<u32>)> = self.words.iter().map(|(w, e)| (w.clone(), e.stem)).collect();
        vocabulary.sort_by(|a, b| js_order(&a.0, &b.0));
        vocabulary
    }

    /// Every stem's number, by the stems' JavaScript string order.
    pub fn stem_order(&self) -> Vec<u32> {
        let mut order: Vec<u32> = self.stem_ids.values().copied().collect();
        order.sort_by(|&a, &b| js_order(&self.stem(a).text, &self.stem(b).text));
        order
    }

    /// The average document length BM25 normalises by, rounded to a whole word: an edit to
    /// one document then rarely changes the weights of the others.
    pub fn average(&self) -> f64 {
        (self.total as f64 / self.documents().max(1) as f64).round().max(1.0)
    }

    /// Stem `id`'s postings as [`encode::postings`] writes them, weighted for `average`.
    pub fn encode(&self, id: u32, average: f64) -> String {
        let (idf, postings) = self.weighted(id, average);
        encode::postings(idf, &postings)
    }

    /// The weight character of stem `id`'s posting at `at`, for `average`.
    pub fn weight_char(&self, id: u32, at: usize, average: f64) -> u8 {
        let (doc, tf) = self.stem(id).postings[at];
        encode::ALPHABET[usize::from(quantise(tf, self.lengths[doc as usize], average))]
    }

    /// Stem `id`'s inverse document frequency (BM25's, always positive) and its postings
    /// weighted for `average`.
    fn weighted(&self, id: u32, average: f64) -> (f64, Vec<Posting>) {
        let stem = self.stem(id);
        let count = self.documents() as f64;
        let df = stem.postings.len() as f64;
        let idf = (1.0 + (count - df + 0.5) / (df + 0.5)).ln();
        let postings = stem
            .postings
            .iter()
            .map(|&(doc, tf)| Posting { doc, weight: quantise(tf, self.lengths[doc as usize], average) })
            .collect();
        (idf, postings)
    }
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
pub(crate) mod tests {
    use super::*;
    use crate::search::build;
    use crate::search::documents::{Document, Kind, Meta};

    /// Indexes `docs` in slices of `slice` documents; the result does not depend on it.
    fn build_in_slices(docs: &[Document], slice: usize) -> Index {
        let chunks: Vec<&[Document]> = docs.chunks(slice.max(1)).collect();
        build(&chunks, |chunk| chunk.to_vec(), &Analyzer::new("en")).0
    }

    pub(crate) fn doc(title: &str, text: &str) -> Document {
        let meta = Meta {
            k: Kind::Review,
            t: title.into(),
            u: String::new(),
            p: String::new(),
            d: None,
            v: None,
            r: None,
            s: None,
            x: String::new(),
        };
        Document { kind: Kind::Review, title: title.into(), text: text.into(), meta }
    }

    /// The idf and the weighted postings of the stem `text`.
    fn stem(index: &Index, text: &str) -> (f64, Vec<Posting>) {
        let id = index.stem_ids.get(text).unwrap_or_else(|| panic!("no stem {text}"));
        index.weighted(*id, index.average())
    }

    #[test]
    fn words_map_to_stems_and_stems_to_documents() {
        let docs = [
            doc("Upgrades", "The upgrade keys are held by a multisig."),
            doc("Fees", "Fees rise after every upgrade; upgrading is costly."),
            doc("Nothing", "Unrelated text."),
        ];
        let index = build_in_slices(&docs, 2);
        let words: Vec<(String, Option<&str>)> = index
            .vocabulary()
            .into_iter()
            .map(|(w, s)| (w, s.map(|s| index.stem(s).text.as_str())))
            .filter(|(w, _)| w.starts_with("upgrad") || *w == "the")
            .collect();
        let expected =
            [("the", None), ("upgrade", Some("upgrad")), ("upgrades", Some("upgrad")), ("upgrading", Some("upgrad"))];
        assert_eq!(words, expected.map(|(w, s)| (w.to_string(), s)));
        let (idf, upgrade) = stem(&index, "upgrad");
        assert_eq!(upgrade.iter().map(|p| p.doc).collect::<Vec<_>>(), [0, 1]);
        let order = index.stem_order();
        assert!(order.windows(2).all(|w| js_order(&index.stem(w[0]).text, &index.stem(w[1]).text).is_lt()));
        assert!(idf > 0.0 && idf < stem(&index, "unrel").0, "rarer stems weigh more");
    }

    #[test]
    fn titles_weigh_more_than_bodies_and_repetition_saturates() {
        let docs = [
            doc("Governance", "A review."),
            doc("A review", "It mentions governance once."),
            doc("Another", "governance governance governance governance governance governance"),
        ];
        let index = build_in_slices(&docs, 3);
        let weights: Vec<u8> = stem(&index, "govern").1.iter().map(|p| p.weight).collect();
        assert!(weights[0] > weights[1], "title beats one mention in the body: {weights:?}");
        assert!(weights[2] > weights[1] && u32::from(weights[2]) <= MAX_WEIGHT, "{weights:?}");
    }

    #[test]
    fn slices_merge_into_the_same_index_as_one_pass() {
        let docs: Vec<Document> =
            (0..519).map(|i| doc(&format!("Title {i}"), &format!("word{} shared text", i % 13))).collect();
        let index = build_in_slices(&docs, 7);
        let (_, shared) = stem(&index, "share");
        assert_eq!(shared.len(), docs.len());
        assert!(shared.windows(2).all(|w| w[0].doc < w[1].doc), "postings stay in document order");
        assert_eq!(stem(&index, "word12").1.len(), (docs.len() - 12).div_ceil(13));
        assert_eq!(canonical(&build_in_slices(&docs, docs.len())), canonical(&index), "slicing changes nothing");
    }

    /// What an index holds, whatever numbers its stems have: words with their stems, stems
    /// with their postings, and document lengths.
    type Content = (Vec<(String, Option<String>)>, Vec<(String, Vec<(u32, u32)>)>, Vec<u64>);

    /// The index's content.
    pub(crate) fn canonical(index: &Index) -> Content {
        let text = |s: u32| index.stem(s).text.clone();
        let words = index.vocabulary().into_iter().map(|(w, s)| (w, s.map(text))).collect();
        let stems = index.stem_order().into_iter().map(|s| (text(s), index.stem(s).postings.clone())).collect();
        assert_eq!(index.total, index.lengths.iter().sum::<u64>());
        (words, stems, index.lengths.clone())
    }

    #[test]
    fn quantised_weights_stay_in_range() {
        assert_eq!(quantise(1, 10_000, 10.0), 1);
        assert_eq!(u32::from(quantise(1_000, 1, 100.0)), MAX_WEIGHT);
        assert!(quantise(2, 100, 100.0) > quantise(1, 100, 100.0));
    }
}
