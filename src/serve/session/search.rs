//! The search index kept between rebuilds: the site's tokenised parts (by the texts they were
//! made from), the merged [`Index`] and its [`Chunks`]; an edit tokenises again only the parts
//! whose files changed, swaps them into the index ([`Index::replace`]) and makes again only the
//! chunk files whose content changed ([`Chunks::update`]). A part whose number of documents
//! changed renumbers the documents after it: its postings are swapped in and the later ones
//! renumbered, and the files are made afresh. A part added or removed, or many changed: the
//! index is built afresh. The facets' rows are kept per review, and the files' hashes per file.

use std::ops::Range;
use std::sync::Arc;

use bytes::Bytes;

use crate::config::Config;
use crate::hash::FastMap;
use crate::model::{Review, Site};
use crate::output::OutputFile;
use crate::search::{self, Analyzer, Change, Chunks, Files, Index, Meta, Part, ReviewFacets, Slice};
use crate::serve::memo::{Key, Memo, Versions};

/// Fewest reviews in a part of the index, but for the last.
const PART_MIN: usize = 2;
/// Most reviews in a part of the index.
const PART_MAX: usize = 64;
/// One review in this many (by slug) ends a part.
const PART_SPREAD: u64 = 8;

/// Swapping parts into the index is for a few changed parts (each swap moves the postings
/// after it): when more than one and more than one in this many changed, the index is built
/// afresh.
const SWAP_SHARE: usize = 4;

/// A tokenised part with what results show of its documents, shared by the memo and the index.
type SharedSlice = Arc<(Slice, Vec<Meta>)>;

/// The search index of a `serve` session.
#[derive(Default)]
pub struct LiveIndex {
    memo: Memo<SharedSlice>,
    state: Option<State>,
    hashes: FileHashes,
    /// Each review's facet row by its position in index order, while its `Arc` is the same.
    rows: Vec<(Arc<Review>, ReviewFacets)>,
    /// The configuration the rows were read with.
    rows_config: Option<Config>,
    /// The facet files, with the number of the structure they were made for.
    facets: Option<(u64, Vec<OutputFile>)>,
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
    /// Every file of `site`'s search index (as [`search::files`] makes them). `versions` name
    /// the site's structure, the reviews' order and the site's reviews (see [`Versions`]): the
    /// same structure means the same facets; while the order stands, so do the reviews'
    /// positions in index order, and while the reviews do, the parts.
    pub fn files(&mut self, site: &Site, versions: Versions) -> Vec<OutputFile> {
        let language = &site.config.language;
        let analyzer = Analyzer::new(language);
        if self.order.as_ref().is_some_and(|(made_for, _)| *made_for != versions.order) {
            self.order = None;
        }
        let (_, index_order) = self.order.get_or_insert_with(|| (versions.order, search::index_order(site)));
        if self.bounds.as_ref().is_some_and(|(made_for, _)| *made_for != versions.reviews) {
            self.bounds = None;
        }
        let (_, bounds) = self.bounds.get_or_insert_with(|| (versions.reviews, stable_bounds(site, index_order)));
        let parts = parts_within(index_order, bounds);
        let keys = parts.iter().map(|part| part_texts(site, part)).collect();
        let slices = self.memo.refresh(keys, |i| Arc::new(Slice::collect(search::documents(site, &parts[i]))));
        let state = match self.state.take() {
            Some(state) if state.language == *language && state.can_swap(&slices) => state.swap(slices, &analyzer),
            _ => State::fresh(slices, &analyzer, language),
        };
        let Files { vocab, vocab_firsts, postings, postings_firsts, meta } = self.state.insert(state).chunks.files();
        let facets = match &self.facets {
            Some((made_for, files)) if *made_for == versions.structure => files,
            _ => {
                let files = facet_files(site, index_order, &mut self.rows, &mut self.rows_config);
                &self.facets.insert((versions.structure, files)).1
            }
        };
        let mut files: Vec<OutputFile> = vocab.iter().chain(postings).chain(meta).chain(facets).cloned().collect();
        let hashes = self.hashes.refresh(&files);
        files.push(search::manifest(site, &files, &hashes, vocab_firsts, postings_firsts));
        files
    }
}

/// The facet files of `site`, whose reviews are in index `order`, reading only the reviews
/// whose rows (by position in index order, with the configuration they were read with) do not
/// hold the very same `Arc`.
fn facet_files(
    site: &Site,
    order: &[usize],
    rows: &mut Vec<(Arc<Review>, ReviewFacets)>,
    read_with: &mut Option<Config>,
) -> Vec<OutputFile> {
    if read_with.as_ref() != Some(&site.config) {
        rows.clear();
        *read_with = Some(site.config.clone());
    }
    let mut kept = std::mem::take(rows).into_iter();
    *rows = order
        .iter()
        .map(|&at| &site.reviews[at])
        .map(|r| match kept.next() {
            Some(entry) if Arc::ptr_eq(&entry.0, r) => entry,
            _ => (Arc::clone(r), search::review_facets(&site.config, r)),
        })
        .collect();
    search::facet_files(site, order, &rows.iter().map(|(_, row)| row).collect::<Vec<_>>())
}

