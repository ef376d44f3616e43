//! Documents into words: a slice of consecutive documents tokenised together, with its own
//! word table and the weighted term frequencies of each word per document. Slices are made in
//! parallel and merged into an [`Index`](super::index::Index) in order.

use crate::hash::FastMap;

use super::documents::{Document, Meta};
use super::tokenize::each_word;

/// How many times a word of a title counts.
pub const TITLE_BOOST: u32 = 3;
/// Words longer than this (in bytes) are not indexed: hashes and addresses, not words.
const MAX_WORD_BYTES: usize = 48;

/// The most distinct words of one document indexed. A long critique uses a few thousand; a
/// file of a million made-up words (8 MB holds that many) would make the site's shipped
/// vocabulary and the build's memory grow with them. Words met past the bound, if not met
/// before in the document, are not indexed.
pub const MAX_DISTINCT_WORDS: usize = 20_000;

/// A table keyed by words (see [`crate::hash`]).
pub type Words<V> = FastMap<String, V>;

/// The words of consecutive documents, numbered from 0 within the slice.
#[derive(Default)]
pub struct Slice {
    /// Each word, with its number in `postings`.
    pub ids: Words<usize>,
    /// Per word: `(document, weighted term frequency)`, by increasing document.
    pub postings: Vec<Vec<(u32, u32)>>,
    /// How many documents the slice has.
    pub docs: usize,
    /// Per word, its frequency in the current document.
    tf: Vec<u32>,
    /// The words of the current document, in order of first use.
    touched: Vec<usize>,
}

impl Slice {
    /// Tokenises `docs`; returns the slice and what results show of each document.
    pub fn collect(docs: impl IntoIterator<Item = Document>) -> (Self, Vec<Meta>) {
        let mut slice = Slice::default();
        let mut metas = Vec::new();
        // Where capitalised words are lowercased, for every document of the slice.
        let mut scratch = String::new();
        for doc in docs {
            slice.add(&doc.title, TITLE_BOOST, &mut scratch);
            slice.add(&doc.text, 1, &mut scratch);
            // Counted in a small dense table first: the lists are touched once per word.
            let id = u32::try_from(metas.len()).unwrap_or(u32::MAX);
            for &word in &slice.touched {
                slice.postings[word].push((id, slice.tf[word]));
                slice.tf[word] = 0;
            }
            slice.touched.clear();
            metas.push(doc.meta);
        }
        slice.docs = metas.len();
        slice.tf = Vec::new();
        (slice, metas)
    }

    fn add(&mut self, text: &str, weight: u32, scratch: &mut String) {
        each_word(text, scratch, |word| {
            if word.len() > MAX_WORD_BYTES {
                return;
            }
            // Whether a word is indexed depends on its document alone, not on the words other
            // documents of the slice brought in: the index is the same however it is sliced.
            let full = self.touched.len() >= MAX_DISTINCT_WORDS;
            let id = match self.ids.get(word) {
                Some(&id) if full && self.tf[id] == 0 => return,
                Some(&id) => id,
                None if full => return,
                None => {
                    self.ids.insert(word.to_string(), self.postings.len());
                    self.postings.push(Vec::new());
                    self.tf.push(0);
                    self.postings.len() - 1
                }
            };
            if self.tf[id] == 0 {
                self.touched.push(id);
            }
            self.tf[id] += weight;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::tests::doc;

    #[test]
    fn a_document_indexes_a_bounded_number_of_distinct_words() {
        let many: String = (0..MAX_DISTINCT_WORDS + 500).map(|i| format!("w{i} ")).collect();
        // A word every document shares, met last in the long one.
        let (slice, _) = Slice::collect([doc("Shared", "zzz"), doc("T", &format!("{many} zzz w0 w0"))]);
        let long_doc_words = slice.postings.iter().filter(|p| p.iter().any(|&(d, _)| d == 1)).count();
        assert_eq!(long_doc_words, MAX_DISTINCT_WORDS);
        let zzz = slice.ids.get("zzz").copied().expect("zzz");
        assert_eq!(slice.postings[zzz], [(0, 1)], "not indexed past the bound, though known from another document");
        let w0 = slice.ids.get("w0").copied().expect("w0");
        assert_eq!(slice.postings[w0], [(1, 3)], "a word met before the bound still counts");
    }
}
