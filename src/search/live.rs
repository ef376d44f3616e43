//! Making the index: at once for a build ([`build`]), or kept by a `serve` session
//! ([`LiveIndex`]) between rebuilds. A session keeps the site's tokenised parts (by the texts
//! they were made from), the merged [`Index`] and its [`Chunks`]; an edit tokenises again only
//! the parts whose files changed, swaps them into the index and makes again only the chunk
//! files whose content changed. A part whose number of documents changed renumbers the
//! documents after it: its postings are swapped in and the later ones renumbered, and the
//! files are made afresh. A part added or removed, or many changed: the index is built
//! afresh.

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::FileHashes;
use super::chunks::{Chunks, Files};
use super::documents::{Document, Meta, documents, index_order, part_texts, parts_within, stable_bounds};
use super::facets::FacetCache;
use super::index::{Change, Index};
use super::slice::Slice;
use super::tokenize::Analyzer;
use crate::memo::{Memo, Versions};
use crate::model::Site;
use crate::output::OutputFile;

/// Swapping parts into the index is for a few changed parts (each swap moves the postings
/// after it): when more than one and more than one in this many changed, the index is built
/// afresh.
const SWAP_SHARE: usize = 4;

/// A tokenised part with what results show of its documents, shared by the memo and the index.
type SharedSlice = Arc<(Slice, Vec<Meta>)>;

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
fn merge<'a>(slices: impl Iterator<Item = &'a Slice>, analyzer: &Analyzer) -> Index {
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

/// The facet files, with the number of the structure they were made for, and what they were
/// made from.
pub type KeptFacets = (Option<(u64, Vec<OutputFile>)>, FacetCache);

/// The search index of a `serve` session.
#[derive(Default)]
pub struct LiveIndex {
    memo: Memo<SharedSlice>,
    state: Option<State>,
    hashes: FileHashes,
    facets: KeptFacets,
    /// The reviews' positions in index order, with the number of the reviews' order they were
    /// found for.
    order: Option<(u64, Vec<usize>)>,
    /// Where the reviews in index order were cut into parts, with the number of the site's
    /// reviews (whatever their order) it was found for.
    bounds: Option<(u64, Vec<Range<usize>>)>,
}

/// The index of the last rebuild.
struct State {
    language: String,
    slices: Vec<SharedSlice>,
    index: Index,
    chunks: Chunks,
}

impl LiveIndex {
    /// The chunk files of `site`'s index, the hashes of the last files made, the facets kept
    /// and the reviews' positions in index order. `versions` name the reviews' order and the
    /// site's reviews (see [`crate::memo::Versions`]): while the order stands, so do those
    /// positions, and while the reviews do, the parts.
    pub fn files(&mut self, site: &Site, versions: Versions) -> (&Files, &mut FileHashes, &mut KeptFacets, &[usize]) {
        let language = &site.config.language;
        let analyzer = Analyzer::new(language);
        if self.order.as_ref().is_some_and(|(made_for, _)| *made_for != versions.order) {
            self.order = None;
        }
        let (_, index_order) = self.order.get_or_insert_with(|| (versions.order, index_order(site)));
        if self.bounds.as_ref().is_some_and(|(made_for, _)| *made_for != versions.reviews) {
            self.bounds = None;
        }
        let (_, bounds) = self.bounds.get_or_insert_with(|| (versions.reviews, stable_bounds(site, index_order)));
        let parts = parts_within(index_order, bounds);
        let keys = parts.iter().map(|part| part_texts(site, part)).collect();
        let slices = self.memo.refresh(keys, |i| Arc::new(Slice::collect(documents(site, &parts[i]))));
        let state = match self.state.take() {
            Some(state) if state.language == *language && state.can_swap(&slices) => state.swap(slices, &analyzer),
            _ => State::fresh(slices, &analyzer, language),
        };
        (self.state.insert(state).chunks.files(), &mut self.hashes, &mut self.facets, index_order)
    }
}

impl State {
    /// The index of `slices`, merged afresh.
    fn fresh(slices: Vec<SharedSlice>, analyzer: &Analyzer, language: &str) -> Self {
        let index = merge(slices.iter().map(|s| &s.0), analyzer);
        let metas = slices.iter().flat_map(|s| s.1.iter().cloned()).collect();
        State { language: language.to_string(), chunks: Chunks::new(&index, metas), slices, index }
    }

    /// Whether `slices` can be swapped in: the same number of parts, few of them changed.
    fn can_swap(&self, slices: &[SharedSlice]) -> bool {
        let changed = self.slices.iter().zip(slices).filter(|(old, new)| !Arc::ptr_eq(old, new)).count();
        self.slices.len() == slices.len() && (changed <= 1 || changed * SWAP_SHARE <= slices.len())
    }

    /// Swaps the changed slices into the index, and its files: those that changed, or all of
    /// them when a part's number of documents changed (a review added or removed renumbers
    /// every document after it), which still spares merging the whole index again.
    fn swap(mut self, slices: Vec<SharedSlice>, analyzer: &Analyzer) -> Self {
        let mut change = Change::default();
        let mut replaced = Vec::new();
        let mut first = 0;
        for (old, new) in self.slices.iter().zip(&slices) {
            if !Arc::ptr_eq(old, new) {
                let at = u32::try_from(first).unwrap_or(u32::MAX);
                self.index.replace(at, &old.0, &new.0, analyzer, &mut change);
                replaced.push((first, new.1.clone()));
            }
            first += new.0.docs;
        }
        self.index.settle(&mut change);
        if change.renumbered {
            let metas = slices.iter().flat_map(|s| s.1.iter().cloned()).collect();
            self.chunks = Chunks::new(&self.index, metas);
        } else {
            self.chunks.update(&self.index, &change, &replaced);
        }
        self.slices = slices;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index::tests::{canonical, doc};
    use proptest::prelude::*;

    /// Most documents in a slice in these tests.
    const DOCS: usize = 4;

    /// A slice of one document per `(title, text)`.
    fn slice(docs: &[(String, String)]) -> SharedSlice {
        Arc::new(Slice::collect(docs.iter().map(|(title, text)| doc(title, text))))
    }

    /// Documents over few words, so that edits add, keep and remove words, stems and stop
    /// words; with words whose UTF-16 order differs from their code points' (U+FA0E sorts
    /// after U+20000 in Rust, before it in JavaScript) and a word too long to index.
    fn texts() -> impl Strategy<Value = Vec<(String, String)>> {
        let word = prop_oneof![
            Just("the".to_string()),
            Just("and".to_string()),
            Just("upgrade".to_string()),
            Just("upgrades".to_string()),
            Just("upgrading".to_string()),
            Just("\u{fa0e}".to_string()),
            Just("\u{20000}".to_string()),
            Just("x".repeat(60)),
            "[a-f]{1,4}",
        ];
        let text = prop::collection::vec(word, 0..12).prop_map(|w| w.join(" "));
        prop::collection::vec((text.clone(), text), 0..=DOCS)
    }

    proptest! {
        #[test]
        fn swapping_slices_equals_building_afresh(
            first in prop::collection::vec(texts(), 2..7),
            edits in prop::collection::vec(prop::collection::vec((0usize..7, texts(), any::<bool>()), 1..3), 1..5),
        ) {
            let analyzer = Analyzer::new("en");
            let mut current: Vec<SharedSlice> = first.iter().map(|t| slice(t)).collect();
            let mut live = State::fresh(current.clone(), &analyzer, "en");
            for round in edits {
                for (at, mut texts, keep) in round {
                    // A swapped slice keeps its number of documents, or (a review added or
                    // removed) has another.
                    let at = at % current.len();
                    if keep {
                        texts.resize(current[at].0.docs, (String::new(), "upgrade".to_string()));
                    }
                    current[at] = slice(&texts);
                }
                live = live.swap(current.clone(), &analyzer);
                let afresh = State::fresh(current.clone(), &analyzer, "en");
                prop_assert_eq!(canonical(&live.index), canonical(&afresh.index));
                prop_assert_eq!(live.chunks.files(), afresh.chunks.files());
            }
        }
    }
}
