//! Editorial checks: what keeps reviews honest beyond their form. Broken internal links and
//! price promotion are errors (they fail `build` too); unquestioned claims, unreviewed
//! projects, near-duplicate reviews and stock phrases are warnings for the editor.

mod hazards;
mod ignore;
mod links;
mod listed;
mod promotion;
pub mod report;
mod similarity;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::config::CheckConfig;

use crate::diagnostic::Diagnostic;
use crate::hash::{FastMap, FastSet};
use crate::memo::{Key, Memo};
use crate::model::Site;
use crate::output::OutputFile;
use crate::parse::Located;

pub use hazards::{UNSAFE_HTML, UNSAFE_LINK};
pub use links::{ExternalLink, OutputIndex, element_ids};

/// What `critique check` found.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Every finding, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Links that leave the site, for `--list-external`.
    pub external: Vec<ExternalLink>,
}

/// One content file with its page and links, as the checks see it.
#[derive(Clone)]
pub(crate) struct Document<'a> {
    /// The file.
    pub source: &'a Located,
    /// Its page and links (made from the file alone, so `serve` keeps them by its text).
    pub links: Arc<PageLinks>,
}

/// A content file's page and the links in it.
pub(crate) struct PageLinks {
    /// Its page (`reviews/x/`).
    pub page: String,
    /// Every link target with its line in the file: the body's, then those in answers.
    pub links: Vec<(String, usize)>,
    /// Which of `links` are internal and name a `#fragment` (few files have any: the pages
    /// they reach are found without reading every link again).
    pub fragment_links: Vec<usize>,
}

impl PageLinks {
    /// The links of a file on `page`.
    fn new(page: String, links: Vec<(String, usize)>) -> Self {
        let fragment_links = (0..links.len()).filter(|&i| links::has_fragment(&links[i].0)).collect();
        PageLinks { page, links, fragment_links }
    }
}

/// Every content file of the site, in the order checks report them: reviews, projects, pages.
fn sources(site: &Site) -> Vec<&Located> {
    let reviews = site.reviews.iter().map(|r| &r.source);
    let projects = site.projects.iter().map(|p| &p.source);
    reviews.chain(projects).chain(site.pages.iter().map(|p| &p.source)).collect()
}

/// The page and links of the `i`th of [`sources`].
fn page_links(site: &Site, i: usize) -> PageLinks {
    let body = |source: &Located, links: &[crate::markdown::Link]| -> Vec<(String, usize)> {
        links.iter().map(|l| (l.url.clone(), l.line + source.body_line - 1)).collect()
    };
    let (reviews, projects) = (site.reviews.len(), site.projects.len());
    if let Some(r) = site.reviews.get(i) {
        let mut links = body(&r.source, &r.body.links);
        // Answers are Markdown too; their links sit on the answer's lines in the front matter.
        let urls: Vec<&str> = r.questions.iter().flat_map(|q| &q.answer_links).map(String::as_str).collect();
        let lines = r.source.lines_of(&urls);
        links.extend(urls.into_iter().map(str::to_string).zip(lines));
        PageLinks::new(format!("reviews/{}/", r.slug), links)
    } else if let Some(p) = site.projects.get(i - reviews) {
        PageLinks::new(format!("projects/{}/", p.slug), body(&p.source, &p.body.links))
    } else {
        let p = &site.pages[i - reviews - projects];
        PageLinks::new(format!("{}/", p.slug), body(&p.source, &p.body.links))
    }
}

fn documents(site: &Site) -> Vec<Document<'_>> {
    let sources = sources(site);
    sources
        .into_iter()
        .enumerate()
        .map(|(i, source)| Document { source, links: Arc::new(page_links(site, i)) })
        .collect()
}

/// The output files whose element ids the link check needs (those that internal links with a
/// `#fragment` reach), given the path of every output file.
pub fn fragment_targets(site: &Site, files: &BTreeSet<String>) -> BTreeSet<String> {
    links::fragment_targets(&documents(site), files)
}

