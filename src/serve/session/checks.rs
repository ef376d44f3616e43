//! The blocking checks of an output held in memory, kept between rebuilds: each content file's
//! links and promotion findings by its text, its broken links while the paths it probes stay.
//! Composed from the checks' per-file functions ([`check::promotion_of`],
//! [`check::broken_links_of`], [`check::probes`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::check::{self, Document, OutputIndex, PageLinks, Patterns};
use crate::config::CheckConfig;
use crate::diagnostic::Diagnostic;
use crate::hash::{FastMap, FastSet};
use crate::model::Site;
use crate::output::OutputFile;
use crate::serve::memo::{Key, Memo};

/// How an output held in memory changed since the blocking checks last looked at it.
pub struct OutputChange<'a> {
    /// The files made again (their bytes may have changed; the others' did not).
    pub made: &'a [OutputFile],
    /// Paths that are new.
    pub added: Vec<&'a str>,
    /// Paths that are gone.
    pub removed: &'a [String],
}

/// What the blocking checks keep between rebuilds, by each content file's text: its page and
/// links, its promotion findings (which depend on nothing else but the `[check]` table) and
/// its broken links (valid while the output's paths and fragment targets stay as they were).
#[derive(Default)]
pub struct CheckCache {
    config: Option<CheckConfig>,
    /// The promotion patterns of `config`, compiled once.
    patterns: Option<Result<Patterns, Diagnostic>>,
    files: Memo<Arc<FileChecks>>,
    broken: Memo<Arc<Vec<Diagnostic>>>,
    index: Option<OutputIndex>,
}

/// What the blocking checks keep of one content file.
struct FileChecks {
    links: Arc<PageLinks>,
    promotion: Vec<Diagnostic>,
    /// The output paths its links' outcome depends on ([`check::probes`]).
    probes: Vec<String>,
    /// A bit per probe's hash ([`probe_bits`]): a file none of whose bits a changed path sets
    /// probes none of them, which is told without hashing its probes again.
    probe_bits: u64,
}

/// One bit of 64 per path of `paths`, chosen by its hash's top six bits (a multiplied hash
/// mixes its high bits best).
fn probe_bits<'a>(paths: impl IntoIterator<Item = &'a String>) -> u64 {
    paths.into_iter().fold(0, |bits, path| bits | 1 << (crate::hash::hash_str(path) >> 58))
}

impl CheckCache {
    /// The blocking checks (as [`check::blocking`]) of the outputs `outputs` lists (called only
    /// when every file is needed), checking again only the files whose text is new, and the
    /// links of files that probe a path whose presence or ids changed. `change`, when given,
    /// says how the output changed since the last call: the index of the output is then
    /// updated rather than made again (without it, every file's links are checked again
    /// unless the index came out the same).
    pub fn blocking<'o>(
        &mut self,
        site: &Site,
        outputs: &dyn Fn() -> Vec<&'o OutputFile>,
        change: Option<&OutputChange<'_>>,
    ) -> Vec<Diagnostic> {
        if self.config.as_ref() != Some(&site.config.check) {
            *self = CheckCache { config: Some(site.config.check.clone()), ..CheckCache::default() };
        }
        let config = &site.config.check;
        let patterns = &*self.patterns.get_or_insert_with(|| check::promotion_patterns(config));
        let sources = check::sources(site);
        let keys: Vec<Key<'_>> = sources.iter().map(|s| Some(vec![&s.text])).collect();
        let files = self.files.refresh(keys.clone(), |i| {
            let links = Arc::new(check::page_links(site, i));
            let promotion = match patterns {
                Ok(patterns) => {
                    check::promotion_of(&Document { source: sources[i], links: links.clone() }, patterns, config)
                }
                Err(_) => Vec::new(),
            };
            let probes = check::probes(&links);
            let probe_bits = probe_bits(&probes);
            Arc::new(FileChecks { links, promotion, probes, probe_bits })
        });
        let docs: Vec<Document<'_>> =
            sources.iter().zip(&files).map(|(source, file)| Document { source, links: file.links.clone() }).collect();
        // A file's links are checked again when its text changed, or a path it probes changed.
        let (index, moved) = match (change, self.index.take()) {
            (Some(change), Some(old)) => {
                let (index, moved) = updated_index(&docs, outputs, change, old);
                (index, Some(moved))
            }
            (_, old) => {
                let index = check::index_of(&docs, &outputs());
                let same = old.as_ref() == Some(&index);
                (index, same.then(FastSet::default))
            }
        };
        if moved.is_none() {
            self.broken = Memo::default();
        }
        // Files probing a path that came, went or changed ids are checked again, and what was
        // kept of them replaced: a link found whole before its page went is broken from now on.
        let moved_bits = moved.as_ref().map_or(0, |moved| probe_bits(moved.iter()));
        let again = |i: usize| {
            let file = &files[i];
            file.probe_bits & moved_bits != 0
                && moved.as_ref().is_some_and(|m| file.probes.iter().any(|p| m.contains(p)))
        };
        let broken = self.broken.refresh_remaking(keys, again, |i| Arc::new(check::broken_links_of(&docs[i], &index)));
        self.index = Some(index);
        let mut found: Vec<Diagnostic> = broken.iter().flat_map(|b| b.iter().cloned()).collect();
        found.extend(files.iter().flat_map(|f| f.promotion.iter().cloned()));
        if let Err(config_error) = patterns {
            found.push(config_error.clone());
        }
        check::completed(found, site)
    }
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
    let targets = check::fragment_targets_of(docs, &files);
    let made: FastMap<&str, &OutputFile> = change.made.iter().map(|f| (f.path.as_str(), f)).collect();
    // Only a target no link reached before needs a search of the whole output.
    let mut all: Option<FastMap<&str, &OutputFile>> = None;
    let mut ids = BTreeMap::new();
    for target in targets {
        let kept = old_ids.remove(&target);
        let found = match (made.get(target.as_str()), kept) {
            (Some(file), kept) => {
                let fresh = check::element_ids(&file.bytes);
                if kept.as_ref() != Some(&fresh) {
                    moved.insert(target.clone());
                }
                fresh
            }
            (None, Some(kept)) => kept,
            (None, None) => {
                moved.insert(target.clone());
                let all = all.get_or_insert_with(|| outputs().into_iter().map(|f| (f.path.as_str(), f)).collect());
                all.get(target.as_str()).map(|f| check::element_ids(&f.bytes)).unwrap_or_default()
            }
        };
        ids.insert(target, found);
    }
    // Files no longer a target: a link to them with a fragment may break.
    moved.extend(old_ids.into_keys());
    (OutputIndex { files, ids }, moved)
}
