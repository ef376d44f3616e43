//! The search index as the browser uses it: a reference client in Rust (the steps of
//! `static/search.js`: vocabulary, postings, BM25 sums, metadata) answers queries from the
//! written files, so the test sees exactly which files, and how many gzip bytes, one query
//! needs — on a generated site of 10,000 reviews.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use critique::output::OutputFile;
use critique::search::words;
use critique::{SiteOptions, render_site};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;

use crate::search_site;
use crate::support::SiteTest;

const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
const PREFIX_STEMS: usize = 30;
const PREFIX_CHUNKS: usize = 3;
const BUDGET: usize = 100 * 1024;
/// The scripts of the search page.
const SCRIPTS: [&str; 2] = ["search-index.js", "search.js"];

/// The files of a built site, by path, with a record of which ones a query fetched.
struct Index {
    files: BTreeMap<String, Vec<u8>>,
    manifest: Value,
    fetched: RefCell<BTreeSet<String>>,
    parsed: RefCell<BTreeMap<String, Rc<Value>>>,
}

impl Index {
    fn new(output: Vec<OutputFile>) -> Self {
        let files: BTreeMap<String, Vec<u8>> = output.into_iter().map(|f| (f.path, f.bytes.to_vec())).collect();
        let manifest = serde_json::from_slice(&files["search/manifest.json"]).expect("manifest");
        Self { files, manifest, fetched: RefCell::default(), parsed: RefCell::default() }
    }

    fn get(&self, path: &str) -> Rc<Value> {
        self.fetched.borrow_mut().insert(path.to_string());
        let mut parsed = self.parsed.borrow_mut();
        let value = parsed
            .entry(path.to_string())
            .or_insert_with(|| Rc::new(serde_json::from_slice(&self.files[&format!("search/{path}")]).expect("json")));
        Rc::clone(value)
    }

    fn firsts(&self, key: &str) -> Vec<String> {
        self.manifest[key].as_array().expect("list").iter().map(|v| v.as_str().expect("str").to_string()).collect()
    }

