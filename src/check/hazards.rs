//! What in a content file could run script on the site's pages, as errors that fail `check`
//! and `build`: Markdown links, images and heading attributes that were left out of the page
//! (`unsafe-link`), and `<script>`, event handlers and script URLs in raw HTML, which is
//! published as written (`unsafe-html`, unless `check.allow_unsafe_html` says the site's
//! editors want them). Neither rule can be switched off by a file, nor by `check.disabled`:
//! they guard the site against the files it is given.

use crate::config::CheckConfig;
use crate::diagnostic::Diagnostic;
use crate::markdown::{Hazard, HazardKind};
use crate::model::Site;
use crate::parse::Located;

/// The rule of Markdown links, images and heading attributes that could run script.
pub const UNSAFE_LINK: &str = "unsafe-link";
/// The rule of raw HTML that could run script.
pub const UNSAFE_HTML: &str = "unsafe-html";

/// Every hazard of the site's content files, as errors.
pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    let config = &site.config.check;
    let mut found = Vec::new();
    for review in &site.reviews {
        report_body(&review.source, &review.body.hazards, config, &mut found);
        for hazard in review.questions.iter().flat_map(|q| &q.answer_hazards) {
            // An answer's lines are not the file's: found again by what the hazard holds.
            let line = matter_line_of(&review.source, hazard.needle());
            report(&review.source, line, hazard, config, &mut found);
        }
    }
    for project in &site.projects {
        report_body(&project.source, &project.body.hazards, config, &mut found);
    }
    for page in &site.pages {
        report_body(&page.source, &page.body.hazards, config, &mut found);
    }
    found
}

fn report_body(source: &Located, hazards: &[Hazard], config: &CheckConfig, found: &mut Vec<Diagnostic>) {
    for hazard in hazards {
        report(source, hazard.line + source.body_line - 1, hazard, config, found);
    }
}

fn report(source: &Located, line: usize, hazard: &Hazard, config: &CheckConfig, found: &mut Vec<Diagnostic>) {
    let (rule, hint) = match hazard.kind {
        HazardKind::Link { .. } => {
            (UNSAFE_LINK, "link to a page (https://…) or to a file of the site; a script cannot be linked")
        }
        HazardKind::Attribute { .. } => (UNSAFE_LINK, "remove the attribute"),
        HazardKind::RawHtml(_) if config.allow_unsafe_html => return,
        HazardKind::RawHtml(_) => (
            UNSAFE_HTML,
            "remove it, or, if the site's editors want scripts in pages, set `allow_unsafe_html = true` under [check] in critique.toml",
        ),
    };
    found.push(Diagnostic::at(&source.path, line, 0, hazard.describe()).with_rule(rule).with_hint(hint));
}

/// The line of the front matter of `source` holding `needle` (case-blind), or the block's
/// first line.
fn matter_line_of(source: &Located, needle: &str) -> usize {
    let needle = needle.to_lowercase();
    let at = source.matter.lines().position(|l| l.to_lowercase().contains(&needle));
    source.matter_line + at.unwrap_or(0)
}
