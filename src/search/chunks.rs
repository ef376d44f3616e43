//! The index's chunk files: the vocabulary, the postings and what results show, each cut into
//! files of about a fixed size so that a query fetches a few small files. [`Chunks`] keeps the
//! files of an index and, after a [`Change`], makes again only those whose content changed.

use std::collections::BTreeMap;
use std::ops::Range;

use bytes::Bytes;
use rayon::prelude::*;

use super::documents::Meta;
use super::encode;
use super::index::Index;
use super::{BATCH, json};
use crate::hash::hash_str;
use crate::output::OutputFile;

// Following a change of the index (how `serve` keeps its files between rebuilds).
#[cfg(feature = "serve")]
mod update;

/// Target size of a vocabulary chunk, in bytes of JSON (tiny in unit tests, so that their
/// small indexes span many chunks).
const VOCAB_CHUNK: usize = if cfg!(test) { 48 } else { 8 * 1024 };
/// Target size of a postings chunk, in bytes of JSON.
const POSTINGS_CHUNK: usize = if cfg!(test) { 96 } else { 16 * 1024 };

/// The chunk files of an index, with what it takes to update them.
pub struct Chunks {
    /// Every word with its stem's number, in JavaScript string order.
    #[cfg_attr(not(feature = "serve"), expect(dead_code, reason = "read only as the files follow a change"))]
    vocabulary: Vec<(String, Option<u32>)>,
    /// How many words each vocabulary file holds.
    #[cfg_attr(not(feature = "serve"), expect(dead_code, reason = "read only as the files follow a change"))]
    vocab_counts: Vec<usize>,
    /// Stem numbers, by the stems' JavaScript string order.
    order: Vec<u32>,
    /// Each stem's encoded postings, by stem number.
    encoded: Vec<String>,
    /// The average document length the encodings are weighted for.
    #[cfg_attr(not(feature = "serve"), expect(dead_code, reason = "read only as the files follow a change"))]
    average: f64,
    /// What results show, per document.
    #[cfg_attr(not(feature = "serve"), expect(dead_code, reason = "read only as the files follow a change"))]
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