impl OutputIndex {
    /// The index of outputs held in memory.
    pub fn of(site: &Site, outputs: &[&OutputFile]) -> Self {
        index_of(&documents(site), outputs)
    }
}

fn index_of(docs: &[Document<'_>], outputs: &[&OutputFile]) -> OutputIndex {
    let files: BTreeSet<String> = outputs.iter().map(|f| f.path.clone()).collect();
    let targets = links::fragment_targets(docs, &files);
    let ids =
        outputs.iter().filter(|f| targets.contains(&f.path)).map(|f| (f.path.clone(), element_ids(&f.bytes))).collect();
    OutputIndex { files, ids }
}

/// How an output held in memory changed since the blocking checks last looked at it.
pub struct OutputChange<'a> {
    /// The files made again (their bytes may have changed; the others' did not).
    pub made: &'a [OutputFile],
    /// Paths that are new.
    pub added: Vec<&'a str>,
    /// Paths that are gone.
    pub removed: &'a [String],
}

/// `old`, the index of the output before `change`, brought up to date for `docs` (whose links
/// may have changed); with the paths whose presence or ids changed.
fn updated_index<'o>(
    docs: &[Document<'_>],
    outputs: &dyn Fn() -> Vec<&'o OutputFile>,
    change: &OutputChange<'_>,
    old: OutputIndex,
) -> (OutputIndex, FastSet<String>) {
    let OutputIndex { mut files, ids: mut old_ids } = old;
    let mut moved: FastSet<String> = change.removed.iter().cloned().collect();
    for path in change.removed {
        files.remove(path);
    }
    for path in &change.added {
        files.insert((*path).to_string());
        moved.insert((*path).to_string());
    }
    let targets = links::fragment_targets(docs, &files);
    let made: FastMap<&str, &OutputFile> = change.made.iter().map(|f| (f.path.as_str(), f)).collect();
    // Only a target no link reached before needs a search of the whole output.
    let mut all: Option<FastMap<&str, &OutputFile>> = None;
    let mut ids = BTreeMap::new();
    for target in targets {
        let kept = old_ids.remove(&target);
        let found = match (made.get(target.as_str()), kept) {
            (Some(file), kept) => {
                let fresh = element_ids(&file.bytes);
                if kept.as_ref() != Some(&fresh) {
                    moved.insert(target.clone());
                }
                fresh
            }
            (None, Some(kept)) => kept,
            (None, None) => {
                moved.insert(target.clone());
                let all = all.get_or_insert_with(|| outputs().into_iter().map(|f| (f.path.as_str(), f)).collect());
                all.get(target.as_str()).map(|f| element_ids(&f.bytes)).unwrap_or_default()
            }
        };
        ids.insert(target, found);
    }
    // Files no longer a target: a link to them with a fragment may break.
    moved.extend(old_ids.into_keys());
    (OutputIndex { files, ids }, moved)
}

/// The checks that fail a build: broken internal links and promotion.
pub fn blocking(site: &Site, index: &OutputIndex) -> Vec<Diagnostic> {
    let docs = documents(site);
    let mut found = links::check(&docs, index).0;
    found.extend(promotion::check(&docs, &site.config.check));
    let mut found = filter(found, site);
    // After the switches: what could run script is not a file's to switch off.
    found.extend(hazards::check(site));
    found
}

/// What the blocking checks keep between the rebuilds of `serve`, by each content file's
/// text: its page and links, its promotion findings (which depend on nothing else but the
/// `[check]` table) and its broken links (valid while the output's paths and fragment targets
/// stay as they were).
#[derive(Default)]
pub struct CheckCache {
    config: Option<CheckConfig>,
    /// The promotion patterns of `config`, compiled once.
    patterns: Option<Result<promotion::Patterns, Diagnostic>>,
    files: Memo<Arc<FileChecks>>,
    broken: Memo<Arc<Vec<Diagnostic>>>,
    index: Option<OutputIndex>,
}