    /// The stems of a query word, exact or (the last word) as a prefix; `None` for a stop word.
    fn stems(&self, word: &str, prefix: bool) -> Option<Vec<String>> {
        let firsts = self.firsts("vocab");
        let first = chunk_of(&firsts, word);
        let (mut exact, mut found, mut near) = (None, Vec::new(), String::new());
        for (i, first_word) in firsts.iter().enumerate().skip(first).take(PREFIX_CHUNKS) {
            if i > first && !(prefix && first_word.starts_with(word)) {
                break;
            }
            for entry in self.get(&format!("vocab/{i}.json")).as_array().expect("entries") {
                let entry = entry.as_str().expect("entry");
                let (w, s) = entry.split_once(' ').unwrap_or((entry, entry));
                if w == word {
                    exact = Some(s.to_string());
                } else if prefix && !s.is_empty() && w.starts_with(word) {
                    found.push((w.to_string(), s.to_string()));
                }
                if s.len() > near.len()
                    && s.len() >= 3
                    && word.len() - s.len().min(word.len()) <= 4
                    && word.starts_with(s)
                {
                    near = s.to_string();
                }
            }
        }
        if exact.is_none() && !near.is_empty() {
            exact = Some(near);
        }
        if exact.as_deref() == Some("") && !prefix {
            return None;
        }
        found.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then(a.0.cmp(&b.0)));
        let mut out: Vec<String> = exact.iter().filter(|s| !s.is_empty()).cloned().collect();
        for (_, s) in found {
            if out.len() < PREFIX_STEMS && !out.contains(&s) {
                out.push(s);
            }
        }
        (!out.is_empty() || exact.as_deref() != Some("")).then_some(out)
    }

    /// `(document, idf × weight)` of a stem.
    fn postings(&self, stem: &str) -> Vec<(usize, f64)> {
        let chunk = self.get(&format!("postings/{}.json", chunk_of(&self.firsts("postings"), stem)));
        let Some(encoded) = chunk[stem].as_str() else { return Vec::new() };
        let mut chars = encoded.bytes().map(|b| ALPHABET.iter().position(|&a| a == b).expect("in alphabet") as u64);
        let idf = varint(&mut chars) as f64 / 100.0;
        let n = varint(&mut chars) as usize;
        let mut doc = 0;
        let docs: Vec<usize> = (0..n)
            .map(|_| {
                doc += varint(&mut chars) as usize;
                doc
            })
            .collect();
        docs.into_iter().map(|d| (d, idf * chars.next().expect("weight") as f64)).collect()
    }

    /// Each document's age in days as the page reads it from the core facets (the codes of
    /// each review, in document order, with its questions'; projects after every review).
    fn ages(&self) -> Vec<u64> {
        let core = self.get("facets/core.json");
        let code = |facet: &str, at: usize| {
            let (w, c) =
                (core[facet]["w"].as_u64().expect("width") as usize, core[facet]["c"].as_str().expect("codes"));
            c.as_bytes()[at * w..(at + 1) * w]
                .iter()
                .fold(0, |v, &b| v * 64 + ALPHABET.iter().position(|&a| a == b).expect("in alphabet") as u64)
        };
        let reviews = self.manifest["reviews"].as_u64().expect("reviews") as usize;
        let projects = self.manifest["projects"].as_u64().expect("projects") as usize;
        let mut ages = Vec::new();
        for r in 0..reviews {
            ages.extend(std::iter::repeat_n(code("age", r), 1 + code("questions", r) as usize));
        }
        ages.extend(std::iter::repeat_n(u64::MAX, projects));
        ages
    }

    /// The documents holding every word of `query`, best first (ties: newest first, then by
    /// document).
    fn search(&self, query: &str) -> Vec<usize> {
        let ws: Vec<String> = words(query);
        let typing = !query.ends_with(char::is_whitespace);
        let terms: Vec<Vec<String>> =
            ws.iter().enumerate().filter_map(|(i, w)| self.stems(w, typing && i + 1 == ws.len())).collect();
        let mut scores: BTreeMap<usize, (f64, usize)> = BTreeMap::new();
        for stems in &terms {
            let mut best: BTreeMap<usize, f64> = BTreeMap::new();
            for (doc, w) in stems.iter().flat_map(|s| self.postings(s)) {
                let b = best.entry(doc).or_default();
                *b = b.max(w);
            }
            for (doc, w) in best {
                let s = scores.entry(doc).or_default();
                s.0 += w;
                s.1 += 1;
            }
        }
        let mut hits: Vec<(usize, f64)> =
            scores.into_iter().filter(|(_, (_, n))| *n == terms.len()).map(|(d, (s, _))| (d, s)).collect();
        let ages = self.ages();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(ages[a.0].cmp(&ages[b.0])).then(a.0.cmp(&b.0)));
        hits.into_iter().map(|(d, _)| d).collect()
    }

    /// The metadata record of a document.
    fn meta(&self, doc: usize) -> Value {
        let batch = self.manifest["batch"].as_u64().expect("batch") as usize;
        self.get(&format!("meta/{}.json", doc / batch))[doc % batch].clone()
    }

    /// Gzip bytes of everything fetched so far, the manifest and the script: in total, and
    /// by folder.
    fn bytes_fetched(&self) -> (usize, BTreeMap<String, usize>) {
        let mut paths: Vec<String> = self.fetched.borrow().iter().map(|p| format!("search/{p}")).collect();
        paths.extend(["search/manifest.json"].into_iter().chain(SCRIPTS).map(String::from));
        let mut by_folder: BTreeMap<String, usize> = BTreeMap::new();
        for p in &paths {
            let folder = p.rsplit_once('/').map_or(p.as_str(), |(d, _)| d).to_string();
            *by_folder.entry(folder).or_default() += gzip(&self.files[p]);
        }
        (by_folder.values().sum(), by_folder)
    }
}

fn chunk_of(firsts: &[String], key: &str) -> usize {
    firsts.partition_point(|f| f.as_str() <= key).saturating_sub(1)
}

fn varint(chars: &mut impl Iterator<Item = u64>) -> u64 {
    let (mut value, mut shift) = (0, 0);
    loop {
        let digit = chars.next().expect("digit");
        value |= (digit & 31) << shift;
        shift += 5;
        if digit < 32 {
            return value;
        }
    }
}

fn gzip(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip").len()
}

/// One query as the page runs it: the core facets, then the query, then the top 10 results.
fn query_bytes(index: &Index, query: &str) -> ((usize, BTreeMap<String, usize>), Vec<usize>) {
    index.fetched.borrow_mut().clear();
    index.get("facets/core.json");
    let results = index.search(query);
    for &doc in results.iter().take(10) {
        index.meta(doc);
    }
    (index.bytes_fetched(), results)
}

#[test]
fn every_page_has_a_search_box_and_without_javascript_the_search_page_links_the_listings() {
    let site = SiteTest::fixture("search");
    site.build();
    let home = site.html("index.html");
    assert_eq!(home.attrs("header form[role=search]", "action"), ["/sub/search/"]);
    assert_eq!(home.attrs("header form[role=search] input", "name"), ["q"]);
    assert_eq!(home.text("header form[role=search] label"), "Search the site");
    let search = site.html("search/index.html");
    assert_eq!(search.attrs("script[src]", "src"), ["/sub/search-index.js", "/sub/search.js"]);
    assert_eq!(search.attrs("#search", "data-base"), ["/sub/"]);
    assert_eq!(search.attrs("#search-status", "aria-live"), ["polite"]);
    let raw = site.read("search/index.html");
    let noscript = &raw[raw.find("<noscript>").expect("noscript")..raw.find("</noscript>").expect("end")];
    for listing in ["projects", "reviews", "questions", "tags"] {
        assert!(noscript.contains(&format!("href=\"/sub/{listing}/\"")), "{listing} in {noscript}");
    }
    let manifest: Value = serde_json::from_str(&site.read("search/manifest.json")).expect("manifest");
    assert_eq!(
        (manifest["reviews"].as_u64(), manifest["questions"].as_u64(), manifest["projects"].as_u64()),
        (Some(4), Some(3), Some(2))
    );
    assert_eq!(manifest["ranges"][3], serde_json::json!(["reliability", "More reliable"]));
}

