//! Editorial checks: what keeps reviews honest beyond their form. Broken internal links and
//! price promotion are errors (they fail `build` too); unquestioned claims, unreviewed
//! projects, near-duplicate reviews and stock phrases are warnings for the editor.

mod links;
mod promotion;
pub mod report;
mod similarity;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::config::CheckConfig;

use crate::diagnostic::Diagnostic;
use crate::model::Site;
use crate::parse::Located;
use crate::render::OutputFile;

pub use links::{ExternalLink, OutputIndex, element_ids};

/// Every rule, by name, as `check.disabled` and `<!-- critique-ignore: … -->` name them.
pub const RULES: &[&str] = &[
    "broken-link",
    "promotion-ticker",
    "promotion-phrase",
    "promotion-density",
    "unquestioned-claim",
    "unreviewed-project",
    "near-duplicate",
    "stock-phrase",
];

/// The marker that switches rules off for one file: `<!-- critique-ignore: stock-phrase -->`.
const IGNORE_MARKER: &str = "critique-ignore:";

/// What `critique check` found.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Every finding, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Links that leave the site, for `--list-external`.
    pub external: Vec<ExternalLink>,
}

/// One content file with the URL of its page (below the base), as the checks see it.
#[derive(Clone)]
pub(crate) struct Document<'a> {
    /// The file.
    pub source: &'a Located,
    /// Its page (`reviews/x/`).
    pub page: String,
    /// Every link target with its line in the file: the body's, then those in answers.
    pub links: Vec<(String, usize)>,
}

fn documents(site: &Site) -> Vec<Document<'_>> {
    let body = |source: &Located, links: &[crate::markdown::Link]| -> Vec<(String, usize)> {
        links.iter().map(|l| (l.url.clone(), l.line + source.body_line - 1)).collect()
    };
    let reviews = site.reviews.iter().map(|r| {
        let mut links = body(&r.source, &r.body.links);
        // Answers are Markdown too; their links sit on the answer's lines in the front matter.
        for url in r.questions.iter().flat_map(|q| &q.answer_links) {
            let line = r.source.line_of(url);
            links.push((url.clone(), line));
        }
        Document { source: &r.source, page: format!("reviews/{}/", r.slug), links }
    });
    let projects = site.projects.iter().map(|p| Document {
        source: &p.source,
        page: format!("projects/{}/", p.slug),
        links: body(&p.source, &p.body.links),
    });
    let pages = site.pages.iter().map(|p| Document {
        source: &p.source,
        page: format!("{}/", p.slug),
        links: body(&p.source, &p.body.links),
    });
    reviews.chain(projects).chain(pages).collect()
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

/// The checks that fail a build: broken internal links and promotion.
pub fn blocking(site: &Site, index: &OutputIndex) -> Vec<Diagnostic> {
    blocking_of(site, &documents(site), index, &mut PromotionCache::default())
}

/// Promotion findings by file, kept between the rebuilds of `serve`: they depend on nothing
/// but the file's text and the site's `[check]` table.
#[derive(Debug, Default)]
pub struct PromotionCache {
    config: Option<CheckConfig>,
    /// By file: the text checked (kept, so that its allocation is not reused while cached) and
    /// what was found in it.
    files: HashMap<PathBuf, (Arc<str>, Vec<Diagnostic>)>,
}

/// [`blocking`] of outputs held in memory (as `serve` holds them), checking for promotion only
/// the files whose text is not in `cache`.
pub fn blocking_in_memory(site: &Site, outputs: &[&OutputFile], cache: &mut PromotionCache) -> Vec<Diagnostic> {
    let docs = documents(site);
    let index = index_of(&docs, outputs);
    blocking_of(site, &docs, &index, cache)
}

fn blocking_of(site: &Site, docs: &[Document<'_>], index: &OutputIndex, cache: &mut PromotionCache) -> Vec<Diagnostic> {
    let mut found = links::check(docs, index).0;
    if cache.config.as_ref() != Some(&site.config.check) {
        *cache = PromotionCache { config: Some(site.config.check.clone()), files: HashMap::new() };
    }
    let fresh = |doc: &&Document<'_>| {
        !cache.files.get(&doc.source.path).is_some_and(|(text, _)| Arc::ptr_eq(text, &doc.source.text))
    };
    let unchecked: Vec<Document<'_>> = docs.iter().filter(fresh).map(Document::clone).collect();
    match promotion::check_each(&unchecked, &site.config.check) {
        Ok(per_file) => {
            for (doc, findings) in unchecked.iter().zip(per_file) {
                cache.files.insert(doc.source.path.clone(), (doc.source.text.clone(), findings));
            }
            let present: HashSet<&PathBuf> = docs.iter().map(|d| &d.source.path).collect();
            cache.files.retain(|path, _| present.contains(path));
            found.extend(docs.iter().filter_map(|d| cache.files.get(&d.source.path)).flat_map(|(_, f)| f.clone()));
        }
        Err(config_error) => found.push(config_error),
    }
    filter(found, site)
}

/// Every check.
pub fn all(site: &Site, index: &OutputIndex) -> Findings {
    let docs = documents(site);
    let (mut found, external) = links::check(&docs, index);
    found.extend(promotion::check(&docs, &site.config.check));
    found.extend(coverage(site));
    found.extend(similarity::near_duplicates(site));
    found.extend(similarity::stock_phrases(site));
    Findings { diagnostics: filter(found, site), external }
}

/// Drops findings of rules switched off for the site or for their file.
fn filter(found: Vec<Diagnostic>, site: &Site) -> Vec<Diagnostic> {
    let ignored = |path: &PathBuf, rule: &str| {
        let text = site
            .reviews
            .iter()
            .map(|r| &r.source)
            .chain(site.projects.iter().map(|p| &p.source))
            .chain(site.pages.iter().map(|p| &p.source))
            .find(|s| &s.path == path)
            .map(|s| &*s.text);
        text.is_some_and(|t| file_ignores(t, rule))
    };
    found
        .into_iter()
        .filter(|d| match &d.rule {
            Some(rule) => !site.config.check.is_disabled(rule) && !ignored(&d.path, rule),
            None => true,
        })
        .collect()
}

/// Whether the file switches `rule` off with `<!-- critique-ignore: rule, … -->` (a prefix
/// such as `promotion` covers every promotion rule).
fn file_ignores(text: &str, rule: &str) -> bool {
    text.match_indices(IGNORE_MARKER).any(|(i, _)| {
        let rest = &text[i + IGNORE_MARKER.len()..];
        let list = rest.split("-->").next().unwrap_or_default();
        list.split(',').map(str::trim).any(|r| !r.is_empty() && rule.starts_with(r))
    })
}

/// Claims no review questioned and projects no review covers.
fn coverage(site: &Site) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for project in &site.projects {
        if project.reviews.is_empty() {
            found.push(
                Diagnostic::file(&project.source.path, format!("no review of {} yet", project.name))
                    .warning()
                    .with_rule("unreviewed-project")
                    .with_hint("its claims stand unquestioned until someone reviews it"),
            );
            continue;
        }
        for claim in project.claims.iter().filter(|c| c.questions.is_empty()) {
            let line = project.source.line_of(&claim.id);
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
mod tests {
    use super::*;

    #[test]
    fn files_ignore_rules_by_name_or_prefix() {
        let text = "body\n<!-- critique-ignore: stock-phrase, promotion -->\n";
        assert!(file_ignores(text, "stock-phrase"));
        assert!(file_ignores(text, "promotion-phrase"));
        assert!(!file_ignores(text, "near-duplicate"));
        assert!(!file_ignores("no marker", "stock-phrase"));
    }
}