/// One bit of 64 per path of `paths`, chosen by its hash's top six bits (a multiplied hash
/// mixes its high bits best).
fn probe_bits<'a>(paths: impl IntoIterator<Item = &'a String>) -> u64 {
    paths.into_iter().fold(0, |bits, path| bits | 1 << (crate::hash::hash_str(path) >> 58))
}

/// What the blocking checks keep of one content file.
struct FileChecks {
    links: Arc<PageLinks>,
    promotion: Vec<Diagnostic>,
    /// The output paths its links' outcome depends on ([`links::probes`]).
    probes: Vec<String>,
    /// A bit per probe's hash ([`probe_bits`]): a file none of whose bits a changed path sets
    /// probes none of them, which is told without hashing its probes again.
    probe_bits: u64,
}

/// [`blocking`] of outputs held in memory (as `serve` holds them; `outputs` lists them, and is
/// called only when every file is needed), checking again only the files whose text is not in
/// `cache`, and the links of files that probe a path whose presence or ids changed. `change`,
/// when given, says how the output changed since the last call: the index of the output is
/// then updated rather than made again (without it, every file's links are checked again
/// unless the index came out the same).
pub fn blocking_in_memory<'o>(
    site: &Site,
    outputs: &dyn Fn() -> Vec<&'o OutputFile>,
    change: Option<&OutputChange<'_>>,
    cache: &mut CheckCache,
) -> Vec<Diagnostic> {
    if cache.config.as_ref() != Some(&site.config.check) {
        *cache = CheckCache { config: Some(site.config.check.clone()), ..CheckCache::default() };
    }
    let config = &site.config.check;
    let patterns = &*cache.patterns.get_or_insert_with(|| promotion::patterns(config));
    let sources = sources(site);
    let keys: Vec<Key<'_>> = sources.iter().map(|s| Some(vec![&s.text])).collect();
    let files = cache.files.refresh(keys.clone(), |i| {
        let links = Arc::new(page_links(site, i));
        let promotion = match patterns {
            Ok(patterns) => {
                let doc = Document { source: sources[i], links: links.clone() };
                let ignored = ignore::ignored_rules(&sources[i].text);
                promotion::check_document(&doc, patterns, config).into_iter().filter(|d| kept_by(&ignored, d)).collect()
            }
            Err(_) => Vec::new(),
        };
        let probes = links::probes(&links);
        let probe_bits = probe_bits(&probes);
        Arc::new(FileChecks { links, promotion, probes, probe_bits })
    });
    let docs: Vec<Document<'_>> =
        sources.iter().zip(&files).map(|(source, file)| Document { source, links: file.links.clone() }).collect();
    // A file's links are checked again when its text changed, or a path it probes changed.
    let (index, moved) = match (change, cache.index.take()) {
        (Some(change), Some(old)) => {
            let (index, moved) = updated_index(&docs, outputs, change, old);
            (index, Some(moved))
        }
        (_, old) => {
            let index = index_of(&docs, &outputs());
            let same = old.as_ref() == Some(&index);
            (index, same.then(FastSet::default))
        }
    };
    let broken_keys = match &moved {
        None => {
            cache.broken = Memo::default();
            keys
        }
        Some(moved) if moved.is_empty() => keys,
        Some(moved) => {
            let moved_bits = probe_bits(moved.iter());
            keys.into_iter()
                .zip(&files)
                .map(|(key, file)| {
                    let maybe = file.probe_bits & moved_bits != 0;
                    key.filter(|_| !(maybe && file.probes.iter().any(|p| moved.contains(p))))
                })
                .collect()
        }
    };
    let broken = cache.broken.refresh(broken_keys, |i| {
        let found = links::check(&docs[i..=i], &index).0;
        let ignored = if found.is_empty() { Vec::new() } else { ignore::ignored_rules(&sources[i].text) };
        Arc::new(found.into_iter().filter(|d| kept_by(&ignored, d)).collect())
    });
    cache.index = Some(index);
    let mut found: Vec<Diagnostic> = broken.iter().flat_map(|b| b.iter().cloned()).collect();
    found.extend(files.iter().flat_map(|f| f.promotion.iter().cloned()));
    if let Err(config_error) = patterns {
        found.push(config_error.clone());
    }
    // Files' own switches were applied as their findings were made.
    found.retain(|d| d.rule.as_ref().is_none_or(|rule| !config.is_disabled(rule)));
    // Only the hazards each file noted as it was parsed are gathered here: no file is read.
    found.extend(hazards::check(site));
    found
}

