//! The index's chunk files: the vocabulary, the postings and what results show, each cut into
//! files of about a fixed size so that a query fetches a few small files. [`Chunks`] keeps the
//! files of an index and, after a [`Change`], makes again only those whose content changed.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use bytes::Bytes;
use rayon::prelude::*;

use super::documents::Meta;
use super::encode;
use super::index::{Change, Index};
use super::tokenize::js_order;
use super::{BATCH, json};
use crate::hash::hash_str;
use crate::output::OutputFile;

/// Target size of a vocabulary chunk, in bytes of JSON (tiny in unit tests, so that their
/// small indexes span many chunks).
const VOCAB_CHUNK: usize = if cfg!(test) { 48 } else { 8 * 1024 };
/// Target size of a postings chunk, in bytes of JSON.
const POSTINGS_CHUNK: usize = if cfg!(test) { 96 } else { 16 * 1024 };

/// The chunk files of an index, with what it takes to update them.
pub struct Chunks {
    /// Every word with its stem's number, in JavaScript string order.
    vocabulary: Vec<(String, Option<u32>)>,
    /// How many words each vocabulary file holds.
    vocab_counts: Vec<usize>,
    /// Stem numbers, by the stems' JavaScript string order.
    order: Vec<u32>,
    /// Each stem's encoded postings, by stem number.
    encoded: Vec<String>,
    /// The average document length the encodings are weighted for.
    average: f64,
    /// What results show, per document.
    metas: Vec<Meta>,
    files: Files,
    /// The stems of each postings file.
    postings_stems: Vec<Vec<u32>>,
    /// The hash of each stem's text, by stem number, where postings files are cut.
    stem_hashes: Vec<u64>,
}

/// The chunk files, by kind, with the first word of each vocabulary file and the first stem
/// of each postings file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Files {
    /// `search/vocab/N.json`.
    pub vocab: Vec<OutputFile>,
    /// The first word of each vocabulary file.
    pub vocab_firsts: Vec<String>,
    /// `search/postings/N.json`.
    pub postings: Vec<OutputFile>,
    /// The first stem of each postings file.
    pub postings_firsts: Vec<String>,
    /// `search/meta/N.json`.
    pub meta: Vec<OutputFile>,
}

impl Chunks {
    /// The chunk files of `index`, whose documents show `metas`.
    pub fn new(index: &Index, metas: Vec<Meta>) -> Self {
        let vocabulary = index.vocabulary();
        let order = index.stem_order();
        let average = index.average();
        let encoded: Vec<String> = (0..index.stem_slots())
            .into_par_iter()
            .map(|id| {
                let id = u32::try_from(id).unwrap_or(u32::MAX);
                if index.has_stem(id) { index.encode(id, average) } else { String::new() }
            })
            .collect();
        let (vocab, vocab_firsts, vocab_counts) = vocab_files(index, &vocabulary, |_, _, _| None);
        let mut chunks = Chunks {
            vocabulary,
            vocab_counts,
            order,
            encoded,
            average,
            files: Files {
                vocab,
                vocab_firsts,
                meta: metas.par_chunks(BATCH).enumerate().map(meta_file).collect(),
                ..Files::default()
            },
            metas,
            postings_stems: Vec::new(),
            stem_hashes: Vec::new(),
        };
        chunks.make_postings(index, &|_| true);
        chunks
    }

    /// The files.
    pub fn files(&self) -> &Files {
        &self.files
    }

    /// The files, for a build that needs nothing else.
    pub fn into_files(self) -> Files {
        self.files
    }

