//! `critique check`: every validation of `build` and every editorial check, without writing
//! anything.

use std::path::PathBuf;

use crate::check::{self, Findings};
use crate::diagnostic::{Diagnostic, Severity};
use crate::{SiteOptions, load, render_site};

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckArgs {
    /// The site root.
    pub root: PathBuf,
    /// Site options (drafts).
    pub site: SiteOptions,
    /// Whether warnings fail the check.
    pub strict: bool,
}

/// The outcome of a check: every finding, and whether it passed.
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    /// What was found, sorted by file and position.
    pub findings: Findings,
    /// Whether the check passed (no errors; with `strict`, no warnings either).
    pub passed: bool,
}

/// Checks the site at `args.root`. Content that does not even build is reported through the
/// same findings (its errors have no rule).
pub fn run(args: &CheckArgs) -> CheckOutcome {
    let (files, mut errors) = load::load_site(&args.root);
    let mut findings = match render_site(&files, &args.site) {
        Ok((site, outputs)) if errors.is_empty() => {
            let outputs: Vec<_> = outputs.iter().collect();
            let mut findings = check::all(&site, &check::OutputIndex::of(&site, &outputs));
            findings.diagnostics.extend(draft_errors(&files, &args.site, &site.drafts));
            findings
        }
        Ok(_) => Findings { diagnostics: errors, external: Vec::new() },
        Err(more) => {
            errors.extend(more);
            Findings { diagnostics: errors, external: Vec::new() }
        }
    };
    findings.diagnostics.sort();
    findings.diagnostics.dedup();
    let passed = findings.diagnostics.iter().all(|d: &Diagnostic| !(d.severity == Severity::Error || args.strict));
    CheckOutcome { findings, passed }
}

/// The errors of the draft files `drafts` (left out of the site checked): a draft must be valid
/// before it is published, so each is checked as the site would build with drafts. Only their
/// own errors count: the published site's links and rules were checked without them.
fn draft_errors(files: &crate::load::SiteFiles, options: &SiteOptions, drafts: &[PathBuf]) -> Vec<Diagnostic> {
    if drafts.is_empty() {
        return Vec::new();
    }
    let with_drafts = SiteOptions { drafts: true, ..options.clone() };
    match crate::site_model(files, &with_drafts) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .filter(|e| drafts.contains(&e.path))
            .map(|e| match e.hint {
                Some(_) => e,
                None => e.with_hint("this review is a draft: it must be valid before it is published"),
            })
            .collect(),
    }
}
