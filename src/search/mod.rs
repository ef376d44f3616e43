//! Full-text search with facets for a static host, written at build time under `search/`:
//!
//! - `manifest.json`: counts, the first word of each vocabulary chunk and the first stem of
//!   each postings chunk, verdicts, statuses, the scale and the score ranges;
//! - `vocab/N.json`: folded words in order, each with its stem (the browser cannot stem);
//! - `postings/N.json`: stems in order, each with its documents and BM25 weights
//!   ([`encode::postings`]);
//! - `meta/N.json`: what [`BATCH`] consecutive results show;
//! - `facets/*.json`: verdicts, statuses and question counts (fetched at once), scores,
//!   projects, authors and tags (fetched when used), as [`facets`] code strings.
//!
//! A query fetches the manifest, the chunks its words fall in and the metadata of the
//! results it shows, so its cost does not grow with the site. The reader's side is
//! `static/search-index.js` (reading the index) and `static/search.js` (the page).

mod documents;
mod encode;
mod facets;
mod index;
mod tokenize;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::Site;
use crate::render::OutputFile;

pub use documents::{Document, Kind, Meta, Part, documents, part_texts, parts, plain_text, stable_parts};
pub use index::{Index, SliceCache, build_cached, build_from};
pub use tokenize::{Analyzer, fold, words};

/// The version of the index's format, checked by the script.
pub const SEARCH_VERSION: u32 = 1;
/// Documents per metadata file.
pub const BATCH: usize = 8;
/// Target size of a vocabulary chunk, in bytes of JSON.
const VOCAB_CHUNK: usize = 8 * 1024;
/// Target size of a postings chunk, in bytes of JSON.
const POSTINGS_CHUNK: usize = 16 * 1024;
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
    let (index, metas) = build_from(&parts(site), |part| documents(site, part), &analyzer);
    index_files(site, &index, &metas)
}

/// [`files`], tokenising again only the parts of the site whose files are not in `cache`.
pub fn files_cached(site: &Site, cache: &mut SliceCache) -> Vec<OutputFile> {
    let analyzer = Analyzer::new(&site.config.language);
    let (index, metas) = build_cached(
        &stable_parts(site),
        |part| part_texts(site, part),
        |part| documents(site, part),
        &analyzer,
        cache,
    );
    index_files(site, &index, &metas)
}

/// The files of an index of `site`.
fn index_files(site: &Site, index: &Index, metas: &[Meta]) -> Vec<OutputFile> {
    let (mut files, vocab) = vocabulary_files(index);
    let (postings_files, postings) = postings_files(index);
    files.extend(postings_files);
    files.extend(
        metas
            .par_chunks(BATCH)
            .enumerate()
            .map(|(i, batch)| json(format!("search/meta/{i}.json"), &batch))
            .collect::<Vec<_>>(),
    );
    let f = facets::facets(site);
    files.push(json("search/facets/core.json".into(), &f.core));
    files.push(json("search/facets/scores.json".into(), &f.scores));
    files.push(json("search/facets/project.json".into(), &f.project));
    files.push(json("search/facets/author.json".into(), &f.author));
    files.push(json("search/facets/tag.json".into(), &f.tag));
    let config = &site.config;
    let manifest = Manifest {
        version: SEARCH_VERSION,
        id: content_hash(&files),
        language: &config.language,
        reviews: site.reviews.len(),
        questions: site.reviews.iter().map(|r| r.questions.len()).sum(),
        projects: site.projects.len(),
        batch: BATCH,
        vocab,
        postings,
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

/// The vocabulary chunks, and the first word of each. An entry is the word alone when it is
/// its own stem, `word stem` otherwise, and `word ` (an empty stem) for a stop word.
fn vocabulary_files(index: &Index) -> (Vec<OutputFile>, Vec<&str>) {
    let stem = |s: Option<usize>| s.map(|s| index.stems[s].text.as_str());
    let runs =
        encode::runs(index.vocabulary.iter().map(|(w, s)| w.len() + stem(*s).map_or(0, str::len) + 4), VOCAB_CHUNK);
    let files = runs
        .iter()
        .enumerate()
        .map(|(i, run)| {
            let entries: Vec<String> = index.vocabulary[run.clone()]
                .iter()
                .map(|(word, s)| match stem(*s) {
                    Some(stem) if stem == word => word.clone(),
                    Some(stem) => format!("{word} {stem}"),
                    None => format!("{word} "),
                })
                .collect();
            json(format!("search/vocab/{i}.json"), &entries)
        })
        .collect();
    (files, runs.iter().map(|r| index.vocabulary[r.start].0.as_str()).collect())
}

/// The postings chunks (objects from stem to [`encode::postings`]), and the first stem of
/// each.
fn postings_files(index: &Index) -> (Vec<OutputFile>, Vec<&str>) {
    let encoded: Vec<String> = index.stems.par_iter().map(encode::postings).collect();
    let runs = encode::runs(index.stems.iter().zip(&encoded).map(|(s, e)| s.text.len() + e.len() + 6), POSTINGS_CHUNK);
    let files = runs
        .iter()
        .enumerate()
        .map(|(i, run)| {
            let chunk: BTreeMap<&str, &str> =
                run.clone().map(|s| (index.stems[s].text.as_str(), encoded[s].as_str())).collect();
            json(format!("search/postings/{i}.json"), &chunk)
        })
        .collect();
    (files, runs.iter().map(|r| index.stems[r.start].text.as_str()).collect())
}

/// A file of compact JSON (serialising these plain structures cannot fail).
fn json(path: String, value: &impl Serialize) -> OutputFile {
    OutputFile { path, bytes: serde_json::to_vec(value).unwrap_or_default() }
}

/// The URL parameter of an axis: its key, unless the search page uses that name already.
fn range_param(key: &str) -> String {
    if RESERVED_PARAMS.contains(&key) { format!("axis-{key}") } else { key.to_string() }
}

/// A hash of every file's path and bytes, in hex: FNV-1a taken eight bytes at a time.
fn content_hash(files: &[OutputFile]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut add = |bytes: &[u8]| {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            hash = (hash ^ u64::from_le_bytes(word)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        for &b in chunks.remainder().iter().chain([&0xff]) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for file in files {
        add(file.path.as_bytes());
        add(&file.bytes);
    }
    format!("{hash:016x}")
}
