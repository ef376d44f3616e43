//! Reports of `critique check`: text grouped by file (coloured on a terminal) or JSON for
//! tools, with a versioned, stable shape.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity, display_path, terminal_safe};

use super::{ExternalLink, Findings};

/// The version of the JSON report's shape (2: a position not known is `null`, not 0; 3: build
/// errors name their rule (the stage that found them), and `related` lists the other files
/// a finding involves; 4: `external_check`, what `--external` did).
pub const REPORT_VERSION: u32 = 4;

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Findings that fail the check.
    pub errors: usize,
    /// Findings that fail only `--strict`.
    pub warnings: usize,
}

impl Counts {
    /// Counts `findings`.
    pub fn of(findings: &[Diagnostic]) -> Self {
        let errors = findings.iter().filter(|d| d.severity == Severity::Error).count();
        Self { errors, warnings: findings.len() - errors }
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: String,
    /// `null` for a finding about a whole file.
    line: Option<usize>,
    /// `null` where only the line is known.
    column: Option<usize>,
    severity: Severity,
    rule: Option<&'a str>,
    message: &'a str,
    hint: Option<&'a str>,
    /// The other files it involves (`[]` when none).
    related: Vec<String>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    errors: usize,
    warnings: usize,
    findings: Vec<JsonFinding<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_links: Option<&'a [ExternalLink]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_check: Option<&'a crate::web::Tally>,
}

/// The JSON report; `external` adds the list of external links.
pub fn json(findings: &Findings, external: bool) -> String {
    let counts = Counts::of(&findings.diagnostics);
    let report = JsonReport {
        version: REPORT_VERSION,
        errors: counts.errors,
        warnings: counts.warnings,
        findings: findings
            .diagnostics
            .iter()
            .map(|d| JsonFinding {
                path: display_path(&d.path),
                line: (d.line > 0).then_some(d.line),
                column: (d.line > 0 && d.col > 0).then_some(d.col),
                severity: d.severity,
                rule: d.rule.as_deref(),
                message: &d.message,
                hint: d.hint.as_deref(),
                related: d.related.iter().map(|p| display_path(p)).collect(),
            })
            .collect(),
        external_links: external.then_some(findings.external.as_slice()),
        external_check: findings.external_check.as_ref(),
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// The text report, grouped by file; with `color`, severities are coloured (ANSI).
pub fn text(findings: &Findings, external: bool, color: bool) -> String {
    let paint =
        |code: &str, text: &str| if color { format!("\u{1b}[{code}m{text}\u{1b}[0m") } else { text.to_string() };
    let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &findings.diagnostics {
        by_file.entry(display_path(&d.path)).or_default().push(d);
    }
    let mut out = String::new();
    for (path, found) in &by_file {
        let _ = writeln!(out, "{}", paint("1", path));
        for d in found {
            let place = match (d.line, d.col) {
                (0, _) => "-".to_string(),
                (l, 0) => l.to_string(),
                (l, c) => format!("{l}:{c}"),
            };
            let severity = match d.severity {
                Severity::Error => paint("31;1", "error"),
                Severity::Warning => paint("33;1", "warning"),
            };
            let rule = d.rule.as_deref().map(|r| format!("[{r}]")).unwrap_or_default();
            let _ = writeln!(out, "  {place:>7}  {severity}{rule}: {}", terminal_safe(&d.message));
            if let Some(hint) = &d.hint {
                let _ = writeln!(out, "           {} {}", paint("36", "help:"), terminal_safe(hint));
            }
        }
    }
    if external && !findings.external.is_empty() {
        let _ = writeln!(out, "{}", paint("1", "External links (not checked)"));
        for link in &findings.external {
            let _ = writeln!(out, "  {}:{}  {}", display_path(&link.path), link.line, terminal_safe(&link.url));
        }
    }
    if let Some(tally) = &findings.external_check {
        let _ = writeln!(out, "{}", external_summary(tally));
        if let Some(problem) = &tally.cache_problem {
            let _ = writeln!(out, "{} {}", paint("36", "note:"), terminal_safe(problem));
        }
    }
    let counts = Counts::of(&findings.diagnostics);
    let summary = if counts.errors + counts.warnings == 0 {
        "No findings.".to_string()
    } else {
        format!(
            "{} error{}, {} warning{} in {} file{}.",
            counts.errors,
            if counts.errors == 1 { "" } else { "s" },
            counts.warnings,
            if counts.warnings == 1 { "" } else { "s" },
            by_file.len(),
            if by_file.len() == 1 { "" } else { "s" }
        )
    };
    let _ = writeln!(out, "{summary}");
    out
}

/// One line on what `--external` did: `External links: 12 checked, 480 cached, 3 skipped
/// (15 requests) in 2.4 s.`
fn external_summary(tally: &crate::web::Tally) -> String {
    let crate::web::Tally { checked, cached, skipped, requests, seconds, cache_problem: _ } = tally;
    let requests = if *requests == 1 { "1 request".to_string() } else { format!("{requests} requests") };
    format!("External links: {checked} checked, {cached} cached, {skipped} skipped ({requests}) in {seconds:.1} s.")
}