    /// Follows `change` of `index`, where the documents from each `(first, metas)` of
    /// `replaced` on now show `metas` (as many as before).
    pub fn update(&mut self, index: &Index, change: &Change, replaced: &[(usize, Vec<Meta>)]) {
        let mut words_changed = false;
        for word in &change.removed_words {
            if let Ok(at) = self.vocabulary.binary_search_by(|(w, _)| js_order(w, word)) {
                self.vocabulary.remove(at);
                words_changed = true;
            }
        }
        for word in &change.added_words {
            let Some(stem) = index.word(word) else { continue };
            if let Err(at) = self.vocabulary.binary_search_by(|(w, _)| js_order(w, word)) {
                self.vocabulary.insert(at, (word.clone(), stem));
                words_changed = true;
            }
        }
        if words_changed {
            // A file whose first word and count are those of a file before, and among whose
            // words none came or went, holds the same words: it keeps its bytes.
            let mut changed: Vec<&str> =
                change.removed_words.iter().chain(&change.added_words).map(String::as_str).collect();
            changed.sort_by(|a, b| js_order(a, b));
            let (firsts, counts, files) = (&self.files.vocab_firsts, &self.vocab_counts, &self.files.vocab);
            let kept = |first: &str, last: &str, count: usize| {
                let at = firsts.binary_search_by(|f| js_order(f, first)).ok()?;
                let next = changed.partition_point(|c| js_order(c, first).is_lt());
                let untouched = changed.get(next).is_none_or(|c| js_order(c, last).is_gt());
                (counts[at] == count && untouched).then(|| files[at].bytes.clone())
            };
            let (vocab, vocab_firsts, vocab_counts) = vocab_files(index, &self.vocabulary, kept);
            (self.files.vocab, self.files.vocab_firsts, self.vocab_counts) = (vocab, vocab_firsts, vocab_counts);
        }
        let position =
            |order: &[u32], s: u32| order.binary_search_by(|&o| js_order(&index.stem(o).text, &index.stem(s).text));
        for &s in &change.removed_stems {
            if let Ok(at) = position(&self.order, s) {
                self.order.remove(at);
            }
        }
        for &s in change.added_stems.iter().filter(|&&s| index.has_stem(s)) {
            if let Err(at) = position(&self.order, s) {
                self.order.insert(at, s);
            }
            // A slot may be taken by another stem than before.
            if let Some(hash) = self.stem_hashes.get_mut(s as usize) {
                *hash = hash_str(&index.stem(s).text);
            }
        }
        self.encoded.resize(index.stem_slots(), String::new());
        // A new average weighs every stem anew; it changes seldom, being rounded.
        let average = index.average();
        let all = average != self.average;
        self.average = average;
        let mut dirty = vec![all; index.stem_slots()];
        for &s in &change.stems {
            dirty[s as usize] = true;
        }
        let stale: Vec<u32> = (0..index.stem_slots())
            .filter(|&s| dirty[s])
            .filter_map(|s| u32::try_from(s).ok())
            .filter(|&s| index.has_stem(s))
            .collect();
        let fresh: Vec<(u32, String)> = stale.par_iter().map(|&s| (s, index.encode(s, average))).collect();
        for (s, encoded) in fresh {
            self.encoded[s as usize] = encoded;
        }
        // Postings whose documents stayed: their weight characters, the encoding's last ones,
        // are patched in place. A stem whose characters all stay (a document a word longer
        // seldom moves a quantised weight) leaves its chunk as it was.
        let mut patched = Vec::new();
        for (s, range) in change.reweighed.iter().filter(|(s, _)| !dirty[*s as usize]) {
            let encoded = &mut self.encoded[*s as usize];
            let base = encoded.len() - index.stem(*s).postings.len();
            for at in range.clone() {
                let weight = index.weight_char(*s, at, average);
                if encoded.as_bytes().get(base + at) != Some(&weight) {
                    encoded.replace_range(base + at..base + at + 1, char::from(weight).encode_utf8(&mut [0; 4]));
                    patched.push(*s);
                }
            }
        }
        for s in patched {
            dirty[s as usize] = true;
        }
        self.make_postings(index, &|s| dirty[s as usize]);
        let mut batches = BTreeSet::new();
        for (first, metas) in replaced.iter().filter(|(_, m)| !m.is_empty()) {
            self.metas.splice(*first..first + metas.len(), metas.iter().cloned());
            batches.extend(first / BATCH..=(first + metas.len() - 1) / BATCH);
        }
        for batch in batches {
            let end = ((batch + 1) * BATCH).min(self.metas.len());
            self.files.meta[batch] = meta_file((batch, &self.metas[batch * BATCH..end]));
        }
    }

