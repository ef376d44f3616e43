//! The chunk files following a [`Change`] of their index: only those whose content changed are
//! made again.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::super::BATCH;
use super::super::documents::Meta;
use super::super::index::{Change, Index};
use super::super::tokenize::js_order;
use super::{Chunks, meta_file, vocab_files};
use crate::hash::hash_str;

impl Chunks {
    /// Follows `change` of `index` (as `serve` keeps an index), where the documents from each `(first, metas)` of
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
}