/// Every check.
pub fn all(site: &Site, index: &OutputIndex) -> Findings {
    let docs = documents(site);
    let (mut found, external) = links::check(&docs, index);
    found.extend(promotion::check(&docs, &site.config.check));
    found.extend(coverage(site));
    found.extend(similarity::near_duplicates(site));
    found.extend(similarity::stock_phrases(site));
    let mut diagnostics = filter(found, site);
    diagnostics.extend(hazards::check(site));
    Findings { diagnostics, external }
}

/// Whether a file's own `critique-ignore` switches (the rules it turns off, `ignored`)
/// leave `finding` (one of its findings) in.
fn kept_by(ignored: &[&str], finding: &Diagnostic) -> bool {
    finding.rule.as_ref().is_none_or(|rule| !ignored.contains(&rule.as_str()))
}

/// Drops findings of rules switched off for the site or for their file (each file's switches
/// read once, however many findings it has).
fn filter(found: Vec<Diagnostic>, site: &Site) -> Vec<Diagnostic> {
    let mut ignored: BTreeMap<&std::path::Path, Vec<&str>> = BTreeMap::new();
    let texts: BTreeMap<&std::path::Path, &str> = site
        .reviews
        .iter()
        .map(|r| &r.source)
        .chain(site.projects.iter().map(|p| &p.source))
        .chain(site.pages.iter().map(|p| &p.source))
        .map(|s| (s.path.as_path(), &*s.text))
        .collect();
    found
        .into_iter()
        .filter(|d| match &d.rule {
            Some(rule) => {
                let off = texts.get_key_value(d.path.as_path()).is_some_and(|(&path, text)| {
                    ignored.entry(path).or_insert_with(|| ignore::ignored_rules(text)).contains(&rule.as_str())
                });
                !site.config.check.is_disabled(rule) && !off
            }
            None => true,
        })
        .collect()
}

/// Claims no review questioned and projects no review covers.
fn coverage(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for project in &site.projects {
        let unquestioned: Vec<&str> =
            project.claims.iter().filter(|c| c.questions.is_empty()).map(|c| c.id.as_str()).collect();
        let lines = if project.reviews.is_empty() { Vec::new() } else { project.source.lines_of(&unquestioned) };
        if project.reviews.is_empty() {
            found.push(
                Diagnostic::file(&project.source.path, format!("no review of {} yet", project.name))
                    .warning()
                    .with_rule("unreviewed-project")
                    .with_hint("its claims stand unquestioned until someone reviews it"),
            );
            continue;
        }
        for (claim, line) in project.claims.iter().filter(|c| c.questions.is_empty()).zip(lines) {
            found.push(
                Diagnostic::at(&project.source.path, line, 0, format!("no review questions the claim `{}`", claim.id))
                    .warning()
                    .with_rule("unquestioned-claim")
                    .with_hint(
                        "add a question with `claim: ".to_string() + &claim.id + "` to a review, or drop the claim",
                    ),
            );
        }
    }
    found
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A review file `r.md` of `text`, as the checks see it.
    pub(crate) fn located(text: &str) -> Located {
        Located {
            path: "r.md".into(),
            format: crate::frontmatter::Format::Yaml,
            matter: "".into(),
            matter_line: 2,
            body_line: 3,
            text: text.into(),
            positions: crate::parse::TomlPositions::default(),
        }
    }
}