    /// Makes the postings files, keeping each file that holds the same stems as before, none
    /// of them `dirty`.
    fn make_postings(&mut self, index: &Index, dirty: &(dyn Fn(u32) -> bool + Sync)) {
        // A stem's hash is made once: for a new slot here, for a slot taken anew by `update`.
        let known = self.stem_hashes.len();
        self.stem_hashes.resize(index.stem_slots(), 0);
        for &s in &self.order {
            if s as usize >= known {
                self.stem_hashes[s as usize] = hash_str(&index.stem(s).text);
            }
        }
        let (order, encoded, hashes) = (&self.order, &self.encoded, &self.stem_hashes);
        let runs: Vec<Range<usize>> = encode::runs(
            order.iter().map(|&s| (index.stem(s).text.len() + encoded[s as usize].len() + 6, hashes[s as usize])),
            POSTINGS_CHUNK,
        );
        let mut old_files = std::mem::take(&mut self.files.postings).into_iter();
        let old_stems = std::mem::take(&mut self.postings_stems);
        let mut kept: Vec<Option<OutputFile>> = Vec::with_capacity(runs.len());
        for (i, run) in runs.iter().enumerate() {
            let file = old_files.next();
            let same = old_stems.get(i).is_some_and(|o| o[..] == order[run.clone()]);
            kept.push(file.filter(|_| same && !order[run.clone()].iter().any(|&s| dirty(s))));
        }
        self.files.postings = kept
            .into_par_iter()
            .zip(&runs)
            .enumerate()
            .map(|(i, (kept, run))| {
                kept.unwrap_or_else(|| {
                    let chunk: BTreeMap<&str, &str> = order[run.clone()]
                        .iter()
                        .map(|&s| (index.stem(s).text.as_str(), encoded[s as usize].as_str()))
                        .collect();
                    json(format!("search/postings/{i}.json"), &chunk)
                })
            })
            .collect();
        self.files.postings_firsts = runs.iter().map(|r| index.stem(order[r.start]).text.clone()).collect();
        self.postings_stems = runs.into_iter().map(|r| order[r].to_vec()).collect();
    }
}

/// A metadata file: batch number and its records.
fn meta_file((batch, metas): (usize, &[Meta])) -> OutputFile {
    json(format!("search/meta/{batch}.json"), &metas)
}

/// The vocabulary files, with the first word of each and how many words it holds. An entry is
/// the word alone when it is its own stem, `word stem` otherwise, and `word ` (an empty stem)
/// for a stop word. `kept` gives the bytes of a file of the given first and last words and
/// count that an earlier vocabulary had, if it holds the same words.
fn vocab_files(
    index: &Index,
    vocabulary: &[(String, Option<u32>)],
    kept: impl Fn(&str, &str, usize) -> Option<Bytes> + Sync,
) -> (Vec<OutputFile>, Vec<String>, Vec<usize>) {
    let stem = |s: Option<u32>| s.map(|s| index.stem(s).text.as_str());
    let runs = encode::runs(
        vocabulary.iter().map(|(w, s)| (w.len() + stem(*s).map_or(0, str::len) + 4, hash_str(w))),
        VOCAB_CHUNK,
    );
    let files = runs
        .par_iter()
        .enumerate()
        .map(|(i, run)| {
            let path = format!("search/vocab/{i}.json");
            let (first, last) = (&vocabulary[run.start].0, &vocabulary[run.end - 1].0);
            if let Some(bytes) = kept(first, last, run.len()) {
                return OutputFile::new(path, bytes);
            }
            let entries: Vec<String> = vocabulary[run.clone()]
                .iter()
                .map(|(word, s)| match stem(*s) {
                    Some(stem) if stem == word => word.clone(),
                    Some(stem) => format!("{word} {stem}"),
                    None => format!("{word} "),
                })
                .collect();
            json(path, &entries)
        })
        .collect();
    (files, runs.iter().map(|r| vocabulary[r.start].0.clone()).collect(), runs.iter().map(Range::len).collect())
}
