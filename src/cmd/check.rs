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
            check::all(&site, &check::OutputIndex::of(&site, &outputs))
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
