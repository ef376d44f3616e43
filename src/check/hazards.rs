//! What in a content file could run script on the site's pages, as errors that fail `check`
//! and `build`: Markdown links, images and heading attributes that were left out of the page
//! (`unsafe-link`), and `<script>`, event handlers and script URLs in raw HTML, which is
//! published as written (`unsafe-html`, unless `check.allow_unsafe_html` says the site's
//! editors want them). Neither rule can be switched off by a file, nor by `check.disabled`:
//! they guard the site against the files it is given.

use super::listed::Listed;
use crate::config::CheckConfig;
use crate::diagnostic::Diagnostic;
use crate::markdown::{Hazard, HazardKind};
use crate::model::Site;
use crate::parse::Located;

pub use crate::config::{UNSAFE_HTML, UNSAFE_LINK};

/// Every hazard of the site's content files, as errors.
pub(super) fn check(site: &Site) -> Vec<Diagnostic> {
    let config = &site.config.check;
    let mut found = Vec::new();
    for review in &site.reviews {
        let mut file = FileReport::new(&review.source, config);
        for hazard in &review.body.hazards {
            file.report(hazard.line + review.source.body_line - 1, hazard);
        }
        for hazard in review.questions.iter().flat_map(|q| &q.answer_hazards) {
            // An answer's lines are not the file's: found again by what the hazard holds.
            file.report(matter_line_of(&review.source, hazard.needle()), hazard);
        }
        file.finish(&mut found);
    }
    for project in &site.projects {
        let mut file = FileReport::new(&project.source, config);
        for hazard in &project.body.hazards {
            file.report(hazard.line + project.source.body_line - 1, hazard);
        }
        let findings = project.claims.iter().filter_map(|c| c.finding.as_deref());
        for hazard in findings.flat_map(|f| &f.summary_hazards) {
            // A summary's lines are not the file's, as an answer's are not.
            file.report(matter_line_of(&project.source, hazard.needle()), hazard);
        }
        file.finish(&mut found);
    }
    // Every other body: pages', profiles' and responses'.
    let bodies = site.pages.iter().map(|p| (&p.source, &p.body.hazards));
    let bodies = bodies
        .chain(site.profiles.iter().map(|p| (&p.source, &p.body.hazards)))
        .chain(site.responses.iter().map(|r| (&r.source, &r.body.hazards)));
    for (source, hazards) in bodies {
        let mut file = FileReport::new(source, config);
        for hazard in hazards {
            file.report(hazard.line + source.body_line - 1, hazard);
        }
        file.finish(&mut found);
    }
    found
}

/// The findings of one file.
struct FileReport<'a> {
    source: &'a Located,
    config: &'a CheckConfig,
    found: Vec<Diagnostic>,
    /// Per rule ([`UNSAFE_LINK`], [`UNSAFE_HTML`]): how many were found.
    counts: [Listed; 2],
}

impl<'a> FileReport<'a> {
    fn new(source: &'a Located, config: &'a CheckConfig) -> Self {
        FileReport { source, config, found: Vec::new(), counts: [Listed::default(); 2] }
    }

    fn report(&mut self, line: usize, hazard: &Hazard) {
        let (rule, hint) = match hazard.kind {
            HazardKind::Link { .. } => {
                (UNSAFE_LINK, "link to a page (https://…) or to a file of the site; a script cannot be linked")
            }
            HazardKind::Attribute { .. } => (UNSAFE_LINK, "remove the attribute"),
            HazardKind::RawHtml(_) if self.config.allow_unsafe_html => return,
            HazardKind::RawHtml(_) => (
                UNSAFE_HTML,
                "remove it, or, if the site's editors want scripts in pages, set `allow_unsafe_html = true` under [check] in critique.toml",
            ),
        };
        if !self.counts[usize::from(rule == UNSAFE_HTML)].admit(|| line) {
            return;
        }
        self.found.push(Diagnostic::at(&self.source.path, line, 0, hazard.describe()).with_rule(rule).with_hint(hint));
    }

    fn finish(self, found: &mut Vec<Diagnostic>) {
        found.extend(self.found);
        for (rule, listed) in [UNSAFE_LINK, UNSAFE_HTML].into_iter().zip(self.counts) {
            found.extend(listed.left_out(&self.source.path, rule));
        }
    }
}

/// The line of the front matter of `source` holding `needle` (case-blind), or the block's
/// first line.
fn matter_line_of(source: &Located, needle: &str) -> usize {
    let needle = needle.to_lowercase();
    let at = source.matter.lines().position(|l| l.to_lowercase().contains(&needle));
    source.matter_line + at.unwrap_or(0)
}