#[test]
fn the_fixture_site_is_found_by_stem_prefix_and_title() {
    let site = SiteTest::fixture("basic");
    let files = critique::load::load_site(&site.root).0;
    let (_, output) = render_site(&files, &SiteTest::options(), critique::cache_store::Stores::NONE).expect("builds");
    let index = Index::new(output);
    let titles = |query: &str| -> Vec<String> {
        index.search(query).iter().map(|&d| index.meta(d)["t"].as_str().expect("title").to_string()).collect()
    };
    assert_eq!(
        titles("servers"),
        ["Who pays for the servers?", "First look at Widget"],
        "a question is a result of its own"
    );
    assert_eq!(index.meta(index.search("servers")[0])["u"], "reviews/first-look/#q-2");
    assert_eq!(titles("looks first"), titles("look first "), "stems: looks and look are one");
    assert!(titles("first look").first().is_some_and(|t| t == "First look at Widget"), "title first");
    assert!(titles("benchm").contains(&"First look at Widget".to_string()), "the last word is a prefix");
    assert!(titles("benchm ").is_empty(), "a finished word is not a prefix");
    assert!(titles("the first").len() == titles("first").len(), "stop words are skipped");
    assert!(titles("zzzz first").is_empty(), "every word must match");
}

#[test]
fn a_query_on_a_10000_review_site_downloads_at_most_100_kb_gzipped() {
    let files = search_site::generate(10_000);
    let options = SiteOptions { today: SiteTest::options().today, future: true, ..SiteOptions::default() };
    let site = critique::site_model(&files, &options).expect("the generated site builds");
    let start = Instant::now();
    let mut search_files = critique::search::files(&site);
    let elapsed = start.elapsed();
    let mut parts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for f in &search_files {
        let part = parts.entry(f.path.rsplit_once('/').map_or("", |(dir, _)| dir)).or_default();
        part.0 += 1;
        part.1 += f.bytes.len();
    }
    eprintln!("search index of 10,000 reviews built in {elapsed:?}: (files, bytes) {parts:?}");
    for script in SCRIPTS {
        let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("static").join(script)).expect("script");
        search_files.push(OutputFile::new(script.into(), bytes));
    }
    let index = Index::new(search_files);
    assert_eq!(index.manifest["reviews"], 10_000);
    let mut worst = (0, String::new());
    for query in [
        "upgrade",
        "reliability fees",
        "governance multisig treasury",
        "project network",
        "upg",
        "kar",
        "validators outage incident",
        "project network users",
    ] {
        let ((bytes, by_folder), results) = query_bytes(&index, query);
        let files = index.fetched.borrow().len() + 1 + SCRIPTS.len();
        eprintln!("{query:?}: {} results, {bytes} bytes gzipped in {files} files: {by_folder:?}", results.len());
        assert!(!results.is_empty(), "{query:?} finds something");
        worst = worst.max((bytes, query.to_string()));
    }
    assert!(worst.0 <= BUDGET, "query {:?} needs {} bytes gzipped, over {BUDGET}", worst.1, worst.0);
}

#[test]
fn browsing_shows_the_newest_first_as_the_reviews_listing_does() {
    // 2,000 reviews: two share each date, and their slugs sort otherwise than their dates.
    let files = search_site::generate(2_000);
    let options = SiteOptions { today: SiteTest::options().today, ..SiteOptions::default() };
    let site = critique::site_model(&files, &options).expect("the generated site builds");
    let index = Index::new(critique::search::files(&site));
    let ages = index.ages();
    let review_links = |docs: &[usize]| -> Vec<String> {
        let metas = docs.iter().map(|&d| index.meta(d));
        metas.filter(|m| m["k"] == "r").map(|m| m["u"].as_str().expect("link").to_string()).collect()
    };
    let by_number: Vec<usize> = (0..ages.len()).collect();
    let mut slugs: Vec<String> = site.reviews.iter().map(|r| format!("reviews/{}/", r.slug)).collect();
    let listing = slugs.clone();
    slugs.sort();
    assert_eq!(review_links(&by_number), slugs, "documents are numbered by slug");
    let mut browsed = by_number;
    browsed.sort_by_key(|&d| (ages[d], d));
    assert_eq!(review_links(&browsed), listing, "newest first, as on /reviews/");
    assert_ne!(listing, slugs);
}
