//! Making the index at once: the documents of each part tokenised in parallel, the parts'
//! slices merged in order.

use rayon::prelude::*;

use super::documents::{Document, Meta};
use super::index::Index;
use super::slice::Slice;
use super::tokenize::Analyzer;

/// Indexes the documents that `make` returns for each of `sources`, in order, tokenising the
/// sources in parallel. Returns the index and what results show of each document.
pub fn build<S: Sync>(
    sources: &[S],
    make: impl Fn(&S) -> Vec<Document> + Sync,
    analyzer: &Analyzer,
) -> (Index, Vec<Meta>) {
    let slices: Vec<(Slice, Vec<Meta>)> = sources.par_iter().map(|s| Slice::collect(make(s))).collect();
    let index = merge(slices.iter().map(|s| &s.0), analyzer);
    (index, slices.into_iter().flat_map(|(_, metas)| metas).collect())
}

/// Merges slices into one index, numbering documents on from slice to slice.
pub fn merge<'a>(slices: impl Iterator<Item = &'a Slice>, analyzer: &Analyzer) -> Index {
    let mut count = 0;
    let numbered: Vec<(u32, &Slice)> = slices
        .map(|slice| {
            let first = u32::try_from(count).unwrap_or(u32::MAX);
            count += slice.docs;
            (first, slice)
        })
        .collect();
    Index::merge(&numbered, count, analyzer)
}
