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
mod merge;
mod slice;
mod tokenize;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::Site;
use crate::output::OutputFile;

pub use chunks::{Chunks, Files};
pub use documents::{Document, Kind, Meta, Part, documents, index_order, parts};
pub use facets::{ReviewFacets, facet_files, review_facets};
#[cfg(feature = "serve")]
pub use index::Change;
pub use index::Index;
/// The index's test helpers, for the tests of what keeps an index between rebuilds.
#[cfg(all(test, feature = "serve"))]
pub(crate) use index::tests as index_tests;
pub use merge::{build, merge};
pub use slice::Slice;
pub use tokenize::{Analyzer, fold, words};

/// The version of the index's format, checked by the script (2: documents in index order, by
/// slug, and each review's age in the core facets).
pub const SEARCH_VERSION: u32 = 2;
/// Documents per metadata file.
pub const BATCH: usize = 8;
/// URL parameters of the search page that a score axis may not take as its own.
const RESERVED_PARAMS: &[&str] = &["q", "type", "verdict", "status", "project", "author", "tag", "finding", "overall"];

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
    let (index, metas) = merge::build(&parts(&order), |part| documents(site, part), &analyzer);
    let chunks = Chunks::new(&index, metas);
    drop(index);
    let Files { vocab, vocab_firsts, postings, postings_firsts, meta } = chunks.into_files();
    let mut files = vocab;
    files.extend(postings);
    files.extend(meta);
    let rows: Vec<ReviewFacets> = order.par_iter().map(|&at| review_facets(&site.config, &site.reviews[at])).collect();
    files.extend(facet_files(site, &order, &rows.iter().collect::<Vec<_>>()));
    let hashes: Vec<u64> = files.par_iter().map(|f| file_hash(&f.bytes)).collect();
    files.push(manifest(site, &files, &hashes, &vocab_firsts, &postings_firsts));
    files
}

/// The index's `manifest.json`, for its chunk and facet `files` (whose [`file_hash`]es are
/// `hashes`), with the first word of each vocabulary file and the first stem of each postings
/// file.
pub fn manifest(
    site: &Site,
    files: &[OutputFile],
    hashes: &[u64],
    vocab: &[String],
    postings: &[String],
) -> OutputFile {
    let config = &site.config;
    let manifest = Manifest {
        version: SEARCH_VERSION,
        id: content_hash(files, hashes),
        language: &config.language,
        reviews: site.reviews.len(),
        questions: site.reviews.iter().map(|r| r.questions.len()).sum(),
        projects: site.projects.len(),
        batch: BATCH,
        vocab: vocab.iter().map(String::as_str).collect(),
        postings: postings.iter().map(String::as_str).collect(),
        verdicts: config.verdicts.iter().map(|v| [v.key.as_str(), v.label.as_str()]).collect(),
        statuses: [
            ["open", config.interface.get("status_open")],
            ["answered", config.interface.get("status_answered")],
            ["disputed", config.interface.get("status_disputed")],
        ],
        scale: [config.scale.min.floor() as i64, config.scale.max.floor() as i64],
        ranges: std::iter::once(["overall".to_string(), config.interface.get("col_overall").to_string()])
            .chain(config.axes.iter().map(|a| [range_param(&a.key), a.label.clone()]))
            .collect(),
    };
    json("search/manifest.json".into(), &manifest)
}

/// A file of compact JSON (serialising these plain structures cannot fail).
fn json(path: String, value: &impl Serialize) -> OutputFile {
    OutputFile::new(path, serde_json::to_vec(value).unwrap_or_default())
}

/// The URL parameter of an axis: its key, unless the search page uses that name already.
fn range_param(key: &str) -> String {
    if RESERVED_PARAMS.contains(&key) { format!("axis-{key}") } else { key.to_string() }
}

/// The hash of every file's path and bytes (given `hashes`, each file's [`file_hash`]), in hex.
fn content_hash(files: &[OutputFile], hashes: &[u64]) -> String {
    let mut all = Vec::with_capacity(files.iter().map(|f| f.path.len() + 8).sum());
    for (file, hash) in files.iter().zip(hashes) {
        all.extend_from_slice(file.path.as_bytes());
        all.extend_from_slice(&hash.to_le_bytes());
    }
    format!("{:016x}", file_hash(&all))
}

/// The hash of an index file's bytes that the manifest's id is made from: FNV-1a, taken
/// eight bytes at a time.
pub fn file_hash(bytes: &[u8]) -> u64 {
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
