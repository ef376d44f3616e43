//! `critique check`: every validation of `build` and every editorial check, without writing
//! anything.

use crate::cache_store::{DiskStore, Stores};
use std::path::PathBuf;

use crate::check::{self, Findings};
use crate::diagnostic::{Diagnostic, Severity};
use crate::parse::LeftOut;
use crate::{SiteOptions, load, render_site, web};

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckArgs {
    /// The site root.
    pub root: PathBuf,
    /// Site options (drafts).
    pub site: SiteOptions,
    /// Whether warnings fail the check.
    pub strict: bool,
    /// Whether external links are fetched (`--external`), and how.
    pub external: Option<External>,
}

/// How `--external` runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct External {
    /// Whether the cache of earlier runs is ignored (`--refresh`).
    pub refresh: bool,
}

/// The outcome of a check: every finding, and whether it passed.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    /// What was found, sorted by file and position.
    pub findings: Findings,
    /// Whether the check passed (no errors; with `strict`, no warnings either).
    pub passed: bool,
    /// How many content files were read, for `--verbose`.
    pub files: usize,
    /// How long it took, for `--verbose`.
    pub elapsed: std::time::Duration,
}

/// Checks the site at `args.root`. Content that does not even build is reported through the
/// same findings (its errors have no rule).
pub fn run(args: &CheckArgs) -> CheckOutcome {
    let start = std::time::Instant::now();
    let (files, mut errors) = load::load_site(&args.root);
    // The build's cards and images, or made and kept for it: `check` needs only their paths.
    let cards = DiskStore::open(&args.root, crate::cards::CACHED);
    let images = DiskStore::open(&args.root, crate::pictures::CACHED);
    let mut findings = match render_site(&files, &args.site, Stores { cards: &cards, images: &images }) {
        Ok((site, outputs)) if errors.is_empty() => {
            let outputs: Vec<_> = outputs.iter().collect();
            let mut findings = check::all(&site, &check::OutputIndex::of(&site, &outputs));
            findings.diagnostics.extend(left_out_errors(&files, &args.site, &site.left_out));
            if let Some(external) = args.external {
                let settings = web::Settings::new(&site.config.check.external);
                let links = findings.external.iter().map(|l| l.url.as_str());
                let outcome = web::check(links, &settings, &args.root, external.refresh);
                findings.diagnostics.extend(check::external_findings(&site, &findings.external, &outcome.verdicts));
                findings.external_check = Some(outcome.tally);
            }
            findings
        }
        Ok(_) => Findings { diagnostics: errors, ..Findings::default() },
        Err(more) => {
            errors.extend(more);
            Findings { diagnostics: errors, ..Findings::default() }
        }
    };
    findings.diagnostics.sort();
    findings.diagnostics.dedup();
    let passed = findings.diagnostics.iter().all(|d: &Diagnostic| !(d.severity == Severity::Error || args.strict));
    CheckOutcome { findings, passed, files: files.content.len(), elapsed: start.elapsed() }
}

/// The errors of the review files `left_out` of the site checked (drafts, reviews dated in the
/// future): each must be valid before it is published, so each is checked as the site would
/// build with it. Only their own errors count: the published site's links and rules were
/// checked without them.
fn left_out_errors(
    files: &crate::load::SiteFiles,
    options: &SiteOptions,
    left_out: &[(PathBuf, LeftOut)],
) -> Vec<Diagnostic> {
    if left_out.is_empty() {
        return Vec::new();
    }
    let with_all = SiteOptions { drafts: true, future: true, ..options.clone() };
    match crate::site_model(files, &with_all) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .filter_map(|e| {
                let why = left_out.iter().find(|(path, _)| *path == e.path)?.1;
                Some(match (&e.hint, why) {
                    (Some(_), _) => e,
                    (None, LeftOut::Draft) => {
                        e.with_hint("this review is a draft: it must be valid before it is published")
                    }
                    (None, LeftOut::Future) => {
                        e.with_hint("this review is dated in the future: it must be valid before its day comes")
                    }
                })
            })
            .collect(),
    }
}
