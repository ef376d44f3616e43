//! Swapping one slice of documents for another in a kept index, and noting what changed for
//! the files made from it.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use super::super::slice::Slice;
use super::super::tokenize::Analyzer;
use super::{Index, Word, merge_by_doc};

/// What [`Index::replace`] changed, for the files made from the index to follow.
#[derive(Debug, Default)]
pub struct Change {
    /// Stems whose postings may differ (by number), including added and removed ones.
    pub stems: BTreeSet<u32>,
    /// Stems whose postings in a range (by position) hold the same documents, but whose
    /// weights there may differ.
    pub reweighed: Vec<(u32, Range<usize>)>,
    /// Words now in the index that were not.
    pub added_words: Vec<String>,
    /// Words no longer in the index (a word may be removed, then added again).
    pub removed_words: Vec<String>,
    /// Stems (by number) now in the index that were not.
    pub added_stems: Vec<u32>,
    /// Stems (by number) no longer in the index; their text stays readable until the next
    /// change.
    pub removed_stems: Vec<u32>,
    /// A replaced slice had another number of documents, so every document after it was
    /// renumbered: every stem in one changed, and the files are to be made afresh.
    pub renumbered: bool,
}

impl Index {
    /// Replaces `old`, the slice whose documents start at `first`, by `new`, and notes what
    /// changed in `change`. A `new` of another number of documents renumbers the documents
    /// after it (a review added or removed). Call [`Index::settle`] after the last
    /// replacement.
    pub fn replace(&mut self, first: u32, old: &Slice, new: &Slice, analyzer: &Analyzer, change: &mut Change) {
        let end = first + u32::try_from(new.docs).unwrap_or(u32::MAX);
        let old_end = first + u32::try_from(old.docs).unwrap_or(u32::MAX);
        let mut touched = Vec::new();
        let mut gone = Vec::new();
        for word in old.ids.keys() {
            let Some(w) = self.words.get_mut(word) else { continue };
            w.slices -= 1;
            touched.extend(w.stem);
            if w.slices == 0 {
                gone.push(word);
            }
        }
        let (range, old_range) = (first as usize..end as usize, first as usize..old_end as usize);
        let renumbering = old_end != end;
        // Compared with the new lengths below, when the documents keep their numbers.
        let old_lengths = if renumbering { Vec::new() } else { self.lengths[old_range.clone()].to_vec() };
        for length in &mut self.lengths[old_range.clone()] {
            self.total -= std::mem::take(length);
        }
        if renumbering {
            self.lengths.splice(old_range, std::iter::repeat_n(0, new.docs));
        }
        // The new slice's postings by stem; stems met through several words are merged.
        let mut fresh: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
        let mut several = Vec::new();
        for (word, &l) in &new.ids {
            let stem = match self.words.get_mut(word) {
                Some(w) => {
                    w.slices += 1;
                    w.stem
                }
                None => {
                    let stem = self.stem_of(word, analyzer).map(|(id, new)| {
                        if new {
                            change.added_stems.push(id);
                        }
                        id
                    });
                    self.words.insert(word.clone(), Word { slices: 1, stem });
                    change.added_words.push(word.clone());
                    stem
                }
            };
            let Some(s) = stem else { continue };
            touched.push(s);
            let list = fresh.entry(s).or_default();
            if !list.is_empty() {
                several.push(s);
            }
            for &(doc, tf) in &new.postings[l] {
                list.push((doc + first, tf));
                self.lengths[(doc + first) as usize] += u64::from(tf);
                self.total += u64::from(tf);
            }
        }
        for word in gone {
            if self.words.get(word).is_some_and(|w| w.slices == 0) {
                self.words.remove(word);
                change.removed_words.push(word.clone());
            }
        }
        for s in several {
            if let Some(list) = fresh.get_mut(&s) {
                merge_by_doc(list, 0);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        if renumbering {
            // Stems left without postings are freed by `settle`.
            change.stems.extend(touched.iter().copied());
            change.renumbered = true;
            self.renumber(first, old_end, end, &touched, fresh);
            return;
        }
        // A stem changed if its postings in the slice did, or the length of one of their
        // documents (which weighs every term of the document) did.
        let resized: Vec<bool> = old_lengths.iter().zip(&self.lengths[range]).map(|(a, b)| a != b).collect();
        for s in touched {
            let list = &mut self.stems[s as usize].postings;
            let (lo, hi) = (list.partition_point(|p| p.0 < first), list.partition_point(|p| p.0 < end));
            let new = fresh.remove(&s).unwrap_or_default();
            let same_docs = hi - lo == new.len() && list[lo..hi].iter().zip(&new).all(|(a, b)| a.0 == b.0);
            if same_docs {
                // The same documents: only their weights can differ, in place.
                if list[lo..hi] != new[..] || new.iter().any(|&(doc, _)| resized[(doc - first) as usize]) {
                    list[lo..hi].copy_from_slice(&new);
                    change.reweighed.push((s, lo..hi));
                }
            } else {
                list.splice(lo..hi, new);
                change.stems.insert(s);
            }
        }
    }

    /// Puts `fresh`, the postings by stem of the documents now at `first..end`, in place of
    /// those of the documents that were at `first..old_end` (in the stems `touched`, sorted),
    /// and renumbers the documents after them in every stem.
    fn renumber(
        &mut self,
        first: u32,
        old_end: u32,
        end: u32,
        touched: &[u32],
        mut fresh: HashMap<u32, Vec<(u32, u32)>>,
    ) {
        let shift = |postings: &mut [(u32, u32)]| {
            for p in postings {
                p.0 = p.0 - old_end + end;
            }
        };
        for (s, stem) in self.stems.iter_mut().enumerate() {
            let (list, s) = (&mut stem.postings, u32::try_from(s).unwrap_or(u32::MAX));
            let from = if touched.binary_search(&s).is_ok() {
                let (lo, hi) = (list.partition_point(|p| p.0 < first), list.partition_point(|p| p.0 < old_end));
                let new = fresh.remove(&s).unwrap_or_default();
                let after = lo + new.len();
                list.splice(lo..hi, new);
                after
            } else {
                list.partition_point(|p| p.0 < old_end)
            };
            shift(&mut list[from..]);
        }
    }

    /// Frees the stems that replacements left without postings.
    pub fn settle(&mut self, change: &mut Change) {
        for &s in &change.stems {
            let stem = &self.stems[s as usize];
            if stem.postings.is_empty() && self.stem_ids.get(&stem.text) == Some(&s) {
                self.stem_ids.remove(&stem.text);
                self.free.push(s);
                change.removed_stems.push(s);
            }
        }
    }
}