impl State {
    /// The index of `slices`, merged afresh.
    fn fresh(slices: Vec<SharedSlice>, analyzer: &Analyzer, language: &str) -> Self {
        let index = search::merge(slices.iter().map(|s| &s.0), analyzer);
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

/// Where `serve` cuts the reviews, in `order` (see [`search::index_order`]), into parts (see
/// [`parts_within`]). A part ends after a review whose slug hashes to a multiple of
/// [`PART_SPREAD`] (within [`PART_MIN`]..=[`PART_MAX`] reviews): boundaries follow the reviews
/// themselves, not their positions, so an edit that adds or removes one review changes one or
/// two parts, and only those are indexed again. They depend on the reviews' slugs alone.
fn stable_bounds(site: &Site, order: &[usize]) -> Vec<Range<usize>> {
    let mut bounds = Vec::new();
    let mut start = 0;
    for (i, &at) in order.iter().enumerate() {
        let len = i + 1 - start;
        let hash = crate::hash::hash_str(&site.reviews[at].slug);
        if len >= PART_MAX || (len >= PART_MIN && hash.is_multiple_of(PART_SPREAD)) {
            bounds.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < order.len() {
        bounds.push(start..order.len());
    }
    bounds
}

/// The parts of the reviews in `order` that lie at `bounds`, then the projects.
fn parts_within<'a>(order: &'a [usize], bounds: &[Range<usize>]) -> Vec<Part<'a>> {
    let reviews = bounds.iter().map(|b| Part::Reviews(&order[b.clone()]));
    reviews.chain(std::iter::once(Part::Projects)).collect()
}

/// The files a part's documents are made from (each review's and its project's, or every
/// project's): the same texts make the same documents (the configuration aside, whose change
/// reloads every file).
fn part_texts<'a>(site: &'a Site, part: &Part<'_>) -> Key<'a> {
    Some(match part {
        Part::Reviews(positions) => positions
            .iter()
            .map(|&at| &site.reviews[at])
            .flat_map(|r| [&r.source.text, &site.projects[r.project].source.text])
            .collect(),
        Part::Projects => site.projects.iter().map(|p| &p.source.text).collect(),
    })
}

/// Hashes of the index files of the last rebuild, by their shared bytes (which it holds, so
/// that no other file can take their address): a file kept from one rebuild to the next is
/// not hashed again.
#[derive(Default)]
struct FileHashes {
    /// Each file's bytes and hash, with the refresh that last saw it.
    known: FastMap<(usize, usize), (Bytes, u64, u64)>,
    /// How many refreshes there were.
    refreshes: u64,
}

impl FileHashes {
    /// The [`search::file_hash`] of each of `files`; only these are kept. The table is updated
    /// in place: most files are the last rebuild's.
    fn refresh(&mut self, files: &[OutputFile]) -> Vec<u64> {
        self.refreshes += 1;
        let now = self.refreshes;
        let hashes = files
            .iter()
            .map(|f| {
                let entry = self
                    .known
                    .entry((f.bytes.as_ptr() as usize, f.bytes.len()))
                    .or_insert_with(|| (f.bytes.clone(), search::file_hash(&f.bytes), now));
                entry.2 = now;
                entry.1
            })
            .collect();
        self.known.retain(|_, (_, _, seen)| *seen == now);
        hashes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Analyzer;
    use crate::search::index_tests::{canonical, doc};
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

    #[test]
    fn file_hashes_are_kept_for_the_same_bytes_and_dropped_with_their_files() {
        let file = |path: &str, text: &str| OutputFile::new(path.into(), text.as_bytes().to_vec());
        let (a, b, c) = (file("a", "first"), file("b", "second"), file("c", "third"));
        let hash = |text: &str| search::file_hash(text.as_bytes());
        let mut hashes = FileHashes::default();
        assert_eq!(hashes.refresh(&[a.clone(), b.clone()]), [hash("first"), hash("second")]);
        // The same bytes under another path keep their hash; other bytes are hashed.
        let moved = OutputFile::new("moved".into(), b.bytes.clone());
        assert_eq!(hashes.refresh(&[moved, c.clone()]), [hash("second"), hash("third")]);
        assert_eq!(hashes.known.len(), 2, "the first file's entry went with it");
        let equal_to_c = file("c", "third");
        assert_eq!(hashes.refresh(&[equal_to_c]), [hash("third")]);
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
