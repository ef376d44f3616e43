//! Editorial checks: what keeps reviews honest beyond their form. Broken internal links and
//! price promotion are errors (they fail `build` too); unquestioned claims, unreviewed
//! projects, near-duplicate reviews and stock phrases are warnings for the editor.

mod evidence;
mod external;
mod freshness;
mod hazards;
mod ignore;
mod images;
mod links;
mod listed;
mod placeholder;
mod promotion;
pub mod report;
mod responses;
mod similarity;
mod spelling;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::CheckConfig;

use crate::diagnostic::Diagnostic;
use crate::markdown::Link;
use crate::model::Site;
use crate::output::OutputFile;
use crate::parse::Located;

pub use hazards::{UNSAFE_HTML, UNSAFE_LINK};
pub use links::{ExternalLink, LinkRole, OutputIndex, element_ids};
pub use promotion::Patterns;

/// What `critique check` found.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Every finding, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// Links that leave the site, for `--list-external`.
    pub external: Vec<ExternalLink>,
    /// What `--external` did, when it ran.
    pub external_check: Option<crate::web::Tally>,
}

/// One content file with its page and links, as the checks see it.
#[derive(Clone)]
pub struct Document<'a> {
    /// The file.
    pub source: &'a Located,
    /// Its page and links (made from the file alone, so `serve` keeps them by its text).
    pub links: Arc<PageLinks>,
}

/// A content file's page and the links in it.
pub struct PageLinks {
    /// Its page (`reviews/x/`).
    pub page: String,
    /// Every link with its line in the file: the body's, then those in answers.
    pub links: Vec<Link>,
    /// Which of `links` are internal and name a `#fragment` (few files have any: the pages
    /// they reach are found without reading every link again).
    pub fragment_links: Vec<usize>,
}

impl PageLinks {
    /// The links of a file on `page`.
    fn new(page: String, links: Vec<Link>) -> Self {
        let fragment_links = (0..links.len()).filter(|&i| links::has_fragment(&links[i].url)).collect();
        PageLinks { page, links, fragment_links }
    }
}

/// Every content file of the site, in the order checks report them: reviews, projects, pages,
/// profiles, responses.
pub fn sources(site: &Site) -> Vec<&Located> {
    let reviews = site.reviews.iter().map(|r| &r.source);
    let projects = site.projects.iter().map(|p| &p.source);
    let pages = site.pages.iter().map(|p| &p.source);
    let profiles = site.profiles.iter().map(|p| &p.source);
    reviews.chain(projects).chain(pages).chain(profiles).chain(site.responses.iter().map(|r| &r.source)).collect()
}

