//! Full-text search with facets for a static host, written at build time under `search/`:
//!
//! - `manifest.json`: counts, the first word of each vocabulary chunk and the first stem of
//!   each postings chunk, verdicts, statuses, the scale and the score ranges;
//! - `vocab/N.json`: folded words in order, each with its stem (the browser cannot stem);
//! - `postings/N.json`: stems in order, each with its documents and BM25 weights
//!   ([`encode::postings`]);
//! - `meta/N.json`: what [`BATCH`] consecutive results show;
//! - `facets/*.json`: verdicts, question counts and reviews' ages (fetched at once), question
//!   statuses, scores, projects, authors and tags (fetched when used), as [`facets`] code
//!   strings.
//!
//! Documents are numbered in index order (reviews by slug, see [`documents`]); the page shows
//! results newest first among equals by the reviews' ages.
//!
//! A query fetches the manifest, the chunks its words fall in and the metadata of the
//! results it shows, so its cost does not grow with the site. The reader's side is
//! `static/search-index.js` (reading the index) and `static/search.js` (the page).

mod chunks;
mod documents;
mod encode;
mod facets;
mod index;
mod live;
mod slice;
mod tokenize;

use bytes::Bytes;
use rayon::prelude::*;
use serde::Serialize;

use crate::hash::FastMap;
use crate::memo::Versions;
use crate::model::Site;
use crate::output::OutputFile;

pub use chunks::Files;
pub use documents::{Document, Kind, Meta, Part, documents, index_order, part_texts, parts, plain_text};
pub use live::LiveIndex;
pub use tokenize::{Analyzer, fold, words};

/// The version of the index's format, checked by the script (2: documents in index order, by
/// slug, and each review's age in the core facets).
pub const SEARCH_VERSION: u32 = 2;
/// Documents per metadata file.
pub const BATCH: usize = 8;
/// URL parameters of the search page that a score axis may not take as its own.
const RESERVED_PARAMS: &[&str] = &["q", "type", "verdict", "status", "project", "author", "tag", "overall"];

/// The search page's `manifest.json`.
#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    /// A hash of every other index file, appended to their URLs so caches never mix builds.
    id: String,
    language: &'a str,
    reviews: usize,
    questions: usize,
    projects: usize,
    batch: usize,
    vocab: Vec<&'a str>,
    postings: Vec<&'a str>,
    verdicts: Vec<[&'a str; 2]>,
    statuses: [[&'a str; 2]; 3],
    scale: [i64; 2],
    /// `[URL parameter, label]` of the overall score, then each axis.
    ranges: Vec<[String; 2]>,
}

/// Every file of the search index of `site`, below `search/`.
pub fn files(site: &Site) -> Vec<OutputFile> {
    let analyzer = Analyzer::new(&site.config.language);
    let order = index_order(site);
    let (index, metas) = live::build(&parts(&order), |part| documents(site, part), &analyzer);
    let chunks = chunks::Chunks::new(&index, metas);
    drop(index);
    let Files { vocab, vocab_firsts, postings, postings_firsts, meta } = chunks.into_files();
    let mut files = vocab;
    files.extend(postings);
    files.extend(meta);
    files.extend(facets::facet_files(site, &order, &mut facets::FacetCache::default()));
    finish(site, files, &vocab_firsts, &postings_firsts, None)
}

/// [`files`], for a `serve` session keeping `live` between rebuilds: the same structure
/// number means the same facets, the same number of the site's reviews the same parts.
pub fn files_live(site: &Site, live: &mut LiveIndex, versions: Versions) -> Vec<OutputFile> {
    let (Files { vocab, vocab_firsts, postings, postings_firsts, meta }, hashes, (facets, rows), order) =
        live.files(site, versions);
    let facets = match facets {
        Some((made_for, files)) if *made_for == versions.structure => files,
        _ => &facets.insert((versions.structure, facets::facet_files(site, order, rows))).1,
    };
    let files = vocab.iter().chain(postings).chain(meta).chain(facets.iter()).cloned().collect();
    finish(site, files, vocab_firsts, postings_firsts, Some(hashes))
}

/// The chunk and facet `files` with the manifest added; `hashes` keeps the files' hashes
/// between the rebuilds of `serve`.
fn finish(
    site: &Site,
    mut files: Vec<OutputFile>,
    vocab: &[String],
    postings: &[String],
    hashes: Option<&mut FileHashes>,
) -> Vec<OutputFile> {
    let config = &site.config;
    let hashes = match hashes {
        Some(kept) => kept.refresh(&files),
        None => files.par_iter().map(|f| fnv(&f.bytes)).collect(),
    };
    let manifest = Manifest {
        version: SEARCH_VERSION,
        id: content_hash(&files, &hashes),
        language: &config.language,
        reviews: site.reviews.len(),
        questions: site.reviews.iter().map(|r| r.questions.len()).sum(),
        projects: site.projects.len(),
        batch: BATCH,
        vocab: vocab.iter().map(String::as_str).collect(),
        postings: postings.iter().map(String::as_str).collect(),
        verdicts: config.verdicts.iter().map(|v| [v.key.as_str(), v.label.as_str()]).collect(),
        statuses: [["open", "Open"], ["answered", "Answered"], ["disputed", "Disputed"]],
        scale: [config.scale.min.floor() as i64, config.scale.max.floor() as i64],
        ranges: std::iter::once(["overall".to_string(), "Overall".to_string()])
            .chain(config.axes.iter().map(|a| [range_param(&a.key), a.label.clone()]))
            .collect(),
    };
    files.push(json("search/manifest.json".into(), &manifest));
    files
}

/// A file of compact JSON (serialising these plain structures cannot fail).
fn json(path: String, value: &impl Serialize) -> OutputFile {
    OutputFile::new(path, serde_json::to_vec(value).unwrap_or_default())
}

/// The URL parameter of an axis: its key, unless the search page uses that name already.
fn range_param(key: &str) -> String {
    if RESERVED_PARAMS.contains(&key) { format!("axis-{key}") } else { key.to_string() }
}

/// The hash of every file's path and bytes (given `hashes`, each file's [`fnv`]), in hex.
fn content_hash(files: &[OutputFile], hashes: &[u64]) -> String {
    let mut all = Vec::with_capacity(files.iter().map(|f| f.path.len() + 8).sum());
    for (file, hash) in files.iter().zip(hashes) {
        all.extend_from_slice(file.path.as_bytes());
        all.extend_from_slice(&hash.to_le_bytes());
    }
    format!("{:016x}", fnv(&all))
}

/// FNV-1a of `bytes`, taken eight bytes at a time.
fn fnv(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        hash = (hash ^ u64::from_le_bytes(word)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    for &b in chunks.remainder().iter().chain([&0xff]) {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Hashes of the index files of the last rebuild, by their shared bytes (which it holds, so
/// that no other file can take their address): a file kept from one rebuild to the next is
/// not hashed again.
#[derive(Default)]
pub struct FileHashes {
    /// Each file's bytes and hash, with the refresh that last saw it.
    known: FastMap<(usize, usize), (Bytes, u64, u64)>,
    /// How many refreshes there were.
    refreshes: u64,
}

impl FileHashes {
    /// The [`fnv`] of each of `files`; only these are kept. The table is updated in place: most
    /// files are the last rebuild's.
    fn refresh(&mut self, files: &[OutputFile]) -> Vec<u64> {
        self.refreshes += 1;
        let now = self.refreshes;
        let hashes = files
            .iter()
            .map(|f| {
                let entry = self
                    .known
                    .entry((f.bytes.as_ptr() as usize, f.bytes.len()))
                    .or_insert_with(|| (f.bytes.clone(), fnv(&f.bytes), now));
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

    #[test]
    fn file_hashes_are_kept_for_the_same_bytes_and_dropped_with_their_files() {
        let file = |path: &str, text: &str| OutputFile::new(path.into(), text.as_bytes().to_vec());
        let (a, b, c) = (file("a", "first"), file("b", "second"), file("c", "third"));
        let mut hashes = FileHashes::default();
        assert_eq!(hashes.refresh(&[a.clone(), b.clone()]), [fnv(b"first"), fnv(b"second")]);
        // The same bytes under another path keep their hash; other bytes are hashed.
        let moved = OutputFile::new("moved".into(), b.bytes.clone());
        assert_eq!(hashes.refresh(&[moved, c.clone()]), [fnv(b"second"), fnv(b"third")]);
        assert_eq!(hashes.known.len(), 2, "the first file's entry went with it");
        let equal_to_c = file("c", "third");
        assert_eq!(hashes.refresh(&[equal_to_c]), [fnv(b"third")]);
    }
}