/// The page and links of the `i`th of [`sources`] (made from its file alone).
pub fn page_links(site: &Site, i: usize) -> PageLinks {
    let body = |source: &Located, links: &[Link]| -> Vec<Link> {
        links.iter().map(|l| Link { line: l.line + source.body_line - 1, ..l.clone() }).collect()
    };
    let (reviews, projects) = (site.reviews.len(), site.projects.len());
    if let Some(r) = site.reviews.get(i) {
        let mut links = body(&r.source, &r.body.links);
        // Answers are Markdown too; their links sit on the answer's lines in the front matter.
        let answers: Vec<&Link> = r.questions.iter().flat_map(|q| &q.answer_links).collect();
        let written: Vec<&str> = answers.iter().map(|l| l.written.as_deref().unwrap_or(&l.url)).collect();
        let lines = r.source.lines_of(&written);
        links.extend(answers.into_iter().zip(lines).map(|(l, line)| Link { line, ..l.clone() }));
        PageLinks::new(format!("reviews/{}/", r.slug), links)
    } else if let Some(p) = site.projects.get(i - reviews) {
        let mut links = body(&p.source, &p.body.links);
        // Findings' summaries are Markdown too, on their lines in the front matter.
        let summaries: Vec<&Link> =
            p.claims.iter().filter_map(|c| c.finding.as_deref()).flat_map(|f| &f.summary_links).collect();
        let written: Vec<&str> = summaries.iter().map(|l| l.written.as_deref().unwrap_or(&l.url)).collect();
        let lines = p.source.lines_of(&written);
        links.extend(summaries.into_iter().zip(lines).map(|(l, line)| Link { line, ..l.clone() }));
        PageLinks::new(format!("projects/{}/", p.slug), links)
    } else if let Some(p) = site.pages.get(i - reviews - projects) {
        PageLinks::new(format!("{}/", p.slug), body(&p.source, &p.body.links))
    } else if let Some(p) = site.profiles.get(i - reviews - projects - site.pages.len()) {
        PageLinks::new(format!("authors/{}/", p.slug), body(&p.source, &p.body.links))
    } else {
        // A reply is shown in full on its project's page (and its reviews').
        let r = &site.responses[i - reviews - projects - site.pages.len() - site.profiles.len()];
        PageLinks::new(format!("projects/{}/", site.projects[r.project].slug), body(&r.source, &r.body.links))
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

/// [`fragment_targets`] of the links of `docs`.
pub fn fragment_targets_of(docs: &[Document<'_>], files: &BTreeSet<String>) -> BTreeSet<String> {
    links::fragment_targets(docs, files)
}

impl OutputIndex {
    /// The index of outputs held in memory.
    pub fn of(site: &Site, outputs: &[&OutputFile]) -> Self {
        index_of(&documents(site), outputs)
    }
}

/// The index of `outputs` (held in memory) that the links of `docs` are checked against.
pub fn index_of(docs: &[Document<'_>], outputs: &[&OutputFile]) -> OutputIndex {
    let files: BTreeSet<String> = outputs.iter().map(|f| f.path.clone()).collect();
    let targets = links::fragment_targets(docs, &files);
    let ids =
        outputs.iter().filter(|f| targets.contains(&f.path)).map(|f| (f.path.clone(), element_ids(&f.bytes))).collect();
    OutputIndex { files, ids }
}

/// The checks that fail a build: broken internal links and promotion.
pub fn blocking(site: &Site, index: &OutputIndex) -> Vec<Diagnostic> {
    let docs = documents(site);
    let config = &site.config.check;
    let mut found: Vec<Diagnostic> = docs.par_iter().flat_map_iter(|doc| broken_links_of(doc, index)).collect();
    match promotion_patterns(config) {
        Ok(patterns) => found.par_extend(docs.par_iter().flat_map_iter(|doc| promotion_of(doc, &patterns, config))),
        Err(config_error) => found.push(config_error),
    }
    completed(found, site)
}

/// The phrases and density rules of promotion, compiled once for many files; an error on the
/// configuration when its extra phrases cannot be matched.
pub fn promotion_patterns(config: &CheckConfig) -> Result<Patterns, Diagnostic> {
    promotion::patterns(config)
}

/// The promotion findings of one file (`doc`), its own switches applied.
pub fn promotion_of(doc: &Document<'_>, patterns: &Patterns, config: &CheckConfig) -> Vec<Diagnostic> {
    own_switches_applied(doc, promotion::check_document(doc, patterns, config))
}

/// The broken internal links of one file (`doc`) against `index`, its own switches applied.
pub fn broken_links_of(doc: &Document<'_>, index: &OutputIndex) -> Vec<Diagnostic> {
    own_switches_applied(doc, links::check(std::slice::from_ref(doc), index).0)
}

/// The findings of one file (`doc`) that its own `critique-ignore` switches leave in (read
/// only when it has findings: most files have none).
fn own_switches_applied(doc: &Document<'_>, found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if found.is_empty() {
        return found;
    }
    let switches = ignore::Switches::read(&doc.source.text);
    found.into_iter().filter(|d| kept_by(&switches, d)).collect()
}

/// The output paths whose presence (or ids) decide whether the internal links of `links` are
/// broken: a file whose probes are all as they were has the same broken links.
pub fn probes(links: &PageLinks) -> Vec<String> {
    links::probes(links)
}

/// Findings made file by file with each file's own switches applied, completed: those of rules
/// the site switched off dropped, and every hazard of the site added (after the switches: what
/// could run script is not a file's to switch off).
pub fn completed(mut found: Vec<Diagnostic>, site: &Site) -> Vec<Diagnostic> {
    found.retain(|d| d.rule.as_ref().is_none_or(|rule| !site.config.check.is_disabled(rule)));
    links::explain_left_out(&mut found, site);
    // Only the hazards each file noted as it was parsed are gathered here: no file is read.
    found.extend(hazards::check(site));
    found
}

/// Every check.
pub fn all(site: &Site, index: &OutputIndex) -> Findings {
    let docs = documents(site);
    let (mut found, mut external) = links::check(&docs, index);
    external.extend(links::field_links(site));
    external.sort();
    found.extend(promotion::check(&docs, &site.config.check));
    found.extend(coverage(site));
    found.extend(similarity::near_duplicates(site));
    found.extend(similarity::stock_phrases(site));
    found.extend(spelling::tag_spellings(site));
    found.extend(placeholder::check(site));
    found.extend(freshness::stale_reviews(site));
    found.extend(responses::untraced(site));
    found.extend(evidence::unarchived(site));
    found.extend(images::without_alt(site));
    let mut diagnostics = filter(found, site);
    links::explain_left_out(&mut diagnostics, site);
    diagnostics.extend(hazards::check(site));
    Findings { diagnostics, external, external_check: None }
}

/// The findings of `check --external`: the verdicts (by link as written) on the external links
/// of `findings`, with the site's and each file's switches applied.
pub fn external_findings(
    site: &Site,
    links: &[ExternalLink],
    verdicts: &std::collections::HashMap<String, crate::web::Verdict>,
) -> Vec<Diagnostic> {
    filter(external::findings(links, verdicts), site)
}

/// Whether a file's own `critique-ignore` switches (the rules it turns off, `ignored`)
/// leave `finding` (one of its findings) in.
fn kept_by(switches: &ignore::Switches, finding: &Diagnostic) -> bool {
    finding.rule.as_ref().is_none_or(|rule| !switches.ignores(rule, finding.line))
}

/// Drops findings of rules switched off for the site or for their file (each file's switches
/// read once, however many findings it has).
fn filter(found: Vec<Diagnostic>, site: &Site) -> Vec<Diagnostic> {
    let mut switches: BTreeMap<&std::path::Path, ignore::Switches> = BTreeMap::new();
    let texts: BTreeMap<&std::path::Path, &str> =
        sources(site).into_iter().map(|s| (s.path.as_path(), &*s.text)).collect();
    found
        .into_iter()
        .filter(|d| match &d.rule {
            Some(rule) => {
                let off = texts.get_key_value(d.path.as_path()).is_some_and(|(&path, text)| {
                    switches.entry(path).or_insert_with(|| ignore::Switches::read(text)).ignores(rule, d.line)
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
